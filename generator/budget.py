"""The build's memory budget: whether Pagefind may index while the catalogue is analysed,
docs/ is written and MkDocs builds.

All at once is fastest, but at tens of thousands of papers the analysis, the forked
writers or the MkDocs processes, with a Pagefind run beside them, would take more than
`extra.catalogue_build.memory_mb` (mkdocs.yml, default 2,000 MB); then Pagefind waits for
MkDocs to finish (`pagefind_search.Indexing.release`). The estimate is this process's
resident memory plus sizes measured on this project's synthetic catalogues as
proportional set sizes (`make bench`; 50,000 papers, two workers).
"""

from __future__ import annotations

import os

DEFAULT_MB = 2000
WRITER_PAPER_KB = 11  # a forked writer, per paper of the catalogue: 550 MB at 50,000
MKDOCS_BASE_MB = 130  # an MkDocs process before it reads the site
MKDOCS_PAGE_KB = 8  # and per page of the site: 470 MB at 51,600 pages (6.6 KB)
PAGEFIND_RECORD_KB = 115  # a Pagefind run per record: 688 MB for 6,000 records
REST_PAPER_KB = 28  # the process writing list pages and downloads: 1,394 MB at 50,000
ANALYSIS_PAPER_KB = 40  # the forked analysis (text matrices): 385 MB at 10,000


def memory_mb(extra: object) -> int:
    """`extra.catalogue_build.memory_mb`, else DEFAULT_MB."""
    settings = extra.get("catalogue_build") if isinstance(extra, dict) else None
    value = settings.get("memory_mb") if isinstance(settings, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return DEFAULT_MB


def resident_mb() -> float:
    """This process's resident memory now, in MB (0 where /proc is missing)."""
    try:
        with open(f"/proc/{os.getpid()}/statm") as handle:
            pages = int(handle.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def search_waits(extra: object, papers: int, workers: int, records: int) -> bool:
    """Whether Pagefind, indexing runs of up to `records` records, should wait until
    MkDocs is done: the analysis of `papers` papers is still running, then `workers`
    processes write docs/ and build the site of about `papers` pages (in this process
    when there is one)."""
    if records == 0:
        return False  # every bundle's index is cached: nothing runs
    if workers > 1:
        writing = workers * papers * WRITER_PAPER_KB / 1024
        building = workers * (MKDOCS_BASE_MB + papers * MKDOCS_PAGE_KB / 1024)
    else:
        writing, building = 0.0, papers * MKDOCS_PAGE_KB / 1024
    search = records * PAGEFIND_RECORD_KB / 1024
    analysis = papers * ANALYSIS_PAPER_KB / 1024
    return resident_mb() + max(analysis, writing, building) + search > memory_mb(extra)


def writers_together(extra: object, papers: int, count: int, shares: int = 0) -> bool:
    """Whether `count` processes writing the list pages and the downloads of `papers`
    papers may run at once, beside this process (and `shares` processes writing paper
    pages)."""
    writing = count * papers * REST_PAPER_KB + shares * papers * WRITER_PAPER_KB
    return resident_mb() + writing / 1024 <= memory_mb(extra)


def workers_early(extra: object, papers: int, workers: int, records: int) -> bool:
    """Whether the `workers` MkDocs processes may start (and import MkDocs) while the
    catalogue is analysed and docs/ written, beside the analysis, then the writers, and
    Pagefind indexing up to `records` records."""
    writing = (
        max(workers * papers * WRITER_PAPER_KB, papers * REST_PAPER_KB, papers * ANALYSIS_PAPER_KB)
        / 1024
    )
    search = records * PAGEFIND_RECORD_KB / 1024
    waiting = workers * MKDOCS_BASE_MB
    return resident_mb() + writing + search + waiting <= memory_mb(extra)


def pages_early(extra: object, papers: int, workers: int, records: int) -> bool:
    """Whether the list pages may be written (a forked writer) while the catalogue is
    analysed, beside the analysis, `workers` waiting MkDocs processes and Pagefind
    indexing up to `records` records."""
    writing = papers * (REST_PAPER_KB + ANALYSIS_PAPER_KB) / 1024
    search = records * PAGEFIND_RECORD_KB / 1024
    waiting = workers * MKDOCS_BASE_MB
    return resident_mb() + writing + search + waiting <= memory_mb(extra)
