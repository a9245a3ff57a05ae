"""The build's memory budget: whether Pagefind may index while MkDocs builds.

Both at once is fastest, but at tens of thousands of papers the MkDocs processes and a
Pagefind run together would take more than `extra.catalogue_build.memory_mb` (mkdocs.yml,
default 2,000 MB); then Pagefind waits for MkDocs to finish (`pagefind_search.Indexing.
hold`). The estimate is this process's resident memory plus sizes measured on this
project's synthetic catalogues with /proc's proportional set sizes (`make bench`).
"""

from __future__ import annotations

import os

DEFAULT_MB = 2000
MKDOCS_BASE_MB = 130  # an MkDocs worker process before it reads the site
MKDOCS_PAGE_KB = 8  # and per page of the site: 491 MB at 51,600 pages (7.1 KB)
PAGEFIND_RECORD_KB = 115  # a Pagefind run per record: 688 MB for 6,000 records


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


def search_waits(extra: object, pages: int, workers: int, records: int) -> bool:
    """Whether Pagefind, indexing runs of up to `records` records, should wait while
    MkDocs builds `pages` pages in `workers` processes (this one among them)."""
    per_process = pages * MKDOCS_PAGE_KB / 1024
    mkdocs = resident_mb() + per_process + (workers - 1) * (MKDOCS_BASE_MB + per_process)
    search = records * PAGEFIND_RECORD_KB / 1024
    return mkdocs + search > memory_mb(extra)
