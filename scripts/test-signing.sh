#!/usr/bin/env bash
# Tests Authenticode signing (scripts/sign-windows.sh) with a throwaway self-signed code
# signing certificate on a cross-built Windows executable, then checks it with osslsigncode.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Portico Test Signing/O=Portico" \
  -addext "extendedKeyUsage=codeSigning" -addext "keyUsage=digitalSignature" \
  -keyout key.pem -out cert.pem 2>/dev/null
openssl pkcs12 -export -inkey key.pem -in cert.pem -out cert.p12 -passout pass:test-pass

(cd "$root" && GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc \
  go build -o "$work/portald.exe" ./cmd/portald)

if osslsigncode verify -CAfile cert.pem -in portald.exe >/dev/null 2>&1; then
  echo "test-signing: an unsigned executable passed verification" >&2; exit 1
fi
WINDOWS_SIGN_PFX=cert.p12 WINDOWS_SIGN_PASSWORD=test-pass "$root/scripts/sign-windows.sh" portald.exe >/dev/null
out=$(osslsigncode verify -CAfile cert.pem -in portald.exe 2>&1) || { echo "$out" >&2; exit 1; }
grep -q "Signature verification: ok" <<<"$out" || { echo "$out" >&2; exit 1; }
grep -q "Portico Test Signing" <<<"$out" || { echo "test-signing: signer not named" >&2; exit 1; }

# A byte changed after signing must fail verification.
printf 'X' | dd of=portald.exe bs=1 seek=4096 conv=notrunc 2>/dev/null
if osslsigncode verify -CAfile cert.pem -in portald.exe >/dev/null 2>&1; then
  echo "test-signing: a tampered executable passed verification" >&2; exit 1
fi
echo "test-signing: 3 passed, 0 failed"
