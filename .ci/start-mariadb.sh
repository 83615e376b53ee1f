#!/usr/bin/env bash
# Installs (if needed) and starts a throwaway MariaDB without systemd, creates database `tessera` and
# user `tessera`, and prints the DSN for TEST_MYSQL_DSN on its last line.
set -euo pipefail

if ! command -v mariadbd >/dev/null 2>&1 && ! command -v mysqld >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq mariadb-server >&2
fi

DATADIR="${MARIADB_DATADIR:-/tmp/tessera-mariadb}"
SOCKET="$DATADIR/mysqld.sock"
PORT="${MARIADB_PORT:-33306}"
SERVER=$(command -v mariadbd || command -v mysqld)
CLIENT=$(command -v mariadb || command -v mysql)

if ! "$CLIENT" --socket="$SOCKET" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
  rm -rf "$DATADIR"
  mkdir -p "$DATADIR"
  chown -R mysql:mysql "$DATADIR" 2>/dev/null || true
  mariadb-install-db --user=mysql --datadir="$DATADIR/data" --auth-root-authentication-method=socket >/dev/null 2>&1 \
    || mysql_install_db --user=mysql --datadir="$DATADIR/data" >/dev/null 2>&1
  "$SERVER" --user=mysql --datadir="$DATADIR/data" --socket="$SOCKET" --port="$PORT" --bind-address=127.0.0.1 \
    --pid-file="$DATADIR/mysqld.pid" --skip-log-bin --innodb-flush-log-at-trx-commit=2 --skip-name-resolve \
    >"$DATADIR/server.log" 2>&1 &
  for _ in $(seq 1 60); do
    "$CLIENT" --socket="$SOCKET" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
    sleep 1
  done
fi

"$CLIENT" --socket="$SOCKET" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS tessera CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'tessera'@'127.0.0.1' IDENTIFIED BY 'tessera';
CREATE USER IF NOT EXISTS 'tessera'@'localhost' IDENTIFIED BY 'tessera';
GRANT ALL PRIVILEGES ON *.* TO 'tessera'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'tessera'@'localhost';
FLUSH PRIVILEGES;
SQL

echo "mysql://tessera:tessera@127.0.0.1:$PORT/tessera"
