#!/usr/bin/env bash
# Database benchmark: a pgbench database (~500 MB) backed up through the Lifeboat pipeline, against
# pg_dump -Fc alone and pg_dump -Fc | restic backup --stdin, on the same database, one after the other.
# Writes docs/benchmarks-db.md (BENCH_DB_DOC= to only print). Knobs: PGBENCH_SCALE (35 ≈ 520 MB),
# BENCH_DIR, BENCH_KAFKA_PORT (19092), BENCH_API_PORT (18080), BENCH_WARMUP=1 (back up the database
# once, untimed, so the timed backup runs on a warm service; its chunks are then already stored, so
# a warm run measures an unchanged database — see the report).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-$ROOT/bench/work}"
SCALE="${PGBENCH_SCALE:-35}"
DB="lbbench_pgbench"
PG_HOST=127.0.0.1
PG_PORT=5432
KAFKA_PORT="${BENCH_KAFKA_PORT:-19092}"
API_PORT="${BENCH_API_PORT:-18080}"
DOC="${BENCH_DB_DOC-$ROOT/docs/benchmarks-db.md}"
mkdir -p "$BENCH_DIR"
command -v restic >/dev/null || apt-get install -y -qq restic >/dev/null
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }
mbps() { python3 -c "print(f'{$1 / 1e6 / max($2, 0.001):.1f}')"; }
psqlc() { psql -h $PG_HOST -p $PG_PORT -U postgres -At "$@"; }

# 1. the database (kept between runs when the scale matches)
if [[ "$(psqlc -c "SELECT count(*) FROM pg_database WHERE datname='$DB'")" != 1 ]] \
   || [[ "$(psqlc -d $DB -c "SELECT count(*) FROM pgbench_branches" 2>/dev/null || echo 0)" != "$SCALE" ]]; then
  echo "creating pgbench database, scale $SCALE ..."
  psqlc -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
  psqlc -c "CREATE DATABASE $DB" >/dev/null
  pgbench -h $PG_HOST -p $PG_PORT -U postgres -i -q -s "$SCALE" "$DB" >/dev/null 2>&1
fi
DB_BYTES=$(psqlc -c "SELECT pg_database_size('$DB')")
echo "database $DB: $DB_BYTES bytes on disk"

# 2. pg_dump alone (custom format, its default compression), to a file on the same disk
DUMP="$BENCH_DIR/pgbench.dump"
t0=$(now); pg_dump -h $PG_HOST -p $PG_PORT -U postgres -Fc -f "$DUMP" "$DB"; t1=$(now)
PGDUMP_S=$(secs $t0 $t1); PGDUMP_BYTES=$(stat -c %s "$DUMP")
t0=$(now); pg_dump -h $PG_HOST -p $PG_PORT -U postgres -Fc -Z0 "$DB" >/dev/null; t1=$(now)
PGDUMP0_S=$(secs $t0 $t1)
rm -f "$DUMP"

# 3. pg_dump | restic backup --stdin (fresh repository v2)
export RESTIC_REPOSITORY="$BENCH_DIR/restic-db" RESTIC_PASSWORD=bench
rm -rf "$RESTIC_REPOSITORY"; restic init --repository-version 2 >/dev/null
t0=$(now); pg_dump -h $PG_HOST -p $PG_PORT -U postgres -Fc "$DB" | restic backup --stdin --stdin-filename pgbench.dump >/dev/null; t1=$(now)
RESTIC_S=$(secs $t0 $t1); RESTIC_REPO_BYTES=$(du -sb "$RESTIC_REPOSITORY" | cut -f1)
t0=$(now); pg_dump -h $PG_HOST -p $PG_PORT -U postgres -Fc "$DB" | restic backup --stdin --stdin-filename pgbench.dump >/dev/null; t1=$(now)
RESTIC2_S=$(secs $t0 $t1)

