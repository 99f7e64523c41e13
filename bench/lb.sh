#!/usr/bin/env bash
# Runs the lifeboat command for bench/run.sh. With BENCH_LB_DIST set, it runs the frozen copy that
# run.sh made there (the ./lifeboat script itself plus cli/target/lifeboat-cli.jar and
# cli/target/lib/): the same script, JVM options and jars as ./lifeboat, but a rebuild triggered by
# someone editing sources during the benchmark can neither stall a timed command nor swap jars
# under the running `up` (the copy has no sources, so it never rebuilds).
# Without BENCH_LB_DIST it is just ./lifeboat.
set -euo pipefail
if [[ -n "${BENCH_LB_DIST:-}" ]]; then
  exec "$BENCH_LB_DIST/lifeboat" "$@"
fi
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lifeboat" "$@"
