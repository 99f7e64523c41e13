#!/usr/bin/env bash
# Installs and starts the servers the provider tests use: PostgreSQL (127.0.0.1:5432, user postgres),
# MariaDB (127.0.0.1:3306, root without password) and Redis (127.0.0.1:6379).
# Harmless where they already run: nothing is installed, restarted or reconfigured then.
set -uo pipefail

sudo=""
if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi

install_missing() {
  local missing=()
  command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
  [[ -x /usr/sbin/mariadbd ]] || missing+=(mariadb-server)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  if (( ${#missing[@]} )); then
    echo "services: installing ${missing[*]} ..." >&2
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
  fi
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  echo "services: nothing answers on port $1 ($2)" >&2
  return 1
}

start_postgres() {
  port_open 5432 && return 0
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
  [[ -n "$version" ]] || { echo "services: PostgreSQL is not installed" >&2; return 1; }
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  # Tests connect over TCP as postgres without a password, as on the CI machines.
  if ! grep -q "lifeboat-tests" "$hba" 2>/dev/null; then
    $sudo sed -i '1i host all all 127.0.0.1/32 trust # lifeboat-tests\nhost all all ::1/128 trust # lifeboat-tests' "$hba"
  fi
  $sudo pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_port 5432 PostgreSQL
}

start_mariadb() {
  port_open 3306 && return 0
  $sudo mkdir -p /run/mysqld && $sudo chown mysql:mysql /run/mysqld 2>/dev/null
  $sudo start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  wait_port 3306 MariaDB || return 1
  # Tests log in as root over TCP without a password, as on the CI machines.
  $sudo mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); FLUSH PRIVILEGES;" 2>/dev/null || true
}

start_redis() {
  port_open 6379 && return 0
  $sudo mkdir -p /var/lib/redis /var/log/redis
  $sudo redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_port 6379 Redis
}

install_missing
status=0
start_postgres || status=1
start_mariadb || status=1
start_redis || status=1
exit $status
