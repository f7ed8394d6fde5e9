#!/usr/bin/env bash
# Builds Syncthing v1.30.0, the peer make bench measures the folder drops against, into
# .tools/bin once. `go install` refuses the module (it has replace directives), so its
# source comes from the module proxy and its own build script builds it.
set -euo pipefail
version=v1.30.0
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/.tools/bin/syncthing-$version"
if [ -x "$out" ]; then echo "$out"; exit 0; fi
mkdir -p "$root/.tools/bin"
dir=$(cd /tmp && GOFLAGS= go mod download -json "github.com/syncthing/syncthing@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[ -d "$dir" ] || { echo "syncthing: the module proxy did not give $version" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
cp -r "$dir/." "$tmp/"
chmod -R u+w "$tmp"
echo "syncthing: building $version (about a minute)" >&2
(cd "$tmp" && GOFLAGS= go run build.go -version "$version" -no-upgrade build syncthing >&2)
mv "$tmp/syncthing" "$out"
echo "$out"
