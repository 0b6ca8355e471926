"""``svgarch watch``: re-render descriptions when they change and show them live on 127.0.0.1.

The main thread polls the descriptions and the theme and CSS files they use
(four times a second) and re-renders what changed; a server thread answers
the browser. A page asks ``/wait`` for the next version (a long poll, so a
save shows at once) and swaps the picture in; a broken save keeps the last
good picture and lays the error lines over it. The server listens on the
loopback interface only, on a free port unless one is given.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from svgarch.errors import SpecError, SvgarchError

HOST = "127.0.0.1"
POLL = 0.25  # seconds between looks at the files
WAIT = 25.0  # seconds a browser's long poll is held before it asks again


class Diagram:
    """One watched description: its last good SVG, its errors, and a version that counts renders."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.svg = ""
        self.errors: list[str] = []
        self.version = 0
        self.stamps: dict[str, tuple[int, int] | None] = {}


class Watcher:
    """The diagrams and the condition browsers wait on."""

    def __init__(self, sources: Sequence[Path], render: Callable[[Path], tuple[str, list[str]]]) -> None:
        self.diagrams = [Diagram(s) for s in sources]
        self.render = render  # source → (svg, the files it was made from); raises on bad input
        self.changed = threading.Condition()

    def refresh(self) -> list[Diagram]:
        """Render every diagram whose files moved; return those rendered."""
        done = []
        for d in self.diagrams:
            stamps = {p: _stamp(p) for p in (d.stamps or {str(d.source): None})}
            if d.version and stamps == d.stamps:
                continue
            try:
                svg, deps = self.render(d.source)
                errors: list[str] = []
            except SpecError as exc:
                svg, deps, errors = d.svg, list(stamps), [str(p) for p in exc.problems]
            except SvgarchError as exc:
                svg, deps, errors = d.svg, list(stamps), [str(exc)]
            except OSError as exc:
                svg, deps, errors = d.svg, list(stamps), [f"{exc.filename or d.source}: {exc.strerror or exc}"]
            with self.changed:
                d.svg, d.errors = svg, errors
                d.stamps = {p: _stamp(p) for p in {str(d.source), *deps}}
                d.version += 1
                self.changed.notify_all()
            done.append(d)
        return done

    def wait(self, index: int, seen: int, timeout: float = WAIT) -> int:
        d = self.diagrams[index]
        with self.changed:
            self.changed.wait_for(lambda: d.version != seen, timeout)
            return d.version


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _handler(watcher: Watcher) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "svgarch-watch"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the terminal shows renders only
            pass

        def do_GET(self) -> None:
            url = urlparse(self.path)
            parts = [p for p in url.path.split("/") if p]
            query = parse_qs(url.query)
            if not parts:
                if len(watcher.diagrams) == 1:
                    return self._send(200, "text/html", _page(watcher, 0))
                return self._send(200, "text/html", _index(watcher))
            if parts[0] != "d" or len(parts) < 2 or not parts[1].isdigit():
                return self._send(404, "text/plain", "not found")
            index = int(parts[1])
            if index >= len(watcher.diagrams):
                return self._send(404, "text/plain", "no such diagram")
            d = watcher.diagrams[index]
            what = parts[2] if len(parts) > 2 else ""
            if what == "":
                return self._send(200, "text/html", _page(watcher, index))
            if what == "svg":
                return self._send(200, "image/svg+xml", d.svg)
            if what == "state":
                return self._send(200, "application/json", json.dumps(_state(d)))
            if what == "wait":
                try:
                    seen = int(query.get("v", ["0"])[0])
                except ValueError:
                    seen = 0
                watcher.wait(index, seen)
                return self._send(200, "application/json", json.dumps(_state(d)))
            return self._send(404, "text/plain", "not found")

        def _send(self, status: int, kind: str, body: str) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the tab was closed
                self.wfile.write(data)

    return Handler


def _state(d: Diagram) -> dict[str, object]:
    return {"version": d.version, "errors": d.errors, "source": str(d.source)}


def _index(watcher: Watcher) -> str:
    items = "".join(
        f'<li><a href="/d/{i}/">{html.escape(str(d.source))}</a></li>' for i, d in enumerate(watcher.diagrams)
    )
    return f"<!doctype html><meta charset=utf-8><title>svgarch watch</title><h1>svgarch watch</h1><ul>{items}</ul>"


