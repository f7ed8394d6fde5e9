#!/usr/bin/env bash
# Authenticode-signs a Windows executable in place with osslsigncode.
# Needs WINDOWS_SIGN_PFX (a PKCS#12 file) and WINDOWS_SIGN_PASSWORD; WINDOWS_TIMESTAMP_URL is
# optional (an RFC 3161 server; without one the signature is valid only while the
# certificate is).
set -euo pipefail
file=$1
: "${WINDOWS_SIGN_PFX:?set WINDOWS_SIGN_PFX to the PKCS#12 certificate file}"
args=(sign -pkcs12 "$WINDOWS_SIGN_PFX" -pass "${WINDOWS_SIGN_PASSWORD:-}" -n "Portico" -h sha256)
if [ -n "${WINDOWS_TIMESTAMP_URL:-}" ]; then args+=(-ts "$WINDOWS_TIMESTAMP_URL"); fi
osslsigncode "${args[@]}" -in "$file" -out "$file.signed" >/dev/null
mv "$file.signed" "$file"
echo "signed $file"
