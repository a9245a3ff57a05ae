"""Reading speed of the record readers: `python -m tests.bench_records [N]`.

Generates N FICTIONAL records in each format (BibTeX with LaTeX in every title, YAML,
JSON) in memory and times each reader. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import json
import sys
import time

from generator.read.bibtex import read_bibtex
from generator.read.records import read_json_records, read_yaml_records
from generator.report import Report


def inputs(n: int) -> dict[str, bytes]:
    bib = "".join(
        f"@inproceedings{{fict{i},\n"
        f'  title = {{Fictional {{BERT}} Paper {i} with {{\\"U}}mlauts and $\\alpha$}},\n'
        f"  author = {{Example, Ada and Sample, Bob{i} and others}},\n"
        f"  booktitle = {{Fictional Workshop}}, year = 2024, month = mar,\n"
        f"  eprint = {{2402.{90000 + i % 9999:05d}}}, archivePrefix = {{arXiv}},\n}}\n\n"
        for i in range(n)
    )
    yml = "".join(
        f"- title: Fictional Paper {i}\n  authors: [Ada Example, Bob Sample{i}]\n"
        f'  arxiv_id: "2401.{90000 + i % 9999:05d}"\n  published: 2024-01-15\n'
        for i in range(n)
    )
    records = [
        {"title": f"Fictional Paper {i}", "authors": ["Ada Example"], "published": "2024-01-15"}
        for i in range(n)
    ]
    return {
        "bib": bib.encode(),
        "yaml": yml.encode(),
        "json": json.dumps(records, indent=1).encode(),
    }


def main(n: int) -> None:
    readers = {"bib": read_bibtex, "yaml": read_yaml_records, "json": read_json_records}
    for name, data in inputs(n).items():
        report = Report()
        started = time.perf_counter()
        records = readers[name](f"bench.{name}", data, report)
        took = time.perf_counter() - started
        print(
            f"{name:>4}: {len(records)} records, {len(report)} warnings, {took:.2f} s, "
            f"{took / n * 1000:.2f} ms per record"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 4000)
