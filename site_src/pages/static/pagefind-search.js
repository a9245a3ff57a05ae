/* Search for large catalogues (see generator/pagefind_search.py).
 *
 * Adds a search button to the header. The Pagefind UI and its index are fetched only when
 * a reader searches: on clicking the button, pressing "/" or "s", or opening any page with
 * `?q=words` (shareable searches, as with Material's own search). The query is kept in the
 * address bar while typing, so the URL can be shared. The UI reaches Pagefind through
 * static/pagefind/pagefind.js, which merges the index's bundles and masks what an overlay
 * replaces. A query from the URL is searched at once, not after the UI's typing pause.
 */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("__config").textContent);
  var root = new URL(config.base.replace(/\/?$/, "/"), window.location.href);
  var dialog = null;
  var ui = null;

  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
      node.onload = resolve;
      node.onerror = reject;
      document.head.appendChild(node);
    });
  }

  function open(query) {
    if (!dialog) {
      dialog = document.createElement("div");
      dialog.className = "pf-search";
      dialog.setAttribute("role", "dialog");
      dialog.setAttribute("aria-label", "Search");
      dialog.innerHTML =
        '<div class="pf-search__panel"><button type="button" class="pf-search__close" ' +
        'aria-label="Close search">×</button><div id="pf-search-ui"></div></div>';
      document.body.appendChild(dialog);
      dialog.addEventListener("click", function (e) {
        if (e.target === dialog || e.target.className === "pf-search__close") close();
      });
      var bundle = new URL("pagefind/", root).href;
      ui = Promise.all([
        load("link", { rel: "stylesheet", href: bundle + "pagefind-ui.css" }),
        load("script", { src: bundle + "pagefind-ui.js" }),
      ]).then(function () {
        return new window.PagefindUI({
          element: "#pf-search-ui",
          bundlePath: new URL("static/pagefind/", root).href,  // its pagefind.js is ours
          baseUrl: root.pathname,
          // No typing pause for a query from the URL (set back to 300 ms after it, below).
          debounceTimeoutMs: query ? 0 : 300,
          showImages: false,
          showSubResults: false,
          resetStyles: false,
          pageSize: 10,
          autofocus: true,
          // Every record ends with a marker word for the Papers page's filters
          // (generator/pagefind_search.py); an excerpt near the end would show it.
          processResult: function (result) {
            result.excerpt = result.excerpt.replace(/\s*zzcatalogpaperzz\b/g, "");
            return result;
          },
        });
      });
      dialog.addEventListener("input", function (e) {
        if (e.target.matches("input")) share(e.target.value);
      });
    }
    dialog.hidden = false;
    document.documentElement.classList.add("pf-search-open");
    return ui.then(function (instance) {
      if (query) {
        instance.triggerSearch(query);
        // The UI has no setter for its typing pause; its component does (Svelte's $$set).
        // Set after the triggered search has started (Svelte applies props in a microtask).
        setTimeout(function () {
          if (instance._pfs && instance._pfs.$$set) instance._pfs.$$set({ debounce_timeout_ms: 300 });
        }, 0);
      }
      var input = dialog.querySelector("input");
      if (input) input.focus();
      return instance;
    });
  }

  function close() {
    if (dialog) dialog.hidden = true;
    document.documentElement.classList.remove("pf-search-open");
    share("");
  }

  function share(query) {
    var url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url.href);
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
    if (e.key === "Escape" && dialog && !dialog.hidden) close();
    else if (!typing && (e.key === "/" || e.key === "s") && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      open("");
    }
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) open(query);
})();
