#!/usr/bin/env bash
# Back up the database while the app keeps running (docs/deploy.md).
# Usage: scripts/backup.sh DATABASE_URL FILE
set -euo pipefail
url=${1:?usage: scripts/backup.sh DATABASE_URL FILE}
file=${2:?usage: scripts/backup.sh DATABASE_URL FILE}
# pg_dump reads one consistent snapshot; the custom format restores selectively and compressed.
pg_dump --format=custom --no-owner --no-privileges --file "$file" "${url/postgresql+psycopg:/postgresql:}"
echo "backed up to $file ($(du -h "$file" | cut -f1))"
