# shellcheck shell=bash disable=SC2034 # variables are used by the sourcing scripts
# Shared helpers for scripts/services/*.sh. Sourced, never executed.
# The sourcing script sets SERVICE_TAG (e.g. "kafka") before sourcing.

# Repository root, from this file's location (scripts/services/lib.sh).
WEFT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
SERVICES_SCRIPTS_DIR="$WEFT_ROOT/scripts/services"
# Git-ignored cache and state for the services (jars, data, logs, pid files).
WEFT_SERVICES_DIR="${WEFT_SERVICES_DIR:-$WEFT_ROOT/.services}"

log() { printf '[%s] %s\n' "${SERVICE_TAG:-services}" "$*" >&2; }
die() {
  printf '[%s] ERROR: %s\n' "${SERVICE_TAG:-services}" "$*" >&2
  exit 1
}

# Prints the last N lines of each existing file, framed, to stderr.
log_tail() {
  local lines="$1"
  shift
  local f
  for f in "$@"; do
    [[ -f "$f" ]] || continue
    printf '[%s] ---- last %s lines of %s ----\n' "${SERVICE_TAG:-services}" "$lines" "$f" >&2
    tail -n "$lines" "$f" >&2 || true
    printf '[%s] ---- end of %s ----\n' "${SERVICE_TAG:-services}" "$f" >&2
  done
}

# Succeeds when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Pid of the process listening on 127.0.0.1:$1, empty when none or unknown
# (also when `ss`, from iproute2, is not installed). Always succeeds.
listener_pid() {
  command -v ss >/dev/null || return 0
  { ss -ltnpH "sport = :$1" 2>/dev/null || true; } | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1
}

# Validates a TCP port number taken from the environment.
check_port() {
  local name="$1" value="$2"
  if [[ ! "$value" =~ ^[0-9]+$ ]] || ((value < 1 || value > 65534)); then
    die "$name must be a TCP port number (1-65534), got '$value'"
  fi
}

# apt-get install, non-interactive, waiting for a concurrent apt/dpkg run to
# finish instead of failing on its lock. Runs `apt-get update` first once per
# process (a fresh machine has no package lists).
_APT_UPDATED=""
apt_install() {
  [[ "$(id -u)" == 0 ]] || die "installing $* needs root (apt-get); run as root or install it by hand"
  command -v apt-get >/dev/null || die "apt-get not found: install $* by hand"
  local apt_opts=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
  if [[ -z "$_APT_UPDATED" ]]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update -qq >&2 ||
      die "apt-get update failed (see output above)"
    _APT_UPDATED=1
  fi
  log "apt-get install -y $*"
  DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" install -y -qq --no-install-recommends "$@" >&2 ||
    die "apt-get install $* failed (see output above)"
}

# Serialises start/stop of one service instance across concurrent callers
# (two CI steps, a test and a developer). Holds an flock on fd 9 until the
# calling script exits.
take_lock() {
  local lockfile="$1"
  mkdir -p "$(dirname "$lockfile")"
  exec 9>"$lockfile"
  flock -w 300 9 || die "timed out after 300 s waiting for $lockfile (another start/stop still running?)"
}

# Runs "$@" in its own session, detached from our stdio and process group, so
# that it outlives the calling shell (CI step, test runner, Ctrl-C).
# Usage: spawn_detached <pidfile|-> <logfile> cmd args...
# The pid written to <pidfile> is the pid of cmd itself (exec, no wrapper).
# Every inherited descriptor above 2 is closed: the take_lock lock (fd 9), and
# any pipe a CI runner or test harness handed us, which it would otherwise
# wait on for as long as the service lives.
spawn_detached() {
  local pidfile="$1" logfile="$2"
  shift 2
  # shellcheck disable=SC2016
  setsid bash -c '
    for fd in /proc/$$/fd/*; do
      fd="${fd##*/}"
      [ "$fd" -gt 2 ] && eval "exec $fd>&-"
    done 2>/dev/null
    [ "$0" = - ] || echo $$ >"$0"
    exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 &
}

# Seconds since the epoch (bash builtin, no fork).
now() { printf '%(%s)T' -1; }

usage() {
  printf 'usage: %s {%s}\n' "$(basename "$0")" "$1" >&2
  exit 2
}
