#!/usr/bin/env bash
# Restore a backup into an EMPTY database (create it first with createdb) (docs/deploy.md).
# Usage: scripts/restore.sh DATABASE_URL FILE
set -euo pipefail
url=${1:?usage: scripts/restore.sh DATABASE_URL FILE}
file=${2:?usage: scripts/restore.sh DATABASE_URL FILE}
# One transaction: a restore that fails half-way leaves the database as empty as it was.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname "${url/postgresql+psycopg:/postgresql:}" "$file"
echo "restored $file"
