"""The catalogue as a MkDocs plugin (`plugins: [catalogue]` in mkdocs.yml), modelled on Material's
blog plugin: `on_config` reads, tags and relates the catalogue (Pagefind indexes it from its tags
on), `on_files` adds every generated page and download (a file in docs/ wins), the page events fill
paper pages into their kind's chrome, `on_post_build` puts pages kept from the last build in place
and lays out the Pagefind index and the sitemap, `on_serve` watches site_src/ too (ARCHITECTURE.md,
"The build"). Only public plugin events, `File.generated` and a `Page` subclass: no function of
MkDocs or of the theme is replaced."""

from __future__ import annotations

import html
import logging
import re
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from urllib.parse import urljoin

from jinja2 import Environment
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from tqdm import tqdm

from generator.cache import Cache, content_key
from generator.exports import sitemap
from generator.pipeline import (
    PLUGIN_LOGGER,
    Project,
    SiteFiles,
    relate,
    site_files,
    tagged_catalogue,
)
from generator.progress import Progress
from generator.render.pages import (
    Ready,
    paper_key,
    paper_matter,
    paper_meta,
    paper_page_files,
    render_paper,
)
from generator.render.paginate import Browse
from generator.report import Report
from generator.search import pagefind as pagefind_search
from generator.site import chrome, kept, publish
from generator.site.address import Site
from generator.site.compact import compact
from generator.site.pages import ReadyFile, ReadyPage
from generator.site.writer import write_atomic

log = logging.getLogger(PLUGIN_LOGGER)
# The plugin's layer of the theme: templates that extend Material's (paper meta tags,
# Pagefind's search), icon stand-ins, and static files (styles, the Papers page's filters).
THEME = Path(__file__).with_name("theme")
STYLE = "static/catalogue.css"
# The reading list's stars and page; it loads the Papers page's filters (browse.js) there.
SCRIPT = "static/reading.js"


class CatalogueConfig(Config):
    """The plugin's options in mkdocs.yml."""

    # The folder (beside mkdocs.yml) holding listings/, papers/, taxonomy.yaml, curation.yaml.
    source = opt.Type(str, default="site_src")
    # Papers a list page (Papers, a tag) shows; later pages are page-2/, page-3/...
    per_page = opt.Type(int, default=500)
    # Above this many papers (by default always) Pagefind searches the site instead of
    # Material's search; the offline site keeps Material's.
    pagefind_above = opt.Type(int, default=pagefind_search.DEFAULT_ABOVE)
    # Above this many papers the Papers page filters through Pagefind instead of facets.js.
    pagefind_filters_above = opt.Type(int, default=pagefind_search.DEFAULT_FILTERS_ABOVE)
    # About how many papers one Pagefind bundle indexes (its memory grows with it).
    bundle_papers = opt.Type(int, default=pagefind_search.DEFAULT_BUNDLE_PAPERS)
    # The year of listings' capture dates, which have none (the feeds' dates).
    capture_year = opt.Type(int, default=Site.capture_year)
    # An empty catalogue is an error unless this says it is meant.
    allow_empty = opt.Type(bool, default=False)
    # Paper pages filled into the theme's page rendered once per kind (generator/site/chrome.py);
    # false renders each through the theme (the same bytes, slower).
    fast_pages = opt.Type(bool, default=True)


