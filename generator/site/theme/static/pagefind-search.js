/* The hosted site's search (see generator/search/pagefind.py).
 *
 * Adds a search button to the header. Pagefind and its index are fetched only when a
 * reader searches: on clicking the button, pressing "/" or "s", or opening any page with
 * `?q=words` (shareable searches, as with Material's own search; such a page starts the
 * search while it loads, generator/site/theme/main.html). The query is kept in the address bar
 * while typing, so the URL can be shared. Results are listed here with Pagefind's JS API
 * (through static/pagefind/pagefind.js, which merges the index's bundles and masks what
 * an overlay replaces): each result shows as soon as its fragment (title, URL, excerpt)
 * has arrived, in rank order. Arrow keys move between the field and the results; Escape
 * or the close button closes the dialog and gives focus back.
 */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("__config").textContent);
  var root = new URL(config.base.replace(/\/?$/, "/"), window.location.href);
  var PAGE = 10;  // results shown at a time
  var PAUSE = 300;  // ms of typing pause before a search (the index is preloaded at once)
  // Every record ends with a marker word for the Papers page's filters
  // (generator/search/pagefind.py); an excerpt near the end would show it.
  var MARKER = /\s*zzcatalogpaperzz\b/g;
  var api = null, dialog = null, input = null, status = null, list = null, more = null;
  var opener = null, latest = 0, searched = "";  // `searched`: the words the results hold

  function pagefind() {
    if (!api) {
      api = import(new URL("static/pagefind/pagefind.js", root).href).then(function (found) {
        return found.options({ baseUrl: root.pathname }).then(function () { return found; });
      });
    }
    return api;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function build() {
    dialog = el("div", { class: "pf-search", role: "dialog", "aria-modal": "true", "aria-label": "Search" });
    var panel = el("div", { class: "pf-search__panel" });
    var form = el("form", { class: "pf-search__form", role: "search" });
    input = el("input", {
      class: "pf-search__input pagefind-ui__search-input", type: "search", id: "pf-search-input",
      placeholder: "Search papers", "aria-label": "Search papers", autocomplete: "off",
      autocapitalize: "off", spellcheck: "false", enterkeyhint: "search", "aria-controls": "pf-search-results",
    });
    var close = el("button", { type: "button", class: "pf-search__close", "aria-label": "Close search" }, "×");
    status = el("p", { class: "pf-search__status", role: "status", "aria-live": "polite" });
    list = el("ol", { class: "pf-search__results", id: "pf-search-results", "aria-label": "Results" });
    more = el("button", { type: "button", class: "pf-search__more", hidden: "" }, "More results");
    form.appendChild(input);
    form.appendChild(close);
    panel.appendChild(form);
    panel.appendChild(status);
    panel.appendChild(list);
    panel.appendChild(more);
    dialog.appendChild(panel);
    document.body.appendChild(dialog);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      run(input.value, 0);
    });
    input.addEventListener("input", function () {
      share(input.value);
      run(input.value, PAUSE);
    });
    close.addEventListener("click", hide);
    dialog.addEventListener("click", function (e) { if (e.target === dialog) hide(); });
    dialog.addEventListener("keydown", move);
  }

  /* Arrow keys: from the field to the first result and between results. Tab and
     Shift+Tab go round the dialog's controls, not into the page behind it. */
  function move(e) {
    if (e.key === "Tab") {
      var all = Array.prototype.filter.call(dialog.querySelectorAll("input, button, a[href]"), function (n) {
        return !n.hidden;
      });
      var edge = e.shiftKey ? all[0] : all[all.length - 1];
      if (document.activeElement === edge) {
        e.preventDefault();
        (e.shiftKey ? all[all.length - 1] : all[0]).focus();
      }
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll(".pagefind-ui__result-link"));
    var at = links.indexOf(document.activeElement);
    if (document.activeElement !== input && at < 0) return;
    e.preventDefault();
    var next = e.key === "ArrowDown" ? at + 1 : at - 1;
    if (next < 0) input.focus();
    else if (next < links.length) links[next].focus();
  }

  function open(query) {
    if (!dialog || dialog.hidden) opener = document.activeElement;
    if (!dialog) build();
    dialog.hidden = false;
    document.documentElement.classList.add("pf-search-open");
    if (query) input.value = query;
    input.focus();
    pagefind();  // start loading at once: the dialog is open, a search will follow
    if (query) run(query, 0);
  }

  function hide() {
    if (dialog) dialog.hidden = true;
    document.documentElement.classList.remove("pf-search-open");
    share("");
    if (opener && opener.focus) opener.focus();
  }

  function share(query) {
    var url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url.href);
  }

  /* Search for `term` after `pause` ms without typing (at once when 0), then list it. */
  function run(term, pause) {
    var id = ++latest;
    term = term.trim();
    if (!term) {
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return;
    }
    var missing = [];
    pagefind().then(function (found) {
      if (id !== latest) return null;
      var search = pause ? found.debouncedSearch(term, {}, pause) : found.search(term);
      return search.then(function (response) {
        return response && !response.results.length ? withoutMissing(found, term, missing) : response;
      });
    }).then(function (response) {
      if (!response || id !== latest) return;  // a later search replaced this one
      list.textContent = "";
      var count = response.results.length;
      var words = missing.length ? term.split(/\s+/).filter(function (w) { return missing.indexOf(w) < 0; }).join(" ") : term;
      status.textContent = count
        ? count + (count === 1 ? " result" : " results") + " for “" + words + "”" +
          (missing.length ? " (no paper holds them all with “" + missing.join(" ") + "”)" : "")
        : "No results for “" + term + "”";
      searched = words;
      show(response.results, 0, id);
    }).catch(function () {
      if (id === latest) status.textContent = "Search could not load. Please try again.";
    });
  }

  /* A paper must hold every word of a search. When none holds them all, the search is
   * tried without one word, the last first ("v2" from a mistyped address, a typo at the
   * end); the first that finds papers is shown, and its left-out word named in `missing`. */
  function withoutMissing(found, term, missing) {
    var words = term.split(/\s+/);
    function without(at) {
      if (at < 0 || words.length < 2) return Promise.resolve({results: []});
      var rest = words.slice(0, at).concat(words.slice(at + 1));
      return found.search(rest.join(" ")).then(function (response) {
        if (!response.results.length) return without(at - 1);
        missing.push(words[at]);
        return response;
      });
    }
    return without(words.length - 1);
  }

  /* Results from..from+PAGE: each listed once it and those before it have their data.
   * With `focusNew` (after "More results"), the first new result takes the focus as it is
   * listed, unless the reader has moved it elsewhere meanwhile. */
  function show(results, from, id, focusNew) {
    var page = results.slice(from, from + PAGE).map(function (result) { return result.data(); });
    more.hidden = true;
    var done = page.reduce(function (before, data, n) {
      return before.then(function () { return data; }).then(function (d) {
        if (id !== latest) return;
        var li = list.appendChild(item(d, searched));
        var active = document.activeElement;
        if (focusNew && n === 0 && (!active || active === more || active === document.body)) {
          li.querySelector("a").focus();
        }
      });
    }, Promise.resolve());
    done.then(function () {
      if (id !== latest) return;
      more.hidden = from + PAGE >= results.length;
      more.onclick = function () {
        show(results, from + PAGE, id, true);  // keyboard users go on from the first new one
      };
    }, function () {
      if (id === latest) status.textContent = "Some results could not load. Please try again.";
    });
  }

  function item(data, term) {
    var li = el("li", { class: "pagefind-ui__result" });
    var title = el("p", { class: "pagefind-ui__result-title" });
    // The page marks the query's words (static/reading.js), as Material's search.highlight.
    var href = data.url + (data.url.indexOf("?") < 0 ? "?" : "&") + "h=" + encodeURIComponent(term);
    var link = el("a", { class: "pagefind-ui__result-link", href: href });
    link.textContent = (data.meta && data.meta.title) || data.url;
    title.appendChild(link);
    var excerpt = el("p", { class: "pagefind-ui__result-excerpt" });
    // Pagefind's excerpt is the record's text, escaped, with the matches in <mark>.
    excerpt.innerHTML = (data.excerpt || "").replace(MARKER, "");
    li.appendChild(title);
    li.appendChild(excerpt);
    return li;
  }

  var header = document.querySelector(".md-header__inner");
  if (header) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button md-icon pf-search__open";
    button.title = "Search";
    button.setAttribute("aria-label", "Search");
    button.innerHTML =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">' +
      '<path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 ' +
      "1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 " +
      '3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>';
    button.addEventListener("click", function () { open(""); });
    header.appendChild(button);
  }
  document.addEventListener("keydown", function (e) {
    var typing = e.target.closest && e.target.closest("input, textarea, select, [contenteditable]");
    if (e.key === "Escape" && dialog && !dialog.hidden) hide();
    else if (!typing && (e.key === "/" || e.key === "s") && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      open("");
    }
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) open(query);
})();
