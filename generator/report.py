"""Collects problems with the input so a build reports all of them, then decides. A
problem names the file and line and says how to fix it; in strict mode any warning
fails the build at the end (like `mkdocs --strict`)."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    source: str
    line: int
    message: str
    fatal: bool = False  # a configuration file that cannot be read: the build fails

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return printable(f"{where}: {self.message}")


def printable(text: str) -> str:
    """`text` with control characters (a newline, an escape sequence) and lone surrogates
    written as escapes, so input can neither forge a line nor drive the terminal."""
    return "".join(
        char
        if char.isprintable() and not "\ud800" <= char <= "\udfff"
        else char.encode("unicode_escape", "backslashreplace").decode("ascii")
        for char in text
    )


@dataclass
class Report:
    """A running list of warnings; `warn` never raises."""

    problems: list[Problem] = field(default_factory=list)

    def warn(self, source: str, line: int, message: str) -> None:
        self.problems.append(Problem(source, line, message))

    def fail(self, source: str, line: int, message: str) -> None:
        """A problem that fails the build: a configuration file that cannot be read."""
        self.problems.append(Problem(source, line, message, fatal=True))

    @property
    def fatal(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.fatal]

    def __len__(self) -> int:
        return len(self.problems)

    def summary(self, others: int = 0) -> str:
        """One line naming every file with warnings, in the order they were first named;
        `others` counts MkDocs' own."""
        counts = Counter(problem.source for problem in self.problems)
        parts = [f"{source} ({count})" for source, count in counts.items()]
        if others:
            parts.append(f"MkDocs ({others})")
        if not parts:
            return "No warnings."
        return f"{len(self) + others} warning(s) in {len(parts)} file(s): " + ", ".join(parts) + "."

    def print(self) -> None:
        """Every warning, then the summary line, to stderr."""
        for problem in self.problems:
            print(f"{'ERROR   ' if problem.fatal else 'WARNING '} {problem}", file=sys.stderr)
        print(self.summary(), file=sys.stderr)