class CataloguePlugin(BasePlugin[CatalogueConfig]):
    """Adds the catalogue's pages and downloads to a MkDocs site."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.report = Report()
        self.indexing: pagefind_search.Indexing | None = None
        self.progress = Progress()
        self.pages_bar: tqdm | None = None
        self.chromes: dict[tuple, chrome.Chrome | None] = {}
        self.chrome_keys: dict[tuple, str] = {}
        self.contexts: dict[tuple, dict] = {}
        self.store: kept.Store | None = None
        self.kept: list[kept.KeptFile] = []
        self.holding, self.lock_held = ExitStack(), False  # the catalogue's build lock

    @event_priority(100)  # before Material's search plugin reads whether it is enabled
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        for name in ("per_page", "bundle_papers"):
            if isinstance(self.config[name], bool) or self.config[name] < 1:
                raise PluginError(f"catalogue: {name} must be at least 1")
        if not 1 <= self.config.capture_year <= 9998:
            raise PluginError("catalogue: capture_year must be a year from 1 to 9998")
        _add_theme_layer(config)
        root = Path(config.config_file_path).resolve().parent
        if not self.lock_held:  # by `make build` (publish.py); else taken until the build ends
            self.holding.enter_context(publish.lock(root))
        self.project = Project(root, self.config.source)
        if not self.project.site_src.is_dir():
            raise PluginError(
                f"catalogue: no folder {self.config.source}/ beside mkdocs.yml; "
                "make it and put listings in its listings/ folder, or set `source`."
            )
        if Path(config.site_dir).resolve().is_relative_to(self.project.site_src.resolve()):
            why = "whose *.bib files are read: the site would be read back as input"
            raise PluginError(f"catalogue: site_dir is inside `source` ({why}); move one.")
        self.report = Report()
        cache = Cache(self.project.cache_dir)  # the stages' results, by content
        tagged = tagged_catalogue(self.project, self.report, cache, self.progress)
        for problem in self.report.problems:
            (log.error if problem.fatal else log.warning)(str(problem))
        if self.report.fatal:
            raise PluginError(
                f"{len(self.report.fatal)} configuration problem(s) above; nothing was built."
            )
        if not tagged.papers and not self.config.allow_empty:
            raise PluginError(
                f"no papers: {self.config.source}/listings/ holds no listing with papers. Add "
                "listings, or set the catalogue plugin's allow_empty: true to build an empty site."
            )
        papers = len(tagged.papers)
        self.pagefind = papers > self.config.pagefind_above and not _offline(config)
        self.filters = self.pagefind and papers > self.config.pagefind_filters_above
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if self.pagefind:
            config.extra["search_engine"] = "pagefind"
            if search is not None and "enabled" in search.config:
                search.config.enabled = False
        url = config.site_url or ""
        if _UNSAFE_URL.search(url):
            raise PluginError(
                f"site_url {url!r:.80} holds a character a URL cannot (a quote, a space, < or >); "
                "set SITE_URL or mkdocs.yml's site_url to the plain address, percent-encoded."
            )
        self.site = Site(url, config.site_name, self.config.capture_year)  # MkDocs ends it with /
        if self.pagefind:  # it indexes the papers while they are related and their pages made
            self.indexing = pagefind_search.start_index(
                tagged, self.project.cache_dir, self.config.bundle_papers, self.filters
            )
        self.catalogue = relate(tagged, cache, self.progress)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        browse = Browse(per_page=self.config.per_page, pagefind=self.filters)
        made = site_files(self.catalogue, self.site, browse)
        titles = dict(nav_titles(config.nav))  # the nav's pages keep its titles
        links: dict = {}
        # Paper pages may be kept from the last build while no other plugin reads pages'
        # content (Material's search is off when Pagefind searches the site).
        self.store, self.kept, self.files = None, [], files
        if self.pagefind and self.config.fast_pages:
            key = kept.site_key(Path(config.config_file_path))
            self.store = kept.Store(self.project.cache_dir / "pages", key)
        with self.progress.stage("pages", len(made.ready) + len(made.papers)):
            for path in made.paths():
                if path in files.src_uris:
                    log.info("docs/%s is kept: it replaces the generated page", path)
                    continue
                files.append(self._file(config, made, path, links, titles))
        return files

    def _file(
        self,
        config: MkDocsConfig,
        made: SiteFiles,
        path: str,
        links: dict,
        titles: dict[str, str | None],
    ) -> File:
        """The generated file at `path`; a page with the title the nav gives it (`titles`,
        by path). A paper page out of the nav, filled into its chrome, is made only when
        MkDocs writes it (`on_page_context`), or kept from the last build; a download is
        made when MkDocs writes it."""
        paper, catalogue, site = made.papers.get(path), made.catalogue, made.site
        if paper is not None and path not in titles and self.config.fast_pages:
            file = ReadyFile.made(config, path, partial(render_paper, catalogue, paper, site))
            key = None
            if self.store is not None:
                key = paper_key(catalogue, paper, site)
                kind = chrome.kind(file.url, paper_matter())  # the kind ignores the head
                if self.store.keeps(file.dest_uri, key, kind):
                    remake = partial(self._remake, config, made, path, links)
                    self.kept.append(kept.KeptFile(config, path, file.dest_uri, remake))
                    return self.kept[-1]
            meta = paper_meta(paper, site)  # its front matter alone
            page = ReadyPage(file, config, Ready(meta, "", ()), links)
            page.make = partial(paper_page_files, catalogue, paper, site, meta)
            page.key = key
            return file
        ready = paper_page_files(catalogue, paper, site) if paper else made.ready.get(path)
        if ready is not None:
            file = ReadyFile.made(config, path, ready)
            ReadyPage(file, config, ready, links, titles.get(path))
            return file
        if path in made.markdown:
            return File.generated(config, path, content=made.markdown[path])
        return ReadyFile.made(config, path, partial(made.downloads.__getitem__, path))

    def _remake(self, config: MkDocsConfig, made: SiteFiles, path: str, links: dict) -> None:
        """Make and write a kept page whose chrome changed, as MkDocs would have."""
        file = self._file(config, made, path, links, {})  # the store keeps no more
        page = file.page
        assert isinstance(page, ReadyPage)
        page.read_source(config)
        page.render(config, self.files)
        context = self.contexts[chrome.kind(file.url, page.meta)]
        self.on_page_content("", page=page, config=config, files=self.files)
        self.on_page_context(dict(context, page=page), page=page, config=config, nav=None)
        output = config.plugins.on_post_page(page.catalogue_filled or "", page=page, config=config)
        write_atomic(Path(file.abs_dest_path), output.encode("utf-8", "xmlcharrefreplace"))

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        self.env = env  # MkDocs calls on_env before it renders any page
        # JSON in pages (Material's config, a paper's JSON-LD) without spaces: Jinja's policy
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
        self.chromes, self.chrome_keys, self.contexts = {}, {}, {}
        return env

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files):
        if self.config.fast_pages and isinstance(page, ReadyPage) and "paper" in page.meta:
            page.chrome_template = page.meta.get("template", "main.html")
            page.meta["template"] = chrome.FILLED
        return html

    @event_priority(50)  # a generated page is made here, before another plugin reads it
    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        if not isinstance(page, ReadyPage):
            return context
        if page.chrome_template is None:
            page.render_late(config)
            return context
        template = page.chrome_template
        if page.meta.get("template") == chrome.FILLED:  # what the stand-in must not see
            page.meta.pop("template")
            if template != "main.html":
                page.meta["template"] = template
        key = chrome.kind(page.url, page.meta)
        self.contexts.setdefault(key, context)
        if key not in self.chromes:
            made = self.chromes[key] = chrome.make(self.env, template, context, page)
            if made is None:
                log.info("%s: rendered in full (its template changes a slot)", template)
            else:
                self.chrome_keys[key] = content_key([*made.parts, *made.slots])
        made = self.chromes[key]
        if self.store is not None and page.key is not None and made is not None:
            self.store.wrote(page.file.dest_uri, page.key, self.chrome_keys[key])
        page.render_late(config)
        if made is None:
            page.catalogue_filled = self.env.get_template(template).render(context)
        else:
            page.catalogue_filled = made.fill(chrome.values(page, self.env))
        return context

    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page | None:
        if self.pages_bar is None:  # MkDocs reads every page, then writes every page
            self.pages_bar = self.progress.bar("mkdocs", 2 * len(files.documentation_pages()))
        self.pages_bar.update()
        return page

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.pages_bar is not None:
            self.pages_bar.update()
        if isinstance(page, ReadyPage):
            page.written()
        return compact(output)

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        return compact(output_content)

    def _close_bar(self) -> None:
        if self.pages_bar is not None:
            self.pages_bar.close()
            self.pages_bar = None

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._close_bar()
        site_dir = Path(config.site_dir)
        if self.indexing is not None:
            with self.progress.stage("search", len(self.catalogue.papers)):
                try:
                    self.indexing.finish(site_dir / pagefind_search.OUTPUT)
                except pagefind_search.IndexingError as error:  # one line, as MkDocs logs it
                    raise PluginError(str(error)) from None
            self.indexing = None
        if self.store is not None:
            self.store.finish(site_dir, self.kept, set(self.chrome_keys.values()))
        kept_urls = [html.escape(urljoin(self.site.url, file.url)) for file in self.kept]
        sitemap.rewrite(site_dir, self.site.url, kept_urls)
        self.holding.close()

    def on_build_error(self, *, error: Exception) -> None:
        self._close_bar()
        if self.indexing is not None:
            self.indexing.kill()
            self.indexing = None
        self.holding.close()

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        server.watch(str(self.project.site_src))
        return server


def nav_titles(items: object, title: str | None = None) -> list[tuple[str, str | None]]:
    """The docs-relative paths mkdocs.yml's `nav` names, each with its title there (None
    for a bare path: the page's own heading, as MkDocs takes it)."""
    if isinstance(items, str):
        return [(items, title)]
    if isinstance(items, dict):
        items = [nav_titles(value, key) for key, value in items.items()]
        return [pair for pairs in items for pair in pairs]
    if isinstance(items, list):
        return [pair for item in items for pair in nav_titles(item)]
    return []


def _add_theme_layer(config: MkDocsConfig) -> None:
    """The plugin's templates and static files between the user's `custom_dir` (which
    overrides them) and the theme's; its styles and scripts on every page."""
    dirs = config.theme.dirs
    if str(THEME) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
    config.theme.static_templates.add("robots.txt")
    if STYLE not in config.extra_css:
        config.extra_css.append(STYLE)
    if SCRIPT not in [str(script) for script in config.extra_javascript]:
        config.extra_javascript.append(SCRIPT)


def _offline(config: MkDocsConfig) -> bool:
    """Whether Material's offline plugin is on: a site for file://, where only its search works."""
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(offline is not None and offline.config.get("enabled"))


_UNSAFE_URL = re.compile(r"[\s\"'<>`\\\x00-\x1f\x7f]")
