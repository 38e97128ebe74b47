#!/bin/sh
# Prove a backup restores (docs/deploy.md): restore DUMP into a scratch database on the same
# server, check that Agora's schema in it is complete (`agora migrate --check`) and count the
# rows of every table; with SOURCE_URL, the counts must equal the source's (a quiet source: a
# copy taken at the same moment, or the database the test dumped). The scratch database is
# dropped at the end, whatever happened. Exit status 0 only when all of it holds.
#
#   deploy/restore-check.sh /var/backups/agora/agora-20261204T031500Z.dump [SOURCE_URL]
#
# Needs DATABASE_URL (or DATABASE_URL_FILE): the server to restore on, as a role that may
# create databases, and the rest of Agora's environment for `agora migrate --check`.
set -eu

dump=${1:?usage: restore-check.sh DUMP [SOURCE_URL]}
source_url=${2:-}
agora=${AGORA_COMMAND:-$(dirname "$0")/../.venv/bin/agora}
if [ -n "${DATABASE_URL_FILE:-}" ]; then DATABASE_URL=$(cat "$DATABASE_URL_FILE"); fi
: "${DATABASE_URL:?DATABASE_URL: set it (or DATABASE_URL_FILE) to the server to restore on}"
server=${DATABASE_URL%%\?*}
server=${server%/*}
scratch=agora_restore_check_$$
scratch_url=$server/$scratch

drop_scratch() {
    psql --quiet --no-psqlrc --dbname="$server/postgres" \
        --command="DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null
}
trap drop_scratch EXIT
psql --quiet --no-psqlrc --dbname="$server/postgres" --command="CREATE DATABASE $scratch" \
    >/dev/null

echo "restore-check: restoring $dump into $scratch"
pg_restore --exit-on-error --no-owner --no-privileges --dbname="$scratch_url" "$dump"

echo "restore-check: every migration applied"
DATABASE_URL=$scratch_url AGORA_OFFLINE_COMMAND=1 "$agora" migrate --check --no-input >/dev/null

# One statement counts every table of the public schema ($q$ quotes inside the SQL).
count_rows='
SELECT table_name || $q$ $q$ || (xpath($q$/row/c/text()$q$, query_to_xml(
    format($q$SELECT count(*) AS c FROM %I.%I$q$, table_schema, table_name), false, true, $q$$q$)
))[1]::text
FROM information_schema.tables
WHERE table_schema = $q$public$q$ AND table_type = $q$BASE TABLE$q$
ORDER BY table_name'
restored=$(psql --no-psqlrc --tuples-only --no-align --dbname="$scratch_url" --command="$count_rows")
tables=$(printf '%s\n' "$restored" | grep -c .)
rows=$(printf '%s\n' "$restored" | awk '{ sum += $2 } END { print sum + 0 }')
echo "restore-check: $tables tables, $rows rows restored"
if [ "$tables" -eq 0 ]; then
    echo "restore-check: FAILED, the restored database has no tables" >&2
    exit 1
fi

if [ -n "$source_url" ]; then
    expected=$(psql --no-psqlrc --tuples-only --no-align --dbname="${source_url%%\?*}" \
        --command="$count_rows")
    if [ "$expected" != "$restored" ]; then
        echo "restore-check: FAILED, row counts differ from the source (table rows):" >&2
        printf '%s\n' "$expected" > "${TMPDIR:-/tmp}/$scratch.source"
        printf '%s\n' "$restored" > "${TMPDIR:-/tmp}/$scratch.restored"
        diff "${TMPDIR:-/tmp}/$scratch.source" "${TMPDIR:-/tmp}/$scratch.restored" >&2 || true
        rm -f "${TMPDIR:-/tmp}/$scratch.source" "${TMPDIR:-/tmp}/$scratch.restored"
        exit 1
    fi
    echo "restore-check: row counts equal the source's in every table"
fi
echo "restore-check: OK"
