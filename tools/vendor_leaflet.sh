#!/bin/sh
# Refresh the Leaflet that Agora serves from its own origin. The version is the one pinned in
# vendor/leaflet/package.json and package-lock.json (change it there, then run this, or
# `make vendor-leaflet`); the built files and the LICENSE are copied into the directory app's
# static files. Agora never loads Leaflet from another origin.
set -eu
cd "$(dirname "$0")/.."
SOURCE=vendor/leaflet
TARGET=agora/directory/static/directory/vendor/leaflet
if [ -f "$SOURCE/package-lock.json" ]; then
    (cd "$SOURCE" && npm ci --no-audit --no-fund --ignore-scripts --silent)
else
    (cd "$SOURCE" && npm install --no-audit --no-fund --ignore-scripts --silent)
fi
BUILT="$SOURCE/node_modules/leaflet"
rm -rf "$TARGET"
mkdir -p "$TARGET/images"
cp "$BUILT/dist/leaflet.js" "$BUILT/dist/leaflet.js.map" "$BUILT/dist/leaflet.css" "$TARGET/"
cp "$BUILT"/dist/images/*.png "$TARGET/images/"
cp "$BUILT/LICENSE" "$TARGET/LICENSE"
node -e 'process.stdout.write(require(process.argv[1]).version + "\n")' \
    "$(pwd)/$BUILT/package.json" > "$TARGET/VERSION"
echo "Leaflet $(cat "$TARGET/VERSION") vendored into $TARGET"
