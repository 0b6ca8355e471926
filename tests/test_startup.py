"""svgarch.startup: what it tells without importing more than it needs."""

from __future__ import annotations

import subprocess
import sys


def test_on_main_thread_tells_a_thread_started_without_threading() -> None:
    code = (
        "import _thread, sys, time\n"
        "from svgarch.startup import on_main_thread\n"
        "seen = []\n"
        "_thread.start_new_thread(lambda: seen.append(on_main_thread()), ())\n"
        "while not seen or _thread._count(): time.sleep(0.01)\n"
        "print(on_main_thread(), seen[0], 'threading' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False", "False"]
