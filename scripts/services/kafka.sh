#!/usr/bin/env bash
# Single-node KRaft Apache Kafka for tests and CI, run from the official jars
# on Maven Central (no Docker, no download site other than Maven Central here).
#
#   kafka.sh start    download the jars once, format storage once, start the
#                     broker in the background, wait until it serves metadata
#   kafka.sh stop     SIGTERM (controlled shutdown), wait, SIGKILL as last resort
#   kafka.sh status   exit 0 when the broker answers a metadata request
#   kafka.sh env      print `export WEFT_TEST_KAFKA_BROKERS=...`
#   kafka.sh purge    private brokers only: stop, then delete its data and logs
#   kafka.sh tool CLASS [ARGS...]
#                     run a Kafka CLI class from the jars, e.g.
#                     kafka.sh tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:19092 --list
#
# Environment: WEFT_KAFKA_PORT (default 19092; the controller uses port+1),
# WEFT_KAFKA_START_TIMEOUT (s, default 90), WEFT_KAFKA_STOP_TIMEOUT (s,
# default 60), WEFT_KAFKA_JAVA_OPTS (extra JVM flags for the broker).
set -euo pipefail

SERVICE_TAG=kafka
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_PORT="${WEFT_KAFKA_PORT:-19092}"
check_port WEFT_KAFKA_PORT "$KAFKA_PORT"
CONTROLLER_PORT=$((KAFKA_PORT + 1))
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"
START_TIMEOUT="${WEFT_KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${WEFT_KAFKA_STOP_TIMEOUT:-60}"

TEMPLATE_DIR="$SERVICES_SCRIPTS_DIR/kafka"
POM="$TEMPLATE_DIR/pom.xml"
KAFKA_HOME="$WEFT_SERVICES_DIR/kafka"
LIBS="$KAFKA_HOME/libs"
LIBS_STAMP="$LIBS/.weft-libs-stamp"
# One instance per port, so a second broker on another port never shares
# files with the first.
DATA_DIR="$KAFKA_HOME/data/$KAFKA_PORT"
LOG_DIR="$KAFKA_HOME/logs/$KAFKA_PORT"
CONF_DIR="$KAFKA_HOME/config/$KAFKA_PORT"
CONF="$CONF_DIR/server.properties"
PIDFILE="$KAFKA_HOME/run/kafka-$KAFKA_PORT.pid"
LOCKFILE="$KAFKA_HOME/run/kafka-$KAFKA_PORT.lock"
SERVER_LOG="$LOG_DIR/server.log"
JVM_OUT="$LOG_DIR/kafka.out"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

