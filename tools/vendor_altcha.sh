#!/bin/sh
# Refresh the ALTCHA widget that Agora serves from its own origin. The version is the one pinned
# in vendor/altcha/package.json and package-lock.json (change it there, then run this, or
# `make vendor-altcha`). Agora takes the build made for a strict content security policy (the
# ES module, with no style or worker inside it: the UMD build injects a style element), its
# style sheet, the PBKDF2 worker and the
# LICENSE, into core's static files. Agora never loads the widget from another origin.
set -eu
cd "$(dirname "$0")/.."
SOURCE=vendor/altcha
TARGET=agora/core/static/core/vendor/altcha
if [ -f "$SOURCE/package-lock.json" ]; then
    (cd "$SOURCE" && npm ci --no-audit --no-fund --ignore-scripts --silent)
else
    (cd "$SOURCE" && npm install --no-audit --no-fund --ignore-scripts --silent)
fi
BUILT="$SOURCE/node_modules/altcha"
rm -rf "$TARGET"
mkdir -p "$TARGET"
cp "$BUILT/dist/external/altcha.min.js" "$TARGET/altcha.min.js"
cp "$BUILT/dist/external/altcha.css" "$TARGET/altcha.css"
cp "$BUILT/dist/workers/pbkdf2.js" "$TARGET/pbkdf2.js"
cp "$BUILT/LICENSE.txt" "$TARGET/LICENSE"
node -e 'process.stdout.write(require(process.argv[1]).version + "\n")' \
    "$(pwd)/$BUILT/package.json" > "$TARGET/VERSION"
echo "ALTCHA $(cat "$TARGET/VERSION") vendored into $TARGET"
