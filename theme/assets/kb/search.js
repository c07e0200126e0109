/*
 * kb's search box in the header: type-ahead results as you type, with the matched words marked,
 * each result linked to its best matching section; filters by topic, status, type and person,
 * with counts; keyboard throughout ("/" or "s" to search, arrows, Enter, Escape).
 *
 * Everything from the index is set as text, never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = new URL(script ? script.src.replace(/assets\/kb\/search\.js.*$/, "") : "./", location.href);
  var STATUS_RANK = { "best-practice": 0, verified: 1 };
  var LABELS = { "best-practice": "Best practice", verified: "Verified", published: "Published",
                 article: "Article", "how-to": "How-to", question: "Question", community: "Community" };
  var cache = {};
  function fetchJson(path) {
    if (!cache[path]) {
      cache[path] = fetch(new URL(path, root)).then(function (r) { return r.ok ? r.json() : {}; });
    }
    return cache[path];
  }
  var core = window.KbSearchCore(window.lunr, fetchJson);
  var facets = null, facetsData = null;
  var filters = { topic: null, status: null, type: null, person: null };
  var selected = -1;
  var shown = [];
  var input, panel, list, groups, summary;
  /* Type-ahead: one search at a time, started on the keystroke; what was typed meanwhile is
     searched when it ends. Each search has a ticket, and the panel never goes back to an older
     one than it shows. */
  var ticket = 0, drawn = 0, running = false, again = false;

  /* A link from the index, resolved against the site: the index only ever holds the site's own
     pages, so anything that resolves elsewhere (another origin, a javascript: URL) goes nowhere. */
  function within(url) {
    var resolved = new URL(url, root);
    return resolved.protocol === root.protocol && resolved.origin === root.origin ? resolved.href : "#";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function build() {
    var header = document.querySelector(".md-header__inner");
    var form = el("form", "kb-search");
    form.setAttribute("role", "search");
    input = el("input", "kb-search__input");
    input.type = "search";
    input.placeholder = "Search";
    input.setAttribute("aria-label", "Search the wiki");
    input.setAttribute("aria-controls", "kb-search-panel");
    input.setAttribute("autocomplete", "off");
    form.appendChild(input);
    (header || document.body).appendChild(form);
    panel = el("div", "kb-search__panel md-typeset");
    panel.id = "kb-search-panel";
    panel.hidden = true;
    summary = el("p", "kb-search__summary");
    groups = el("div", "kb-search__filters");
    list = el("ol", "kb-search__results");
    list.setAttribute("role", "listbox");
    panel.appendChild(summary);
    panel.appendChild(groups);
    panel.appendChild(list);
    document.body.appendChild(panel);
    form.addEventListener("submit", function (event) { event.preventDefault(); open(selected < 0 ? 0 : selected); });
    input.addEventListener("input", run);
    /* Whoever focuses the box is about to search: fetch what every search needs first. */
    input.addEventListener("focus", function () { core.manifest(); loadFacets(); });
    input.addEventListener("keydown", keys);
    document.addEventListener("keydown", function (event) {
      var typing = event.target instanceof Element && event.target.closest("input, textarea, select, [contenteditable]");
      if (!typing && (event.key === "/" || event.key === "s") && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        input.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!panel.hidden && !panel.contains(event.target) && event.target !== input) panel.hidden = true;
    });
  }

  /* What the reader typed, as a lunr query: from four letters on, the word being typed also
     matches as a prefix. (A shorter prefix matches most of a large wiki: "dep*" is three pages in
     four at 10,000 pages, and scoring them all takes longer than typing the next letter.) */
  function toQuery(text) {
    var words = text.trim().split(/\s+/).filter(Boolean);
    if (!words.length) return "";
    if (typing(text)) words.push(words[words.length - 1] + "*");
    return words.join(" ");
  }

  function typing(text) {
    return /(^|\s)[\w\u00c0-\uffff]{4,}$/.test(text);
  }

  /* A word still being typed that is too short to be a prefix yet ("dep"): if nothing matches it,
     the reader is not done, and "no page matches" would only flicker. */
  function partial(text) {
    return /(^|\s)[\w\u00c0-\uffff]{1,3}$/.test(text);
  }

  function stems(text) {
    return text.toLowerCase().split(/[^\w\u00c0-\uffff]+/).filter(Boolean).map(function (word) {
      return window.lunr.stemmer(new window.lunr.Token(word)).toString();
    });
  }

  function loadFacets() {
    return facets || (facets = fetchJson("search/facets.json").then(function (data) { facetsData = data; return data; }));
  }

  function run() {
    if (running) { again = true; return; }
    running = true;
    again = false;
    search().then(finished, finished);
  }

  function finished() {
    running = false;
    /* Let the browser show what was just drawn before the next search takes the thread. */
    if (again) requestAnimationFrame(function () { setTimeout(run, 0); });
  }

  function search() {
    var text = input.value;
    var mine = ++ticket;
    if (text.trim().length < 3) {
      /* Too short to mean anything yet (and a search would fetch every shard of its prefix). */
      if (!text.trim()) { drawn = mine; panel.hidden = true; }
      return Promise.resolve();
    }
    var query = toQuery(text);
    var searching = core.search(query).catch(function () { return core.search(text.replace(/[:~^+\-*]/g, " ")); });
    /* The filters' data is not needed for the first results: they show as soon as the index
       answers, and the filters, counts and tie-breaks follow when it arrives. */
    var loadingFacets = loadFacets();
    return searching.then(function (results) {
      if (!results.length && partial(text)) return;
      var withFacets = function () {
        return loadingFacets.then(function (data) { return render(text, results, data, mine); });
      };
      return results.length && !facetsData ? render(text, results, null, mine).then(withFacets) : withFacets();
    });
  }

  function facetValues(ref, data) {
    if (!data || !data.columns) return { status: [], type: [], topic: [], person: [], updated: "" };
    var i = +ref, c = data.columns, t = data.tables;
    return {
      status: [t.status[c.status[i]]], type: [t.type[c.type[i]]],
      topic: c.topic[i].map(function (n) { return t.topic[n]; }),
      person: c.person[i].map(function (n) { return t.person[n]; }),
      updated: c.updated[i]
    };
  }

  function rank(status) { return STATUS_RANK[status] === undefined ? 2 : STATUS_RANK[status]; }

  /* Draws the results of search `mine` once their documents are here, unless a newer search
     is on screen already. */
  function render(text, results, data, mine) {
    var matching = results.map(function (r) {
      return { ref: r.ref, score: r.score, values: facetValues(r.ref, data) };
    });
    /* Relevance first; when it ties, vetted pages, then fresher ones. */
    matching.sort(function (a, b) {
      return b.score - a.score || rank(a.values.status[0]) - rank(b.values.status[0]) ||
        (b.values.updated > a.values.updated ? 1 : b.values.updated < a.values.updated ? -1 : 0);
    });
    var kept = matching.filter(function (m) { return passes(m, null); });
    var top = kept.slice(0, 10);
    var loading = Promise.resolve(core.manifest()).then(function (info) {
      return Promise.all(top.map(function (m) {
        var shard = Math.floor(+m.ref / info.docs_per_shard);
        return fetchJson("search/d/" + shard + ".json").then(function (docs) { return docs[m.ref]; });
      }));
    });
    return loading.then(function (docs) {
      if (mine < drawn) return;
      drawn = mine;
      renderFilters(matching);
      summary.textContent = kept.length ? kept.length + (kept.length === 1 ? " page" : " pages") : "";
      shown = top;
      if (selected >= shown.length) selected = shown.length - 1;
      if (selected < 0 && shown.length) selected = 0;
      panel.hidden = false;
      list.replaceChildren();
      if (!shown.length) { if (data) empty(text, data); return; }
      var words = stems(text);
      docs.forEach(function (doc, index) { if (doc) list.appendChild(item(doc, words, index)); });
      highlight();
    });
  }

  function passes(match, except) {
    return Object.keys(filters).every(function (name) {
      if (!match.values[name]) return true;
      return name === except || filters[name] === null || match.values[name].indexOf(filters[name]) >= 0;
    });
  }

  function renderFilters(matching) {
    groups.replaceChildren();
    [["topic", "Topic"], ["status", "Status"], ["type", "Type"], ["person", "Person"]].forEach(function (pair) {
      var name = pair[0], counts = {};
      matching.forEach(function (m) {
        if (!passes(m, name)) return;
        m.values[name].forEach(function (value) { counts[value] = (counts[value] || 0) + 1; });
      });
      var values = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); }).slice(0, 8);
      if (filters[name] !== null && values.indexOf(filters[name]) < 0) values.unshift(filters[name]);
      if (!values.length) return;
      var group = el("div", "kb-search__group");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", pair[1]);
      group.appendChild(el("span", "kb-search__group-label", pair[1]));
      values.forEach(function (value) {
        var button = el("button", "kb-chip kb-search__filter", (LABELS[value] || value) + " " + (counts[value] || 0));
        button.type = "button";
        button.dataset.filter = name;
        button.dataset.value = value;
        button.setAttribute("aria-pressed", String(filters[name] === value));
        button.addEventListener("click", function (event) {
          event.stopPropagation();
          filters[name] = filters[name] === value ? null : value;
          run();
          input.focus();
        });
        group.appendChild(button);
      });
      groups.appendChild(group);
    });
  }

  function marked(text, words) {
    var fragment = document.createDocumentFragment();
    text.split(/([\w\u00c0-\uffff]+)/).forEach(function (part) {
      if (!part) return;
      var stem = window.lunr.stemmer(new window.lunr.Token(part.toLowerCase())).toString();
      var hit = /[\w\u00c0-\uffff]/.test(part) && words.some(function (w) { return stem === w || (w.length > 1 && stem.indexOf(w) === 0); });
      fragment.appendChild(hit ? el("mark", null, part) : document.createTextNode(part));
    });
    return fragment;
  }

  function item(doc, words, index) {
    var best = null, bestHits = 0;
    (doc.h || []).forEach(function (section) {
      var hits = stems(section[1]).filter(function (s) { return words.indexOf(s) >= 0; }).length;
      if (hits > bestHits) { best = section; bestHits = hits; }
    });
    var li = el("li", "kb-search__result");
    li.setAttribute("role", "option");
    li.id = "kb-search-result-" + index;
    var link = el("a", "kb-search__link");
    link.href = within(doc.u + (best ? "#" + best[0] : ""));
    link.appendChild(marked(doc.t, words));
    li.appendChild(link);
    li.appendChild(el("span", "kb-badge kb-badge--" + doc.st, LABELS[doc.st] || doc.st));
    if (best) li.appendChild(el("span", "kb-search__section", "› " + best[1]));
    if (doc.s) {
      var snippet = el("p", "kb-search__snippet");
      snippet.appendChild(marked(doc.s, words));
      li.appendChild(snippet);
    }
    li.addEventListener("mousemove", function () { selected = index; highlight(); });
    return li;
  }

  function empty(text, data) {
    var box = el("div", "kb-search__empty");
    box.appendChild(el("p", null, "No page matches \u201c" + text.trim() + "\u201d."));
    var words = text.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 2; });
    var topics = (data.topic_urls ? Object.keys(data.topic_urls) : []).filter(function (name) {
      var lower = name.toLowerCase();
      return words.some(function (w) { return lower.indexOf(w.slice(0, 4)) >= 0; });
    }).slice(0, 5);
    if (topics.length) {
      var related = el("p", null, "Related topics: ");
      topics.forEach(function (name) {
        var a = el("a", "kb-chip", name);
        a.href = within(data.topic_urls[name]);
        related.appendChild(a);
      });
      box.appendChild(related);
    }
    var ask = el("p", null, "Ask someone who knows: ");
    var people = el("a", null, "the people directory");
    people.href = within(data.people_url || "people/");
    ask.appendChild(people);
    box.appendChild(ask);
    if (data.new_page) {
      var start = el("a", "kb-search__start", "Start a page about \u201c" + text.trim() + "\u201d");
      var name = text.trim().toLowerCase().replace(/[^\w\u00c0-\uffff]+/g, "-").replace(/^-+|-+$/g, "") || "new-page";
      start.href = data.new_page.replace("{path}", encodeURIComponent(name + ".md"))
        .replace("{content}", encodeURIComponent(data.new_page_template.replace("{title}", JSON.stringify(text.trim()))));
      box.appendChild(el("p")).appendChild(start);
    }
    list.replaceChildren(box);
  }

  function highlight() {
    Array.prototype.forEach.call(list.querySelectorAll(".kb-search__result"), function (li, index) {
      li.setAttribute("aria-selected", String(index === selected));
    });
    if (selected >= 0) input.setAttribute("aria-activedescendant", "kb-search-result-" + selected);
  }

  function open(index) {
    var link = list.querySelectorAll(".kb-search__link")[index];
    if (link) location.href = link.href;
  }

  function keys(event) {
    var count = list.querySelectorAll(".kb-search__result").length;
    if (event.key === "ArrowDown" && count) { event.preventDefault(); selected = (selected + 1) % count; highlight(); }
    else if (event.key === "ArrowUp" && count) { event.preventDefault(); selected = (selected - 1 + count) % count; highlight(); }
    else if (event.key === "Escape") { drawn = ++ticket; panel.hidden = true; input.blur(); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build);
  else build();
})();
