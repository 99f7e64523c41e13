#!/usr/bin/env bash
# Installs what the dashboard's browser tests need where it is missing: Debian's Chromium and its
# WebDriver. Harmless where they are present. Run by ./run-tests (not by ./lifeboat: using
# Lifeboat needs no browser).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
sudo=""
if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "run-tests: please install chromium and chromium-driver (no apt-get here)" >&2
  exit 1
fi
echo "run-tests: installing chromium chromium-driver ..." >&2
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >&2
