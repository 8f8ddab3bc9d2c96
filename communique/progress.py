"""The progress bar of long commands (load, extract, load-shards) and the lines
they print about failed inputs.

What comes from an input (a file name, a record's text) is printed as plain
text, never read as rich markup: a file called ``[x].txt`` is a name.
"""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

stderr = Console(stderr=True, highlight=False)


class _RateColumn(ProgressColumn):
    """Articles per second and triples per second."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0
        if elapsed <= 0:
            return Text("")
        return Text(
            f"{task.completed / elapsed:.1f} articles/s, "
            f"{task.fields.get('triples', 0) / elapsed:,.0f} triples/s"
        )


def progress_bar(quiet: bool) -> Progress:
    """Articles done of all, their rate and the time remaining, on stderr."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
        console=stderr,
        disable=quiet,
        transient=True,
    )


def print_failure(progress: Progress, origin: str, problem: str) -> None:
    """'failed FILE: PROBLEM' above the bar, the file and the problem as plain text."""
    line = Text.assemble(("failed", "red"), f" {origin}: {problem}")
    progress.console.print(line, soft_wrap=True)


def print_note(progress: Progress, origin: str, note: str) -> None:
    """'note FILE: WHAT' above the bar: the input loaded, with a change worth knowing."""
    line = Text.assemble(("note", "yellow"), f" {origin}: {note}")
    progress.console.print(line, soft_wrap=True)
