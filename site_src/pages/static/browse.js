/* Filters on the Papers page: tags (all of), listing, has code, words in the title.
 *
 * Data: window.paperFacets, set by ../facets.js (a script, not fetch(), so it also works
 * from file://). The A-Z list MkDocs rendered is filtered in place, so links stay the ones
 * MkDocs wrote. The filter lives in the URL (?tag=a&tag=b&listing=x&code=1&text=words);
 * `q` is left to the site search. Everything is built with DOM APIs and textContent.
 */
(function () {
  "use strict";
  var root = document.getElementById("facets");
  var data = window.paperFacets;
  if (!root || !data || !Array.isArray(data.papers)) return;

  var TAGS = data.tags, LISTINGS = data.listings, PAPERS = data.papers;
  var tagBySlug = {}, listingBySlug = {};
  TAGS.forEach(function (t, i) { tagBySlug[t[0]] = i; });
  LISTINGS.forEach(function (l, i) { listingBySlug[l[0]] = i; });

  // The list items MkDocs rendered, by paper slug (href ends in slug/ or slug.html).
  var items = {};
  var article = root.closest("article") || document;
  article.querySelectorAll("li").forEach(function (li) {
    var link = li.querySelector("a");
    if (!link || link.classList.contains("tag")) return;
    var match = /([^/]+?)(?:\/index\.html|\.html|\/)?$/.exec(link.getAttribute("href") || "");
    if (match && !items[match[1]]) items[match[1]] = li;
  });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---- the form -------------------------------------------------------------------
  var form = el("form", { "class": "facets__form", role: "search", "aria-label": "Filter papers" });
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  var row = el("div", { "class": "facets__row" });
  var textLabel = el("label", { "class": "facets__field" });
  textLabel.appendChild(el("span", {}, "Title contains"));
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

  // ---- state <-> URL ----------------------------------------------------------------
  function readUrl() {
    var params = new URLSearchParams(location.search);
    var wanted = params.getAll("tag");
    boxes.forEach(function (box, i) { box.checked = wanted.indexOf(TAGS[i][0]) >= 0; });
    var l = params.get("listing");
    listing.value = l && l in listingBySlug ? l : "";
    code.checked = params.get("code") === "1";
    text.value = params.get("text") || "";
  }

  function writeUrl() {
    var params = new URLSearchParams(location.search);
    ["tag", "listing", "code", "text"].forEach(function (k) { params.delete(k); });
    boxes.forEach(function (box, i) { if (box.checked) params.append("tag", TAGS[i][0]); });
    if (listing.value) params.set("listing", listing.value);
    if (code.checked) params.set("code", "1");
    if (text.value.trim()) params.set("text", text.value.trim());
    var query = params.toString();
    var url = location.pathname + (query ? "?" + query : "") + location.hash;
    try { history.replaceState(null, "", url); } catch (e) { /* file:// in some browsers */ }
  }

  // ---- filtering --------------------------------------------------------------------
  function words(value) {
    return value.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function apply() {
    var tags = [];
    boxes.forEach(function (box, i) { if (box.checked) tags.push(i); });
    var l = listing.value ? listingBySlug[listing.value] : -1;
    var needCode = code.checked, terms = words(text.value);
    var tally = TAGS.map(function () { return 0; });
    var shown = 0;
    PAPERS.forEach(function (p) {
      var title = p[1].toLowerCase();
      var base = (l < 0 || p[3].indexOf(l) >= 0) && (!needCode || p[4] === 1) &&
        terms.every(function (w) { return title.indexOf(w) >= 0; });
      var all = base && tags.every(function (t) { return p[2].indexOf(t) >= 0; });
      if (all) {
        shown += 1;
        p[2].forEach(function (t) { tally[t] += 1; });
      }
      var li = items[p[0]];
      if (li) li.hidden = !all;
    });
    counts.forEach(function (node, i) { node.textContent = "(" + tally[i] + ")"; });
    boxes.forEach(function (box, i) {
      box.parentNode.classList.toggle("facets__chip--empty", tally[i] === 0 && !box.checked);
    });
    summary.textContent = tags.length
      ? "Tags: " + tags.map(function (t) { return TAGS[t][1]; }).join(" + ")
      : "Tags";
    // Letter headings and their lists disappear when none of their papers is shown.
    article.querySelectorAll("h2").forEach(function (h) {
      var list = h.nextElementSibling;
      if (!list || (list.tagName !== "UL" && list.tagName !== "OL")) return;
      var any = Array.prototype.some.call(list.children, function (li) { return !li.hidden; });
      h.hidden = list.hidden = !any;
    });
    status.textContent = shown === PAPERS.length
      ? PAPERS.length + " papers."
      : shown === 0
        ? "No paper matches these filters."
        : "Showing " + shown + " of " + PAPERS.length + " papers.";
  }

  function update() { writeUrl(); apply(); }

  form.addEventListener("change", update);
  text.addEventListener("input", update);
  clear.addEventListener("click", function () {
    boxes.forEach(function (box) { box.checked = false; });
    listing.value = "";
    code.checked = false;
    text.value = "";
    update();
  });
  window.addEventListener("popstate", function () { readUrl(); apply(); });

  readUrl();
  apply();
})();
