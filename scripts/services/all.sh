#!/usr/bin/env bash
# Every service the tests need, in one call:
#
#   all.sh start    mariadb.sh start, kafka.sh start, chromium.sh start (stops at the first failure)
#   all.sh stop     kafka.sh stop, mariadb.sh stop (reverse order)
#   all.sh status   all three statuses; exit 1 if any is not up
#   all.sh env      all exports, for: eval "$(scripts/services/all.sh env)"
set -euo pipefail

SERVICE_TAG=services
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVICES=(mariadb kafka chromium)

run() { bash "$SERVICES_SCRIPTS_DIR/$1.sh" "$2"; }

case "${1:-}" in
  start)
    started="$(now)"
    for s in "${SERVICES[@]}"; do run "$s" start; done
    log "all services up in $(($(now) - started)) s"
    ;;
  stop)
    for s in kafka mariadb; do run "$s" stop; done
    ;;
  status)
    rc=0
    for s in "${SERVICES[@]}"; do run "$s" status || rc=1; done
    exit "$rc"
    ;;
  env)
    for s in "${SERVICES[@]}"; do run "$s" env; done
    ;;
  *) usage 'start|stop|status|env' ;;
esac
