#!/usr/bin/env bash
# make build-macos: the universal (arm64 + amd64) Portico.app, signed, notarized and packed in
# a .dmg. Runs on macOS only (Xcode command line tools, Go, Node.js); CI runs it on a macOS
# runner (.github/workflows/macos.yml). It cannot run on Linux: Wails' darwin build needs
# Apple's SDK and WebKit framework.
#
# Signing and notarization are optional and read from the environment:
#   MACOS_SIGN_IDENTITY   "Developer ID Application: Firm Name (TEAMID)"
#   MACOS_NOTARY_PROFILE  a keychain profile made with `xcrun notarytool store-credentials`
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "$(uname -s)" != Darwin ]; then
  echo "build-macos: needs macOS (Apple's SDK); see .github/workflows/macos.yml" >&2
  exit 2
fi
export PATH="$root/.tools/bin:$(go env GOPATH)/bin:$PATH"
if ! command -v wails >/dev/null; then
  tmp=$(mktemp -d)
  (cd "$tmp" && go mod init wailscli >/dev/null && go get github.com/wailsapp/wails/v2/cmd/wails@v2.9.2 golang.org/x/tools@v0.52.0 &&
    go build -o "$root/.tools/bin/wails" github.com/wailsapp/wails/v2/cmd/wails)
fi

# One tag set everywhere; webkit2_41 only matters on Linux.
wails build -platform darwin/universal -tags "webkit2_41 sqlite_fts5" -trimpath
app="build/bin/Portico.app"
[ -d "$app" ] || app="build/bin/portico.app"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  # Hardened runtime is required for notarization; the webview needs JIT.
  cat > "$root/build/darwin/entitlements.plist" <<'PLIST'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>com.apple.security.cs.allow-jit</key><true/>
  <key>com.apple.security.network.client</key><true/>
</dict></plist>
PLIST
  codesign --force --deep --timestamp --options runtime \
    --entitlements "$root/build/darwin/entitlements.plist" --sign "$MACOS_SIGN_IDENTITY" "$app"
  codesign --verify --strict --verbose=2 "$app"
fi

dmg="build/bin/Portico.dmg"
rm -f "$dmg"
hdiutil create -volname Portico -srcfolder "$app" -ov -format UDZO "$dmg"
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
fi
if [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$dmg" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
  xcrun stapler staple "$dmg"
fi
ls -l "$dmg"
