/* Pagefind's API as this site's pages use it (static/pagefind-search.js, static/browse.js).
 *
 * The index is split into bundles (generator/search/pagefind.py): pagefind/ and
 * pagefind/<name>/ for the others, listed in pagefind/bundles.json with the cells whose
 * records an overlay bundle holds instead. `options` starts Pagefind (its worker, script
 * and WASM and the first bundle's metadata) at once, while bundles.json is on its way,
 * then merges the other bundles into it; every search leaves the masked cells out. A
 * search's results and each result's `data()` are kept, so a page that starts a `?q=`
 * search early (generator/site/theme/main.html) and the search dialog share one search and one
 * fetch of each fragment. Everything else is Pagefind's own API, re-exported.
 */
import * as pagefind from "../../pagefind/pagefind.js";

export * from "../../pagefind/pagefind.js";

var folder = new URL("../../pagefind/", import.meta.url);
var layout = fetch(new URL("bundles.json", folder).href)
  .then(function (response) { return response.ok ? response.json() : {}; })
  .catch(function () { return {}; })
  .then(function (data) {
    return {
      bundles: Array.isArray(data.bundles) ? data.bundles : [],
      masked: Array.isArray(data.masked) ? data.masked : [],
    };
  });
var merged = null;
var last = { key: null, response: null };

/* The bundles' names (the first is pagefind/ itself) and the masked cells. */
export function bundles() {
  return layout;
}

export async function options(settings) {
  await pagefind.options(settings);
  if (!merged) {
    // Pagefind starts its worker on the first call that needs it: start it now, not
    // after bundles.json, so the first bundle loads while the others' names arrive.
    pagefind.init();
    var base = settings && settings.baseUrl ? { baseUrl: settings.baseUrl } : {};
    merged = layout.then(function (found) {
      return Promise.all(found.bundles.slice(1).map(function (name) {
        return pagefind.mergeIndex(new URL(name + "/", folder).pathname, base);
      }));
    });
  }
  await merged;
}

async function masked(settings) {
  var found = await layout;
  if (!found.masked.length) return settings;
  var filters = Object.assign({}, (settings && settings.filters) || {}, {
    none: found.masked.map(function (cell) { return { cell: cell }; }),
  });
  return Object.assign({}, settings, { filters: filters });
}

/* Each result's data() fetches its fragment once, however often it is asked for. */
function keep(response) {
  if (response && Array.isArray(response.results)) {
    response.results.forEach(function (result) {
      var data = result.data, kept = null;
      result.data = function () {
        if (!kept) {
          kept = data.call(result);
          kept.catch(function () { kept = null; });  // a failed fetch may be tried again
        }
        return kept;
      };
    });
  }
  return response;
}

/* The same search twice in a row (the early start, then the dialog) runs once. */
export function search(term, settings) {
  var key = JSON.stringify([term, settings || {}]);
  if (last.key !== key) {
    last = {
      key: key,
      response: masked(settings).then(function (own) { return pagefind.search(term, own); }).then(keep),
    };
    last.response.catch(function () { if (last.key === key) last = { key: null, response: null }; });
  }
  return last.response;
}

export async function debouncedSearch(term, settings, timeout) {
  return keep(await pagefind.debouncedSearch(term, await masked(settings), timeout));
}

export async function preload(term, settings) {
  return pagefind.preload(term, await masked(settings));
}

/* Every filter value's count of papers, the masked cells left out. */
export async function totals(everyPaper) {
  var found = await layout;
  if (!found.masked.length) return pagefind.filters();
  return (await search(everyPaper)).filters;
}
