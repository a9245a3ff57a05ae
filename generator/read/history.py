"""When each listing arrived: the time of the commit that added its file (git history).

It orders the listings (a new listing comes after the ones before it, whatever its file name, so it
never takes an older paper's URL) and gives a capture date without a year its year: the latest such
day not after the file arrived. Without git or history (a folder that is not a repository, a shallow
clone), nothing is known and file names decide."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path

from generator.model import Listing

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# A capture date: `Mar 19`, `March 19th, 2024`, `Tue, 19 Mar`, `2024-03-19` or `2024/3/19`
# (ASCII digits only, not '２０２４'). Groups: month, day, year; day, month, year; ISO year,
# month, day. Not `19/03/2024` or `03/04/2024`: which is the month is a guess.
_MONTH, _DAY = rf"({'|'.join(MONTHS)})[a-z]*\.?", r"(\d{1,2})(?:st|nd|rd|th)?"
DATE = re.compile(
    rf"(?:(?:{'|'.join(WEEKDAYS)})[a-z]*\.?,?\s+)?"
    rf"(?:{_MONTH}\s+{_DAY}(?:,?\s+(\d{{4}}))?|{_DAY}\s+{_MONTH}(?:,?\s+(\d{{4}}))?"
    r"|(\d{4})[-/.](\d{1,2})[-/.](\d{1,2}))",
    re.IGNORECASE | re.ASCII,
)
_DATE_LIKE = re.compile(r"[a-z0-9 ,./-]{1,40}", re.IGNORECASE | re.ASCII)
_ORDINALS = ("st", "nd", "rd", "th")


def date_like(line: str) -> bool:
    """Whether `line` looks like a date, known to `DATE` or not: numbers and separators,
    and no word but month and weekday names (`19/03/2024`, `Tuesday 19.3.`, `2024`)."""
    words = re.findall(r"[a-z]+", line.lower())
    return bool(_DATE_LIKE.fullmatch(line) and re.search(r"\d", line)) and all(
        w in _ORDINALS or w[:3] in MONTHS + WEEKDAYS for w in words
    )


def added_times(folder: Path) -> dict[str, int]:
    """Each file's path under `folder` and the Unix time of the commit that added it (the
    latest such commit); {} where git or its history is not there."""
    command = ["git", "-c", "core.quotePath=false", "-C", str(folder), "log"]
    command += ["--diff-filter=A", "--relative", "--format=%x01%ct", "--name-only", "--", "."]
    try:
        done = subprocess.run(
            command, capture_output=True, encoding="utf-8", errors="surrogateescape", timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    times: dict[str, int] = {}
    when = None
    for line in done.stdout.splitlines() if done.returncode == 0 else ():
        if line.startswith("\x01"):
            when = int(line[1:])
        elif line and when is not None:
            times.setdefault(line, when)  # the log is newest first
    return times


def full_day(date: str, added: int | None, year: int | None = None) -> str:
    """The ISO date of a capture date line: its own year, or the latest such day not after
    `added` (a Unix time), or in the nominal `year`; "" when none says (or no such day)."""
    match = DATE.fullmatch(date.strip())
    if not match:
        return ""
    found = match.groups()
    if found[6]:
        return iso_day(*map(int, found[6:]))
    name, day_text, given = found[:3] if found[0] else (found[4], found[3], found[5])
    month, day = MONTHS.index(name.lower()) + 1, int(day_text)
    if given:
        return iso_day(int(given), month, day)
    if added is None:
        return iso_day(year, month, day) if year else ""
    arrived = datetime.datetime.fromtimestamp(added, datetime.timezone.utc).date()
    # Feb 29 waits for a leap year.
    days = (iso_day(year, month, day) for year in range(arrived.year, arrived.year - 8, -1))
    return next((found for found in days if found and found <= arrived.isoformat()), "")


def iso_day(year: int, month: int, day: int) -> str:
    """The ISO date, or "" for a day that does not exist."""
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return ""


def sort_day(listing: Listing, year: int = 2000) -> str:
    """The day a listing sorts by and its feed entries are dated: its full day, else its
    capture date in the nominal `year` (2000: before any dated listing), else ""."""
    return listing.day or full_day(listing.date, None, year)
