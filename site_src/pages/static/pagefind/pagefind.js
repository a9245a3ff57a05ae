/* Pagefind's API as this site's pages use it (static/pagefind-search.js, static/browse.js).
 *
 * The index is split into bundles (generator/pagefind_search.py): pagefind/ and
 * pagefind/<name>/ for the others, listed in pagefind/bundles.json with the cells whose
 * records an overlay bundle holds instead. `options` merges the bundles into Pagefind's
 * instance, and every search leaves the masked cells out. Pagefind's UI imports this file
 * as its `pagefind.js`: its filter panel is hidden (catalogue.css), so `filters` answers
 * with none instead of fetching every bundle's filter index; the Papers page asks
 * `totals` for the real counts. Everything else is Pagefind's own API, re-exported.
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

/* The bundles' names (the first is pagefind/ itself) and the masked cells. */
export function bundles() {
  return layout;
}

export async function options(settings) {
  await pagefind.options(settings);
  if (!merged) {
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

export async function search(term, settings) {
  return pagefind.search(term, await masked(settings));
}

export async function debouncedSearch(term, settings, timeout) {
  return pagefind.debouncedSearch(term, await masked(settings), timeout);
}

export async function preload(term, settings) {
  return pagefind.preload(term, await masked(settings));
}

export async function filters() {
  return {};
}

/* Every filter value's count of papers, the masked cells left out. */
export async function totals(everyPaper) {
  var found = await layout;
  if (!found.masked.length) return pagefind.filters();
  return (await search(everyPaper)).filters;
}
