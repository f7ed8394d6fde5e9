#!/usr/bin/env bash
# A second launch of Portico must hand over to the running one and exit, so two instances
# never watch the same folders; and the window must come back where staff closed it. Runs the built app (build/bin/portico) under Xvfb inside a
# private D-Bus session (Wails' Linux single-instance lock lives on the session bus).
# Run through scripts/with-keyring.sh (make test does).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$root/.tools/bin:$PATH"
work=$(mktemp -d)
pids=()
cleanup() {
  # Process groups for what setsid started, the process itself for the rest (Xvfb).
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

wails build -tags "webkit2_41 sqlite_fts5" -skipbindings >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
export PORTICO_DATA_DIR="$work/desktop" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data"

setsid xvfb-run -a build/bin/portico >"$work/first.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -f "$work/desktop/portico.db" ] && break; sleep 0.1; done
[ -f "$work/desktop/portico.db" ] || { echo "first instance did not start"; cat "$work/first.log"; exit 1; }
sleep 1

start=$(date +%s)
set +e
timeout 30 xvfb-run -a build/bin/portico --from-second-launch >"$work/second.log" 2>&1
status=$?
set -e
# Wails' second instance passes its arguments to the first over D-Bus and exits with 1.
if [ "$status" = 124 ]; then
  echo "single-instance: the second launch kept running"; cat "$work/second.log"; exit 1
fi
kill -0 "${pids[0]}" 2>/dev/null || { echo "single-instance: the first instance died"; cat "$work/first.log"; exit 1; }
for _ in $(seq 1 50); do grep -q "second launch" "$work/first.log" && break; sleep 0.1; done
grep -q 'second launch.*--from-second-launch' "$work/first.log" || {
  echo "single-instance: the first instance never heard of the second launch"; cat "$work/first.log"; exit 1; }
echo "single-instance: second launch handed over and exited after $(( $(date +%s) - start ))s"

# The window comes back where staff left it: move and resize it, close it as its close
# button does (WM_DELETE_WINDOW), launch again and read where it is. Our own Xvfb, so the
# test can reach the window; no window manager, so geometry is the window's own.
kill -TERM -- "-${pids[0]}" 2>/dev/null || true
for _ in $(seq 1 100); do kill -0 "${pids[0]}" 2>/dev/null || break; sleep 0.1; done
display=":$(( 150 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
win() { DISPLAY="$display" /usr/bin/python3 scripts/window.py "$@"; }
export PORTICO_DATA_DIR="$work/window"
DISPLAY="$display" setsid build/bin/portico >"$work/window1.log" 2>&1 &
first=$!
pids+=($first)
win place Portico 137 91 1010 707
sleep 1
win close Portico
for _ in $(seq 1 100); do kill -0 "$first" 2>/dev/null || break; sleep 0.1; done
kill -0 "$first" 2>/dev/null && { echo "window: closing the window did not quit Portico"; exit 1; }
DISPLAY="$display" setsid build/bin/portico >"$work/window2.log" 2>&1 &
pids+=($!)
sleep 2 # the position is set once the page is ready
got=$(win geometry Portico)
[ "$got" = "137 91 1010 707" ] || {
  echo "window: reopened at \"$got\", closed at \"137 91 1010 707\""; cat "$work/window/window.json" 2>/dev/null; exit 1; }
echo "window: reopened where it was closed ($got); 2 passed, 0 failed"
