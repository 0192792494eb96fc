#!/usr/bin/env bash
# Makes a PostgreSQL 15 server answer on 127.0.0.1:5432 with a "passerelle" role allowed to create
# test databases, then prints the DATABASE_URL to use. Installs Debian's package when it is absent.
# An already running server (DATABASE_URL set by the caller) is used as it is.
set -euo pipefail

URL="postgres://passerelle:passerelle@127.0.0.1:5432/passerelle"

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -x /usr/lib/postgresql/15/bin/postgres ]; then
  echo "PostgreSQL 15 is not installed: installing Debian's package." >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "Run as root, or install it yourself: sudo apt-get install -y postgresql-15" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql-15 >&2
fi

if ! pg_lsclusters -h 2>/dev/null | awk '$1 == 15 && $2 == "main"' | grep -q .; then
  pg_createcluster 15 main >&2
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster 15 main start >&2
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

as_postgres psql -q -v ON_ERROR_STOP=1 >&2 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'passerelle') THEN
    CREATE ROLE passerelle LOGIN PASSWORD 'passerelle' CREATEDB;
  END IF;
END
$$;
SQL
if ! as_postgres psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'passerelle'" | grep -q 1; then
  as_postgres createdb -O passerelle passerelle >&2
fi
echo "$URL"
