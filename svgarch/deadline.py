"""One time limit for a command that lays out: a description from someone else can ask for a layout that
takes hours. Used by the command line for a render, a gallery or a check, and by a batch render in the
process that draws each description."""

from __future__ import annotations

import types

from svgarch.startup import on_main_thread

TYPE_CHECKING = False
if TYPE_CHECKING:
    import signal
    from typing import Any
else:
    try:  # signal's own functions, without the module that wraps them in enums (its import and enum's: 1-2 ms)
        import _signal as signal
    except ImportError:  # another Python
        import signal


class TimeUp(BaseException):
    """The time limit passed. A BaseException, so no ``except Exception`` on the way can swallow it."""


class Deadline:
    """One time limit for a command (a description from someone else can ask for a layout that takes
    hours): SIGALRM raises :class:`TimeUp` in the main thread until :meth:`writing` says the outputs are
    being written; from then on the command finishes, so nothing is ever half written. The alarm repeats
    every quarter second after the deadline, in case C code or a cleanup swallowed one.

    Without SIGALRM (Windows, or a thread other than the main one) there is no limit.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.armed = bool(seconds) and hasattr(signal, "setitimer")
        self.armed = self.armed and on_main_thread()
        self.previous: Any = None
        self.writing_now = False

    def __enter__(self) -> Deadline:
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, self._expire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds, 0.25)
        return self

    def writing(self) -> None:
        """The outputs are about to be written: the limit no longer applies."""
        self.writing_now = True  # first: an alarm already on its way now returns quietly
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)

    def _expire(self, _signum: int, _frame: types.FrameType | None) -> None:
        if not self.writing_now:
            raise TimeUp

    def __exit__(self, *_exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
