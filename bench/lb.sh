#!/usr/bin/env bash
# Runs the lifeboat command for bench/run.sh. With BENCH_LB_DIST set (a frozen copy of
# cli/target/lifeboat-cli.jar and cli/target/lib/ made by run.sh), it runs that copy exactly as
# ./lifeboat would run the build, so a rebuild triggered by someone editing sources during the
# benchmark can neither pause a timed command nor swap jars under the running `up`.
# Without it, it is just ./lifeboat.
set -euo pipefail
if [[ -z "${BENCH_LB_DIST:-}" ]]; then
  exec "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lifeboat" "$@"
fi
case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in
  *UTF-8*|*utf8*|*UTF8*|*utf-8*) ;;
  *) export LC_ALL=C.UTF-8 ;;
esac
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$JAVA" ${LIFEBOAT_JAVA_OPTS:--Xmx1g} -cp "$BENCH_LB_DIST/lifeboat-cli.jar:$BENCH_LB_DIST/lib/*" io.lifeboat.cli.Lifeboat "$@"
