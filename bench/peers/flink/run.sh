#!/usr/bin/env bash
# Weft's Flink peer: builds the job once (target/), then runs it on a local MiniCluster.
#   bench/peers/flink/run.sh INPUT_DIR [--parallelism P] [--out FILE] [--out-of-orderness-ms MS]
# stdout: one summary JSON line; stderr: build and Flink logs. See README.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -lt 1 || "$1" == -h || "$1" == --help ]]; then
  echo "usage: $0 INPUT_DIR [--parallelism 1|2] [--out FILE] [--out-of-orderness-ms MS]" >&2
  exit 2
fi

# Build when target/ is missing or older than the pom or any source file.
stamp="$here/target/classpath.txt"
if [[ ! -f "$stamp" || -n "$(find "$here/pom.xml" "$here/src/main" -newer "$stamp" -print -quit)" ]]; then
  echo "weft-flink-peer: building (mvn -q package -DskipTests)" >&2
  (cd "$here" && mvn -q -B package -DskipTests >&2)
fi

# The same --add-opens list as the pom's surefire argLine (Flink 1.20 on Java 17).
opens="$(sed -n 's:.*<flink.java.opens>\(.*\)</flink.java.opens>.*:\1:p' "$here/pom.xml")"
export WEFT_FLINK_HOME="$here" # default --out: $here/target/sessions-p<P>.ndjson
# shellcheck disable=SC2086
exec java $opens ${WEFT_FLINK_JAVA_OPTS:--XX:+UseParallelGC -Xms4g -Xmx4g} \
  -Dorg.slf4j.simpleLogger.defaultLogLevel="${WEFT_FLINK_LOG_LEVEL:-warn}" \
  -cp "$here/target/classes:$(cat "$stamp")" \
  org.weft.bench.flink.FlinkPeerJob "$@"
