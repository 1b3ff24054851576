#!/bin/sh
# Re-copy the vendored front-end libraries from node_modules into the static folder.
# The copies under src/sanyi/static/vendor/ are committed, so deployments never need npm;
# run this only after changing a version in package.json (then `npm ci` first).
set -eu
cd "$(dirname "$0")/.."

if [ ! -d node_modules/htmx.org ]; then
    echo "node_modules/htmx.org 不存在：请先运行 npm ci" >&2
    exit 1
fi

dest=src/sanyi/static/vendor/htmx
mkdir -p "$dest"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx.min.js"
cp node_modules/htmx.org/LICENSE "$dest/LICENSE"
version=$(node -p "require('./node_modules/htmx.org/package.json').version")
printf 'htmx.org %s (npm), copied by scripts/vendor-frontend.sh\n' "$version" > "$dest/VERSION"
echo "htmx.org $version -> $dest"

if [ ! -d node_modules/json-logic-js ]; then
    echo "node_modules/json-logic-js 不存在：请先运行 npm ci" >&2
    exit 1
fi

dest=src/sanyi/static/vendor/json-logic
mkdir -p "$dest"
cp node_modules/json-logic-js/logic.js "$dest/logic.js"
cp node_modules/json-logic-js/LICENSE "$dest/LICENSE"
version=$(node -p "require('./node_modules/json-logic-js/package.json').version")
printf 'json-logic-js %s (npm), copied by scripts/vendor-frontend.sh\n' "$version" > "$dest/VERSION"
echo "json-logic-js $version -> $dest"

if [ ! -d node_modules/jodit ]; then
    echo "node_modules/jodit 不存在：请先运行 npm ci" >&2
    exit 1
fi

# The rich-text editor of publication bodies and interpretations (ADR 0017).
dest=src/sanyi/static/vendor/jodit
mkdir -p "$dest"
cp node_modules/jodit/es2021/jodit.min.js "$dest/jodit.min.js"
cp node_modules/jodit/es2021/jodit.min.css "$dest/jodit.min.css"
cp node_modules/jodit/LICENSE.txt "$dest/LICENSE"
version=$(node -p "require('./node_modules/jodit/package.json').version")
printf 'jodit %s (npm), copied by scripts/vendor-frontend.sh\n' "$version" > "$dest/VERSION"
echo "jodit $version -> $dest"

if [ ! -d node_modules/echarts ]; then
    echo "node_modules/echarts 不存在：请先运行 npm ci" >&2
    exit 1
fi

# The charts of the supervisors' dashboards (ADR 0028); the full minified build.
dest=src/sanyi/static/vendor/echarts
mkdir -p "$dest"
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts.min.js"
cp node_modules/echarts/LICENSE "$dest/LICENSE"
if [ -f node_modules/echarts/NOTICE ]; then
    cp node_modules/echarts/NOTICE "$dest/NOTICE"
fi
version=$(node -p "require('./node_modules/echarts/package.json').version")
printf 'echarts %s (npm), copied by scripts/vendor-frontend.sh\n' "$version" > "$dest/VERSION"
echo "echarts $version -> $dest"
