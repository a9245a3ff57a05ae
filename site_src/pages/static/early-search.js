/* Pagefind mode: a page opened with ?q= starts its search while it loads. Loaded first in
 * <head> (overrides/main.html), parser-blocking, so it runs before anything else:
 *
 * - It starts Pagefind's worker at once and posts it the query ({pagefindEarly}): the
 *   worker (generator/pagefind-worker.js) runs, on an instance of its own, the messages
 *   the page's Pagefind will send, and answers them when they come. When Pagefind's
 *   script later calls `new Worker` for that script, it is handed this worker.
 * - It hints Pagefind's script and bundle list, then starts Pagefind, searches for the
 *   query and fetches the first results' fragments. static/pagefind-search.js, run at
 *   the end of the page, lists them: the wrapper, static/pagefind/pagefind.js, is one
 *   module for both and keeps that search and those fragments.
 *
 * One cached file instead of the same kilobyte written into every page.
 */
(function () {
  "use strict";
  if (!/[?&]q=[^&]/.test(location.search) || !document.currentScript) return;
  var root = new URL("..", document.currentScript.src);  // this file is static/early-search.js
  var query = new URLSearchParams(location.search).get("q").trim();
  if (window.Worker) {
    var Native = window.Worker;
    var script = new URL("pagefind/pagefind-worker.js", root).href;
    var worker = null;
    try {
      worker = new Native(script);
    } catch (error) {
      worker = null;
    }
    if (worker) {
      var language = document.documentElement.getAttribute("lang") || "unknown";
      worker.postMessage({ pagefindEarly: { query: query, language: language.toLocaleLowerCase() } });
      window.Worker = function (url, options) {
        if (worker && !options && new URL(url, location.href).href === script) {
          var started = worker;
          worker = null;
          window.Worker = Native;
          return started;
        }
        return new Native(url, options);
      };
      window.Worker.prototype = Native.prototype;
    }
  }
  [["modulepreload", "pagefind/pagefind.js"],
   ["preload", "pagefind/bundles.json", "fetch"]].forEach(function (hint) {
    var link = document.createElement("link");
    link.rel = hint[0];
    link.href = new URL(hint[1], root).href;
    if (hint[2]) { link.as = hint[2]; link.crossOrigin = "anonymous"; }
    document.head.appendChild(link);
  });
  import(new URL("static/pagefind/pagefind.js", root).href).then(function (pagefind) {
    return pagefind.options({ baseUrl: root.pathname }).then(function () {
      return pagefind.search(query);
    }).then(function (response) {
      response.results.slice(0, 10).forEach(function (result) { result.data(); });
    });
  }).catch(function () {});
})();
