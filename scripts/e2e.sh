#!/usr/bin/env bash
# Browser test of the staff UI: portald on a free loopback port, the desktop app through
# `wails dev` under Xvfb (serving the UI with live Go bindings on :34115), inside a private
# keyring session, then Playwright + Debian's Chromium (frontend/e2e).
# Run through scripts/with-keyring.sh (make e2e does).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$root/.tools/bin:$PATH"
out="$root/test-output"
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
  if [ -f "$work/portald.pid" ]; then kill -TERM "$(cat "$work/portald.pid")" 2>/dev/null || true; fi
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Keep Go's caches where they are: the XDG_* variables below would move them.
export GOCACHE=$(go env GOCACHE) GOMODCACHE=$(go env GOMODCACHE)
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"

go build -o "$work/portald" ./cmd/portald
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
email=staff@e2e.test password=e2e-password-123
"$work/portald" firm create --data "$work/portal" --name "E2E Accounting" --admin-email "$email" --admin-password "$password" >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
smtp_port=$(free_port) mailpit_port=$(free_port)
# Mailpit receives the portal's mail; the tests read it through its API, as a client reads mail.
setsid mailpit --smtp "127.0.0.1:$smtp_port" --listen "127.0.0.1:$mailpit_port" --database "$work/mailpit.db" \
  --disable-version-check --quiet >"$out/e2e-mailpit.log" 2>&1 &
pids+=($!)
# portald is started and stopped through portald-ctl: the eSign test prepares a packet while
# it is down. Its pid lives in a file, so cleanup finds the current one.
cat >"$work/portald-ctl" <<CTL
#!/usr/bin/env bash
set -euo pipefail
case "\$1" in
  start)
    curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && exit 0 # running already
    setsid "$work/portald" serve --addr "127.0.0.1:$port" --data "$work/portal" --base-url "http://127.0.0.1:$port" \\
      --smtp-host 127.0.0.1 --smtp-port "$smtp_port" --smtp-from portal@e2e.test --smtp-tls none \\
      >>"$out/e2e-portald.log" 2>&1 </dev/null &
    echo \$! >"$work/portald.pid"
    for i in \$(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && exit 0; sleep 0.1; done
    echo "portald did not start" >&2; exit 1 ;;
  stop)
    pid=\$(cat "$work/portald.pid")
    kill -TERM "\$pid"
    while kill -0 "\$pid" 2>/dev/null; do sleep 0.1; done ;;
esac
CTL
chmod +x "$work/portald-ctl"
: >"$out/e2e-portald.log"
"$work/portald-ctl" start

if curl -s -o /dev/null "http://localhost:34115"; then
  echo "e2e: something already listens on :34115; stop it first" >&2
  exit 1
fi
# wails dev builds the app with the dev tag and our tag set, runs it in a window under
# Xvfb, and serves the same UI with live bindings on :34115. The UI comes from Vite's dev
# server, so the production frontend build (-s) and go mod tidy (-m) would be work thrown
# away; deps.sh has installed the frontend's packages.
PORTICO_DATA_DIR="$work/desktop" PORTICO_LIBRARY="$work/library" setsid xvfb-run -a wails dev -tags "webkit2_41 sqlite_fts5" -noreload -skipbindings -s -m \
  >"$out/e2e-wails-dev.log" 2>&1 &
pids+=($!)
wails_pid=$!

echo "e2e: waiting for wails dev (it compiles the app first)"
for i in $(seq 1 600); do
  if curl -sf -o /dev/null "http://localhost:34115" && curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; then break; fi
  if ! kill -0 "$wails_pid" 2>/dev/null; then echo "e2e: wails dev exited" >&2; tail -40 "$out/e2e-wails-dev.log" >&2; exit 1; fi
  sleep 1
done
curl -sf -o /dev/null "http://localhost:34115" || { echo "e2e: wails dev never served :34115" >&2; tail -40 "$out/e2e-wails-dev.log" >&2; exit 1; }

cd frontend
# One file at a time: they drive the same desktop app.
E2E_PORTAL_URL="http://127.0.0.1:$port" E2E_EMAIL="$email" E2E_PASSWORD="$password" \
  E2E_MAILPIT="http://127.0.0.1:$mailpit_port" E2E_SCREENSHOTS="$out/screenshots" E2E_LIBRARY="$work/library" \
  E2E_PORTALD_CTL="$work/portald-ctl" node --test --test-concurrency=1 --test-reporter=spec e2e/
