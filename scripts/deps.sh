#!/usr/bin/env bash
# Installs what building and testing Portico needs on Debian 12 / Ubuntu, only what is missing.
# Usage: scripts/deps.sh [run|test|windows]
#   test adds the browser and the Windows cross-compiler; windows adds NSIS for the installer
set -euo pipefail
mode=${1:-run}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/.tools/bin"
mkdir -p "$bin"

sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi

pkgs=(build-essential pkg-config curl libgtk-3-dev libwebkit2gtk-4.1-dev xvfb xauth dbus gnome-keyring)
case "$mode" in
  test) pkgs+=(chromium fonts-dejavu-core poppler-utils qpdf python3-xlib gcc-mingw-w64-x86-64 osslsigncode openssl oathtool) ;;
  windows) pkgs+=(gcc-mingw-w64-x86-64 nsis osslsigncode) ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Wails CLI: `go install ...@v2.9.2` fails on Go 1.26 (old x/tools), so build it from a
# throwaway module with a newer x/tools.
if [ ! -x "$bin/wails" ]; then
  echo "deps: building the Wails CLI"
  tmp=$(mktemp -d)
  (cd "$tmp" && go mod init wailscli >/dev/null 2>&1 &&
    go get github.com/wailsapp/wails/v2/cmd/wails@v2.9.2 golang.org/x/tools@v0.52.0 >/dev/null 2>&1 &&
    go build -o "$bin/wails" github.com/wailsapp/wails/v2/cmd/wails)
  rm -rf "$tmp"
fi

# Mailpit: the SMTP server the mail tests deliver to and read back from (its API), and the
# inbox `make run` shows the portal's mail in.
if [ "$mode" != windows ] && [ ! -x "$bin/mailpit" ]; then
  echo "deps: building Mailpit"
  tmp=$(mktemp -d)
  (cd "$tmp" && GOFLAGS= GOBIN="$bin" go install github.com/axllent/mailpit@v1.33.1)
  rm -rf "$tmp"
fi

if [ ! -d "$root/frontend/node_modules" ]; then
  echo "deps: npm ci"
  (cd "$root/frontend" && npm ci --no-audit --no-fund --loglevel=error)
fi
