#!/usr/bin/env bash
# Lifeboat with its repository in S3: s3proxy (filesystem store in a temp dir) on 127.0.0.1, on the
# same generated data as bench/run.sh. Times the first backup, an unchanged backup and a full
# restore (checked with diff -r), and prints MB/s. restic against the same s3proxy too, if installed.
#
#   bench/s3.sh                      # ~1 GB: ~3 min on a quiet 2-core machine (+1-3 min to make the data once)
#   BENCH_SCALE=0.1 bench/s3.sh      # ~100 MB smoke run
#   BENCH_LOCAL=1 bench/s3.sh        # also the same Lifeboat steps with a local-folder repository
#
# Knobs (environment) [defaults]: BENCH_DIR work dir, its data/ shared with run.sh [bench/work];
# BENCH_SCALE data size, 1.0 = ~1 GB [1.0]; BENCH_S3_PORT [19300]; BENCH_KAFKA_PORT, the controller
# takes the next one [19192]; BENCH_API_PORT [18180]; BENCH_RESTIC=0 skips restic; BENCH_LOCAL [0];
# BENCH_QUIET_PCT, BENCH_QUIET_TIMEOUT: before each step wait up to TIMEOUT s until the rest of the
# machine is at most PCT % busy, as run.sh does [25, 120]; LIFEBOAT_JAVA_OPTS as for ./lifeboat. It builds what is missing (./lifeboat builds
# itself; s3proxy's jar is fetched from Maven Central), then runs a frozen copy of cli/target. Logs: $BENCH_DIR/s3-logs. Everything else lives in a temp
# dir under $BENCH_DIR (same disk as the data), removed at exit with every process it started.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
BENCH_DIR="$(mkdir -p "${BENCH_DIR:-$BENCH/work}" && cd "${BENCH_DIR:-$BENCH/work}" && pwd)"
SCALE="${BENCH_SCALE:-1.0}"
DATA="$BENCH_DIR/data"
LOGS="$BENCH_DIR/s3-logs"
ENDPOINT="http://127.0.0.1:${BENCH_S3_PORT:-19300}"
BUCKET=bench
export LIFEBOAT_KAFKA_PORT="${BENCH_KAFKA_PORT:-19192}" LIFEBOAT_API_PORT="${BENCH_API_PORT:-18180}"
unset LIFEBOAT_BOOTSTRAP LIFEBOAT_API LIFEBOAT_KEY_FILE LIFEBOAT_MASTER_KEY LIFEBOAT_REPLICAS AWS_PROFILE AWS_SESSION_TOKEN
# s3proxy accepts these; Lifeboat (AWS SDK default chain) and restic read them from the environment
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret
export RESTIC_PASSWORD=bench RESTIC_REPOSITORY="s3:$ENDPOINT/$BUCKET/restic"