def _page(watcher: Watcher, index: int) -> str:
    d = watcher.diagrams[index]
    name = html.escape(str(d.source))
    return _PAGE.replace("{{NAME}}", name).replace("{{INDEX}}", str(index))


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{NAME}} — svgarch watch</title>
<style>
  html, body { margin: 0; height: 100%; font: 14px system-ui, sans-serif; background: #e2e8f0; }
  header { position: fixed; inset: 0 0 auto 0; display: flex; gap: .75em; align-items: center;
           padding: .4em .8em; background: #0f172a; color: #f1f5f9; z-index: 2; }
  header button { font: inherit; }
  #view { position: absolute; inset: 2.4em 0 0 0; overflow: hidden; cursor: grab; }
  #view.dragging { cursor: grabbing; }
  #pan { transform-origin: 0 0; display: inline-block; padding: 1em; }
  #pan svg { display: block; }
  #errors { position: fixed; left: 1em; right: 1em; bottom: 1em; margin: 0; padding: .8em 1em; z-index: 3;
            background: rgba(127, 29, 29, .94); color: #fff; font: 13px ui-monospace, monospace;
            white-space: pre-wrap; border-radius: 6px; }
  #errors:empty { display: none; }
</style></head>
<body>
<header><strong>{{NAME}}</strong><span id="status">loading…</span>
  <button id="zoom-out" title="zoom out">−</button><button id="zoom-in" title="zoom in">+</button>
  <button id="fit" title="fit to the window">fit</button><button id="actual" title="100 %">1:1</button></header>
<div id="view"><div id="pan"></div></div>
<pre id="errors" role="alert"></pre>
<script>
(() => {
  const base = "/d/{{INDEX}}/";
  const view = document.getElementById("view"), pan = document.getElementById("pan");
  const errors = document.getElementById("errors"), status = document.getElementById("status");
  let version = 0, scale = 1, x = 0, y = 0, fitted = false;
  const place = () => { pan.style.transform = `translate(${x}px, ${y}px) scale(${scale})`; };
  const fit = () => {
    const svg = pan.querySelector("svg"); if (!svg) return;
    const w = svg.getBoundingClientRect().width / scale, h = svg.getBoundingClientRect().height / scale;
    scale = Math.min(1, (view.clientWidth - 32) / w, (view.clientHeight - 32) / h); x = 0; y = 0; place();
  };
  const zoom = (k, cx = view.clientWidth / 2, cy = view.clientHeight / 2) => {
    const next = Math.min(8, Math.max(0.05, scale * k));
    x = cx - (cx - x) * next / scale; y = cy - (cy - y) * next / scale; scale = next; place();
  };
  view.addEventListener("wheel", e => { e.preventDefault(); zoom(e.deltaY < 0 ? 1.1 : 1 / 1.1, e.offsetX, e.offsetY); },
                        { passive: false });
  let drag = null;
  view.addEventListener("pointerdown", e => { drag = [e.clientX - x, e.clientY - y]; view.classList.add("dragging"); });
  window.addEventListener("pointerup", () => { drag = null; view.classList.remove("dragging"); });
  window.addEventListener("pointermove", e => {
    if (drag) { x = e.clientX - drag[0]; y = e.clientY - drag[1]; place(); }
  });
  document.getElementById("zoom-in").onclick = () => zoom(1.25);
  document.getElementById("zoom-out").onclick = () => zoom(0.8);
  document.getElementById("fit").onclick = fit;
  document.getElementById("actual").onclick = () => { scale = 1; x = 0; y = 0; place(); };
  async function show(state) {
    if (state.errors.length === 0 || !pan.firstChild) {
      const svg = await (await fetch(base + "svg", { cache: "no-store" })).text();
      if (svg) { pan.innerHTML = svg; if (!fitted) { fit(); fitted = true; } }
    }
    errors.textContent = state.errors.join("\\n");
    status.textContent = state.errors.length ? "error: showing the last good picture" :
      "updated " + new Date().toLocaleTimeString();
    document.body.dataset.version = state.version;
  }
  async function loop() {
    for (;;) {
      try {
        const state = await (await fetch(base + "wait?v=" + version, { cache: "no-store" })).json();
        if (state.version !== version) { version = state.version; await show(state); }
      } catch (e) {
        status.textContent = "svgarch watch stopped"; await new Promise(r => setTimeout(r, 1000));
      }
    }
  }
  loop();
})();
</script></body></html>
"""


def serve(watcher: Watcher, port: int = 0) -> ThreadingHTTPServer:
    """Start answering on 127.0.0.1 (``port`` 0: a free one) in a daemon thread."""
    server = ThreadingHTTPServer((HOST, port), _handler(watcher))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="svgarch-watch", daemon=True).start()
    return server


def watch_command(sources: Sequence[str], theme: str | None, css: Sequence[str], port: int, once: bool = False) -> int:
    """Run until Ctrl-C: render, serve, poll."""
    from svgarch import pipeline
    from svgarch.batch import find_inputs, icon_files
    from svgarch.spec import load_model
    from svgarch.theme import styles_dir

    paths = [Path(p) for p, _ in find_inputs(sources) if p != "-"]
    if not paths:
        raise SvgarchError(f"{', '.join(sources)}: no descriptions to watch")
    missing = [p for p in paths if not p.is_file()]
    if missing:  # a typo would otherwise serve "no such file" until Ctrl-C
        raise SvgarchError(f"{missing[0]}: no such file")
    if not 0 <= port <= 65535:
        raise SvgarchError(f"--port must be between 0 and 65535, not {port}")

    def render(source: Path) -> tuple[str, list[str]]:
        model = pipeline.with_overrides(load_model(source), theme, tuple(css))
        svg = pipeline.render_svg(model)
        is_file = model.theme.endswith(".css") or "/" in model.theme
        deps = [*model.css, *([model.theme] if is_file else []), *map(str, styles_dir().glob("*.css"))]
        deps += icon_files(model)
        return svg, deps

    watcher = Watcher(paths, render)
    for d in watcher.refresh():
        _say(d)
    try:
        server = serve(watcher, port)
    except OSError as exc:
        raise SvgarchError(f"--port {port}: cannot listen on {HOST}: {exc.strerror}") from None
    bound = server.server_address[1]
    print(f"svgarch: watching {len(paths)} description(s); preview at http://{HOST}:{bound}/", flush=True)
    try:
        while not once:
            time.sleep(POLL)
            for d in watcher.refresh():
                _say(d)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    print("svgarch: stopped watching", file=sys.stderr, flush=True)
    return 0


def _say(d: Diagram) -> None:
    if d.errors:
        for line in d.errors:
            print(f"svgarch: {line}", file=sys.stderr, flush=True)
    else:
        print(f"svgarch: rendered {d.source} ({time.strftime('%H:%M:%S')})", file=sys.stderr, flush=True)
