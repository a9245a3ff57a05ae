/* The reading list, kept in this browser's localStorage (nothing leaves the browser), two
 * fixes to Material's search (its Share button, its dialog's name), and the marking of a
 * search's words on the page a Pagefind result leads to (`?h=words`).
 *
 * A star button follows a paper's title on its page, each paper in a list and each paper
 * in search results. The Reading list page (its #cat-reading-list element) shows the starred
 * papers, exports them as BibTeX or JSON, imports a JSON export back, and suggests more
 * papers from the related papers the build computed. What it needs beyond titles (BibTeX
 * entries, related papers) comes from reading/<n>.js shards (by a hash of the slug;
 * reading/meta.js says how many), loaded with
 * <script> tags (so from file:// too) only for the papers shown. Built with DOM APIs and
 * textContent throughout.
 */
(function () {
  "use strict";
  var configNode = document.getElementById("__config");
  if (!configNode) return;
  var config = JSON.parse(configNode.textContent);
  var base = new URL(config.base.replace(/\/?$/, "/"), location.href);
  var KEY = base.pathname + "catalogue.reading";
  var PAPER = /^papers\/([a-z0-9-]+)(?:\/|\.html)$/;
  // The site's page addresses: directory URLs, or .html files (the offline site).
  var logo = document.querySelector(".md-logo");
  var htmlFiles = /index\.html$/.test((logo && logo.getAttribute("href")) || "");

  function read() {
    try {
      var items = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(items) ? items.filter(valid) : [];
    } catch (error) {
      return [];
    }
  }
  function write(items) {
    try { localStorage.setItem(KEY, JSON.stringify(items)); } catch (error) { /* full or off */ }
    document.dispatchEvent(new CustomEvent("catalogue:reading"));
  }
  function valid(item) {
    return item && typeof item.slug === "string" && /^[a-z0-9-]+$/.test(item.slug) &&
      typeof item.title === "string";
  }
  function toggle(slug, title) {
    var items = read();
    var kept = items.filter(function (item) { return item.slug !== slug; });
    if (kept.length === items.length) kept.push({slug: slug, title: title});
    write(kept);
  }
  function pageUrl(slug) {
    return new URL(htmlFiles ? "papers/" + slug + ".html" : "papers/" + slug + "/", base).href;
  }
  function slugOf(href) {
    var url = new URL(href, location.href);
    if (url.origin !== base.origin || url.pathname.indexOf(base.pathname) !== 0) return null;
    var match = PAPER.exec(url.pathname.slice(base.pathname.length));
    return match ? match[1] : null;
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Star buttons. */
  // What is starred, read once and again whenever the list changes (here or in another tab):
  // every star button is painted from it.
  var starred = {};
  function restar() {
    starred = {};
    read().forEach(function (item) { starred[item.slug] = true; });
    document.querySelectorAll(".cat-star").forEach(paint);
  }
  function paint(button) {
    var on = starred[button.dataset.slug] === true;
    var labelled = button.classList.contains("cat-star--labelled");
    var label = on ? "In your reading list" : "Add to reading list";
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.setAttribute(
      "aria-label", (on ? "Remove from" : "Add to") + " reading list: " + button.dataset.title);
    if (!labelled) button.title = label;
    button.textContent = (on ? "\u2605" : "\u2606") + (labelled ? " " + label : "");
  }
  function star(slug, title, labelled) {
    var button = el("button", {type: "button", class: "cat-star", "data-slug": slug, "data-title": title});
    if (labelled) button.classList.add("cat-star--labelled");
    button.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      toggle(slug, title);
    });
    paint(button);
    return button;
  }
  restar();
  document.addEventListener("catalogue:reading", restar);  // before any page's own listener
  function addStars(scope) {
    var links = scope.querySelectorAll(
      ".md-content li > a:first-child, .pagefind-ui__result-link, .md-search-result__link");
    links.forEach(function (link) {
      if (link.dataset.catalogueStar) return;
      var slug = slugOf(link.href);
      if (!slug) return;
      link.dataset.catalogueStar = "1";
      var title = (link.querySelector("h1") || link).textContent.trim();
      var star_ = star(slug, title);
      if (link.matches(".md-search-result__link")) link.querySelector("article").appendChild(star_);
      else link.after(" ", star_);
    });
  }
  function paperPage() {
    var heading = document.querySelector(".md-content h1");
    var slug = slugOf(location.href);
    if (!heading || !slug || !document.querySelector('meta[name="citation_title"]')) return;
    heading.after(star(slug, heading.textContent.trim(), true));
  }

  /* Data files (reading/, similar/): scripts calling window[callback](name, data), each
     loaded once with a <script> tag, so from file:// too; one that fails gives null. */
  function loader(folder, callback) {
    var files = {};
    window[callback] = function (name, data) {
      if (files[name]) files[name].resolve(data);
    };
    return function (name) {
      if (!files[name]) {
        var done;
        var promise = new Promise(function (resolve) { done = resolve; });
        files[name] = {promise: promise, resolve: done};
        var script = el("script", {src: new URL(folder + "/" + name + ".js", base).href});
        script.onerror = function () { done(null); };
        document.head.appendChild(script);
      }
      return files[name].promise;
    };
  }
  /* Shards: what the reading list page needs beyond titles. */
  var shard = loader("reading", "catalogueShard");
  function shardOf(text, count) {  // FNV-1a over code points, as exports/reading.py's shard_of
    var hash = 0x811c9dc5;
    for (var char of text) hash = Math.imul(hash ^ char.codePointAt(0), 0x01000193) >>> 0;
    return hash % count;
  }
  function paper(slug) {
    return shard("meta").then(function (meta) {
      return meta && meta.shards ? shard(String(shardOf(slug, meta.shards))) : {};
    }).then(function (papers) { return (papers || {})[slug] || null; });
  }

  /* The Reading list page. */
  function download(name, type, text) {
    var link = el("a", {href: URL.createObjectURL(new Blob([text], {type: type})), download: name});
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  function listOf(items, into) {
    into.replaceChildren();
    items.forEach(function (item) {
      var li = el("li");
      var link = el("a", {href: pageUrl(item.slug), "data-catalogue-star": "1"}, item.title);
      li.append(link, " ", star(item.slug, item.title));
      into.appendChild(li);
    });
  }
  function suggest(items, into, note) {
    var starred = {};
    items.forEach(function (item) { starred[item.slug] = true; });
    return Promise.all(items.map(function (item) { return paper(item.slug); })).then(function (found) {
      var score = {};
      found.forEach(function (data) {
        (data ? data[2] : []).forEach(function (slug, place) {
          if (!starred[slug]) score[slug] = (score[slug] || 0) + 8 - place;
        });
      });
      var best = Object.keys(score).sort(function (a, b) {
        return score[b] - score[a] || (a < b ? -1 : 1);
      }).slice(0, 10);
      return Promise.all(best.map(paper)).then(function (more) {
        var shown = best.map(function (slug, n) { return {slug: slug, title: more[n] ? more[n][0] : slug}; });
        listOf(shown, into);
        note.textContent = shown.length ? "" : "Star papers to see papers related to them here.";
      });
    });
  }
  function readingPage(root) {
    var list = el("ol", {class: "cat-reading"});
    var empty = el("p", {}, "No papers yet: star \u2606 a paper on its page, in a list or in search results.");
    var actions = el("p", {class: "cat-reading-actions"});
    var bib = el("button", {type: "button", class: "md-button"}, "Export BibTeX");
    var json = el("button", {type: "button", class: "md-button"}, "Export JSON");
    var file = el("input", {type: "file", accept: ".json,application/json", id: "cat-import"});
    var label = el("label", {for: "cat-import", class: "md-button"}, "Import JSON");
    var status = el("p", {role: "status", class: "cat-reading-status"});
    var moreHeading = el("h2", {id: "more-like-these"}, "More like these");
    var more = el("ol", {class: "cat-reading"});
    var moreNote = el("p");
    actions.append(bib, " ", json, " ", file, label);
    root.append(empty, list, actions, status, moreHeading, moreNote, more);
    function show() {
      var items = read();
      empty.hidden = items.length > 0;
      listOf(items, list);
      suggest(items, more, moreNote);
    }
    bib.addEventListener("click", function () {
      Promise.all(read().map(function (item) { return paper(item.slug); })).then(function (found) {
        var entries = found.filter(Boolean).map(function (data) { return data[1].trim(); });
        download("reading-list.bib", "application/x-bibtex", entries.join("\n\n") + "\n");
        status.textContent = entries.length + " BibTeX entries exported.";
      });
    });
    json.addEventListener("click", function () {
      var items = read().map(function (item) { return {slug: item.slug, title: item.title}; });
      download("reading-list.json", "application/json", JSON.stringify(items, null, 2) + "\n");
      status.textContent = items.length + " papers exported.";
    });
    file.addEventListener("change", function () {
      if (!file.files.length) return;
      file.files[0].text().then(function (text) {
        var items = read();
        var added = 0;
        var given = [];
        try { given = JSON.parse(text); } catch (error) { given = null; }
        if (!Array.isArray(given)) {
          status.textContent = "That file is not a reading list export (a JSON list of papers).";
          return;
        }
        given.filter(valid).forEach(function (item) {
          if (!items.some(function (old) { return old.slug === item.slug; })) {
            items.push({slug: item.slug, title: item.title});
            added += 1;
          }
        });
        write(items);
        status.textContent = added + " papers imported.";
        file.value = "";
      });
    });
    document.addEventListener("catalogue:reading", show);
    show();
  }

  // The maps of related work (static/map.js), loaded when a reader asks for one.
  window.catalogueData = {
    paper: paper, pageUrl: pageUrl, slugOf: slugOf, el: el, shardOf: shardOf, loader: loader,
  };
  function mapButton(after, label, kind) {
    var button = el("button", {type: "button", class: "md-button cat-map-button"}, label);
    button.addEventListener("click", function () {
      button.disabled = true;
      var script = el("script", {src: new URL("static/map.js", base).href});
      script.onload = function () { window.catalogueMap(kind, button); };
      document.head.appendChild(script);
    });
    after.after(button);
  }
  var related = document.getElementById("related-papers");
  if (related && related.nextElementSibling && document.querySelector('meta[name="citation_title"]')) {
    mapButton(related.nextElementSibling, "Show a map of related work", "paper");
  }
  var tagPage = /^tags\/[a-z0-9-]+\/(?:index\.html)?$/.test(
    new URL(location.href).pathname.slice(base.pathname.length).replace(/\.html$/, "/index.html"));
  var list = document.querySelector(".md-content article > ul");  // the tag's papers
  if (tagPage && list && list.previousElementSibling) {
    mapButton(list.previousElementSibling, "Show a map of this tag's papers", "tag");
  }

  // Material's Share button copies the address it held before the last keystroke: copy
  // the one it holds now.
  document.addEventListener("click", function (event) {
    var share = event.target.closest && event.target.closest('[data-md-component="search-share"]');
    if (share) share.setAttribute("data-clipboard-text", share.href);
  }, true);

  // Material's search dialog has no name of its own.
  var dialog = document.querySelector('.md-search[role="dialog"]');
  if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");

  // Papers like this text (static/similar.js), only on its page.
  if (document.getElementById("cat-similar")) {
    document.head.appendChild(el("script", {src: new URL("static/similar.js", base).href}));
  }
  // A search result's words, marked in the page it leads to: words starting with them, as
  // Pagefind matches. Material's own search (the offline site) marks them itself.
  function mark(words) {
    var escaped = words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    var found = new RegExp("(?<![\\p{L}\\p{N}])(?:" + escaped.join("|") + ")[\\p{L}\\p{N}]*", "giu");
    var article = document.querySelector(".md-content article");
    var walker = article && document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest("script, style, pre, code, mark, button")
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      },
    });
    var nodes = [];
    while (walker && walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var text = node.nodeValue, last = 0, parts = [];
      text.replace(found, function (match, at) {
        parts.push(document.createTextNode(text.slice(last, at)), el("mark", {}, match));
        last = at + match.length;
      });
      if (!parts.length) return;
      parts.push(document.createTextNode(text.slice(last)));
      node.replaceWith.apply(node, parts);
    });
  }
  var asked = new URLSearchParams(location.search).get("h");
  var words = (asked || "").toLowerCase().split(/\s+/).filter(function (w) { return w.length > 1; });
  if (words.length && !config.search) mark(words);

  // The Papers page's filters, only where they are.
  if (document.getElementById("facets")) {
    document.head.appendChild(el("script", {src: new URL("static/browse.js", base).href}));
  }
  var page = document.getElementById("cat-reading-list");
  if (page) readingPage(page);
  paperPage();
  addStars(document);
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) { if (node.querySelectorAll) addStars(node); });
    });
  }).observe(document.body, {childList: true, subtree: true});
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) document.dispatchEvent(new CustomEvent("catalogue:reading"));
  });
})();