S3_PID="" UP_PID="" BROKER_PID="" TMP=""
log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
stop() { # stop PID...: SIGTERM, up to 60 s, then SIGKILL
  local p i
  for p in "$@"; do [[ -n "$p" ]] && kill -TERM "$p" 2>/dev/null || true; done
  for p in "$@"; do
    [[ -n "$p" ]] || continue
    for i in $(seq 600); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
}
stop_up() { # up stops its broker, but not when stopped while starting: stop up's children too
  [[ -z "$UP_PID" || -n "$BROKER_PID" ]] || BROKER_PID=$(pgrep -P "$UP_PID" | tr '\n' ' ' || true)
  stop "$UP_PID"; stop $BROKER_PID; UP_PID="" BROKER_PID=""
}
cleanup() { stop_up; stop "$S3_PID"; S3_PID=""; if [[ -n "$TMP" ]]; then rm -rf "$TMP"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM

JAR="$ROOT/cli/target/lifeboat-cli.jar" S3PROXY_JAR="$ROOT/cli/target/s3proxy/s3proxy.jar"
"$ROOT/lifeboat" --help >/dev/null || die "./lifeboat could not build itself"
if [[ ! -f "$S3PROXY_JAR" ]]; then
  log "fetching s3proxy (the cli module's copy-s3proxy step)"
  mvn -q -B -ntp -f "$ROOT/cli/pom.xml" dependency:copy@copy-s3proxy >&2 || die "could not fetch s3proxy"
fi
rm -rf "$LOGS" && mkdir -p "$LOGS"
TMP="$(mktemp -d "$BENCH_DIR/s3-tmp.XXXXXX")"
# A frozen copy of ./lifeboat and its jars: a source edit during the run cannot trigger a rebuild.
mkdir -p "$TMP/dist/cli/target"
cp "$ROOT/lifeboat" "$TMP/dist/" && cp -r "$JAR" "$ROOT/cli/target/lib" "$TMP/dist/cli/target/"
LB="$TMP/dist/lifeboat"
"$LB" --help >/dev/null # untimed: makes the client's class-data archive for the copy's paths

# The data: bench/run.sh's generator, stamp and work dir, so either script reuses the other's.
STAMP="$BENCH_DIR/data.stamp"
want="gen=$(sha256sum "$BENCH/gen_data.py" | cut -c1-16) scale=$SCALE"
if [[ -f "$STAMP" && "$(head -1 "$STAMP")" == "$want" && -d "$DATA" ]]; then
  [[ "$(sed -n 2p "$STAMP")" != changed ]] || python3 "$BENCH/gen_data.py" reset "$DATA" --scale "$SCALE"
else
  log "generating the data (scale $SCALE) in $DATA"
  rm -rf "$DATA" && python3 "$BENCH/gen_data.py" generate "$DATA" --scale "$SCALE"
fi
printf '%s\npristine\n' "$want" >"$STAMP"
find "$DATA" -type f -print0 | xargs -0 cat >/dev/null # into the page cache, for every tool alike
BYTES=$(du -sb "$DATA" | cut -f1)
log "data: $BYTES bytes in $(find "$DATA" -type f | wc -l) files"

log "s3proxy on $ENDPOINT, filesystem store in $TMP/s3"
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$ENDPOINT/" || true)" == 000 ]] || die "$ENDPOINT is in use (BENCH_S3_PORT)"
mkdir -p "$TMP/s3/$BUCKET" # with the filesystem provider a bucket is a folder of the base dir
cat >"$TMP/s3proxy.conf" <<EOF
s3proxy.endpoint=$ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$AWS_ACCESS_KEY_ID
s3proxy.credential=$AWS_SECRET_ACCESS_KEY
jclouds.identity=local
jclouds.credential=local
jclouds.provider=filesystem
jclouds.filesystem.basedir=$TMP/s3
EOF
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx512m -XX:TieredStopAtLevel=1 -jar "$S3PROXY_JAR" --properties "$TMP/s3proxy.conf" >"$LOGS/s3proxy.log" 2>&1 &
S3_PID=$!
for _ in $(seq 600); do
  kill -0 "$S3_PID" 2>/dev/null || { S3_PID=""; tail "$LOGS/s3proxy.log" >&2; die "s3proxy exited"; }
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "$ENDPOINT/" || true)" != 000 ]] && break
  sleep 0.1
done

