#!/usr/bin/env bash
# Runs Switchboard embedded: every service in one JVM on http://localhost:8080 (HTTP_PORT to change).
# Builds the jar first when it is missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")"

JAR=standalone/target/switchboard.jar

needs_build() {
  [ ! -f "$JAR" ] && return 0
  [ -n "$(find . -path ./node_modules -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
      -newer "$JAR" -print -quit)" ]
}

if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
  echo "run.sh: Java 17 and Maven are required (Debian: apt-get install openjdk-17-jdk-headless maven)" >&2
  exit 1
fi

if needs_build; then
  echo "Building Switchboard..."
  mvn -B -q -DskipTests package -pl standalone -am
fi

# Unset, JAVA_OPTS is G1 giving memory back after collections, so that the process stays small on
# a laptop and grows with its connections only (docs/operations.md, "JVM options"); set, even
# empty, it replaces that. A JVM that runs out of memory exits with code 3 instead of serving
# without its cluster member; JAVA_OPTS cannot turn that off.
JAVA_OPTS=${JAVA_OPTS--XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30}
exec java -XX:+ExitOnOutOfMemoryError $JAVA_OPTS -jar "$JAR" "$@"
