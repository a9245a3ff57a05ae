"""Command line: `python -m generator build|dist|serve|markdown|check|search`."""

from __future__ import annotations

import argparse
import difflib
import importlib
import logging
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, MkDocsException

from generator import __version__
from generator.cache import Cache, content_key
from generator.exports.papers import paper_url
from generator.pipeline import BuildResult, Project, build, build_catalogue, read_catalogue
from generator.progress import Progress
from generator.report import Report, printable
from generator.site.publish import build_dist

TITLE_BOOST = 1000  # the terminal search weighs a title match as Material's search does
_LUNR_SYNTAX = re.compile(r"[:*^~+\-]")  # lunr query operators; a stray one must not fail


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    root_help = "catalogue folder holding mkdocs.yml and site_src/ (default: .)"
    parser.add_argument("--root", type=Path, default=Path.cwd(), help=root_help)
    # --root also after the command: `build --root x` as well as `--root x build`.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=argparse.SUPPRESS, help=root_help)
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        """A subcommand whose help is its description too, taking --root."""
        return commands.add_parser(name, help=help, description=help, parents=[common])

    strict = "exit non-zero if there was any warning (site/ is kept as it was)"
    build_cmd = command("build", help="build site/ with MkDocs (as `mkdocs build`)")
    build_cmd.add_argument("--strict", action="store_true", help=strict)
    markdown_cmd = command("markdown", help="write every generated page's Markdown into a folder")
    markdown_cmd.add_argument("folder", type=Path, help="where to write them (made if missing)")
    command("dist", help="build the site for file:// into dist/paper-catalogue/ and zip it")
    serve_cmd = command("serve", help="live preview, regenerating on changes")
    serve_cmd.add_argument("--addr", default="127.0.0.1:8000", help="host:port to serve on")
    check_cmd = command("check", help="read and check everything the build reads; build nothing")
    check_cmd.add_argument("--strict", action="store_true", help="exit 1 on any warning")
    search_cmd = command("search", help="search the catalogue from the terminal")
    search_cmd.add_argument("query", help="words to find, ranked as the site ranks them")
    search_cmd.add_argument("--limit", type=int, default=10, help="at most this many results")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)-8s %(message)s")
    project = Project(args.root.resolve())
    try:
        if not project.config_file.is_file():
            print(
                f"{printable(str(project.root))} is not a catalogue (no mkdocs.yml there); run "
                "this in the folder holding mkdocs.yml and site_src/, or give --root FOLDER.",
                file=sys.stderr,
            )
            return 2
        return _run(args, project)
    except KeyboardInterrupt:
        print("Interrupted; site/ is as it was before this build.", file=sys.stderr)
        return 130
    except OSError as error:  # a folder that cannot be written, a full disk...
        where = f"{error.filename}: " if error.filename else ""
        print(
            f"ERROR    {printable(where)}{error.strerror or error}; check its permissions and "
            "the free space, then build again (site/ is as it was).",
            file=sys.stderr,
        )
        return 1
    except Abort:  # MkDocs has logged why
        pass
    except MkDocsException as error:  # mkdocs.yml that cannot be read
        print(f"ERROR    {printable(' '.join(error.format_message().split()))}", file=sys.stderr)
    for hint in _unknown_settings(project.config_file):
        print(hint, file=sys.stderr)
    return 1


def _run(args: argparse.Namespace, project: Project) -> int:
    started = time.perf_counter()
    if args.command in ("build", "dist", "serve"):
        _theme_notices()
    if args.command == "check":
        return _check(project, args.strict)
    if args.command == "search":
        return _search(project, args.query, args.limit)
    if args.command == "serve":
        from mkdocs.commands.serve import serve

        # The plugin rebuilds when site_src/ or docs/ changes.
        serve(str(project.config_file), dev_addr=args.addr, livereload=True)
        return 0
    if args.command == "dist":
        result, archive = build_dist(project)
        _summary(result, started)
        print(f"{archive} ({archive.stat().st_size // 1024} KB); open index.html inside it.")
        return 0
    if args.command == "markdown":
        return _markdown(project, args.folder)
    result = build(project, strict=args.strict)
    _summary(result, started)
    if args.strict and result.warnings:
        print(
            f"Strict mode: {result.warnings} warning(s) above; site/ was not replaced.",
            file=sys.stderr,
        )
        return 1
    return 0


