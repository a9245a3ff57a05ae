/* A map of related work, drawn when a reader asks for one (static/reading.js adds the
 * button and loads this file): on a paper page, the paper, its related papers and the
 * papers it names, and the papers most related to those; on a tag page, the tag's first
 * papers. Lines join papers the build found related (solid) or where one abstract names
 * the other (dashed). Nodes are numbered links; the numbered list under the map names them
 * and says what each is joined to, so the map reads as text too (and on a phone). Data:
 * the reading/<n>.js shards, through window.catalogueData.
 */
(function () {
  "use strict";
  var data = window.catalogueData;
  var SVG = "http://www.w3.org/2000/svg";
  var W = 640, H = 560, CX = W / 2, CY = H / 2;
  var MAX_TAG_PAPERS = 40, SECOND_RING = 2;

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function load(slugs) {
    return Promise.all(slugs.map(data.paper)).then(function (found) {
      var papers = {};
      slugs.forEach(function (slug, n) { if (found[n]) papers[slug] = found[n]; });
      return papers;
    });
  }

  /* Which papers are on the map, in rings: [[slug, ring, angle]]. */
  function paperNodes(center) {
    return load([center]).then(function (first) {
      var own = first[center];
      if (!own) return [];
      var near = own[2].concat(own[3].filter(function (s) { return own[2].indexOf(s) < 0; }));
      var nodes = [[center, 0, 0]];
      near.forEach(function (slug, n) {
        nodes.push([slug, 1, 2 * Math.PI * n / near.length - Math.PI / 2]);
      });
      return load(near).then(function (ring) {
        var seen = {};
        nodes.forEach(function (node) { seen[node[0]] = true; });
        nodes.slice(1).forEach(function (node) {
          var added = 0;
          ((ring[node[0]] || [])[2] || []).forEach(function (slug) {
            if (seen[slug] || added === SECOND_RING) return;
            seen[slug] = true;
            nodes.push([slug, 2, node[2] + (added ? 0.2 : -0.2)]);
            added += 1;
          });
        });
        return nodes;
      });
    });
  }
  function tagNodes(root) {
    var slugs = [];
    root.querySelectorAll(".md-content li > a:first-child").forEach(function (link) {
      var slug = data.slugOf(link.href);
      if (slug && slugs.indexOf(slug) < 0 && slugs.length < MAX_TAG_PAPERS) slugs.push(slug);
    });
    return Promise.resolve(slugs.map(function (slug, n) {
      return [slug, 1, 2 * Math.PI * n / slugs.length - Math.PI / 2];
    }));
  }

  function draw(nodes, papers, host) {
    var index = {};
    nodes.forEach(function (node, n) { index[node[0]] = n; });
    var ring1 = nodes.length > 12 && !nodes.some(function (n) { return n[1] === 2; }) ? 230 : 150;
    var place = nodes.map(function (node) {
      var radius = [0, ring1, 240][node[1]];
      return [CX + radius * Math.cos(node[2]), CY + radius * Math.sin(node[2])];
    });
    var edges = [], joined = nodes.map(function () { return []; });
    nodes.forEach(function (node, a) {
      var paper = papers[node[0]];
      if (!paper) return;
      [[paper[2], "related"], [paper[3], "named"]].forEach(function (kind) {
        kind[0].forEach(function (slug) {
          var b = index[slug];
          if (b === undefined || b === a) return;
          var key = Math.min(a, b) + "-" + Math.max(a, b);
          if (edges.some(function (e) { return e[3] === key; })) return;
          edges.push([a, b, kind[1], key]);
          joined[a].push(b);
          joined[b].push(a);
        });
      });
    });
    var figure = data.el("figure", {class: "cat-map"});
    var picture = svg("svg", {viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": "Map of " + nodes.length + " papers and " + edges.length +
        " links between them; the list below names them."});
    edges.forEach(function (edge) {
      picture.appendChild(svg("line", {x1: place[edge[0]][0], y1: place[edge[0]][1],
        x2: place[edge[1]][0], y2: place[edge[1]][1], class: "cat-map__" + edge[2]}));
    });
    var list = data.el("ol", {class: "cat-map__list"});
    nodes.forEach(function (node, n) {
      var paper = papers[node[0]];
      var title = paper ? paper[0] : node[0];
      var link = svg("a", {href: data.pageUrl(node[0])});
      var label = svg("title", {});
      label.textContent = (n + 1) + ". " + title;
      link.appendChild(label);
      link.appendChild(svg("circle", {cx: place[n][0], cy: place[n][1], r: node[1] === 0 ? 22 : 17,
        class: "cat-map__node cat-map__node--" + node[1]}));
      var number = svg("text", {x: place[n][0], y: place[n][1], class: "cat-map__number"});
      number.textContent = String(n + 1);
      link.appendChild(number);
      picture.appendChild(link);
      var item = data.el("li");
      item.appendChild(data.el("a", {href: data.pageUrl(node[0]), "data-catalogue-star": "1"}, title));
      var with_ = joined[n].map(function (m) { return m + 1; }).sort(function (a, b) { return a - b; });
      if (with_.length) item.append(" \u2014 joined to " + with_.join(", "));
      list.appendChild(item);
    });
    figure.append(picture, list);
    host.after(figure);
    return figure;
  }

  window.catalogueMap = function (kind, button) {
    var nodes = kind === "paper" ? paperNodes(data.slugOf(location.href)) : tagNodes(document);
    nodes.then(function (found) {
      return load(found.map(function (node) { return node[0]; })).then(function (papers) {
        var figure = draw(found, papers, button);
        button.remove();
        figure.querySelector("svg").focus();
      });
    });
  };
})();
