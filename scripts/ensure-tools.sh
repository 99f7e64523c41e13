#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build and run Lifeboat: a JDK (17+) and Maven.
# Harmless where they are present. Sourced or run by ./lifeboat and ./run-tests.
set -euo pipefail

apt_install() {
  local sudo=""
  if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "lifeboat: please install: $* (no apt-get here)" >&2
    return 1
  fi
  echo "lifeboat: installing $* ..." >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}

missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
if (( ${#missing[@]} )); then apt_install "${missing[@]}"; fi
