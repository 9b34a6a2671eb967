#!/usr/bin/env bash
# Debian's Chromium for headless browser tests (Playwright with
# executablePath, or chromium --headless directly). Nothing runs in the
# background: `start` only makes sure the browser is installed.
#
#   chromium.sh start    apt-get install chromium when /usr/bin/chromium is missing
#   chromium.sh stop     nothing to stop (accepted so all.sh can treat services alike)
#   chromium.sh status   exit 0 when `chromium --version` works
#   chromium.sh env      print `export WEFT_CHROMIUM=/usr/bin/chromium`
#
# Headless as root needs: --headless --no-sandbox --disable-gpu
# --disable-background-networking --disable-component-update --no-first-run
# (the machine has no network beyond package registries).
set -euo pipefail

SERVICE_TAG=chromium
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CHROMIUM=/usr/bin/chromium

chromium_version() {
  # Chromium may print warnings on stderr (no D-Bus, etc.); keep stdout only.
  timeout 30 "$CHROMIUM" --version 2>/dev/null | head -n 1
}

cmd_start() {
  if [[ ! -x "$CHROMIUM" ]]; then
    log "$CHROMIUM is missing; installing Debian's chromium"
    apt_install chromium
    [[ -x "$CHROMIUM" ]] || die "package chromium installed but $CHROMIUM does not exist"
  fi
  local version
  version="$(chromium_version)" || true
  [[ -n "$version" ]] || die "$CHROMIUM --version failed (broken install? try: apt-get install --reinstall chromium)"
  log "ready: $version ($CHROMIUM)"
}

cmd_status() {
  local version=""
  if [[ -x "$CHROMIUM" ]]; then
    version="$(chromium_version)" || true
  fi
  if [[ -n "$version" ]]; then
    log "installed: $version ($CHROMIUM)"
    return 0
  fi
  log "not installed or not working: $CHROMIUM --version failed; run '$0 start'"
  return 1
}

case "${1:-}" in
  start) cmd_start ;;
  stop) log "nothing to stop (Chromium is started by the tests themselves)" ;;
  status) cmd_status ;;
  env) echo "export WEFT_CHROMIUM=$CHROMIUM" ;;
  *) usage 'start|stop|status|env' ;;
esac
