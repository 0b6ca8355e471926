"""Rendering many descriptions in one call: find them, plan their outputs, skip
the unchanged ones, render the rest in parallel, and sum up.

    inputs (files, globs, folders, "-") ─► jobs (source → outputs) ─► stale? ─► render (pool) ─► summary

An output is unchanged when the record of its last render (kept in the cache
folder) still matches: the same svgarch version, options and content key —
the description, the theme and CSS files it uses, the font files that drew
it — and the output file as it was written. The files' sizes and times are
compared first; only when they moved are the contents hashed again, so a
second run over an unchanged tree reads a few stats per output and lays
nothing out.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from svgarch.deadline import Deadline, TimeUp
from svgarch.errors import MissingGlyphWarning, Problem, SpecError, SvgarchError

SUFFIXES = (".toml", ".yaml", ".yml", ".json")
FORMATS = ("svg", "png", "pdf", "html")
STDIN = "-"
MANIFEST = "outputs-v1.json"
MAX_RECORDS = 20_000  # outputs remembered; the oldest are forgotten first


class Options(NamedTuple):
    """What every render of one call shares."""

    theme: str | None = None
    css: tuple[str, ...] = ()
    dpi: float = 180.0
    embed_font: bool = False
    syntax: str | None = None  # of a description read from stdin (None: TOML, not asked for)
    timeout: float = 0.0


class Job(NamedTuple):
    """One description and the outputs it is rendered to: (path, or "-" for stdout; format)."""

    source: str
    outputs: tuple[tuple[str, str], ...]


class Result(NamedTuple):
    source: str
    status: str  # "rendered", "unchanged" or "failed"
    messages: tuple[str, ...] = ()  # one line per problem, for stderr
    records: tuple[tuple[str, dict[str, Any]], ...] = ()  # output path → its record, for the manifest
    stdout: bytes = b""
    internal: bool = False  # the failure was a bug in svgarch, not the input


def find_inputs(args: Sequence[str]) -> list[tuple[str, Path | None]]:
    """Every description named by files, globs and folders (found inside, sorted), and ``-``;
    each with the folder it was found in, whose layout ``--out-dir`` mirrors."""
    found: list[tuple[str, Path | None]] = []
    seen: set[str] = set()

    def add(path: str, base: Path | None) -> None:
        key = path if path == STDIN else os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            found.append((path, base))

    for arg in args:
        if arg == STDIN:
            add(STDIN, None)
        elif Path(arg).is_dir():
            root = Path(arg)
            for path in sorted(_descriptions_in(root)):
                add(str(path), root)
        elif not Path(arg).exists() and glob.has_magic(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                raise SvgarchError(f"{arg}: no file matches")
            base = _glob_root(arg)
            for match in matches:
                if Path(match).is_dir():
                    for path in sorted(_descriptions_in(Path(match))):
                        add(str(path), Path(match))
                else:
                    add(match, base)
        else:
            add(arg, None)
    return found


def _glob_root(pattern: str) -> Path:
    """The folder a glob searches from: its leading parts without a wildcard (``docs`` of
    ``docs/**/*.toml``, ``.`` of ``*.toml``), whose layout ``--out-dir`` mirrors for the files it matches."""
    parts = Path(pattern).parts
    lead = list(itertools.takewhile(lambda part: not glob.has_magic(part), parts[:-1]))
    return Path(*lead) if lead else Path(".")


def _descriptions_in(root: Path) -> Iterable[Path]:
    """Descriptions under a folder: by suffix, hidden folders and files skipped."""
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if not name.startswith(".") and name.endswith(SUFFIXES):
                yield Path(folder) / name


def plan(
    inputs: Sequence[tuple[str, Path | None]],
    outputs: Sequence[str],
    out_dir: Path | None,
    formats: Sequence[str],
    inline: bool = False,
) -> list[Job]:
    """Where each description is written: ``-o`` files (one description), or per description one file
    per format, in ``out_dir`` (mirroring the folder it was found in) or beside it."""
    for fmt in formats:
        if fmt not in FORMATS:
            raise SvgarchError(f"--format: unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    if outputs:
        if len(inputs) != 1:
            raise SvgarchError("-o names the outputs of one description; for several, use --out-dir DIR")
        if out_dir is not None:
            raise SvgarchError("-o and --out-dir cannot be used together")
        from svgarch.files import output_format

        source = inputs[0][0]
        return [
            Job(source, tuple((o, _stdout_format(formats) if o == STDIN else output_format(Path(o))) for o in outputs))
        ]
    jobs = []
    for source, base in inputs:
        if source == STDIN:
            if out_dir is None or inline:
                jobs.append(Job(source, () if inline else ((STDIN, _stdout_format(formats)),)))
                continue
            stem = Path("stdin")
        else:
            path = Path(source)
            stem = (path.relative_to(base) if base is not None else Path(path.name)).with_suffix("")
            if out_dir is None:
                stem = path.with_suffix("")
        folder = out_dir if out_dir is not None else Path()
        targets = tuple((str(folder / f"{stem}.{fmt}"), fmt) for fmt in (formats or ("svg",)))
        jobs.append(Job(source, () if inline and len(inputs) == 1 and not formats else targets))
    _refuse_shared_outputs(jobs)
    return jobs


def _refuse_shared_outputs(jobs: Sequence[Job]) -> None:
    """Two descriptions must not write one file (``a/x.toml`` and ``b/x.toml`` named directly with one
    ``--out-dir``, or ``x.toml`` and ``x.yaml`` side by side): the one that finished last would win."""
    writer: dict[str, str] = {}
    for job in jobs:
        for path, _ in job.outputs:
            if path == STDIN:
                continue
            key = os.path.normpath(path)
            first = writer.get(key)
            if first is not None and first != job.source:
                hint = "" if Path(first).parent == Path(job.source).parent else (
                    "; name their folder instead, whose sub-folders --out-dir mirrors")
                raise SvgarchError(f"{first} and {job.source} would both be written to {path}{hint}")
            writer[key] = job.source


def _stdout_format(formats: Sequence[str]) -> str:
    if len(formats) > 1:
        raise SvgarchError("-o - writes one format to stdout: give --format with one of svg, png, pdf, html")
    return formats[0] if formats else "svg"


# ---- what an output was made from -------------------------------------------------------------------


def _stat(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _digest(paths: Iterable[str], extra: str) -> str:
    import hashlib  # only a batch hashes (its import loads OpenSSL: 3 ms)

    h = hashlib.sha256(extra.encode())
    for path in paths:
        h.update(path.encode() + b"\0")
        h.update(_file_digest(path))
    return h.hexdigest()


def _file_digest(path: str) -> bytes:
    """The SHA-256 of a file's bytes, remembered for this call by the file's identity and stat: every
    output of a batch depends on the same font and theme files (a font is ~700 KB to hash)."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            key = (path, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            known = _state.digests.get(key)
            if known is None:
                import hashlib

                known = _state.digests[key] = hashlib.sha256(fh.read()).digest()
            return known
    except OSError:
        return b"missing"