def _unknown_settings(config_file: Path) -> Iterator[str]:
    """A line for each top-level key of mkdocs.yml that MkDocs does not know, with the
    setting it may be a misspelling of: the error it leads to can name something else
    (a misspelt `theme:` leaves the theme's plugins "not installed")."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(config_file, "rb") as handle:
            data = yaml_load(handle)
    except Exception:  # the error above already says why it cannot be read
        return
    known = set(MkDocsConfig(config_file_path=None).keys())
    for key in data if isinstance(data, dict) else {}:
        if isinstance(key, str) and key not in known:
            near = difflib.get_close_matches(key, sorted(known), n=1)
            maybe = f" (did you mean '{near[0]}'?)" if near else ""
            yield (
                f"ERROR    mkdocs.yml: '{printable(key)}' is not a MkDocs setting{maybe}; "
                "the error above may follow from it."
            )


def _theme_notices() -> None:
    """Let Material print its notices (such as its end of life), which it shows only when
    the `mkdocs` command runs: these commands run MkDocs too. Its own switch,
    NO_MKDOCS_2_WARNING, still silences them."""
    name, sys.argv[0] = sys.argv[0], "mkdocs"
    try:
        importlib.import_module("material.templates")  # its import prints them, once
    finally:
        sys.argv[0] = name


def _check(project: Project, strict: bool) -> int:
    """Everything the build reads (mkdocs.yml, listings, records, taxonomy, curation), read and
    analysed, its problems reported; the exit code a build would have (strict: any)."""
    load_config(str(project.config_file))  # mkdocs.yml too: what it cannot read ends here
    report = Report()
    catalogue = build_catalogue(project, report)
    report.print()
    print(
        f"{len(catalogue.papers)} papers from {len(catalogue.listings)} listings, "
        f"{len(catalogue.tags)} tags; {len(report)} problem(s).",
        file=sys.stderr,
    )
    return 1 if report.fatal or (strict and len(report)) else 0


def _search(project: Project, query: str, limit: int) -> int:
    """Print title and full URL of the best `limit` matches among the papers the site shows
    (records, curation and hiding applied), ranked by lunr.py as the site's search ranks,
    ties in score broken on slug; exit 1 when nothing matched. lunr's index is cached by
    the papers' content, so repeated searches of an unchanged catalogue skip building it."""
    from lunr import lunr
    from lunr.exceptions import BaseLunrException

    if not query.strip():
        print('Give words to search for, e.g. search "linear attention".', file=sys.stderr)
        return 2
    read = read_catalogue(project, Report(), Progress(show=False))
    papers = sorted(read.curated.papers, key=lambda p: p.slug)
    parts = [part for p in papers for part in (p.slug, p.title, p.abstract)]
    documents = [{"id": p.slug, "title": p.title, "text": p.abstract} for p in papers]
    fields = [{"field_name": "title", "boost": TITLE_BOOST}, "text"]
    index = Cache(project.cache_dir).get_or_compute(
        "lunr", content_key(parts), lambda: lunr("id", fields, documents)
    )
    try:
        results = index.search(query)
    except BaseLunrException:  # lunr syntax the user did not mean: search the words
        results = index.search(_LUNR_SYNTAX.sub(" ", query))
    site_url = load_config(str(project.config_file)).site_url or ""  # MkDocs ends it with /
    titles = {p.slug: p.title for p in papers}
    ranked = sorted(results, key=lambda r: (-r["score"], r["ref"]))[:limit]
    for hit in ranked:
        print(f"{printable(titles[hit['ref']])}\n    {site_url}{paper_url(hit['ref'])}")
    if not ranked:
        print(f"No paper matches {printable(repr(query))}.", file=sys.stderr)
    return 0 if ranked else 1


def _markdown(project: Project, folder: Path) -> int:
    """Every generated page's Markdown and every download under `folder`, as the plugin
    hands them to MkDocs (with no site URL)."""
    from generator.pipeline import markdown_files, site_files
    from generator.render.paginate import Browse
    from generator.site.address import Site
    from generator.site.writer import write_files

    report = Report()
    made = site_files(build_catalogue(project, report), Site(), Browse())
    count = write_files(folder, markdown_files(made))
    report.print()
    print(f"{count} files written under {folder}.", file=sys.stderr)
    return 0


def _summary(result: BuildResult, started: float) -> None:
    """The build's warnings by file, then its counts and time."""
    print(result.report.summary(len(result.mkdocs_warnings)), file=sys.stderr)
    catalogue = result.catalogue
    print(
        f"{len(catalogue.papers)} papers, {len(catalogue.listings)} listings, "
        f"{len(catalogue.tags)} tags; {result.warnings} warning(s); "
        f"{time.perf_counter() - started:.1f}s",
        file=sys.stderr,
    )