# 4. Lifeboat
export LIFEBOAT_HOME="$BENCH_DIR/lifeboat-db-home" LIFEBOAT_KAFKA_PORT=$KAFKA_PORT LIFEBOAT_API_PORT=$API_PORT
rm -rf "$LIFEBOAT_HOME"
"$ROOT/lifeboat" --version >/dev/null
"$ROOT/lifeboat" up > "$BENCH_DIR/lifeboat-db-up.log" 2>&1 &
UP=$!
trap 'kill -TERM $UP 2>/dev/null || true; wait $UP 2>/dev/null || true' EXIT
for _ in $(seq 240); do curl -sf "http://127.0.0.1:$API_PORT/api/backups" >/dev/null && break; sleep 0.5; done
SRC="postgres://postgres@$PG_HOST:$PG_PORT/$DB"
lb() { "$ROOT/lifeboat" backup "$SRC" --name pgbench --wait --json; }
t0=$(now); FIRST=$(lb); t1=$(now); LB_WALL=$(secs $t0 $t1)
t0=$(now); SECOND=$(lb); t1=$(now); LB2_WALL=$(secs $t0 $t1)
kill -TERM $UP; wait $UP || true; trap - EXIT
j() { python3 -c "import json,sys; print(json.loads(sys.argv[1])$2)" "$1"; }
LB_MS=$(j "$FIRST" "['durationMs']"); LB_STREAM=$(j "$FIRST" "['sizeBytes']"); LB_STORED=$(j "$FIRST" "['storedBytes']")
LB2_MS=$(j "$SECOND" "['durationMs']"); LB2_NEW=$(j "$SECOND" "['newChunks']"); LB2_STORED=$(j "$SECOND" "['storedBytes']")
LB_S=$(python3 -c "print(f'{$LB_MS/1000:.1f}')"); LB2_S=$(python3 -c "print(f'{$LB2_MS/1000:.1f}')")

REPORT=$(cat <<MD
# Database benchmark: pgbench through Lifeboat, pg_dump, pg_dump | restic

Produced by \`bench/db.sh\` ($(date -u +'%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD)) on $(nproc) cores,
PostgreSQL $(psqlc -c 'SHOW server_version'), $(pg_dump --version), $(restic version | cut -d' ' -f1-2), $(java -version 2>&1 | head -1).
Database \`$DB\`: pgbench scale $SCALE, $DB_BYTES bytes on disk (\`pg_database_size\`). MB/s = database size on disk / time (10^6 bytes).

| what | time s | MB/s | result |
|---|--:|--:|---|
| \`pg_dump -Fc\` to a file (default compression) | $PGDUMP_S | $(mbps $DB_BYTES $PGDUMP_S) | $PGDUMP_BYTES bytes |
| \`pg_dump -Fc -Z0\` to /dev/null (what Lifeboat runs) | $PGDUMP0_S | $(mbps $DB_BYTES $PGDUMP0_S) | |
| \`pg_dump -Fc \\| restic backup --stdin\`, first | $RESTIC_S | $(mbps $DB_BYTES $RESTIC_S) | repository $RESTIC_REPO_BYTES bytes |
| same, second (unchanged database) | $RESTIC2_S | $(mbps $DB_BYTES $RESTIC2_S) | |
| Lifeboat \`backup postgres://...\`, first (durationMs) | $LB_S | $(mbps $DB_BYTES $LB_S) | stream $LB_STREAM bytes, stored $LB_STORED bytes; wall $LB_WALL s |
| Lifeboat, second (unchanged database) | $LB2_S | $(mbps $DB_BYTES $LB2_S) | $LB2_NEW new chunks, $LB2_STORED bytes stored; wall $LB2_WALL s |

Lifeboat's figure includes the row counts taken in the dump's snapshot, pg_dump itself, chunking,
compression and encryption in the pipeline, upload, and verification of every stored chunk before
the backup counts as done. restic's second run re-reads the whole dump (stdin has no metadata to
skip by) and stores nothing new: pg_dump -Fc compresses, so dedup between runs only works when the
compressed output happens to repeat. Lifeboat dumps with -Z0 and compresses after chunking, so an
unchanged database stores one new chunk (pg_dump's header carries the dump time).
MD
)
echo "$REPORT"
if [[ -n "$DOC" ]]; then echo "$REPORT" > "$DOC"; echo "written to $DOC"; fi
