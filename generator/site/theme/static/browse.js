/* Filters on the Papers page: tags (all of), listing, has code, words; and the order: A to
 * Z, newest first (by the paper's latest listing) or most listed.
 *
 * Data: window.paperFacets from facets.js, loaded here from the site root with a <script>
 * (not fetch(), so it also works from file://). The filtered papers are shown in one of
 * three ways, picked by the page (generator/render/paginate.py):
 * - one page (small catalogues): the A-Z list MkDocs rendered is filtered in place, so
 *   links stay the ones MkDocs wrote;
 * - numbered pages: the matches are computed from facets.js and listed instead of the page;
 * - Pagefind mode (large sites; facets.js holds tags and listings, no papers): Pagefind's
 *   index finds them (pagefind.search(words, {filters})), so a filter view fetches only
 *   the filter chunks, the index chunks of its words and the fragments it shows. A large
 *   index is split into bundles, merged by static/pagefind/pagefind.js; an A-Z view asks
 *   each bundle for its own A-Z list and merges the lists by title.
 * The filter lives in the URL (?tag=a&tag=b&listing=x&code=1&text=words&order=newest); `q`
 * is left to the site search. Everything is built with DOM APIs and textContent.
 */
(function () {
  "use strict";
  var root = document.getElementById("facets");
  var configNode = document.getElementById("__config");
  if (!root || !configNode) return;
  var base = new URL(JSON.parse(configNode.textContent).base.replace(/\/?$/, "/"), location.href);
  var script = document.createElement("script");
  script.src = new URL("facets.js", base).href;
  script.onload = function () { start(window.paperFacets); };
  document.head.appendChild(script);

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function slugOf(href) {
    var match = /([^/]+?)(?:\/index\.html|\.html|\/)?$/.exec(href || "");
    return match ? match[1] : "";
  }

  function start(data) {
    if (!data || !Array.isArray(data.tags) || !Array.isArray(data.listings)) return;
    var pagefindMode = data.engine === "pagefind";
    if (!pagefindMode && !Array.isArray(data.papers)) return;
    var TAGS = data.tags, LISTINGS = data.listings, PAPERS = data.papers || [];
    var TOTAL = pagefindMode ? data.count : PAPERS.length;
    var inPlace = !pagefindMode && root.getAttribute("data-pages") === "1";
    var tagBySlug = {}, listingBySlug = {};
    TAGS.forEach(function (t, i) { tagBySlug[t[0]] = i; });
    LISTINGS.forEach(function (l, i) { listingBySlug[l[0]] = i; });

    // The list items MkDocs rendered, by paper slug (href ends in slug/ or slug.html),
    // and the shape of a paper and a tag link, to build links for papers not on this page.
    var article = root.closest("article") || document;
    var items = {}, paperLink = null, tagLink = null;
    article.querySelectorAll("li").forEach(function (li) {
      var link = li.querySelector("a");
      if (!link || link.classList.contains("tag")) return;
      var slug = slugOf(link.getAttribute("href"));
      if (slug && !items[slug]) items[slug] = li;
      if (!paperLink) paperLink = [link.getAttribute("href"), slug];
      var tag = li.querySelector("a.tag");
      if (tag && !tagLink) tagLink = [tag.getAttribute("href"), slugOf(tag.getAttribute("href"))];
    });
    function linkLike(model, slug) {
      var at = model ? model[0].lastIndexOf(model[1]) : -1;
      return at < 0 ? "#" : model[0].slice(0, at) + slug + model[0].slice(at + model[1].length);
    }
    // Everything the page shows after the filters (A-Z jump, pagers, the list).
    var pageParts = [];
    for (var node = root.nextElementSibling; node; node = node.nextElementSibling) {
      pageParts.push(node);
    }

    // ---- the form -------------------------------------------------------------------
    var form = el("form", { "class": "facets__form", role: "search", "aria-label": "Filter papers" });
    form.addEventListener("submit", function (event) { event.preventDefault(); });

    var row = el("div", { "class": "facets__row" });
    var textLabel = el("label", { "class": "facets__field" });
    // Pagefind matches words anywhere in a paper (titles rank first); facets.js has titles.
    textLabel.appendChild(el("span", {}, pagefindMode ? "Words" : "Title contains"));
    var text = el("input", { type: "search", name: "text", autocomplete: "off" });
    textLabel.appendChild(text);
    row.appendChild(textLabel);

    var listingLabel = el("label", { "class": "facets__field" });
    listingLabel.appendChild(el("span", {}, "Listing"));
    var listing = el("select", { name: "listing" });
    listing.appendChild(el("option", { value: "" }, "Any listing"));
    LISTINGS.forEach(function (l) { listing.appendChild(el("option", { value: l[0] }, l[1])); });
    listingLabel.appendChild(listing);
    row.appendChild(listingLabel);

    var codeLabel = el("label", { "class": "facets__check" });
    var code = el("input", { type: "checkbox", name: "code", value: "1" });
    codeLabel.appendChild(code);
    codeLabel.appendChild(document.createTextNode(" Has code"));
    row.appendChild(codeLabel);

    // The order: facets.js lists listings in date order and papers A to Z; Pagefind's
    // records carry `day` and `listed` sort keys (generator/search/pagefind.py).
    var order = el("select", { name: "order" });
    [["", "A to Z"], ["newest", "Newest first"], ["listed", "Most listed"]].forEach(function (o) {
      order.appendChild(el("option", { value: o[0] }, o[1]));
    });
    var orderLabel = el("label", { "class": "facets__field" });
    orderLabel.appendChild(el("span", {}, "Order"));
    orderLabel.appendChild(order);
    row.appendChild(orderLabel);

    var clear = el("button", { type: "button", "class": "md-button facets__clear" }, "Clear filters");
    row.appendChild(clear);
    form.appendChild(row);
    var status = el("p", { "class": "facets__status", role: "status", "aria-live": "polite" });
    form.appendChild(status);

    var details = el("details", { "class": "facets__tags" });
    var summary = el("summary", {}, "Tags");
    details.appendChild(summary);
    var fieldset = el("fieldset");
    fieldset.appendChild(el("legend", {}, "Papers with all of these tags"));
    var boxes = [], counts = [], area = null, group = null;
    TAGS.forEach(function (t, i) {
      if (t[2] !== area || !group) {
        area = t[2];
        group = el("div", { "class": "facets__group" });
        group.appendChild(el("span", { "class": "facets__area" }, area || "Other"));
        fieldset.appendChild(group);
      }
      var label = el("label", { "class": "facets__chip" });
      var box = el("input", { type: "checkbox", name: "tag", value: t[0] });
      var count = el("span", { "class": "facets__count" });
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + t[1] + " "));
      label.appendChild(count);
      group.appendChild(label);
      boxes[i] = box;
      counts[i] = count;
    });
    details.appendChild(fieldset);
    form.appendChild(details);
    root.appendChild(form);

    var results = el("div", { "class": "facets__results", hidden: "" });
    var list = el("ul", { "class": "facets__list" });
    var more = el("button", { type: "button", "class": "md-button facets__more" });
    results.appendChild(list);
    results.appendChild(more);
    root.appendChild(results);

    // ---- state <-> URL ----------------------------------------------------------------
    function readUrl() {
      var params = new URLSearchParams(location.search);
      var wanted = params.getAll("tag");
      boxes.forEach(function (box, i) { box.checked = wanted.indexOf(TAGS[i][0]) >= 0; });
      var l = params.get("listing");
      listing.value = l && l in listingBySlug ? l : "";
      code.checked = params.get("code") === "1";
      text.value = params.get("text") || "";
      order.value = ["newest", "listed"].indexOf(params.get("order")) >= 0 ? params.get("order") : "";
    }

    function writeUrl() {
      var params = new URLSearchParams(location.search);
      ["tag", "listing", "code", "text", "order"].forEach(function (k) { params.delete(k); });
      boxes.forEach(function (box, i) { if (box.checked) params.append("tag", TAGS[i][0]); });
      if (listing.value) params.set("listing", listing.value);
      if (code.checked) params.set("code", "1");
      if (text.value.trim()) params.set("text", text.value.trim());
      if (order.value) params.set("order", order.value);
      var query = params.toString();
      var url = location.pathname + (query ? "?" + query : "") + location.hash;
      try { history.replaceState(null, "", url); } catch (e) { /* file:// in some browsers */ }
    }

    function state() {
      var tags = [];
      boxes.forEach(function (box, i) { if (box.checked) tags.push(i); });
      var terms = text.value.toLowerCase().split(/\s+/).filter(Boolean);
      return { tags: tags, listing: listing.value, code: code.checked, terms: terms, order: order.value };
    }

    function active(s) { return s.tags.length || s.listing || s.code || s.terms.length || s.order; }

    // ---- showing a result -------------------------------------------------------------
    function showCounts(s, tally) {
      counts.forEach(function (node, i) {
        node.textContent = tally ? "(" + (tally[i] || 0) + ")" : "";
      });
      boxes.forEach(function (box, i) {
        var empty = tally && !tally[i] && !box.checked;
        box.parentNode.classList.toggle("facets__chip--empty", Boolean(empty));
      });
      summary.textContent = s.tags.length
        ? "Tags: " + s.tags.map(function (t) { return TAGS[t][1]; }).join(" + ")
        : "Tags";
    }

    function showStatus(shown) {
      status.textContent = shown === TOTAL
        ? TOTAL.toLocaleString("en") + " papers."
        : shown === 0
          ? "No paper matches these filters."
          : "Showing " + shown.toLocaleString("en") + " of " + TOTAL.toLocaleString("en") + " papers.";
    }

    function showPage(visible) {
      pageParts.forEach(function (part) { part.hidden = !visible; });
      results.hidden = visible;
      // The page's A-Z contents point into the page's list, hidden under the matches.
      document.querySelectorAll(".md-sidebar--secondary").forEach(function (bar) { bar.hidden = !visible; });
    }

    // The matches as a list like the page's, BATCH at a time: `fetch(start, count)`
    // resolves to [{url, title, tags: [slug]}].
    var BATCH = 50, listed = 0, total = 0, fetchBatch = null, generation = 0;
    function listMatches(count, fetch) {
      generation += 1;
      list.textContent = "";
      listed = 0;
      total = count;
      fetchBatch = fetch;
      showPage(false);
      return listMore();
    }

    function listMore() {
      var mine = generation, start = listed;
      listed = Math.min(total, listed + BATCH);
      more.hidden = true;
      return fetchBatch(start, listed - start).then(function (papers) {
        if (mine !== generation) return;
        papers.forEach(function (p) {
          var li = el("li");
          li.appendChild(el("a", { href: p.url }, p.title));
          if (p.note) li.appendChild(el("span", { "class": "facets__note" }, " \u00b7 " + p.note));
          var tags = p.tags.filter(function (t) { return t in tagBySlug; });
          if (tags.length) li.appendChild(el("br"));
          tags.forEach(function (t, n) {
            if (n) li.appendChild(document.createTextNode(" "));
            li.appendChild(el("a", { href: linkLike(tagLink, t), "class": "tag" }, TAGS[tagBySlug[t]][1]));
          });
          list.appendChild(li);
        });
        more.hidden = listed >= total;
        more.textContent = "Show " + Math.min(BATCH, total - listed) + " more (" +
          (total - listed).toLocaleString("en") + " left)";
      });
    }
    more.addEventListener("click", function () { listMore(); });

    // ---- filtering with facets.js -----------------------------------------------------
    function matching(s) {
      var l = s.listing ? listingBySlug[s.listing] : -1;
      var tally = TAGS.map(function () { return 0; });
      var found = PAPERS.filter(function (p) {
        var title = p[1].toLowerCase();
        var ok = (l < 0 || p[3].indexOf(l) >= 0) && (!s.code || p[4] === 1) &&
          s.terms.every(function (w) { return title.indexOf(w) >= 0; }) &&
          s.tags.every(function (t) { return p[2].indexOf(t) >= 0; });
        if (ok) p[2].forEach(function (t) { tally[t] += 1; });
        return ok;
      });
      return { found: ordered(found, s.order), tally: tally };
    }

    // A listing's place in date order (its day, then its number: listings without a day
    // are dated by their neighbours in the order git added them).
    var byDay = LISTINGS.map(function (l, i) { return i; }).sort(function (a, b) {
      var da = LISTINGS[a][2] || "", db = LISTINGS[b][2] || "";
      return da && db && da !== db ? (da < db ? -1 : 1) : a - b;
    });
    var ranks = [];
    byDay.forEach(function (listing, place) { ranks[listing] = place; });
    function rank(listing) { return ranks[listing]; }

    // What an order shows beside a paper: how many listings named it, or its latest one.
    function note(how, listings) {
      if (how === "listed") return listings.length + (listings.length === 1 ? " listing" : " listings");
      if (how !== "newest" || !listings.length) return "";
      var latest = listings.reduce(function (a, b) { return rank(a) > rank(b) ? a : b; });
      return "listed " + LISTINGS[latest][1];
    }

    // Papers come A to Z; a stable sort keeps that order among equals.
    function ordered(found, how) {
      if (how === "listed") return found.slice().sort(function (a, b) { return b[3].length - a[3].length; });
      if (how !== "newest") return found;
      var latest = function (p) { return Math.max.apply(null, p[3].map(rank).concat([-1])); };
      return found.slice().sort(function (a, b) { return latest(b) - latest(a); });
    }

    function applyInPlace(s) {
      if (s.order) return applyFromFacets(s);  // another order than the page's: listed below
      showPage(true);
      var m = matching(s), shown = {};
      m.found.forEach(function (p) { shown[p[0]] = true; });
      PAPERS.forEach(function (p) { if (items[p[0]]) items[p[0]].hidden = !shown[p[0]]; });
      // Letter headings and their lists disappear when none of their papers is shown.
      article.querySelectorAll("h2").forEach(function (h) {
        var next = h.nextElementSibling;
        if (!next || (next.tagName !== "UL" && next.tagName !== "OL")) return;
        var any = Array.prototype.some.call(next.children, function (li) { return !li.hidden; });
        h.hidden = next.hidden = !any;
        // and so do their entries in the contents beside the list
        document.querySelectorAll('.md-nav--secondary a[href="#' + h.id + '"]').forEach(function (a) {
          a.parentElement.hidden = !any;
        });
      });
      showCounts(s, m.tally);
      showStatus(m.found.length);
    }

    function applyFromFacets(s) {
      var m = matching(s);
      showCounts(s, m.tally);
      showStatus(m.found.length);
      if (!active(s)) return showPage(true);
      listMatches(m.found.length, function (start, count) {
        return Promise.resolve(m.found.slice(start, start + count).map(function (p) {
          return {
            url: linkLike(paperLink, p[0]),
            title: p[1],
            tags: p[2].map(function (t) { return TAGS[t][0]; }),
            note: note(s.order, p[3]),
          };
        }));
      });
    }

    // ---- filtering with Pagefind ------------------------------------------------------
    var pagefind = null, totals = null, latest = 0, bundleNames = [];
    function loadPagefind() {
      if (!pagefind) {
        pagefind = import(new URL("static/pagefind/pagefind.js", base).href).then(function (api) {
          return api.options({ baseUrl: base.pathname }).then(function () {
            return api.bundles();
          }).then(function (layout) {
            bundleNames = layout.bundles;
            return api.totals(data.every_paper);
          }).then(function (all) {
            totals = all;
            return api;
          });
        });
      }
      return pagefind;
    }

    function paperOf(d) {
      return { url: d.url, title: (d.meta && d.meta.title) || d.url, tags: (d.filters && d.filters.tag) || [] };
    }
    // Pagefind's sort for an order, and the key its merge compares (smallest first).
    var SORTS = { "": { title: "asc" }, newest: { day: "desc" }, listed: { listed: "desc" } };
    function sortKey(how, d) {
      var title = paperOf(d).title.toLowerCase(), meta = d.meta || {};
      if (how === "newest") return [invert(meta.day || ""), title];
      if (how === "listed") return [invert(meta.listed || ""), title];
      return [title, ""];
    }
    function invert(text) {  // a key that sorts `text` descending (digits and dashes)
      return text.replace(/[0-9]/g, function (d) { return String(9 - Number(d)); });
    }
    function before(a, b) { return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]); }

    // Pagefind orders merged results by score, which for a sorted search is each bundle's
    // own rank: so each bundle is searched alone (its `bundle` filter) and the sorted lists
    // are merged here, loading the fragments of the lists' heads a round at a time.
    // Titles compare lower-cased, as Pagefind sorts on the case-folded title.
    function mergeSorted(lists, how) {
      var at = lists.map(function () { return 0; });
      var data = lists.map(function () { return []; });
      function key(i) { return sortKey(how, data[i][at[i]]); }
      function load(i, upto) {
        var wanted = [];
        for (var n = data[i].length; n < Math.min(upto, lists[i].length); n++) wanted.push(lists[i][n].data());
        return Promise.all(wanted).then(function (got) { data[i] = data[i].concat(got); });
      }
      return function next(start, count) {
        var out = [];
        function round() {
          var open = [];
          lists.forEach(function (list, i) { if (at[i] < list.length) open.push(i); });
          var need = count - out.length;
          if (!need || !open.length) return Promise.resolve(out.map(paperOf));
          var ahead = Math.ceil(need / open.length) + 1;
          return Promise.all(open.map(function (i) { return load(i, at[i] + ahead); })).then(function () {
            while (out.length < count) {
              var best = -1;
              for (var j = 0; j < lists.length; j++) {
                if (at[j] >= lists[j].length) continue;
                if (at[j] >= data[j].length) return round();  // a head not loaded yet
                if (best < 0 || before(key(j), key(best))) best = j;
              }
              if (best < 0) break;
              out.push(data[best][at[best]]);
              at[best] += 1;
            }
            return out.map(paperOf);
          });
        }
        return round();
      };
    }

    function sumFilters(all) {
      var sum = {};
      all.forEach(function (filters) {
        Object.keys(filters || {}).forEach(function (name) {
          sum[name] = sum[name] || {};
          Object.keys(filters[name]).forEach(function (value) {
            sum[name][value] = (sum[name][value] || 0) + filters[name][value];
          });
        });
      });
      return sum;
    }

    function tallyOf(filters) {
      var counts = (filters && filters.tag) || {};
      return TAGS.map(function (t) { return counts[t[0]] || 0; });
    }

    function applyPagefind(s) {
      var mine = ++latest;
      showCounts(s, totals ? tallyOf(totals) : null);
      if (!active(s)) {
        showStatus(TOTAL);
        showPage(true);
        return;
      }
      status.textContent = "Filtering…";
      var filters = {};
      if (s.tags.length) filters.tag = s.tags.map(function (t) { return TAGS[t][0]; });
      if (s.listing) filters.listing = s.listing;
      if (s.code) filters.code = "yes";
      var words = s.terms.join(" ");
      loadPagefind().then(function (api) {
        // Without words, in the chosen order (A to Z as on the pages); with words, best
        // matches first unless another order is chosen. Not a filter-only search (null):
        // Pagefind 1.5 loads every index chunk for one, so ask for the word every record
        // holds (see generator/search/pagefind.py).
        var sort = words && !s.order ? null : SORTS[s.order];
        if (!sort || bundleNames.length < 2) {
          return api.search(words || data.every_paper, sort ? { filters: filters, sort: sort } : {
            filters: filters,
          }).then(function (found) { return found && [found]; });
        }
        return Promise.all(bundleNames.map(function (name) {
          var own = Object.assign({ bundle: name }, filters);
          return api.search(words || data.every_paper, { filters: own, sort: sort });
        }));
      }).then(function (founds) {
        if (mine !== latest || !founds || founds.indexOf(null) >= 0) return;
        var lists = founds.map(function (found) { return found.results; });
        var total = lists.reduce(function (sum, list) { return sum + list.length; }, 0);
        showCounts(s, tallyOf(sumFilters(founds.map(function (found) { return found.filters; }))));
        showStatus(total);
        listMatches(total, lists.length === 1 ? function (start, count) {
          return Promise.all(lists[0].slice(start, start + count).map(function (r) {
            return r.data().then(paperOf);
          }));
        } : mergeSorted(lists, s.order));
      }).catch(function () {
        if (mine === latest) status.textContent = "Filtering needs the search index, which did not load.";
      });
    }

    // ---- wiring -----------------------------------------------------------------------
    var apply = pagefindMode ? applyPagefind : inPlace ? applyInPlace : applyFromFacets;
    var typing = null;
    function update() { writeUrl(); apply(state()); }

    form.addEventListener("change", update);
    text.addEventListener("input", function () {
      // Pagefind searches per keystroke would each fetch chunks: wait for a pause.
      if (!pagefindMode) return update();
      clearTimeout(typing);
      typing = setTimeout(update, 300);
    });
    clear.addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      listing.value = "";
      code.checked = false;
      text.value = "";
      order.value = "";
      update();
    });
    if (pagefindMode) {
      // Tag counts need Pagefind's filter index: fetch it when the tags are opened.
      details.addEventListener("toggle", function () {
        if (details.open && !totals) loadPagefind().then(function () { apply(state()); });
      });
    }
    window.addEventListener("popstate", function () { readUrl(); apply(state()); });

    readUrl();
    apply(state());
  }
})();
