#!/usr/bin/env bash
# make run: portald on 127.0.0.1 with SQLite under .data/, then the desktop app signed in to
# it. The first run creates a demo firm and prints its staff sign-in. Ctrl-C stops both.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data="$root/.data"
creds="$data/demo-credentials"
mkdir -p "$data"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
in_use() { python3 -c 'import socket,sys
h, p = sys.argv[1].rsplit(":", 1)
try: socket.create_server((h, int(p)))
except OSError: sys.exit(0)
sys.exit(1)' "$1"; }
# The portal's address: PORTALD_ADDR, else the one the first run chose (the desktop stays
# signed in to it), else 127.0.0.1:8787 or, when that is taken, a free port.
saved_addr="$data/portald-addr"
if [ -n "${PORTALD_ADDR:-}" ]; then
  addr=$PORTALD_ADDR
elif [ -f "$saved_addr" ]; then
  addr=$(cat "$saved_addr")
else
  addr=127.0.0.1:8787
  if in_use "$addr"; then
    addr=127.0.0.1:$(free_port)
    echo "run: 127.0.0.1:8787 is taken; the portal uses $addr (PORTALD_ADDR sets another)"
  fi
  echo "$addr" >"$saved_addr"
fi
if in_use "$addr"; then
  echo "run: $addr is in use by another program. Stop it, or choose a free address: PORTALD_ADDR=127.0.0.1:PORT make run" >&2
  exit 1
fi

echo "run: building portald and the desktop app"
go build -o .tools/bin/portald ./cmd/portald
wails build -tags "webkit2_41 sqlite_fts5" >"$data/wails-build.log" 2>&1 || { cat "$data/wails-build.log"; exit 1; }

if [ ! -f "$creds" ]; then
  password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
  .tools/bin/portald firm create --data "$data/portal" --base-url "http://$addr" \
    --name "Demo Accounting" --admin-email "staff@demo.portico.test" --admin-password "$password" | tee "$data/firm-created.txt"
  umask 077
  printf 'PORTICO_EMAIL=%s\nPORTICO_PASSWORD=%s\n' "staff@demo.portico.test" "$password" >"$creds"
fi
# shellcheck disable=SC1090
source "$creds"

pids=()
stop() {
  trap - INT TERM EXIT
  # Each child leads its own process group (setsid): stop the whole group.
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# Every mail the portal sends (invitations, sign-in codes) lands in a local Mailpit inbox.
mail_ui=${MAILPIT_UI:-127.0.0.1:$(free_port)} mail_smtp=${MAILPIT_SMTP:-127.0.0.1:$(free_port)}
setsid .tools/bin/mailpit --listen "$mail_ui" --smtp "$mail_smtp" --database "$data/mailpit.db" \
  --disable-version-check --quiet &
pids+=($!)
setsid .tools/bin/portald serve --addr "$addr" --data "$data/portal" --base-url "http://$addr" \
  --smtp-host "${mail_smtp%:*}" --smtp-port "${mail_smtp##*:}" --smtp-from portal@demo.portico.test --smtp-tls none &
pids+=($!)
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://$addr/healthz" && break; sleep 0.2; done
curl -sf -o /dev/null "http://$addr/healthz" || { echo "run: portald did not start" >&2; exit 1; }

echo
echo "Portal:   http://$addr"
echo "Mail:     http://$mail_ui   (the portal's outgoing mail: open invitations here)"
echo "Staff:    $PORTICO_EMAIL / $PORTICO_PASSWORD   (also in $creds)"
echo "Library:  ${PORTICO_LIBRARY:-$data/library}   (a folder per client: drop files into \"Shared with client\")"
echo "Stop both with Ctrl-C."
echo

wrap=()
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  # No desktop session (a server or CI machine): no keyring either. Give the app a private
  # session bus with its own gnome-keyring; it signs in again on each such run.
  echo "run: no D-Bus session found; starting the app with a private keyring"
  wrap+=(scripts/with-keyring.sh)
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display found; starting the app under Xvfb (headless)"
  wrap+=(xvfb-run -a)
fi
# PORTICO_DEMO: a firm without clients gets three sample ones (to-do, invoice, shared file).
export PORTICO_DATA_DIR="$data/desktop" PORTICO_LIBRARY="${PORTICO_LIBRARY:-$data/library}" PORTICO_PORTAL_URL="http://$addr" PORTICO_EMAIL PORTICO_PASSWORD PORTICO_DEMO=1
setsid "${wrap[@]}" build/bin/portico &
pids+=($!)
wait -n "${pids[@]}"