class _State:
    """What the renders of one call share in each process: a font book (each face found and measured
    once), file digests and each theme's files. Filled in the parent by the renders before the pool
    forks, so every worker starts warm."""

    def __init__(self) -> None:
        self.book: Any = None
        self.digests: dict[tuple[object, ...], bytes] = {}
        self.themes: dict[tuple[str, tuple[str, ...]], tuple[list[str], list[Any]]] = {}

    def reset(self) -> None:
        self.book = None
        self.digests = {}
        self.themes = {}

    def fonts(self) -> Any:
        if self.book is None:
            from svgarch.fonts import FontBook

            self.book = FontBook()
        return self.book


_state = _State()


def _settings(options: Options, fmt: str) -> str:
    from svgarch import __version__

    return repr((__version__, options.theme, options.css, options.dpi, options.embed_font, fmt))


def is_unchanged(output: str, fmt: str, options: Options, record: object) -> bool:
    """Whether ``record`` (the manifest's entry for ``output``) shows it needs no render."""
    if not isinstance(record, dict) or record.get("settings") != _settings(options, fmt):
        return False
    deps, key, made = record.get("deps"), record.get("key"), record.get("output")
    if not isinstance(deps, dict) or not isinstance(key, str) or made != _stat(output):
        return False
    if all(isinstance(p, str) and _stat(p) == s for p, s in deps.items()):
        return True
    # a file was touched (a checkout, an editor's save without a change): compare contents
    return _digest(sorted(str(p) for p in deps), record["settings"]) == key


