/* The start of Pagefind's web worker as this site serves it: generator/pagefind_search.py
 * writes pagefind/pagefind-worker.js (the file Pagefind's script starts its worker from)
 * as this file, with LAYOUT filled in (bundles.json's content), followed by Pagefind's
 * own worker script. Pagefind's search is unchanged; two things about its fetches are:
 *
 * - Its files are gzip, which Pagefind inflates in JavaScript: about a quarter of a
 *   search's CPU time. Here the browser's own DecompressionStream inflates them, and
 *   Pagefind takes them as already inflated (they then begin with its "pagefind_dcd"
 *   signature, which it checks for first).
 * - It loads a merged bundle only after its WASM is ready, and then the bundle's entry
 *   file before its metadata: two round trips per bundle in a row. Here the worker, as it
 *   starts, fetches every bundle's entry and metadata and the WASM at once (LAYOUT names
 *   them as the entries do; the entries are still fetched, fresh, and Pagefind asks for
 *   the metadata they name, fetched again if LAYOUT was out of date); Pagefind's fetches
 *   of those files take these responses.
 */
(function () {
  "use strict";
  var here = new URL("./", self.location.href);  // the site's pagefind/
  var network = self.fetch.bind(self);
  var inflating = typeof DecompressionStream === "function";
  var early = {};  // path -> promise of {bytes, status}: files fetched before Pagefind asks

  function body(response) {
    return response.arrayBuffer().then(function (bytes) {
      return { bytes: bytes, status: response.status, statusText: response.statusText };
    });
  }

  /* The bytes inflated when they are gzip (and inflating works), else as they are. */
  function inflate(got) {
    var head = new Uint8Array(got.bytes, 0, Math.min(2, got.bytes.byteLength));
    if (!inflating || head[0] !== 0x1f || head[1] !== 0x8b) return Promise.resolve(got);
    var stream = new Blob([got.bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (bytes) {
      return { bytes: bytes, status: got.status, statusText: got.statusText };
    }, function () {
      return got;  // Pagefind's own inflater reports what is wrong with it
    });
  }

  function response(got) {
    return new Response(got.bytes, { status: got.status, statusText: got.statusText });
  }

  var FIRST = /(pagefind-entry\.json|\.pf_meta|\/wasm\.[^/]*\.pagefind)$/;
  var GZIP = /\.(pf_meta|pf_index|pf_filter|pf_fragment|pagefind)$/;

  function get(url) {
    return network(url).then(body).then(inflate);
  }

  /* A file every search needs first, fetched once whoever (this or Pagefind) asks first. */
  function start(url) {
    var path = new URL(url, here).pathname;
    if (!(path in early)) {
      early[path] = get(url);
      early[path].catch(function () {});  // Pagefind sees the failure if it asks for it
    }
    return early[path];
  }

  // Every bundle's entry and metadata (for each language, though this site has one), and
  // the first bundle's WASM, as Pagefind names them.
  var layout = /*LAYOUT*/ null;
  if (layout && Array.isArray(layout.bundles)) {
    layout.bundles.forEach(function (name, at) {
      var folder = at ? new URL(name + "/", here) : here;
      start(new URL("pagefind-entry.json?ts=" + Date.now(), folder).href);
      var languages = (layout.languages && layout.languages[at]) || {};
      Object.keys(languages).forEach(function (language) {
        var index = languages[language];
        start(new URL("pagefind." + index.hash + ".pf_meta", folder).href);
        if (!at) start(new URL("wasm." + (index.wasm || "unknown") + ".pagefind", folder).href);
      });
    });
  }

  self.fetch = function (input, init) {
    if (typeof input !== "string" || init) return network(input, init);
    var path = new URL(input, here).pathname;
    if (FIRST.test(path)) {
      // null once Pagefind has taken it: a second request fetches it again
      var got = early[path] || (early[path] === null ? get(input) : start(input));
      early[path] = null;
      return got.then(response);
    }
    if (GZIP.test(path)) return get(input).then(response);
    return network(input);
  };
})();
