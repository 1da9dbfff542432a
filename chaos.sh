#!/usr/bin/env bash
# Runs the chaos suite's long form: a cluster of the packaged jars under steady load while faults
# are injected in rounds (a rolling restart of the gateways, kill -9 of a member of each kind, a
# SIGSTOP of a data member) for N minutes, 30 by default; then the ledger's invariants.
# The report goes to docs/chaos-report.md (CHAOS_REPORT=path to write it elsewhere) and is printed;
# with 0 minutes, the short form that `mvn verify` (and so ./test.sh) runs, to integration-tests/target/chaos-report.md.
# Usage: ./chaos.sh [minutes] [extra Maven arguments, e.g. -o]
# Needs about 3 GiB of free memory (eight JVMs with a pre-touched 256 MiB heap each).
set -euo pipefail
cd "$(dirname "$0")"

minutes="${1:-30}"
shift || true
if [ "$minutes" = 0 ]; then
  report="${CHAOS_REPORT:-$PWD/integration-tests/target/chaos-report.md}"
else
  report="${CHAOS_REPORT:-$PWD/docs/chaos-report.md}"
fi

status=0
mvn -B "$@" -pl integration-tests -am verify \
  -Dtest=ChaosSuiteTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dchaos.minutes="$minutes" -Dchaos.report="$report" || status=$?

if [ -f "$report" ]; then
  cat "$report"
fi
exit "$status"
