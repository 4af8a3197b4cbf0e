#!/usr/bin/env bash
# Vendor the front-end assets Kunlu serves from the npm registry into
# src/kunlu/static/vendor/ so the product works offline (no CDN, nothing
# fetched at run time).
#
# Versions are pinned below; to update, change a version, run this script,
# review the diff and update src/kunlu/static/vendor/VENDORED.md.
#
# Usage: scripts/vendor-assets.sh [DEST]
#   DEST defaults to src/kunlu/static/vendor (relative to the repo root).
#   Only the files listed here are written; VENDORED.md is left alone.
# Needs: bash, node + npm, tar, sed, grep.
set -euo pipefail

BOOTSTRAP_VERSION=5.3.9
BOOTSTRAP_ICONS_VERSION=1.13.2
HTMX_VERSION=2.0.11
ECHARTS_VERSION=6.1.0
# Licence texts only (their code is bundled inside bootstrap.bundle.min.js
# and echarts.min.js respectively).
POPPER_VERSION=2.11.8
ZRENDER_VERSION=6.1.0

# Registry tarball integrity (`npm view <name>@<version> dist.integrity`).
# Update together with the version; a mismatch aborts the script.
BOOTSTRAP_SRI=sha512-20cU0rcfw8WdxtVbmfU+xT2EjvVTw9Ror/h1Qvd7DXCujRg8OO9mdBCsmTHdJFf3BuadmBNJtgIuUXsBqSkk/w==
BOOTSTRAP_ICONS_SRI=sha512-fAU1Ly3dH7hwRg+CB8EZ0Vl0fF80zgXHeUVJyfUOKzoURr+TbwISbCW5tKUoQLERaWYG2emTCybcPbD96hdD1A==
HTMX_SRI=sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==
ECHARTS_SRI=sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA==
POPPER_SRI=sha512-P1st0aksCrn9sGZhp8GMYwBnQsbvAWsZAX44oXNNvLHGqAOcoVxmjZiohstwQ7SqKnbR47akdNi+uleWD8+g6A==
ZRENDER_SRI=sha512-oEGMDB6pOP2S6OwRR4PdVv610zrjnA3Bh+JnSG12fYJlBKjtNAoEb5fSUoCOOINlH96I2fU38/A2UpRKs67xYQ==

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$repo_root/src/kunlu/static/vendor}"

work="$(mktemp -d "${TMPDIR:-/tmp}/kunlu-vendor.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# fetch SPEC NAME SRI -> checks the registry tarball against SRI and
# extracts it into $work/<NAME>/package
fetch() {
    local spec="$1" name="$2" sri="$3" tgz got
    tgz="$(cd "$work" && npm pack --silent "$spec" | tail -n 1)"
    got="sha512-$(node -e 'process.stdout.write(require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$work/$tgz")"
    if [[ "$got" != "$sri" ]]; then
        echo "error: $spec integrity $got, expected $sri" >&2
        exit 1
    fi
    mkdir -p "$work/$name"
    tar -xzf "$work/$tgz" -C "$work/$name"
    # Sanity: the tarball must hold exactly the version we asked for.
    got="$(node -p 'require(process.argv[1]).version' "$work/$name/package/package.json")"
    if [[ "$got" != "${spec##*@}" ]]; then
        echo "error: $spec unpacked as version '$got'" >&2
        exit 1
    fi
}

# put SRC DST -> copy one file, creating the directory
put() {
    mkdir -p "$(dirname "$2")"
    cp "$1" "$2"
    chmod 0644 "$2"
}

# strip_sourcemap FILE -> delete the trailing sourceMappingURL comment line
# (we do not ship .map files; a dangling reference makes devtools request a
# missing file). Only whole-line comments are touched, nothing else.
strip_sourcemap() {
    sed -i -e '\#^/\*\# sourceMappingURL=[^ ]* \*/$#d' \
           -e '\#^//\# sourceMappingURL=[^ ]*$#d' "$1"
    if grep -q 'sourceMappingURL=' "$1"; then
        echo "error: sourceMappingURL still present in $1" >&2
        exit 1
    fi
}

