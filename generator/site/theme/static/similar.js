/* Papers like this text: the reader pastes a text, and the catalogue's papers nearest to
 * it are listed with the words they share (generator/exports/similar.py makes the index).
 *
 * The text is split into words and pairs of adjacent words as the build splits abstracts
 * (lower-cased, stop words left out), each weighed by sublinear term frequency times the
 * term's IDF; a paper's score is the sum, over the terms both have, of the text's weight
 * times the paper's. Only the index shards of the text's own terms are loaded, then the
 * files naming the best papers. Nothing leaves the browser. Built with DOM APIs
 * and textContent; loaded by reading.js where the page has #cat-similar.
 */
(function () {
  "use strict";
  var data = window.catalogueData;
  var root = document.getElementById("cat-similar");
  if (!data || !root) return;
  var el = data.el;
  var SHOWN = 20;  // papers listed
  var SHARED = 3;  // shared terms shown per paper
  var WORD = /(?<![\p{L}\p{N}_])[a-z][\p{L}\p{N}_-]*[\p{L}\p{N}_]/gu;  // vectors.py's _TOKEN

  var load = data.loader("similar", "catalogueSimilar");
  var shardOf = data.shardOf;  // as exports/reading.py's shard_of
  function singular(word) {
    return word.length > 3 && /s$/.test(word) && !/ss$/.test(word) ? word.slice(0, -1) : word;
  }

  /* The text's terms with their counts, most frequent first (first seen breaks ties). */
  function termsOf(text, meta) {
    var stop = {};
    meta.stop.forEach(function (word) { stop[word] = true; });
    var words = (text.toLowerCase().match(WORD) || []).filter(function (w) { return !stop[w]; });
    var counts = new Map();
    words.forEach(function (word, n) {
      counts.set(word, (counts.get(word) || 0) + 1);
      if (n > 0) counts.set(words[n - 1] + " " + word, (counts.get(words[n - 1] + " " + word) || 0) + 1);
    });
    return Array.from(counts.entries()).sort(function (a, b) { return b[1] - a[1]; }).slice(0, meta.terms);
  }

  /* Scores of the papers sharing terms with the text: {paper: {score, parts: [[w, term]]}}. */
  function rank(terms, meta) {
    var wanted = {};
    terms.forEach(function (entry) { wanted[shardOf(entry[0], meta.shards)] = true; });
    return Promise.all(Object.keys(wanted).map(load)).then(function (shards) {
      var index = Object.assign.apply(null, [{}].concat(shards.filter(Boolean)));
      var known = terms.filter(function (entry) { return Object.prototype.hasOwnProperty.call(index, entry[0]); });
      var weights = known.map(function (entry) { return (1 + Math.log(entry[1])) * index[entry[0]][0] / 1000; });
      var norm = Math.sqrt(weights.reduce(function (sum, w) { return sum + w * w; }, 0)) || 1;
      var papers = new Map();
      known.forEach(function (entry, n) {
        var postings = index[entry[0]];
        for (var at = 1; at < postings.length; at += 2) {
          var part = weights[n] / norm * postings[at + 1] / 1000;
          var paper = papers.get(postings[at]) || {score: 0, parts: []};
          paper.score += part;
          paper.parts.push([part, entry[0]]);
          papers.set(postings[at], paper);
        }
      });
      return {papers: papers, known: known.length};
    });
  }

  /* The terms a paper shares most with the text; a pair of words hides its words. */
  function shared(parts) {
    var seen = {}, picked = [];
    parts.sort(function (a, b) { return b[0] - a[0] || (a[1] < b[1] ? -1 : 1); });
    parts.forEach(function (part) {
      var words = part[1].split(" ").map(singular);
      if (picked.length >= SHARED || words.some(function (w) { return seen[w]; })) return;
      picked.push(part[1]);
      words.forEach(function (w) { seen[w] = true; });
    });
    return picked;
  }

  function find(text, list, status) {
    status.textContent = "Finding similar papers\u2026";
    list.replaceChildren();
    load("meta").then(function (meta) {
      if (!meta) throw new Error("no index");
      var terms = termsOf(text, meta);
      return rank(terms, meta).then(function (found) {
        var best = Array.from(found.papers.entries()).sort(function (a, b) {
          return b[1].score - a[1].score || a[0] - b[0];
        }).slice(0, SHOWN);
        var names = best.map(function (entry) {
          return load("names-" + Math.floor(entry[0] / meta.names)).then(function (part) {
            return part ? part[entry[0] % meta.names] : null;  // [slug, title]
          });
        });
        return Promise.all(names).then(function (papers) {
          show(best, papers, found.known, list, status);
        });
      });
    }).catch(function () {
      status.textContent = "The index of similar papers could not load. Please try again.";
    });
  }

  function show(best, papers, known, list, status) {
    best.forEach(function (entry, n) {
      if (!papers[n]) return;
      var li = el("li");
      li.append(el("a", {href: data.pageUrl(papers[n][0])}, papers[n][1]), " ");
      var terms = shared(entry[1].parts);
      li.append(el("span", {class: "cat-similar__terms"}, "shares: " + terms.join(", ")));
      list.appendChild(li);
    });
    status.textContent = list.children.length
      ? list.children.length + " papers like this text, from " + known + " of its terms that the catalogue uses."
      : "No paper shares a word with this text that the catalogue indexes; try a longer text.";
  }

  var form = el("form", {class: "cat-similar"});
  var label = el("label", {for: "cat-similar-text"}, "Your text");
  var box = el("textarea", {id: "cat-similar-text", rows: "7", placeholder: "Paste an abstract or a few sentences"});
  var go = el("button", {type: "submit", class: "md-button md-button--primary"}, "Find similar papers");
  var status = el("p", {role: "status", class: "cat-similar__status"});
  var list = el("ol", {class: "cat-similar__results", "aria-label": "Papers like this text"});
  form.append(label, box, go);
  root.replaceChildren(form, status, list);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (box.value.trim()) find(box.value, list, status);
    else status.textContent = "Paste or type a text first.";
  });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
})();
