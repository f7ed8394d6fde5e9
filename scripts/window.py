#!/usr/bin/python3
"""Drive a top-level window on an X display the way a user would, for the window tests.

  window.py geometry TITLE          print "x y width height" once the window is mapped
  window.py place TITLE X Y W H     move and resize it
  window.py close TITLE             ask it to close (WM_DELETE_WINDOW), as a close button does

No window manager runs under Xvfb, so geometry is the window's own, relative to the screen.
Debian's python3-xlib (scripts/deps.sh installs it for tests).
"""
import sys
import time

from Xlib import X, display, protocol


def find(d, title, timeout=30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        stack = [d.screen().root]
        while stack:
            w = stack.pop()
            try:
                name = w.get_wm_name()
                attrs = w.get_attributes()
            except Exception:
                continue
            if name == title and attrs.map_state == X.IsViewable:
                return w
            try:
                stack.extend(w.query_tree().children)
            except Exception:
                pass
        time.sleep(0.2)
    sys.exit(f"window.py: no window titled {title!r}")


def main():
    cmd, title = sys.argv[1], sys.argv[2]
    d = display.Display()
    w = find(d, title)
    if cmd == "geometry":
        g = w.get_geometry()
        pos = w.translate_coords(d.screen().root, 0, 0)
        print(-pos.x, -pos.y, g.width, g.height)
    elif cmd == "place":
        x, y, width, height = map(int, sys.argv[3:7])
        w.configure(x=x, y=y, width=width, height=height)
        d.sync()
    elif cmd == "close":
        protocols = d.intern_atom("WM_PROTOCOLS")
        delete = d.intern_atom("WM_DELETE_WINDOW")
        ev = protocol.event.ClientMessage(window=w, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0]))
        w.send_event(ev)
        d.sync()
    else:
        sys.exit(f"window.py: unknown command {cmd}")


if __name__ == "__main__":
    main()
