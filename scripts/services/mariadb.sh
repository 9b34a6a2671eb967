#!/usr/bin/env bash
# MariaDB for tests and CI: installs it from Debian when missing, starts it in
# the background (no systemd), and provisions the `weft` user and `weft_test`
# database. Reuses a MariaDB that already answers on the port.
#
#   mariadb.sh start    install if needed, init datadir if needed, start if not
#                       answering, wait, then create weft_test + user weft
#   mariadb.sh stop     `mariadb-admin shutdown` over the unix socket, as root
#   mariadb.sh status   exit 0 when the server answers on 127.0.0.1:PORT
#   mariadb.sh env      print `export WEFT_TEST_MYSQL_URL=...`
#   mariadb.sh purge    private instances only: stop, then delete its files
#
# Port 3306 (the default) is the machine's own MariaDB: Debian's datadir,
# socket and /etc/mysql config. Any other WEFT_MYSQL_PORT gets a private
# instance under /var/lib/weft-mariadb/<port>/ so it never touches that one.
#
# Environment: WEFT_MYSQL_PORT (default 3306), WEFT_MYSQL_SOCKET (override the
# socket used for root access), WEFT_MYSQL_START_TIMEOUT (s, default 60),
# WEFT_MYSQL_STOP_TIMEOUT (s, default 60), WEFT_MYSQL_SERVER_OPTIONS (private
# instances only, unset by default: extra mariadbd options, space-separated,
# e.g. "--innodb-buffer-pool-size=2G"; applied when `start` starts the server,
# not to one already running).
set -euo pipefail

SERVICE_TAG=mariadb
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${WEFT_MYSQL_PORT:-3306}"
check_port WEFT_MYSQL_PORT "$PORT"
START_TIMEOUT="${WEFT_MYSQL_START_TIMEOUT:-60}"
SERVER_OPTIONS="${WEFT_MYSQL_SERVER_OPTIONS:-}"
if [[ -n "$SERVER_OPTIONS" && "$PORT" == 3306 ]]; then
  die "WEFT_MYSQL_SERVER_OPTIONS is for private instances only; the MariaDB on 3306 is configured by /etc/mysql (set WEFT_MYSQL_PORT to another port)"
fi
STOP_TIMEOUT="${WEFT_MYSQL_STOP_TIMEOUT:-60}"

DB_NAME=weft_test
DB_USER=weft
DB_PASSWORD=weft

STATE_DIR="$WEFT_SERVICES_DIR/mariadb"
LOCKFILE="$STATE_DIR/run/mariadb-$PORT.lock"
OUR_PIDFILE="$STATE_DIR/run/mariadbd-$PORT.pid"
# mariadbd's stdout/stderr (early startup failures land here, before or
# instead of its error log).
OUT_LOG="$STATE_DIR/mariadbd-$PORT.out"

export PATH="$PATH:/usr/sbin:/sbin"

have_binaries() {
  command -v mariadbd >/dev/null && command -v mariadb >/dev/null &&
    command -v mariadb-admin >/dev/null && command -v mariadb-install-db >/dev/null
}

