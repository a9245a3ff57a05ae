"""The golden catalogue: a small input whose generated pages and downloads are kept in the repo.

Regenerate after an intended change with `make golden` (`python -m tests.golden`), then
review the diff with `git diff tests/golden/expected`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.pipeline import Project, build_catalogue, markdown_files, site_files
from generator.render.paginate import Browse
from generator.report import Report
from generator.site.address import Site
from generator.site.writer import write_files

HERE = Path(__file__).resolve().parent
INPUT = HERE / "input"
EXPECTED = HERE / "expected"


def build_golden(target: Path) -> Path:
    """Write the golden input's generated pages and downloads (`markdown_files`) into
    `target`/docs; return that folder."""
    shutil.copytree(INPUT, target / "site_src")
    catalogue = build_catalogue(Project(target), Report())
    write_files(target / "docs", markdown_files(site_files(catalogue, Site(), Browse())))
    return target / "docs"


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as temp:
        docs = build_golden(Path(temp))
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(docs, EXPECTED)
    print(f"regenerated {EXPECTED}")
