#!/bin/sh
# Agora's nightly backup (docs/deploy.md): a custom-format pg_dump of the database and, when
# uploads are files on this machine, a copy of them; keeps AGORA_BACKUP_DAYS days (14).
# Reads the same environment as the site (DATABASE_URL or DATABASE_URL_FILE, AGORA_VAR_DIR,
# MEDIA_ROOT, AGORA_STORAGE_URL). Uploads in object storage are kept by the bucket's own
# versioning and replication instead.
set -eu

backup_dir=${AGORA_BACKUP_DIR:-/var/backups/agora}
keep_days=${AGORA_BACKUP_DAYS:-14}
if [ -n "${DATABASE_URL_FILE:-}" ]; then DATABASE_URL=$(cat "$DATABASE_URL_FILE"); fi
: "${DATABASE_URL:?DATABASE_URL: set it (or DATABASE_URL_FILE) to the database to back up}"
# Agora's own options (?conn_max_age=...) mean nothing to libpq.
database=${DATABASE_URL%%\?*}
stamp=$(date -u +%Y%m%dT%H%M%SZ)

mkdir -p "$backup_dir"
umask 077
pg_dump --format=custom --compress=6 --no-owner --file="$backup_dir/agora-$stamp.dump.part" \
    "$database"
mv "$backup_dir/agora-$stamp.dump.part" "$backup_dir/agora-$stamp.dump"

if [ -z "${AGORA_STORAGE_URL:-}" ]; then
    media=${MEDIA_ROOT:-${AGORA_VAR_DIR:-/var/lib/agora}/media}
    if [ -d "$media" ]; then
        tar --create --gzip --file="$backup_dir/media-$stamp.tar.gz" --directory="$media" .
    fi
fi

find "$backup_dir" -maxdepth 1 -type f \( -name 'agora-*.dump' -o -name 'media-*.tar.gz' \) \
    -mtime "+$keep_days" -delete
echo "backup: $backup_dir/agora-$stamp.dump"