fetch "bootstrap@$BOOTSTRAP_VERSION"             bootstrap       "$BOOTSTRAP_SRI"
fetch "bootstrap-icons@$BOOTSTRAP_ICONS_VERSION" bootstrap-icons "$BOOTSTRAP_ICONS_SRI"
fetch "htmx.org@$HTMX_VERSION"                   htmx            "$HTMX_SRI"
fetch "echarts@$ECHARTS_VERSION"                 echarts         "$ECHARTS_SRI"
fetch "@popperjs/core@$POPPER_VERSION"           popper          "$POPPER_SRI"
fetch "zrender@$ZRENDER_VERSION"                 zrender         "$ZRENDER_SRI"

# Start from a clean tree for the packages we own (keeps VENDORED.md).
for d in bootstrap bootstrap-icons htmx echarts; do
    rm -rf "${dest:?}/$d"
done

# bootstrap
p="$work/bootstrap/package"
put "$p/dist/css/bootstrap.min.css"         "$dest/bootstrap/bootstrap.min.css"
put "$p/dist/js/bootstrap.bundle.min.js"    "$dest/bootstrap/bootstrap.bundle.min.js"
put "$p/LICENSE"                            "$dest/bootstrap/LICENSE"
put "$work/popper/package/LICENSE.md"       "$dest/bootstrap/LICENSE-popper"
strip_sourcemap "$dest/bootstrap/bootstrap.min.css"
strip_sourcemap "$dest/bootstrap/bootstrap.bundle.min.js"

# bootstrap-icons (the css uses url("fonts/bootstrap-icons.woff2?...")
# relative to itself, so fonts/ sits next to it)
p="$work/bootstrap-icons/package"
put "$p/font/bootstrap-icons.min.css"       "$dest/bootstrap-icons/bootstrap-icons.min.css"
put "$p/font/fonts/bootstrap-icons.woff2"   "$dest/bootstrap-icons/fonts/bootstrap-icons.woff2"
put "$p/font/fonts/bootstrap-icons.woff"    "$dest/bootstrap-icons/fonts/bootstrap-icons.woff"
put "$p/LICENSE"                            "$dest/bootstrap-icons/LICENSE"
strip_sourcemap "$dest/bootstrap-icons/bootstrap-icons.min.css"

# htmx
p="$work/htmx/package"
put "$p/dist/htmx.min.js"                   "$dest/htmx/htmx.min.js"
put "$p/LICENSE"                            "$dest/htmx/LICENSE"
strip_sourcemap "$dest/htmx/htmx.min.js"

# echarts (Apache-2.0: LICENSE and NOTICE must travel with it; LICENSE
# points at licenses/LICENSE-d3; zrender is bundled into echarts.min.js)
p="$work/echarts/package"
put "$p/dist/echarts.min.js"                "$dest/echarts/echarts.min.js"
put "$p/LICENSE"                            "$dest/echarts/LICENSE"
put "$p/NOTICE"                             "$dest/echarts/NOTICE"
put "$p/licenses/LICENSE-d3"                "$dest/echarts/licenses/LICENSE-d3"
put "$work/zrender/package/LICENSE"         "$dest/echarts/licenses/LICENSE-zrender"
strip_sourcemap "$dest/echarts/echarts.min.js"

# Every font the icon css points at must exist next to it.
css="$dest/bootstrap-icons/bootstrap-icons.min.css"
for ref in $(grep -o 'url("[^"?)]*' "$css" | sed 's/^url("//'); do
    if [[ ! -f "$(dirname "$css")/$ref" ]]; then
        echo "error: $css references missing $ref" >&2
        exit 1
    fi
done

# No CSS url()/@import may point off-machine.
if grep -hoE '(url\(|@import)[[:space:]]*["'\'']?(https?:)?//' \
        "$dest"/bootstrap/*.css "$dest"/bootstrap-icons/*.css; then
    echo "error: a vendored stylesheet references a remote URL" >&2
    exit 1
fi

echo "vendored into $dest:"
(cd "$dest" && find bootstrap bootstrap-icons htmx echarts -type f | sort)
