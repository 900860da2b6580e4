#!/usr/bin/env bash
# Starts a PostgreSQL cluster for the storage tests, with a role and a database, and prints the
# URL to export as HPARAMSNET_POSTGRES_URL. Installs Debian's postgresql package when missing.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true   # already running is fine
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')

for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -p $port" && break
  sleep 1
done

su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname = 'hparamsnet'\"" | grep -q 1 \
  || su postgres -c "psql -q -p $port -c \"CREATE ROLE hparamsnet LOGIN PASSWORD 'hparamsnet'\"" >&2
su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname = 'hparamsnet_tests'\"" | grep -q 1 \
  || su postgres -c "createdb -p $port -O hparamsnet hparamsnet_tests" >&2

echo "postgresql://hparamsnet:hparamsnet@127.0.0.1:$port/hparamsnet_tests"
