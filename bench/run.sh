#!/usr/bin/env bash
# Lifeboat vs restic on ~1 GB of mixed, deterministic data, on this machine, one tool after the other.
#
#   bench/run.sh                 # everything; prints a Markdown table and writes docs/benchmarks.md
#
# Environment knobs (defaults in brackets):
#   BENCH_DIR          work dir: data, Lifeboat home, restic repo, restores, results [bench/work]
#   BENCH_SCALE        data size factor, 1.0 = ~1 GB [1.0]
#   BENCH_KAFKA_PORT   embedded broker port (controller uses the next one) [19092]
#   BENCH_API_PORT     catalog API port [18080]
#   BENCH_SNAPSHOT     1 = run a frozen copy of the lifeboat build (see bench/lb.sh); 0 = ./lifeboat [1]
#   BENCH_DOC          where to write the report; empty = do not write [docs/benchmarks.md]
#   BENCH_RESULTS      where raw results go [$BENCH_DIR/results]
#   BENCH_QUIET_PCT, BENCH_QUIET_TIMEOUT  before each timed step wait up to TIMEOUT s for the
#                      machine to be at most PCT % busy (shared machine) [25, 120]
#   LIFEBOAT_JAVA_OPTS JVM options for every lifeboat process [unset: ./lifeboat's defaults]
#
# Order, so that both tools see identical data states and read from the page cache alike:
#   generate (or reuse) data, read it once into the page cache;
#   restic: init, first backup, no-change backup;  Lifeboat: up, first backup, no-change backup;
#   change ~1 % of the data;  Lifeboat: backup, stop up;  restic: backup;
# restic never runs while `lifeboat up` is running (an idle `up` is not always idle).
#   Lifeboat restore + compare;  restic restore + compare;  report.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
BENCH_DIR="$(mkdir -p "${BENCH_DIR:-$BENCH/work}" && cd "${BENCH_DIR:-$BENCH/work}" && pwd)"
SCALE="${BENCH_SCALE:-1.0}"
KAFKA_PORT="${BENCH_KAFKA_PORT:-19092}"
API_PORT="${BENCH_API_PORT:-18080}"
DOC="${BENCH_DOC-$ROOT/docs/benchmarks.md}"

DATA="$BENCH_DIR/data"
RES="${BENCH_RESULTS:-$BENCH_DIR/results}"
LB_HOME="$BENCH_DIR/lifeboat-home"
RESTIC_REPO="$BENCH_DIR/restic-repo"
LB_RESTORE="$BENCH_DIR/restore-lifeboat"
RESTIC_RESTORE="$BENCH_DIR/restore-restic"

export LIFEBOAT_HOME="$LB_HOME" LIFEBOAT_KAFKA_PORT="$KAFKA_PORT" LIFEBOAT_API_PORT="$API_PORT"
unset LIFEBOAT_BOOTSTRAP LIFEBOAT_API LIFEBOAT_REPOSITORY LIFEBOAT_KEY_FILE LIFEBOAT_MASTER_KEY
export RESTIC_PASSWORD="lifeboat-bench" RESTIC_REPOSITORY="$RESTIC_REPO" RESTIC_CACHE_DIR="$BENCH_DIR/restic-cache"
LB="$BENCH/lb.sh"
TIME=/usr/bin/time

