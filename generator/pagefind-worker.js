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
 *
 * And a page opened with ?q= starts this worker from its <head> (overrides/main.html) and
 * posts {pagefindEarly: {query, language}} first. The worker then runs at once, on an
 * instance of its own (EARLY), the messages that page's Pagefind will send later, as
 * static/pagefind/pagefind.js sends them (init, options, each other bundle's mergeIndex,
 * the search, the first results' data), while the page is still loading. Each message
 * the page sends that is one of those (the same method and arguments) is answered with
 * that run's answer; once its search was one of them, its other messages go to EARLY,
 * which has had exactly the page's messages. If a message differs before that, the page's
 * messages so far are run again on its own instance and everything goes to Pagefind as
 * it is: the answers are always Pagefind's own.
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

  var EARLY = "pf_early";
  var early_run = null;  // the run for an early query

  /* JSON with sorted keys: two messages are the same when these are equal. */
  function same(value) {
    if (Array.isArray(value)) return "[" + value.map(same).join(",") + "]";
    if (value && typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (name) {
        return JSON.stringify(name) + ":" + same(value[name]);
      }).join(",") + "}";
    }
    return JSON.stringify(value === undefined ? null : value);
  }

  function key(message) {
    return same([message.method, message.args]);
  }

  var passing = false;  // a message this file hands to Pagefind's own listener
  function pass(message) {
    passing = true;
    try {
      self.dispatchEvent(new MessageEvent("message", { data: message }));
    } finally {
      passing = false;
    }
  }

  var own = {};  // message id -> what takes Pagefind's answer to a message of this file's
  var post = self.postMessage.bind(self);
  self.postMessage = function (message) {
    if (message && typeof message.id === "string" && own[message.id]) {
      var back = own[message.id];
      delete own[message.id];
      back(message);
      return;
    }
    post.apply(self, arguments);
  };

  var sent = 0;
  function ask(instance, method, args) {  // Pagefind's answer, kept here
    return new Promise(function (resolve) {
      var id = "early_" + sent++;
      own[id] = resolve;
      pass({ id: id, instanceId: instance, method: method, args: args });
    });
  }

  function begin(query, language) {
    var root = new URL("../", here).pathname, base = { baseUrl: root };
    var names = layout && Array.isArray(layout.bundles) ? layout.bundles : [];
    var cells = layout && Array.isArray(layout.masked) ? layout.masked : [];
    var steps = [
      ["init", [{ baseUrl: root, basePath: here.pathname, language: language, primary: true }]],
      ["options", [base]],
    ];
    names.slice(1).forEach(function (name) {
      steps.push(["mergeIndex", [here.pathname + name + "/", base]]);
    });
    var none = cells.map(function (cell) { return { cell: cell }; });
    steps.push(["search", [query, cells.length ? { filters: { none: none } } : {}]]);
    var run = early_run = {
      steps: steps.map(function (step) { return { method: step[0], args: step[1] }; }),
      answers: [],  // a promise of Pagefind's answer to each step (null: never sent)
      claimed: [],  // the steps the page's messages were, in the order they came
      done: false,  // the page's search was the step's
      data: {},  // the first results' getData: key -> a promise of the answer
      replaying: null,  // the page's messages running again on its own instance
      stopped: false,
    };
    // The steps in turn, each once the one before is answered, as the page sends them;
    // the bundles' mergeIndex together, as the page sends those.
    var groups = [];
    run.steps.forEach(function (step, at) {
      var last = groups[groups.length - 1];
      var merging = step.method === "mergeIndex" && last && run.steps[last[0]].method === step.method;
      if (merging) last.push(at);
      else groups.push([at]);
    });
    var settle = [];
    run.answers = run.steps.map(function (step, at) {
      return new Promise(function (resolve) { settle[at] = resolve; });
    });
    function send(at) {  // once stopped, only the steps the page's messages claimed
      var skip = run.stopped && run.claimed.indexOf(at) < 0;
      settle[at](skip ? null : ask(EARLY, run.steps[at].method, run.steps[at].args));
      return run.answers[at];
    }
    groups.reduce(function (before, group) {
      return before.then(function () { return Promise.all(group.map(send)); });
    }, Promise.resolve()).then(function (last) {  // the search: its first results' data
      var found = last[0];
      if (run.stopped || !found || !found.result || !Array.isArray(found.result.results)) return;
      found.result.results.slice(0, 10).forEach(function (result) {
        var args = [result.data];
        run.data[key({ method: "getData", args: args })] = ask(EARLY, "getData", args);
      });
    });
  }

  function answer(id, promise) {
    promise.then(function (got) { post(Object.assign({}, got, { id: id })); });
  }

  /* The step a page message is, if it may be now: any step once, after init (which
   * comes first); the search only after init and every mergeIndex. The page sends
   * options and mergeIndex in either order, and options again after the search: neither
   * order changes what the instance holds. -1 for none. */
  function step_of(run, message) {
    var wanted = key(message);
    for (var at = 0; at < run.steps.length; at++) {
      if (run.claimed.indexOf(at) >= 0 || key(run.steps[at]) !== wanted) continue;
      var method = run.steps[at].method;
      var before = run.steps.every(function (step, other) {
        var needed = method === "search" ? step.method !== "options" && step.method !== "search"
          : method !== "init" && step.method === "init";
        return !needed || run.claimed.indexOf(other) >= 0;
      });
      return before ? at : -1;
    }
    return -1;
  }

  function receive(run, message) {
    if (run.replaying) {  // the page's own instance is being brought up to date
      run.replaying = run.replaying.then(function () { pass(message); });
      return;
    }
    var at = run.stopped ? -1 : step_of(run, message);
    if (at >= 0) {
      run.claimed.push(at);
      if (run.steps[at].method === "search") run.done = true;
      answer(message.id, run.answers[at]);  // sent once the steps before it are answered
      return;
    }
    if (run.done) {  // EARLY has had exactly the page's messages (options twice at most)
      var kept = run.data[key(message)];
      delete run.data[key(message)];
      if (kept) answer(message.id, kept);
      else pass(Object.assign({}, message, { instanceId: EARLY }));
      return;
    }
    // Not one of the steps: the run stops, the page's messages so far run again on the
    // page's own instance, then this one and every later one go to Pagefind as they are.
    run.stopped = true;
    var instance = message.instanceId;
    run.replaying = run.claimed.reduce(function (before, claimed) {
      var step = run.steps[claimed];
      return before.then(function () { return ask(instance, step.method, step.args); });
    }, Promise.all(run.answers)).then(function () { pass(message); });
  }

  self.addEventListener("message", function (event) {
    if (passing) return;  // for Pagefind's listener
    var message = event.data;
    if (message && message.pagefindEarly) {
      event.stopImmediatePropagation();
      var asked = message.pagefindEarly;
      if (!early_run && typeof asked.query === "string" && asked.query &&
          typeof asked.language === "string") {
        begin(asked.query, asked.language);
      }
      return;
    }
    if (!early_run || !message || typeof message.id !== "string") return;
    event.stopImmediatePropagation();
    receive(early_run, message);
  });

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
