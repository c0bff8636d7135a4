"""Tables that a command measures, written into the Markdown page that shows them.

A page holds each generated table between two marker comments, `<!-- BEGIN name -->` and
`<!-- END name -->`; the command that measures the table rewrites that region and nothing else, so
the prose around it stays hand-written. The region starts with a provenance line: the command to
run again, the commit it measured and the date (UTC). A file without the region is written whole.
The desktop harness writes its IL region the same way (tools/NanoRnn.Bench/IlCommand.cs).
"""
import datetime
import os
import re
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROVENANCE = re.compile(r"^_Written by `(?P<command>[^`]+)` at commit (?P<commit>[0-9a-f]{7,40}|unknown) "
                        r"on (?P<date>\d{4}-\d{2}-\d{2})\._$")


def begin(name):
    return f"<!-- BEGIN {name} -->"


def end(name):
    return f"<!-- END {name} -->"


def commit():
    """HEAD's short hash, or "unknown" outside a git checkout."""
    result = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else "unknown"


def provenance(command, at_commit=None, date=None):
    date = date or datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    return f"_Written by `{command}` at commit {at_commit or commit()} on {date}._"


def _span(text, name):
    """(start, stop) of the region's content: between a line that is its BEGIN marker and the next line
    that is its END marker (a marker quoted in the prose is not one); None when the page has none."""
    head = re.search(rf"^{re.escape(begin(name))}$", text, re.M)
    tail = head and re.compile(rf"^{re.escape(end(name))}$", re.M).search(text, head.end())
    return (head.end() + 1, tail.start()) if tail else None


def replace(text, name, body):
    """`text` with the region `name` holding `body`; ValueError if the page has no such region."""
    span = _span(text, name)
    if span is None:
        raise ValueError(f"no {begin(name)} … {end(name)} region")
    return text[:span[0]] + body.rstrip("\n") + "\n" + text[span[1]:]


def region(text, name):
    """What the region `name` holds, or None when the page has none."""
    span = _span(text, name)
    return None if span is None else text[span[0]:span[1]].strip("\n")


def write(path, name, command, table):
    """The provenance line and `table` into `path`'s region `name`, or as the whole file; what was done."""
    body = provenance(command) + "\n\n" + table.rstrip("\n") + "\n"
    text = open(path, encoding="utf-8").read() if os.path.isfile(path) else None
    if text is not None and region(text, name) is not None:
        new = replace(text, name, body)
        where = f"the {name} region of {path}"
    else:
        new, where = body, path
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)
    return where


def tables(text):
    """Each Markdown table in `text` as its lines ("|…|"), in order."""
    found, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    return found


def cells(line):
    """A table line's cells, stripped; an escaped pipe (`\\|`) stays inside its cell."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