UP_PID=""
WATCH_PID=""
log() { printf '\n[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 2))" "$1" "$2"; }
sizeof() { du -sb "$1" | cut -f1; }

stop_up() {
  [[ -n "$UP_PID" ]] || return 0
  local t0 i
  t0=$(now)
  kill -TERM "$UP_PID" 2>/dev/null || true
  for i in $(seq 600); do kill -0 "$UP_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$UP_PID" 2>/dev/null; then
    log "lifeboat up (pid $UP_PID) did not stop within 60 s of SIGTERM; killing it and its broker"
    [[ -n "${BROKER_PID:-}" ]] && kill -KILL "$BROKER_PID" 2>/dev/null || true
    kill -KILL "$UP_PID" 2>/dev/null || true
  fi
  wait "$UP_PID" 2>/dev/null || true
  UP_STOP_S=$(elapsed "$t0" "$(now)")
  UP_PID=""
}
cleanup() {
  [[ -n "$WATCH_PID" ]] && kill -TERM "$WATCH_PID" 2>/dev/null || true
  stop_up
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
log "prerequisites"
need_apt=()
command -v restic >/dev/null || need_apt+=(restic)
command -v jq >/dev/null || need_apt+=(jq)
[[ -x $TIME ]] || need_apt+=(time)
command -v curl >/dev/null || need_apt+=(curl)
if ((${#need_apt[@]})); then
  log "installing ${need_apt[*]}"
  apt-get install -y "${need_apt[@]}" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "${need_apt[@]}" >/dev/null; }
fi
command -v python3 >/dev/null || die "python3 is required"

mkdir -p "$RES"
rm -f "$RES"/*.json "$RES"/*.csv "$RES"/*.log "$RES"/*.jsonl "$RES"/*.txt

log "lifeboat build (./lifeboat builds itself when sources changed)"
"$ROOT/lifeboat" --help >/dev/null
if [[ "${BENCH_SNAPSHOT:-1}" == 1 ]]; then
  DIST="$BENCH_DIR/lifeboat-dist"
  rm -rf "$DIST" && mkdir -p "$DIST/cli/target"
  cp "$ROOT/lifeboat" "$DIST/"
  cp "$ROOT/cli/target/lifeboat-cli.jar" "$DIST/cli/target/" && cp -r "$ROOT/cli/target/lib" "$DIST/cli/target/lib"
  # the client class-data archive `./lifeboat --help` made after the build (copied last: newer than the jar)
  cp "$ROOT/cli/target/lifeboat-client.jsa" "$DIST/cli/target/" 2>/dev/null || true
  export BENCH_LB_DIST="$DIST"
fi

# Machine and version facts
ROOT="$ROOT" BENCH_DIR="$BENCH_DIR" SCALE="$SCALE" KAFKA_PORT="$KAFKA_PORT" API_PORT="$API_PORT" \
  python3 - "$RES/facts.json" <<'EOF'
import json, os, subprocess, sys, time
E = os.environ
def sh(c):
    return subprocess.run(c, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout.strip()
java = (E["JAVA_HOME"] + "/bin/java") if E.get("JAVA_HOME") else "java"
porcelain = subprocess.run(["git", "-C", E["ROOT"], "status", "--porcelain", "--untracked-files=no"],
                           stdout=subprocess.PIPE, text=True).stdout
dirty = [l for l in porcelain.splitlines() if l.strip() and not l[3:].startswith(("bench/", "docs/benchmarks.md"))]
facts = {
  "date": time.strftime("%Y-%m-%d %H:%M %Z"),
  "nproc": sh("nproc"),
  "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"),
  "mem_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9, 1),
  "os": sh(". /etc/os-release && echo $PRETTY_NAME"),
  "kernel": sh("uname -r"),
  "java": " / ".join(sh(java + " -version").splitlines()[:2]),
  "restic": sh("restic version"),
  "fs": sh("df -T '%s' | awk 'NR==2{print $2}'" % E["BENCH_DIR"]),
  "git": sh("cd '%s' && git rev-parse --short HEAD" % E["ROOT"]) + (" + uncommitted changes to " + ", ".join(l[3:] for l in dirty[:5]) if dirty else ""),
  "jar_built": time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(E["ROOT"] + "/cli/target/lifeboat-cli.jar"))),
  "loadavg_at_start": " ".join(open("/proc/loadavg").read().split()[:3]),
  "lifeboat_java_opts": E.get("LIFEBOAT_JAVA_OPTS") or "unset (the defaults of ./lifeboat)",
  "snapshot": bool(E.get("BENCH_LB_DIST")),
  "scale": E["SCALE"], "kafka_port": E["KAFKA_PORT"], "api_port": E["API_PORT"], "bench_dir": E["BENCH_DIR"],
}
json.dump(facts, open(sys.argv[1], "w"), indent=1)
EOF

# ---------------------------------------------------------------------------------------------
log "data ($DATA, scale $SCALE)"
STAMP="$BENCH_DIR/data.stamp"
want="gen=$(sha256sum "$BENCH/gen_data.py" | cut -c1-16) scale=$SCALE"
t0=$(now)
if [[ -f "$STAMP" && "$(head -1 "$STAMP")" == "$want" && -d "$DATA" ]]; then
  if [[ "$(sed -n 2p "$STAMP")" == "changed" ]]; then
    python3 "$BENCH/gen_data.py" reset "$DATA" --scale "$SCALE"
    printf '%s\npristine\n' "$want" >"$STAMP"
  else
    echo "reusing $DATA"
  fi
  GEN="reused"
else
  rm -rf "$DATA" "$STAMP"
  python3 "$BENCH/gen_data.py" generate "$DATA" --scale "$SCALE"
  printf '%s\npristine\n' "$want" >"$STAMP"
  GEN="generated"
fi
GEN_S=$(elapsed "$t0" "$(now)")
# Page cache: dropping it needs privileges we may not have, so do the opposite: read everything
# once so that every tool reads from memory alike (the data is far smaller than RAM).
find "$DATA" -type f -print0 | xargs -0 cat >/dev/null
DATA_BYTES=$(sizeof "$DATA")
DATA_FILES=$(find "$DATA" -type f | wc -l)
echo "data: $DATA_BYTES bytes (du -sb), $DATA_FILES files; $GEN in $GEN_S s"
echo "{\"bytes\": $DATA_BYTES, \"files\": $DATA_FILES, \"how\": \"$GEN\", \"seconds\": $GEN_S}" >"$RES/data0.json"

# Before each timed step: wait (up to BENCH_QUIET_TIMEOUT s) until the machine is quieter than
# BENCH_QUIET_PCT % busy (not counting our own lifeboat up and broker), since other people's
# builds on this shared machine distort the figures.
quiet() {
  local q; q=$(python3 "$BENCH/cpu.py" quiet "${BENCH_QUIET_PCT:-25}" "${BENCH_QUIET_TIMEOUT:-120}" "$UP_PID" "${BROKER_PID:-}")
  echo "$q" >"$RES/$1.quiet.json"
  [[ "$(jq .quiet <<<"$q")" == true ]] || log "WARNING: machine still busy before $1: $q"
}

# ---------------------------------------------------------------------------------------------
procs() { echo "lifeboat=$UP_PID" "broker=${BROKER_PID:-}"; }

# lifeboat_backup STEP: one timed `lifeboat backup --wait --json`, with CPU of up and its broker
lifeboat_backup() {
  local step=$1 rc=0
  log "Lifeboat: backup ($step)"
  quiet "lb-$step"
  local l0; l0=$(wc -l <"$RES/lifeboat-up.log")
  python3 "$BENCH/cpu.py" snap $(procs) >"$RES/lb-$step.cpu0.json"
  python3 "$BENCH/cpu.py" watch "$RES/lb-$step.timeline.csv" $(procs) & WATCH_PID=$!
  local t0; t0=$(now)
  $TIME -f '{"wall_s": %e, "user_s": %U, "sys_s": %S, "maxrss_kb": %M}' -o "$RES/lb-$step.time.json" \
    "$LB" backup "files:$DATA" --name bench --wait --json >"$RES/lb-$step.out.json" 2>"$RES/lb-$step.err.txt" || rc=$?
  local t1; t1=$(now)
  kill -TERM "$WATCH_PID"; wait "$WATCH_PID" || true; WATCH_PID=""
  python3 "$BENCH/cpu.py" snap $(procs) >"$RES/lb-$step.cpu1.json"
  python3 "$BENCH/cpu.py" diff "$RES/lb-$step.cpu0.json" "$RES/lb-$step.cpu1.json" >"$RES/lb-$step.cpu.json"
  cat "$RES/lb-$step.out.json" "$RES/lb-$step.err.txt" >&2
  tail -n +"$((l0 + 1))" "$RES/lifeboat-up.log" >"$RES/lb-$step.uplog.txt"
  local errors ooms
  errors=$(grep -c ' ERROR ' "$RES/lb-$step.uplog.txt" || true)
  ooms=$(grep -c 'OutOfMemoryError' "$RES/lb-$step.uplog.txt" || true)
  ((errors == 0)) || log "WARNING: lifeboat up logged $errors ERROR lines ($ooms mention OutOfMemoryError) during backup ($step); see $RES/lb-$step.uplog.txt"
  jq -n --arg step "$step" --argjson rc $rc --arg wall "$(elapsed "$t0" "$t1")" \
    --argjson repo "$(sizeof "$LB_HOME/repository")" --argjson kafka "$(du -s -B1 "$LB_HOME/kafka" | cut -f1)" \
    --argjson data "$(sizeof "$DATA")" --argjson errors "$errors" --argjson ooms "$ooms" \
    --slurpfile time "$RES/lb-$step.time.json" --slurpfile cpu "$RES/lb-$step.cpu.json" \
    --slurpfile out <(jq -c . "$RES/lb-$step.out.json" 2>/dev/null || echo '{}') \
    '{tool: "lifeboat", step: $step, rc: $rc, wall_s: ($wall|tonumber), data_bytes: $data, repo_bytes: $repo,
      kafka_bytes: $kafka, log_errors: $errors, log_ooms: $ooms, cli: $time[0], cpu: $cpu[0],
      result: ($out[0] // {})}' >"$RES/lb-$step.json"
  [[ $rc == 0 ]] || log "WARNING: lifeboat backup ($step) exited $rc"
}

# restic_backup STEP
restic_backup() {
  local step=$1 rc=0 before
  log "restic: backup ($step)"
  quiet "restic-$step"
  before=$(restic stats --json --mode raw-data 2>/dev/null | jq .total_size)
  python3 "$BENCH/cpu.py" snap $(procs) >"$RES/restic-$step.bg0.json"
  local t0; t0=$(now)
  $TIME -f '{"wall_s": %e, "user_s": %U, "sys_s": %S, "maxrss_kb": %M}' -o "$RES/restic-$step.time.json" \
    restic backup --json "$DATA" >"$RES/restic-$step.jsonl" 2>"$RES/restic-$step.err.txt" || rc=$?
  local t1; t1=$(now)
  python3 "$BENCH/cpu.py" snap $(procs) >"$RES/restic-$step.bg1.json"
  python3 "$BENCH/cpu.py" diff "$RES/restic-$step.bg0.json" "$RES/restic-$step.bg1.json" >"$RES/restic-$step.bg.json"
  grep '"message_type":"summary"' "$RES/restic-$step.jsonl" | tail -1 >"$RES/restic-$step.summary.json" || echo '{}' >"$RES/restic-$step.summary.json"
  cat "$RES/restic-$step.summary.json" "$RES/restic-$step.err.txt" >&2
  local after; after=$(restic stats --json --mode raw-data 2>/dev/null | jq .total_size)
  jq -n --arg step "$step" --argjson rc $rc --arg wall "$(elapsed "$t0" "$t1")" \
    --argjson repo "$(sizeof "$RESTIC_REPO")" --argjson data "$(sizeof "$DATA")" \
    --argjson raw0 "${before:-0}" --argjson raw1 "${after:-0}" \
    --slurpfile time "$RES/restic-$step.time.json" --slurpfile s "$RES/restic-$step.summary.json" \
    --slurpfile bg "$RES/restic-$step.bg.json" \
    '{tool: "restic", step: $step, rc: $rc, wall_s: ($wall|tonumber), data_bytes: $data, repo_bytes: $repo,
      raw_before: $raw0, raw_after: $raw1, cli: $time[0], summary: $s[0], background: $bg[0]}' >"$RES/restic-$step.json"
  [[ $rc == 0 ]] || log "WARNING: restic backup ($step) exited $rc"
}

# compare SRC DST TOOL: content (diff -r) and metadata (type, mode, size, mtime to the second)
compare() {
  local src=$1 dst=$2 tool=$3 content=pass meta
  diff -r -q "$src" "$dst" >"$RES/$tool-restore.diff.txt" 2>&1 || content=fail
  meta=$(diff <(cd "$src" && find . -printf '%p %y %m %s %TY%Tm%Td%TH%TM%TS\n' | sed 's/\.[0-9]*$//' | sort) \
              <(cd "$dst" && find . -printf '%p %y %m %s %TY%Tm%Td%TH%TM%TS\n' | sed 's/\.[0-9]*$//' | sort) | grep -c '^>' || true)
  echo "{\"content\": \"$content\", \"diff_lines\": $(wc -l <"$RES/$tool-restore.diff.txt"), \"metadata_mismatches\": $meta}"
}

# ---------------------------------------------------------------------------------------------
log "restic: init (repository version 2, compression auto)"
rm -rf "$RESTIC_REPO" "$RESTIC_CACHE_DIR"
restic init --repository-version 2 >/dev/null
restic_backup first
restic_backup nochange

log "Lifeboat: up (home $LB_HOME, Kafka 127.0.0.1:$KAFKA_PORT, API 127.0.0.1:$API_PORT)"
rm -rf "$LB_HOME"
t0=$(now)
"$LB" up >"$RES/lifeboat-up.log" 2>&1 &
UP_PID=$!
ready=""
for _ in $(seq 240); do
  kill -0 "$UP_PID" 2>/dev/null || { tail -30 "$RES/lifeboat-up.log" >&2; UP_PID=""; die "lifeboat up exited during start"; }
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/api/backups" || true)" == 200 ]]; then ready=1; break; fi
  sleep 0.5
done
[[ -n "$ready" ]] || { tail -30 "$RES/lifeboat-up.log" >&2; die "lifeboat up not ready within 120 s"; }
UP_START_S=$(elapsed "$t0" "$(now)")
BROKER_PID=$(pgrep -P "$UP_PID" -f kafka.Kafka | head -1 || true)
echo "ready in $UP_START_S s (lifeboat pid $UP_PID, broker pid ${BROKER_PID:-?})"
jvmopts() { [[ -r /proc/$1/cmdline ]] && tr '\0' ' ' </proc/"$1"/cmdline | sed 's/ -cp .*//; s/^[^ ]* //' || true; }
jq -n --arg up "$(jvmopts "$UP_PID")" --arg broker "$(jvmopts "${BROKER_PID:-0}")" '{up: $up, broker: $broker}' >"$RES/jvm-opts.json"

if [[ "${BENCH_WARMUP:-0}" == 1 ]]; then
  # A long-running service has compiled its hot paths long before a backup: back up ~300 MB of
  # other content first (untimed), so "first backup" measures a warm `up`.
  WARM="$BENCH_DIR/warmup-data"
  [[ -d "$WARM" ]] || GEN_SEED_OFFSET=100000 python3 "$BENCH/gen_data.py" generate "$WARM" --scale 0.3 >/dev/null
  log "Lifeboat: warm-up backup of $(sizeof "$WARM") bytes of other content (BENCH_WARMUP=1, untimed)"
  "$LB" backup "files:$WARM" --name warmup --wait --json >"$RES/lb-warmup.out.json" 2>&1 || log "WARNING: warm-up backup failed"
fi
lifeboat_backup first
lifeboat_backup nochange

log "Lifeboat: idle up, 20 s (after two backups)"
python3 "$BENCH/cpu.py" snap $(procs) >"$RES/lb-idle.cpu0.json"
sleep 20
python3 "$BENCH/cpu.py" snap $(procs) >"$RES/lb-idle.cpu1.json"
python3 "$BENCH/cpu.py" diff "$RES/lb-idle.cpu0.json" "$RES/lb-idle.cpu1.json" >"$RES/lb-idle.cpu.json"
jq -c '.procs | map_values(.cpu_s)' "$RES/lb-idle.cpu.json"

log "changing ~1 % of the data"
printf '%s\nchanged\n' "$want" >"$STAMP"
python3 "$BENCH/gen_data.py" change "$DATA" | tee "$RES/change.txt"
find "$DATA" -type f -print0 | xargs -0 cat >/dev/null

lifeboat_backup change
python3 "$BENCH/cpu.py" snap $(procs) >"$RES/lb-end.cpu.json"
log "Lifeboat: stop up (SIGTERM)"
stop_up
echo "stopped in $UP_STOP_S s"
restic_backup change

# ---------------------------------------------------------------------------------------------
log "Lifeboat: restore latest"
rm -rf "$LB_RESTORE"; rc=0
quiet lb-restore
python3 "$BENCH/cpu.py" snap >"$RES/lb-restore.sys0.json"
t0=$(now)
$TIME -f '{"wall_s": %e, "user_s": %U, "sys_s": %S, "maxrss_kb": %M}' -o "$RES/lb-restore.time.json" \
  "$LB" restore latest --to "$LB_RESTORE" >"$RES/lb-restore.out.txt" 2>&1 || rc=$?
t1=$(now)
python3 "$BENCH/cpu.py" snap >"$RES/lb-restore.sys1.json"
python3 "$BENCH/cpu.py" diff "$RES/lb-restore.sys0.json" "$RES/lb-restore.sys1.json" >"$RES/lb-restore.sys.json"
cat "$RES/lb-restore.out.txt" >&2
log "Lifeboat: compare restore with source"
cmp_lb=$(compare "$DATA" "$LB_RESTORE" lifeboat)
echo "$cmp_lb"
jq -n --argjson rc $rc --arg wall "$(elapsed "$t0" "$t1")" --argjson data "$(sizeof "$DATA")" \
  --argjson restored "$(sizeof "$LB_RESTORE" 2>/dev/null || echo 0)" --arg printed "$(tail -1 "$RES/lb-restore.out.txt")" \
  --slurpfile time "$RES/lb-restore.time.json" --argjson cmp "$cmp_lb" --slurpfile sys "$RES/lb-restore.sys.json" \
  '{tool: "lifeboat", step: "restore", rc: $rc, wall_s: ($wall|tonumber), data_bytes: $data, restored_bytes: $restored,
    printed: $printed, cli: $time[0], compare: $cmp, background: $sys[0]}' >"$RES/lb-restore.json"

log "restic: restore latest"
rm -rf "$RESTIC_RESTORE"; rc=0
quiet restic-restore
python3 "$BENCH/cpu.py" snap >"$RES/restic-restore.sys0.json"
t0=$(now)
$TIME -f '{"wall_s": %e, "user_s": %U, "sys_s": %S, "maxrss_kb": %M}' -o "$RES/restic-restore.time.json" \
  restic restore latest --target "$RESTIC_RESTORE" >"$RES/restic-restore.out.txt" 2>&1 || rc=$?
t1=$(now)
python3 "$BENCH/cpu.py" snap >"$RES/restic-restore.sys1.json"
python3 "$BENCH/cpu.py" diff "$RES/restic-restore.sys0.json" "$RES/restic-restore.sys1.json" >"$RES/restic-restore.sys.json"
cat "$RES/restic-restore.out.txt" >&2
log "restic: compare restore with source"
cmp_r=$(compare "$DATA" "$RESTIC_RESTORE$DATA" restic)
echo "$cmp_r"
jq -n --argjson rc $rc --arg wall "$(elapsed "$t0" "$t1")" --argjson data "$(sizeof "$DATA")" \
  --argjson restored "$(sizeof "$RESTIC_RESTORE$DATA" 2>/dev/null || echo 0)" --arg printed "$(tail -1 "$RES/restic-restore.out.txt")" \
  --slurpfile time "$RES/restic-restore.time.json" --argjson cmp "$cmp_r" --slurpfile sys "$RES/restic-restore.sys.json" \
  '{tool: "restic", step: "restore", rc: $rc, wall_s: ($wall|tonumber), data_bytes: $data, restored_bytes: $restored,
    printed: $printed, cli: $time[0], compare: $cmp, background: $sys[0]}' >"$RES/restic-restore.json"

echo "{\"start_s\": $UP_START_S, \"stop_s\": $UP_STOP_S}" >"$RES/lifeboat-updown.json"

# ---------------------------------------------------------------------------------------------
log "report"
python3 "$BENCH/report.py" "$RES" "$DOC"
