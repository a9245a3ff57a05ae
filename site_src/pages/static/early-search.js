/* Pagefind mode: a page opened with ?q= starts its search while it loads. Loaded async
 * from <head> (overrides/main.html), before the stylesheets could hold it back: it hints
 * Pagefind's script and bundle list, then starts Pagefind (its worker, WASM and index
 * bundles), searches for the query and fetches the first results' fragments.
 * static/pagefind-search.js, run at the end of the page, lists them: the wrapper,
 * static/pagefind/pagefind.js, is one module for both and keeps that search and those
 * fragments. One cached file instead of the same kilobyte written into every page.
 */
(function () {
  "use strict";
  if (!/[?&]q=[^&]/.test(location.search) || !document.currentScript) return;
  var root = new URL("..", document.currentScript.src);  // this file is static/early-search.js
  [["modulepreload", "pagefind/pagefind.js"],
   ["preload", "pagefind/bundles.json", "fetch"]].forEach(function (hint) {
    var link = document.createElement("link");
    link.rel = hint[0];
    link.href = new URL(hint[1], root).href;
    if (hint[2]) { link.as = hint[2]; link.crossOrigin = "anonymous"; }
    document.head.appendChild(link);
  });
  var query = new URLSearchParams(location.search).get("q").trim();
  import(new URL("static/pagefind/pagefind.js", root).href).then(function (pagefind) {
    return pagefind.options({ baseUrl: root.pathname }).then(function () {
      return pagefind.search(query);
    }).then(function (response) {
      response.results.slice(0, 10).forEach(function (result) { result.data(); });
    });
  }).catch(function () {});
})();
