#!/usr/bin/env bash
# Soak run (bounded; 30 minutes by default): `lifeboat up` backs up, verifies and restores
# continuously while random faults are injected (broker killed, up killed, SIGTERM, bit rot,
# damaged manifests). Prints and writes the counts; exits 1 if anything was lost.
#
#   bench/soak.sh                       # 30 minutes
#   SOAK_MINUTES=5 bench/soak.sh        # shorter
#
# Knobs: SOAK_MINUTES [30], SOAK_SEED [1], SOAK_FAULT_RATE (share of rounds with a fault) [0.4],
#        SOAK_FAULTS (comma-separated subset of kill-broker,kill-up,sigterm-up,rot-chunk,damage-manifest),
#        SOAK_DIR (work dir) [bench/work/soak], SOAK_KAFKA_PORT [19192], SOAK_API_PORT [18180].
# Report: $SOAK_DIR/soak-report.json and soak.log; docs/soak.md holds the last reported run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SOAK_MINUTES="${SOAK_MINUTES:-30}"
export SOAK_DIR="${SOAK_DIR:-$ROOT/bench/work/soak}"
export SOAK_KAFKA_PORT="${SOAK_KAFKA_PORT:-19192}"
export SOAK_API_PORT="${SOAK_API_PORT:-18180}"
mkdir -p "$SOAK_DIR"
"$ROOT/lifeboat" --version >/dev/null   # builds on first use, before the clock starts
# a frozen copy (see bench/lb.sh): someone editing sources during the soak must not trigger a
# rebuild under it, nor swap the jars of the running `up`
DIST="$SOAK_DIR/lifeboat-dist"
rm -rf "$DIST" && mkdir -p "$DIST/cli/target"
cp "$ROOT/lifeboat" "$DIST/"
cp "$ROOT/cli/target/lifeboat-cli.jar" "$DIST/cli/target/" && cp -r "$ROOT/cli/target/lib" "$DIST/cli/target/lib"
cp "$ROOT/cli/target/lifeboat-client.jsa" "$DIST/cli/target/" 2>/dev/null || true
export SOAK_LIFEBOAT="$DIST/lifeboat"
# bounded even if something hangs: the run's length plus 15 minutes for the final checks
exec timeout --kill-after=30 "$(( ${SOAK_MINUTES%.*} * 60 + 900 ))" python3 "$ROOT/bench/soak.py"
