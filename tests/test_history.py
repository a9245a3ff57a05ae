"""Listings in the order they arrived (git history), dated in full: a new listing never
takes an older paper's URL, whatever its file name, and a capture date gets its year."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.pipeline import build_catalogue
from generator.read.history import added_times, full_day
from generator.read.listing import read_listing
from generator.report import Report
from tests.conftest import copy_project

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

PAPER = "{title}\n\nWe study {title} with care and report what we found about it.\n"


def commit(root: Path, when: str, message: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "commit", "-qm", message], check=True, env=env)


def test_full_days():
    march = 1_742_400_000  # 2025-03-19 16:00 UTC
    assert full_day("Mar 19", march) == "2025-03-19"
    assert full_day("Mar 20", march) == "2024-03-20"  # not after the day it arrived
    assert full_day("Dec 31", march) == "2024-12-31"
    assert full_day("Feb 29", march) == "2024-02-29"  # the leap year before
    assert full_day("Mar 19, 2021", march) == "2021-03-19"  # its own year wins
    assert full_day("2022-07-01", None) == "2022-07-01"
    assert full_day("Mar 19", None) == "" and full_day("", march) == ""
    assert full_day("Feb 30", march) == ""
    # Ordinals, full month names and the day first
    assert full_day("March 19th, 2024", None) == full_day("19 Mar 2024", None) == "2024-03-19"
    assert full_day("1st Feb.", march) == full_day("February 1", march) == "2025-02-01"


def test_a_listing_dated_day_first_or_with_an_ordinal_has_its_date_and_no_bogus_paper():
    for line in ("March 19th, 2024", "19 March 2024", "19th Mar"):
        report = Report()
        text = f"{line}\n\nA Title\n\nAn abstract. It has two sentences.\n"
        listing = read_listing("x.txt", text.encode(), report)
        assert listing.date == line and not report.problems
        assert [(r.title, r.line) for r in listing.records] == [("A Title", 3)]


def test_no_history_means_no_times(tmp_path):
    assert added_times(tmp_path) == {}


def test_a_later_listing_sorted_earlier_takes_no_url(tmp_path):
    project = copy_project(tmp_path)
    for old in project.listings_dir.iterdir():
        old.unlink()
    (project.site_src / "curation.yaml").write_text("")
    subprocess.run(["git", "init", "-q", str(project.root)], check=True)
    (project.listings_dir / "m.txt").write_text(
        "Mar 19\n\n" + PAPER.format(title="Attention in C++")
    )
    commit(project.root, "2025-04-01T12:00:00Z", "first listing")
    report = Report()
    before = {p.title: p.slug for p in build_catalogue(project, report).papers}
    # Named to sort first, holding a title that slugifies like the first one's.
    (project.listings_dir / "a.txt").write_text("Jan 5\n\n" + PAPER.format(title="Attention in C#"))
    commit(project.root, "2026-01-10T12:00:00Z", "second listing")
    catalogue = build_catalogue(project, Report())
    after = {p.title: p.slug for p in catalogue.papers}
    assert after["Attention in C++"] == before["Attention in C++"] == "attention-in-c"
    assert after["Attention in C#"] != "attention-in-c"
    assert [(item.source, item.day) for item in catalogue.listings] == [
        ("m.txt", "2025-03-19"),
        ("a.txt", "2026-01-05"),
    ]
    # A file git has not seen yet comes last, and its date has no year.
    (project.listings_dir / "0.txt").write_text("Feb 2\n\n" + PAPER.format(title="New Work"))
    catalogue = build_catalogue(project, Report())
    assert [(item.source, item.day) for item in catalogue.listings][-1] == ("0.txt", "")