# ---- one render ----------------------------------------------------------------------------------------


def render_job(job: Job, options: Options, stdin_text: str | None = None) -> Result:
    """Render one description to its outputs; every expected problem becomes message lines."""
    try:
        return _render_job(job, options, stdin_text)
    except TimeUp:
        return Result(
            job.source, "failed", (f"{job.source}: gave up after {options.timeout:g} s (--timeout); not written",)
        )
    except SpecError as exc:
        return Result(job.source, "failed", tuple(str(p) for p in exc.problems))
    except SvgarchError as exc:
        return Result(job.source, "failed", (str(exc),))
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else f"{job.source}: "
        return Result(job.source, "failed", (f"{where}{exc.strerror or exc}",))
    except MemoryError:
        return Result(job.source, "failed", (f"{job.source}: out of memory: the diagram is too large",))
    except Exception as exc:  # a bug: one line, and the batch goes on
        if os.environ.get("SVGARCH_DEBUG"):
            raise
        text = " ".join(str(exc).split())[:200]
        line = f"{job.source}: internal error: {type(exc).__name__}: {text} (a bug in svgarch: please report it)"
        return Result(job.source, "failed", (line,), internal=True)


def _render_job(job: Job, options: Options, stdin_text: str | None) -> Result:
    from svgarch import pipeline
    from svgarch.files import check_target, write_all

    model = _load(job.source, options, stdin_text)
    files = [(Path(p), fmt) for p, fmt in job.outputs if p != STDIN]
    for path, _ in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        check_target(path)
    with (
        Deadline(options.timeout) as deadline,  # in the process drawing it: a worker's main thread
        warnings.catch_warnings(record=True) as caught,  # one line each, as a single render prints them
    ):
        warnings.simplefilter("always", MissingGlyphWarning)
        svg = pipeline.render_svg(model, embed_font=options.embed_font, book=_state.fonts())
        encoded = {fmt: pipeline.encode(svg, fmt, options.dpi, model) for fmt in {f for _, f in job.outputs}}
        deadline.writing()
    for warning in caught:
        if not issubclass(warning.category, MissingGlyphWarning):
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    said = tuple(f"warning: {w.message}" for w in caught if issubclass(w.category, MissingGlyphWarning))
    write_all([(path, encoded[fmt]) for path, fmt in files], sync_folders=False)  # run() flushes each folder once
    stdout = b"".join(encoded[fmt] for p, fmt in job.outputs if p == STDIN)
    if not job.outputs:  # --inline
        stdout = svg.encode("utf-8")
    records: tuple[tuple[str, dict[str, Any]], ...] = ()
    if job.source != STDIN:
        deps = _dependencies(job.source, model)
        records = tuple((str(path), _record(str(path), fmt, options, deps)) for path, fmt in files)
    return Result(job.source, "rendered", said, records, stdout)


def _load(source: str, options: Options, stdin_text: str | None) -> Any:
    from svgarch import pipeline
    from svgarch.spec import load_model, model_from_text

    if source == STDIN:
        try:
            model = model_from_text(stdin_text or "", options.syntax or "toml", "<stdin>", Path.cwd())
        except SpecError as exc:
            if options.syntax is not None or not any(p.message.startswith("invalid TOML") for p in exc.problems):
                raise
            hint = " (stdin is read as TOML; --syntax yaml or --syntax json for the others)"
            raise SpecError([Problem(p.file, p.line, p.key, p.message + hint) for p in exc.problems]) from None
    else:
        model = load_model(source)
    return pipeline.with_overrides(model, options.theme, options.css)


ROLES = ("title", "block-title", "block-subtitle", "label-text", "note", "group-label", "legend-text")


def _dependencies(source: str, model: Any) -> list[str]:
    """The files an output is made from: the description, the theme, CSS and icon files, the font files."""
    from svgarch.fallback import fallback_files
    from svgarch.measure import drawn_texts

    theme_files, faces = _theme_files(model.theme, tuple(model.css))
    deps = [source, *theme_files, *icon_files(model)]
    texts = [text for _, text in drawn_texts(model)]
    with contextlib.suppress(SvgarchError):  # the fonts that draw what the theme's lack (svgarch.fallback)
        deps.extend(fallback_files(texts, faces, _state.fonts()))
    return sorted(set(deps))


