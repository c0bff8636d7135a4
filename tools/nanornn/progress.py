"""Progress of a long run: one line on a terminal that rewrites itself, nothing when output is piped.

Long-running functions take a `progress` callable and call it with what they are doing; the
commands pass a Progress, tests and libraries leave the default, `silent`.
"""
import shutil
import sys
import time


def silent(_text):
    """The progress of a run nobody watches."""


class Progress:
    """`label: 12.3 s  text` on one line of stream, rewritten on each call, only if stream is a terminal.

    Use it as a context manager: leaving it clears the line, so what is printed next starts clean.
    """

    def __init__(self, label, stream=None):
        self.stream = sys.stderr if stream is None else stream
        self.label, self.start = label, time.monotonic()
        self.shown = self.stream.isatty()
        self.width = 0          # length of the text on the terminal now: the next line blanks that much

    def __call__(self, text):
        if not self.shown:
            return
        line = f"{self.label}: {time.monotonic() - self.start:5.1f} s  {text}"
        line = line[:shutil.get_terminal_size().columns - 1]     # a wrapped line cannot be rewritten
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def clear(self):
        if self.shown and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.clear()