# CPU accounting from /proc, in ticks (1/100 s): processes, and the whole machine (busy time)
ticks() { local t=0 p; for p in "$@"; do [[ -n "$p" && -r /proc/$p/stat ]] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
busy() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
ROWS=()
# step LABEL OWN_S_JQ CMD...: waits for a quiet machine, runs CMD (output in $LOGS/LABEL.out) and adds a row.
# OWN_S_JQ is a jq filter for the tool's own duration in seconds, over the command's JSON lines.
step() {
  local label=$1 ownq=$2 f="$LOGS/${1// /-}" t0 t1 s0 b0 u0 rc=0; shift 2
  python3 "$BENCH/cpu.py" quiet "${BENCH_QUIET_PCT:-25}" "${BENCH_QUIET_TIMEOUT:-120}" "$UP_PID" "$BROKER_PID" "$S3_PID" >"$f.quiet.json" || true
  log "$label"
  s0=$(ticks "$S3_PID") u0=$(ticks "$UP_PID" "$BROKER_PID") b0=$(busy) t0=$EPOCHREALTIME
  /usr/bin/time -f '%U %S' -o "$f.time" "$@" >"$f.out" 2>"$f.err" || rc=$?
  t1=$EPOCHREALTIME
  local s=$(($(ticks "$S3_PID") - s0)) u=$(($(ticks "$UP_PID" "$BROKER_PID") - u0)) b=$(($(busy) - b0))
  ((rc == 0)) || { tail -20 "$f.out" "$f.err" >&2; die "$label exited $rc"; }
  local own=""; [[ -z "$ownq" ]] || own=$(jq -rs "$ownq" "$f.out")
  ROWS+=("$(awk -v l="$label" -v t0="$t0" -v t1="$t1" -v own="$own" -v n="$BYTES" -v s="$s" -v u="$u" -v b="$b" \
    -v c="$(tail -1 "$f.time")" 'BEGIN { split(c, x, " "); tool = x[1] + x[2] + u / 100; w = t1 - t0
      printf "| %s | %.1f | %.1f | %s | %s | %.1f | %.1f | %.1f |", l, w, n / 1e6 / w,
        own == "" ? "" : sprintf("%.1f", own), own == "" ? "" : sprintf("%.1f", n / 1e6 / own),
        tool, s / 100, b / 100 - tool - s / 100 }')")
  echo "${ROWS[-1]}" >&2
}
check() { # check LABEL DIR: the restore must equal the source
  if diff -r -q "$DATA" "$2" >"$LOGS/$1.diff" 2>&1; then NOTES+=("$1: restore identical to the source (diff -r)")
  else NOTES+=("$1: restore DIFFERS from the source, see $LOGS/$1.diff"); fi
  rm -rf "$2"
}
stored() { NOTES+=("$1: $(find "$2" -type f | wc -l) objects, $(du -sb "$2" | awk '{printf "%.1f MB", $1 / 1e6}') in the store"); }
NOTES=()

if [[ "${BENCH_RESTIC:-1}" == 1 ]] && command -v restic >/dev/null; then
  export RESTIC_CACHE_DIR="$TMP/restic-cache"
  restic init --repository-version 2 >"$LOGS/restic-init.out" 2>&1 || { cat "$LOGS/restic-init.out" >&2; die "restic init"; }
  restic version >"$LOGS/restic-version.out"
  step "restic S3 first backup" '.[] | select(.message_type == "summary") | .total_duration' restic backup --json "$DATA"
  step "restic S3 unchanged backup" '.[] | select(.message_type == "summary") | .total_duration' restic backup --json "$DATA"
  stored "restic S3" "$TMP/s3/$BUCKET/restic"
  step "restic S3 restore" '' restic restore latest --target "$TMP/restic-restore"
  check "restic S3" "$TMP/restic-restore$DATA"
elif [[ "${BENCH_RESTIC:-1}" == 1 ]]; then
  log "restic is not installed: skipping it (apt-get install restic)"
fi

# lifeboat_case NAME REPOSITORY STORE_DIR: up, first and unchanged backup, stop up, restore (Kafka not needed)
lifeboat_case() {
  export LIFEBOAT_HOME="$TMP/$1-home" LIFEBOAT_REPOSITORY="$2"
  log "Lifeboat $1: up, repository $2"
  "$LB" up >"$LOGS/lifeboat-$1-up.log" 2>&1 &
  UP_PID=$!
  for _ in $(seq 240); do
    kill -0 "$UP_PID" 2>/dev/null || { UP_PID=""; tail -30 "$LOGS/lifeboat-$1-up.log" >&2; die "lifeboat up exited"; }
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$LIFEBOAT_API_PORT/api/backups" || true)" == 200 ]] && break
    sleep 0.5
  done
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$LIFEBOAT_API_PORT/api/backups" || true)" == 200 ]] || die "lifeboat up not ready in 120 s"
  BROKER_PID=$(pgrep -P "$UP_PID" -f kafka.Kafka | head -1 || true)
  step "Lifeboat $1 first backup" '.[0].durationMs / 1000' "$LB" backup "files:$DATA" --name bench --wait --json
  step "Lifeboat $1 unchanged backup" '.[0].durationMs / 1000' "$LB" backup "files:$DATA" --name bench --wait --json
  stop_up
  stored "Lifeboat $1" "$3"
  step "Lifeboat $1 restore" '' "$LB" restore latest --to "$TMP/$1-restore"
  NOTES+=("Lifeboat $1 restore printed: $(grep 'restore of' "$LOGS/Lifeboat-$1-restore.out" | tail -1)")
  check "Lifeboat $1" "$TMP/$1-restore"
}
lifeboat_case S3 "s3://$BUCKET/lifeboat?endpoint=$ENDPOINT&region=us-east-1" "$TMP/s3/$BUCKET/lifeboat"
[[ "${BENCH_LOCAL:-0}" != 1 ]] || lifeboat_case local "$TMP/local-repo" "$TMP/local-repo"

echo
echo "Data: $BYTES bytes (du -sb), scale $SCALE; MB/s = data size / time, MB = 10^6 bytes. $(nproc) cores."
echo
echo "| step | wall s | MB/s (wall) | own s | MB/s (own) | CPU s tool | CPU s s3proxy | other CPU s |"
echo "|---|--:|--:|--:|--:|--:|--:|--:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "own s: Lifeboat's durationMs (request -> verified and committed), restic's total_duration. CPU s tool: user+sys"
echo "of the command, plus lifeboat up and its broker during backups. other CPU s: the rest of the machine meanwhile."
printf -- '- %s\n' "${NOTES[@]}"