def _theme_files(theme_name: str, css: tuple[str, ...]) -> tuple[list[str], list[Any]]:
    """The theme's files (with the bundled themes, which import each other), its CSS files and the fonts
    of its text roles, and those fonts' faces; found once per theme and CSS in each process of a call."""
    known = _state.themes.get((theme_name, css))
    if known is not None:
        return known
    from svgarch.theme import load_theme, styles_dir

    files = [theme_name] if theme_name.endswith(".css") or "/" in theme_name or "\\" in theme_name else []
    files.extend(str(p) for p in sorted(styles_dir().glob("*.css")))
    files.extend(css)
    theme = load_theme(theme_name, list(css))  # remembered from the render (svgarch.theme)
    book = _state.fonts()
    faces = []
    for role in ROLES:
        try:
            face, _ = theme.font(role)
            files.append(book.find(face))
            faces.append(face)
        except SvgarchError:
            continue
    _state.themes[(theme_name, css)] = files, faces
    return files, faces


def icon_files(model: Any) -> list[str]:
    """The SVG and PNG files the model's blocks draw as icons (a bundled icon is part of svgarch's version)."""
    from svgarch.icons import is_file_reference

    return [b.icon for b in model.blocks if b.icon and is_file_reference(b.icon)]


def _record(output: str, fmt: str, options: Options, deps: list[str]) -> dict[str, Any]:
    settings = _settings(options, fmt)
    return {
        "settings": settings,
        "key": _digest(deps, settings),
        "deps": {p: _stat(p) for p in deps},
        "output": _stat(output),
    }


# ---- many renders ------------------------------------------------------------------------------------------


class Summary(NamedTuple):
    rendered: int
    unchanged: int
    failed: int
    seconds: float
    internal: bool

    def line(self) -> str:
        return f"{self.rendered} rendered, {self.unchanged} unchanged, {self.failed} failed in {self.seconds:.2f} s"


