#!/usr/bin/env bash
# make build-windows: cross-builds the Windows app (portico.exe, go-sqlite3 inside, through
# mingw-w64) and its NSIS installer on Linux. Optional Authenticode signing:
#   WINDOWS_SIGN_PFX=cert.p12 WINDOWS_SIGN_PASSWORD=... [WINDOWS_TIMESTAMP_URL=http://...]
# signs the executable, rebuilds the installer around the signed executable, signs that too.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$root/.tools/bin:$PATH"
scripts/deps.sh windows

export CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++
wails build -platform windows/amd64 -nsis -tags "webkit2_41 sqlite_fts5" -skipbindings -trimpath
exe="$root/build/bin/portico.exe"
installer="$root/build/bin/portico-amd64-installer.exe"
[ -f "$exe" ] && [ -f "$installer" ] || { echo "build-windows: wails did not produce $exe and $installer" >&2; exit 1; }

if [ -n "${WINDOWS_SIGN_PFX:-}" ]; then
  scripts/sign-windows.sh "$exe"
  # The installer carries the executable: build it again around the signed one.
  (cd build/windows/installer && makensis -V2 -DARG_WAILS_AMD64_BINARY="$exe" project.nsi)
  scripts/sign-windows.sh "$installer"
fi
ls -l "$exe" "$installer"
