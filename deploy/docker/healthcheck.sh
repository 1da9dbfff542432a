#!/bin/bash
# Container healthcheck for the Switchboard images. It needs only bash, not curl or wget, so the
# base image can be swapped for any JRE image that has bash.
#
#   healthcheck.sh ready    the gateway answers GET /ready with 200: it is in the cluster and
#                           echo, sse and signaling answer its probes
#   healthcheck.sh member   the Hazelcast member port of this container accepts connections
set -euo pipefail

case "${1:-}" in
  ready)
    host=${HTTP_HOST:-0.0.0.0}
    [[ $host == 0.0.0.0 ]] && host=127.0.0.1
    exec 3<>"/dev/tcp/${host}/${HTTP_PORT:-8080}"
    printf 'GET /ready HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$host" >&3
    IFS= read -r -t 5 status <&3
    [[ $status == "HTTP/1.1 200"* ]]
    ;;
  member)
    host=${CLUSTER_HOST:-$(hostname -i | cut -d' ' -f1)}
    exec 3<>"/dev/tcp/${host}/${CLUSTER_PORT:-5701}"
    ;;
  *)
    echo "usage: healthcheck.sh ready|member" >&2
    exit 2
    ;;
esac