# Decides the instance's files and the mariadbd flags. Needs mariadbd for the
# system instance (its effective config tells where Debian keeps things).
resolve_instance() {
  if [[ "$PORT" == 3306 ]]; then
    INSTANCE="system"
    # Effective settings after /etc/mysql/my.cnf and compiled-in defaults.
    local help
    help="$(mariadbd --verbose --help 2>/dev/null || true)"
    cfg() { awk -v k="$1" '$1 == k { print $2; exit }' <<<"$help"; }
    DATADIR="$(cfg datadir)"
    SOCKET="$(cfg socket)"
    SERVER_PIDFILE="$(cfg pid-file)"
    ERROR_LOG="$(cfg log-error)"
    DATADIR="${DATADIR:-/var/lib/mysql/}"
    SOCKET="${SOCKET:-/run/mysqld/mysqld.sock}"
    [[ "$SERVER_PIDFILE" == /* ]] || SERVER_PIDFILE="${DATADIR%/}/${SERVER_PIDFILE:-mysqld.pid}"
    [[ -z "$ERROR_LOG" || "$ERROR_LOG" == /* ]] || ERROR_LOG="${DATADIR%/}/$ERROR_LOG"
    DEFAULTS_ARGS=()
  else
    INSTANCE="private"
    local base="/var/lib/weft-mariadb/$PORT"
    DATADIR="$base/data"
    SOCKET="$base/mysqld.sock"
    SERVER_PIDFILE="$base/mysqld.pid"
    ERROR_LOG="$base/error.log"
    DEFAULTS_ARGS=(--no-defaults)
  fi
  SOCKET="${WEFT_MYSQL_SOCKET:-$SOCKET}"
  MARIADBD_ARGS=("${DEFAULTS_ARGS[@]}" --user=mysql --bind-address=127.0.0.1 --port="$PORT")
  if [[ "$INSTANCE" == private ]]; then
    MARIADBD_ARGS+=(--datadir="$DATADIR" --socket="$SOCKET" --pid-file="$SERVER_PIDFILE"
      --log-error="$ERROR_LOG" --skip-name-resolve
      --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci)
    local extra=()
    # Word-split on purpose: options are space-separated flags without spaces inside.
    read -r -a extra <<<"$SERVER_OPTIONS"
    local option
    for option in "${extra[@]}"; do
      [[ "$option" == --* ]] || die "WEFT_MYSQL_SERVER_OPTIONS holds '$option'; give mariadbd options as --name=value, space-separated"
    done
    MARIADBD_ARGS+=("${extra[@]}")
  fi
}

# Server answers on TCP 127.0.0.1:PORT. `ping` exits 0 even when access is
# denied, but not when the server refuses the client host outright (1130: a
# fresh datadir has no account for 127.0.0.1 until provision() makes one) or
# is full (1040): those answers also come from a live server. Pings as weft so
# that, once provisioned, the server's log gets no "Access denied" warnings.
answers_tcp() {
  local out
  out="$(MYSQL_PWD="$DB_PASSWORD" mariadb-admin --no-defaults --protocol=TCP -h127.0.0.1 -P"$PORT" \
    -u"$DB_USER" --connect-timeout=2 ping 2>&1)" && return 0
  [[ "$out" =~ (1130|1040|1045)\ |is\ not\ allowed\ to\ connect|Too\ many\ connections|Access\ denied ]]
}

answers_socket() {
  [[ -S "$SOCKET" ]] &&
    mariadb-admin --no-defaults --protocol=SOCKET -S "$SOCKET" --connect-timeout=2 ping >/dev/null 2>&1
}

# Runs SQL as root over the unix socket (Debian: root@localhost authenticates
# by unix_socket, or has an empty password).
root_sql() {
  mariadb --no-defaults --protocol=SOCKET -S "$SOCKET" -uroot --connect-timeout=5 -N -B -e "$1"
}

ensure_installed() {
  have_binaries && return 0
  log "mariadbd or its clients are missing; installing mariadb-server from Debian"
  apt_install mariadb-server mariadb-client
  have_binaries || die "mariadb-server installed but mariadbd/mariadb/mariadb-admin/mariadb-install-db still not on PATH"
}

prepare_dirs() {
  id mysql >/dev/null 2>&1 || die "system user 'mysql' does not exist (mariadb-server's package creates it)"
  local d
  for d in "$(dirname "$SOCKET")" "$(dirname "$SERVER_PIDFILE")"; do
    [[ -d "$d" ]] || install -d -o mysql -g mysql -m 755 "$d"
  done
  if [[ -n "$ERROR_LOG" ]]; then
    d="$(dirname "$ERROR_LOG")"
    [[ -d "$d" ]] || install -d -o mysql -g mysql -m 750 "$d"
  fi
  if [[ "$INSTANCE" == private ]]; then
    install -d -o mysql -g mysql -m 750 "$(dirname "$DATADIR")" "$DATADIR"
  fi
}

init_datadir_once() {
  if [[ -d "${DATADIR%/}/mysql" ]]; then
    return 0
  fi
  log "initialising datadir $DATADIR (mariadb-install-db)"
  # --skip-name-resolve + --force: grant entries use IPs and no DNS lookup of
  # the hostname is needed (containers and chroots often cannot resolve it);
  # --force only disables that lookup, it overwrites nothing.
  local out
  if ! out="$(mariadb-install-db "${DEFAULTS_ARGS[@]}" --user=mysql --datadir="$DATADIR" \
    --auth-root-authentication-method=socket --skip-test-db --skip-name-resolve --force 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "mariadb-install-db failed for $DATADIR"
  fi
}

# Creates the database and user; safe to run any number of times. Also resets
# the password and grants, in case someone changed them.
provision() {
  local sql
  sql="CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
ALTER DATABASE \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;"
  local host
  for host in localhost 127.0.0.1; do
    sql+="
CREATE USER IF NOT EXISTS '$DB_USER'@'$host' IDENTIFIED BY '$DB_PASSWORD';
ALTER USER '$DB_USER'@'$host' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON \`weft%\`.* TO '$DB_USER'@'$host';"
  done
  local out
  if ! out="$(root_sql "$sql" 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "could not create database $DB_NAME / user $DB_USER as root over $SOCKET (root must be able to log in over the unix socket without a password)"
  fi
  # Check the way tests connect: TCP, as weft.
  if ! out="$(MYSQL_PWD="$DB_PASSWORD" mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$PORT" \
    -u"$DB_USER" --connect-timeout=5 -N -B "$DB_NAME" -e 'SELECT 1' 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "user $DB_USER was created but cannot log in over TCP 127.0.0.1:$PORT to $DB_NAME"
  fi
  log "database $DB_NAME (utf8mb4_bin) and user $DB_USER@{localhost,127.0.0.1} with ALL on \`weft%\`.* ready"
}

cmd_start() {
  ensure_installed
  resolve_instance
  take_lock "$LOCKFILE"
  if answers_tcp; then
    log "already answering on 127.0.0.1:$PORT; reusing it"
    [[ -z "$SERVER_OPTIONS" ]] || log "WEFT_MYSQL_SERVER_OPTIONS not applied to the running server (stop it first to apply them)"
  else
    if port_open "$PORT"; then
      die "127.0.0.1:$PORT is in use by something that does not answer as MariaDB (pid $(listener_pid "$PORT" || true)); free it or set WEFT_MYSQL_PORT"
    fi
    prepare_dirs
    init_datadir_once
    start_server
  fi
  if ! answers_socket; then
    die "MariaDB answers on 127.0.0.1:$PORT but not on the unix socket $SOCKET, which is needed to create the user as root; set WEFT_MYSQL_SOCKET to its socket"
  fi
  local socket_port
  socket_port="$(root_sql 'SELECT @@port' 2>/dev/null || true)"
  if [[ -n "$socket_port" && "$socket_port" != "$PORT" ]]; then
    die "socket $SOCKET belongs to a MariaDB on port $socket_port, not $PORT; set WEFT_MYSQL_SOCKET to the socket of the server on $PORT"
  fi
  provision
}

start_server() {
  mkdir -p "$STATE_DIR/run"
  rm -f "$OUR_PIDFILE"
  local started pid
  started="$(now)"
  log "starting mariadbd ($INSTANCE instance, datadir $DATADIR) on 127.0.0.1:$PORT${SERVER_OPTIONS:+ with $SERVER_OPTIONS}"
  printf '\n==== %s mariadb.sh start ====\n' "$(date -u +%FT%TZ)" >>"$OUT_LOG"
  spawn_detached "$OUR_PIDFILE" "$OUT_LOG" mariadbd "${MARIADBD_ARGS[@]}"
  for _ in $(seq 50); do
    [[ -s "$OUR_PIDFILE" ]] && break
    sleep 0.1
  done
  pid="$(cat "$OUR_PIDFILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "mariadbd did not start (no pid file $OUR_PIDFILE)"
  local deadline=$((started + START_TIMEOUT))
  while true; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log_tail 30 "$ERROR_LOG" "$OUT_LOG"
      die "mariadbd (pid $pid) exited during startup; see ${ERROR_LOG:-$OUT_LOG}"
    fi
    if answers_tcp && answers_socket; then
      log "ready on 127.0.0.1:$PORT after $(($(now) - started)) s (pid $pid)"
      return 0
    fi
    if (($(now) >= deadline)); then
      log_tail 30 "$ERROR_LOG" "$OUT_LOG"
      die "mariadbd (pid $pid) did not answer on 127.0.0.1:$PORT and $SOCKET within ${START_TIMEOUT} s (WEFT_MYSQL_START_TIMEOUT)"
    fi
    sleep 0.5
  done
}

cmd_stop() {
  have_binaries || {
    log "MariaDB is not installed; nothing to stop"
    return 0
  }
  resolve_instance
  take_lock "$LOCKFILE"
  if ! answers_tcp && ! answers_socket; then
    log "not running on 127.0.0.1:$PORT"
    return 0
  fi
  answers_socket || die "MariaDB answers on 127.0.0.1:$PORT but not on $SOCKET; cannot shut it down as root (set WEFT_MYSQL_SOCKET)"
  local pid
  pid="$(cat "$SERVER_PIDFILE" 2>/dev/null || listener_pid "$PORT" || true)"
  log "shutting down MariaDB on 127.0.0.1:$PORT (pid ${pid:-?}) via $SOCKET"
  local out
  if ! out="$(timeout "$STOP_TIMEOUT" mariadb-admin --no-defaults --protocol=SOCKET -S "$SOCKET" -uroot shutdown 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "mariadb-admin shutdown failed or took over ${STOP_TIMEOUT} s"
  fi
  local deadline=$(($(now) + STOP_TIMEOUT))
  while { [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; } || answers_tcp; do
    (($(now) < deadline)) || die "MariaDB (pid ${pid:-?}) still running ${STOP_TIMEOUT} s after shutdown"
    sleep 0.5
  done
  rm -f "$OUR_PIDFILE"
  log "stopped"
}

cmd_status() {
  if ! command -v mariadb-admin >/dev/null; then
    log "not installed (no mariadb-admin); run '$0 start'"
    return 1
  fi
  if ! answers_tcp; then
    log "not running: nothing answers on 127.0.0.1:$PORT"
    return 1
  fi
  local version
  if version="$(MYSQL_PWD="$DB_PASSWORD" mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$PORT" \
    -u"$DB_USER" --connect-timeout=3 -N -B "$DB_NAME" -e 'SELECT VERSION()' 2>/dev/null)"; then
    log "running on 127.0.0.1:$PORT (MariaDB $version, user $DB_USER can use $DB_NAME)"
  else
    log "running on 127.0.0.1:$PORT, but user $DB_USER cannot use $DB_NAME yet: run '$0 start'"
  fi
  return 0
}

cmd_env() {
  echo "export WEFT_TEST_MYSQL_URL=mysql://$DB_USER:$DB_PASSWORD@127.0.0.1:$PORT/$DB_NAME"
}

# Stops a private instance and deletes its datadir, socket and logs; refuses
# the machine's own MariaDB (port 3306).
cmd_purge() {
  [[ "$PORT" != 3306 ]] || die "purge is only for private instances (WEFT_MYSQL_PORT other than 3306)"
  cmd_stop
  resolve_instance
  rm -rf "/var/lib/weft-mariadb/$PORT" "$OUT_LOG" "$OUR_PIDFILE"
  log "purged the private instance on port $PORT"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  purge) cmd_purge ;;
  *) usage 'start|stop|status|env|purge' ;;
esac