kafka_version() { sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM"; }

# Copies the broker's runtime jars into .services/kafka/libs, only when they
# are missing or pom.xml changed since they were copied.
ensure_libs() {
  local want
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [[ -f "$LIBS_STAMP" && "$(cat "$LIBS_STAMP")" == "$want" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found: Maven is needed once to fetch the Kafka jars"
  command -v "$JAVA" >/dev/null || die "java not found (JAVA_HOME='${JAVA_HOME:-}')"
  log "fetching Kafka $(kafka_version) jars from Maven Central into $LIBS"
  local started tmp
  started="$(now)"
  mkdir -p "$KAFKA_HOME"
  tmp="$(mktemp -d "$KAFKA_HOME/libs.tmp.XXXXXX")"
  chmod 755 "$tmp"
  if ! mvn -B -q -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$tmp" >"$tmp.mvn.log" 2>&1; then
    log_tail 40 "$tmp.mvn.log"
    rm -rf "$tmp" "$tmp.mvn.log"
    die "mvn dependency:copy-dependencies failed for $POM (is Maven Central reachable?)"
  fi
  rm -f "$tmp.mvn.log"
  [[ -f "$tmp/kafka_2.13-$(kafka_version).jar" ]] ||
    die "Maven did not produce kafka_2.13-$(kafka_version).jar in $tmp"
  echo "$want" >"$tmp/.weft-libs-stamp"
  # Swap in whole, so an interrupted download never leaves a half libs dir.
  rm -rf "$LIBS.old"
  [[ -d "$LIBS" ]] && mv "$LIBS" "$LIBS.old"
  mv "$tmp" "$LIBS"
  rm -rf "$LIBS.old"
  log "jars ready ($(find "$LIBS" -name '*.jar' | wc -l) jars, $(du -sh "$LIBS" | cut -f1)) in $(($(now) - started)) s"
}

# Runs a Kafka CLI main class from the jars with quiet logging.
run_tool() {
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
    -Dlog4j.configuration="file:$TEMPLATE_DIR/tools-log4j.properties" \
    -cp "$LIBS/*" "$@"
}

# Succeeds when a broker on the port answers a metadata request (list topics),
# not merely when the port is open.
kafka_answers() {
  port_open "$KAFKA_PORT" || return 1
  [[ -f "$LIBS_STAMP" ]] || return 1
  timeout 30 "$JAVA" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
    -Dlog4j.configuration="file:$TEMPLATE_DIR/tools-log4j.properties" \
    -cp "$LIBS/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$BOOTSTRAP" --command-config "$TEMPLATE_DIR/admin-client.properties" \
    --list >/dev/null 2>&1
}

# Pid of a live Kafka broker serving our port: our pid file first, then
# whoever listens on the port (a broker started from another checkout).
broker_pid() {
  local pid=""
  if [[ -f "$PIDFILE" ]]; then
    pid="$(cat "$PIDFILE" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && is_kafka_pid "$pid"; then
      echo "$pid"
      return 0
    fi
  fi
  pid="$(listener_pid "$KAFKA_PORT")"
  if [[ -n "$pid" ]] && is_kafka_pid "$pid"; then
    echo "$pid"
    return 0
  fi
  return 1
}

is_kafka_pid() {
  [[ -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q 'kafka\.Kafka '
}

render_config() {
  mkdir -p "$CONF_DIR" "$DATA_DIR" "$LOG_DIR"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" \
    -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
    -e "s|@DATA_DIR@|$DATA_DIR|g" \
    "$TEMPLATE_DIR/server.properties" >"$CONF.tmp"
  mv "$CONF.tmp" "$CONF"
}

format_storage_once() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    return 0
  fi
  local cluster_id
  cluster_id="$(run_tool kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] ||
    die "kafka.tools.StorageTool random-uuid printed '$cluster_id', not a cluster id"
  log "formatting $DATA_DIR (cluster id $cluster_id)"
  local out
  if ! out="$(run_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$CONF" 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "kafka.tools.StorageTool format failed for $DATA_DIR"
  fi
}

cmd_start() {
  ensure_libs
  take_lock "$LOCKFILE"
  local pid
  if kafka_answers; then
    pid="$(broker_pid || echo '?')"
    log "already running on $BOOTSTRAP (pid $pid); reusing it"
    return 0
  fi
  # A broker we started earlier may still be starting up: wait for it rather
  # than starting a second one on the same data dir.
  if pid="$(broker_pid)"; then
    log "broker pid $pid is up but not answering yet; waiting for it"
    wait_ready "$pid" "$(now)"
    return 0
  fi
  rm -f "$PIDFILE"
  if port_open "$KAFKA_PORT"; then
    die "127.0.0.1:$KAFKA_PORT is in use by something that is not a Kafka broker (pid $(listener_pid "$KAFKA_PORT" || true)); free it or set WEFT_KAFKA_PORT"
  fi
  if port_open "$CONTROLLER_PORT"; then
    die "controller port 127.0.0.1:$CONTROLLER_PORT (WEFT_KAFKA_PORT+1) is in use (pid $(listener_pid "$CONTROLLER_PORT" || true)); free it or set WEFT_KAFKA_PORT"
  fi
  command -v "$JAVA" >/dev/null || die "java not found (JAVA_HOME='${JAVA_HOME:-}')"

  render_config
  format_storage_once

  local started
  started="$(now)"
  log "starting Kafka $(kafka_version) on $BOOTSTRAP (controller 127.0.0.1:$CONTROLLER_PORT), logs in $LOG_DIR"
  printf '\n==== %s kafka.sh start ====\n' "$(date -u +%FT%TZ)" >>"$JVM_OUT"
  # shellcheck disable=SC2086 # WEFT_KAFKA_JAVA_OPTS is a list of flags
  spawn_detached "$PIDFILE" "$JVM_OUT" \
    "$JAVA" -Xms512m -Xmx512m -server \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true \
    -Dkafka.logs.dir="$LOG_DIR" \
    -Dlog4j.configuration="file:$TEMPLATE_DIR/log4j.properties" \
    ${WEFT_KAFKA_JAVA_OPTS:-} \
    -cp "$LIBS/*" kafka.Kafka "$CONF"
  for _ in $(seq 50); do
    [[ -s "$PIDFILE" ]] && break
    sleep 0.1
  done
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "broker process did not start (no pid file $PIDFILE)"
  wait_ready "$pid" "$started"
}

# Waits until the broker answers, failing with the log tail if it dies or the
# timeout passes.
wait_ready() {
  local pid="$1" started="$2"
  local deadline=$((started + START_TIMEOUT))
  while true; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PIDFILE"
      log_tail 40 "$SERVER_LOG" "$JVM_OUT"
      die "broker (pid $pid) exited during startup; see $SERVER_LOG and $JVM_OUT"
    fi
    if kafka_answers; then
      log "ready on $BOOTSTRAP after $(($(now) - started)) s (pid $pid)"
      return 0
    fi
    if (($(now) >= deadline)); then
      log_tail 40 "$SERVER_LOG" "$JVM_OUT"
      die "broker (pid $pid) did not answer a metadata request on $BOOTSTRAP within ${START_TIMEOUT} s (WEFT_KAFKA_START_TIMEOUT); it is left running for inspection, run '$0 stop' to end it"
    fi
    sleep 1
  done
}

cmd_stop() {
  take_lock "$LOCKFILE"
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$PIDFILE"
    if port_open "$KAFKA_PORT"; then
      die "127.0.0.1:$KAFKA_PORT is served by a process that is not a Kafka broker (pid $(listener_pid "$KAFKA_PORT" || true)); not stopping it"
    fi
    log "not running on $BOOTSTRAP"
    return 0
  fi
  log "stopping broker pid $pid (SIGTERM, controlled shutdown, up to ${STOP_TIMEOUT} s)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$(($(now) + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if (($(now) >= deadline)); then
      log "broker pid $pid still alive after ${STOP_TIMEOUT} s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  kill -0 "$pid" 2>/dev/null && die "broker pid $pid survived SIGKILL"
  rm -f "$PIDFILE"
  # The listening sockets close with the process; make sure before returning
  # so that an immediate `start` does not see the old broker.
  deadline=$(($(now) + 10))
  while port_open "$KAFKA_PORT" && (($(now) < deadline)); do sleep 0.2; done
  log "stopped"
}

cmd_status() {
  if ! port_open "$KAFKA_PORT"; then
    log "not running: nothing listens on $BOOTSTRAP"
    return 1
  fi
  if kafka_answers; then
    log "running on $BOOTSTRAP (pid $(broker_pid || echo '?'), Kafka $(kafka_version) jars)"
    return 0
  fi
  if [[ ! -f "$LIBS_STAMP" ]]; then
    log "something listens on $BOOTSTRAP but the Kafka jars are not fetched yet ($LIBS), so it cannot be checked: run '$0 start'"
  else
    log "not answering: $BOOTSTRAP is open but a metadata request failed (starting up, or not Kafka)"
  fi
  return 1
}

cmd_env() {
  echo "export WEFT_TEST_KAFKA_BROKERS=$BOOTSTRAP"
}

# Stops a private broker and deletes its data, logs and config; refuses the
# shared default port 19092.
cmd_purge() {
  [[ "$KAFKA_PORT" != 19092 ]] || die "purge is only for private brokers (WEFT_KAFKA_PORT other than 19092)"
  cmd_stop
  rm -rf "$DATA_DIR" "$LOG_DIR" "$CONF_DIR"
  log "purged the private broker on port $KAFKA_PORT"
}

cmd_tool() {
  (($# >= 1)) || die "usage: $0 tool MAIN_CLASS [ARGS...]"
  ensure_libs
  run_tool "$@"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  purge) cmd_purge ;;
  tool)
    shift
    cmd_tool "$@"
    ;;
  *) usage 'start|stop|status|env|purge|tool CLASS [ARGS...]' ;;
esac