def run(
    jobs: Sequence[Job],
    options: Options,
    *,
    workers: int = 0,
    force: bool = False,
    progress: bool = False,
    report: Callable[[Result], None] = lambda result: None,
    stdin_text: str | None = None,
) -> Summary:
    """Render every stale job (all of them with ``force``), ``workers`` at a time (0: one per core and
    one more, which draws while another waits for the disk to take its files: each output is flushed);
    ``report`` hears each result as it comes, in the jobs' order."""
    from svgarch.cache import cache_dir, read_json, write_json

    start = time.perf_counter()
    _state.reset()  # nothing carried over from an earlier call in this process
    folder = cache_dir()
    manifest = read_json(folder, MANIFEST)
    records: dict[str, Any] = dict(manifest.get("outputs", {})) if isinstance(manifest, dict) else {}
    stale, results = [], {}
    for i, job in enumerate(jobs):
        files = [(p, fmt) for p, fmt in job.outputs if p != STDIN]
        if (
            not force
            and job.source != STDIN
            and files
            and len(files) == len(job.outputs)
            and all(is_unchanged(str(Path(p)), fmt, options, records.get(str(Path(p)))) for p, fmt in files)
        ):
            results[i] = Result(job.source, "unchanged")
        else:
            stale.append(i)
    bar = _progress(len(stale)) if progress and stale else None

    def done(i: int, result: Result) -> None:
        results[i] = result
        if bar is not None:
            bar.update(1)

    count = min(workers or (os.cpu_count() or 1) + 1, len(stale))
    if count > 1:
        # the first renders here, before the pool forks: each worker starts with everything a render
        # loads on first use (modules, the theme, fonts and their metrics, cairo's fonts, the digests
        # of the files every output depends on) instead of loading it again
        order = _biggest_first(jobs, stale)
        for _ in range(WARM_TRIES):  # until one renders (a broken description stops early)
            i = order.pop()  # the smallest: the other cores wait meanwhile
            done(i, render_job(jobs[i], options, stdin_text))
            if results[i].status == "rendered" or not order:
                break
        count = min(count, len(order))
    if count > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        # the biggest go first so that the workers finish together; a few at a time, since each hand-over
        # costs a round trip
        chunk = max(1, min(CHUNK, len(order) // (count * 8)))
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            rendered = pool.map(
                render_job,
                [jobs[i] for i in order],
                itertools.repeat(options),
                itertools.repeat(stdin_text),
                chunksize=chunk,
            )
            for i, result in zip(order, rendered, strict=True):
                done(i, result)
    else:
        for i in stale:
            if i not in results:
                done(i, render_job(jobs[i], options, stdin_text))
    if bar is not None:
        bar.close()
    from svgarch.files import sync_folders

    # the renames of every output written, flushed once per folder (each output was flushed before its rename)
    sync_folders(Path(p).parent for i in stale if results[i].status == "rendered" for p, _ in jobs[i].outputs
                 if p != STDIN)  # fmt: skip
    for i in range(len(jobs)):
        result = results[i]
        report(result)
        for path, record in result.records:
            records.pop(path, None)
            records[path] = record  # the newest last, so the oldest are forgotten first
    if any(results[i].records for i in stale):
        kept = dict(list(records.items())[-MAX_RECORDS:])
        write_json(folder, MANIFEST, {"outputs": kept})
    counts = [r.status for r in results.values()]
    return Summary(
        counts.count("rendered"),
        counts.count("unchanged"),
        counts.count("failed"),
        time.perf_counter() - start,
        any(r.internal for r in results.values()),
    )


WARM_TRIES = 3  # descriptions rendered before the pool forks, at most, for one that renders
CHUNK = 4  # jobs handed to a worker at a time, at most


def _biggest_first(jobs: Sequence[Job], stale: Sequence[int]) -> list[int]:
    """The stale jobs, the longest descriptions (the slowest to render, as a rule) first."""

    def size(i: int) -> int:
        with contextlib.suppress(OSError):
            return 0 if jobs[i].source == STDIN else os.stat(jobs[i].source).st_size
        return 0

    return sorted(stale, key=lambda i: (-size(i), i))


def _progress(total: int) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="diagram", file=sys.stderr, leave=False)


def is_batch(sources: Sequence[str], out_dir: Path | None, formats: Sequence[str]) -> bool:
    """Whether a render call is a batch (skips unchanged outputs, renders in parallel, sums up):
    several descriptions, a folder or a glob, or ``--out-dir``/``--format``."""
    if out_dir is not None or formats or len(sources) != 1:
        return True
    return sources[0] != STDIN and (
        Path(sources[0]).is_dir() or (glob.has_magic(sources[0]) and not Path(sources[0]).exists())
    )


def render_command(
    sources: Sequence[str],
    outputs: Sequence[str],
    out_dir: Path | None,
    formats: Sequence[str],
    options: Options,
    *,
    workers: int = 0,
    force: bool = False,
    quiet: bool = False,
    inline: bool = False,
) -> int:
    """``svgarch render`` with several descriptions: exit 0, or 2 when any failed (70 for a bug)."""
    inputs = find_inputs(sources)
    if not inputs:
        what = "a folder with no descriptions in it" if all(Path(x).is_dir() for x in sources) else "no descriptions"
        raise SvgarchError(f"{', '.join(sources)}: {what} (.toml, .yaml, .yml or .json files)")
    if sum(1 for source, _ in inputs if source == STDIN) and len(inputs) > 1 and out_dir is None:
        raise SvgarchError("-: a description from stdin among others needs --out-dir (it is written as stdin.<format>)")
    jobs = plan(inputs, outputs, out_dir, formats, inline)
    stdin_text = sys.stdin.read() if any(job.source == STDIN for job in jobs) else None

    def report(result: Result) -> None:
        for line in result.messages:
            print(f"svgarch: {line}", file=sys.stderr)
        if result.stdout:
            sys.stdout.flush()
            sys.stdout.buffer.write(result.stdout)
            sys.stdout.buffer.flush()

    progress = not quiet and sys.stderr.isatty()
    summary = run(jobs, options, workers=workers, force=force, progress=progress, report=report, stdin_text=stdin_text)
    if not quiet and (len(jobs) > 1 or out_dir is not None):
        print(f"svgarch: {summary.line()}", file=sys.stderr)
    if summary.internal:
        return 70
    return 2 if summary.failed else 0
