#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so
# go-keyring talks to a real Secret Service and never to the user's own keyring.
# Usage: scripts/with-keyring.sh COMMAND [ARGS...]
set -euo pipefail
if [ "${PORTICO_IN_KEYRING_SESSION:-}" != 1 ]; then
  home=$(mktemp -d)
  trap 'rm -rf "$home"' EXIT
  mkdir -p "$home/runtime" "$home/data" "$home/config" "$home/cache"
  chmod 700 "$home/runtime"
  export XDG_RUNTIME_DIR="$home/runtime" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache"
  export PORTICO_IN_KEYRING_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi
# Inside the session: start the keyring daemon unlocked with a throwaway password.
eval "$(printf 'portico-test' | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
export PORTICO_REAL_KEYRING=1
set +e
"$@"
status=$?
kill "${GNOME_KEYRING_PID:-}" 2>/dev/null
exit $status
