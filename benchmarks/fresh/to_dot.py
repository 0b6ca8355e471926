"""The fresh descriptions' DOT twins, made exactly as the corpus's are (by ``corpus/to_dot.py``).

    python benchmarks/fresh/to_dot.py            # writes <name>.dot beside every <name>.toml here
    python benchmarks/fresh/to_dot.py --check    # exit 1 if a committed .dot is out of date
"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent


def _corpus_to_dot() -> ModuleType:
    # one converter for every folder, so the sets of twins cannot drift apart
    path = HERE.parent / "corpus" / "to_dot.py"
    spec = importlib.util.spec_from_file_location("corpus_to_dot", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("--check", action="store_true", help="exit 1 when a committed .dot differs from the description")
    args = p.parse_args(argv)
    return int(_corpus_to_dot().write_twins(HERE, args.check))


if __name__ == "__main__":
    raise SystemExit(main())
