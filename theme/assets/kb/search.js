/*
 * kb's search box in the header: type-ahead results as you type, with the matched words marked,
 * each result linked to its best matching section; above them, a card for a topic or a person
 * the query names (its vetted pages and who to ask); filters by topic, status, type and person,
 * with counts; keyboard throughout ("/" or "s" to search, arrows, Enter, Escape).
 *
 * Results are ordered by lunr's score times a trust factor (the manifest's `boost`, by the
 * class in its `trust`: best practice, verified, the rest), then by trust and freshness when
 * that ties: at comparable relevance the vetted page comes first (kb/search/shards.py, TRUST).
 *
 * The box is an ARIA combobox whose popup is a grid: each card and result is a row, and a row
 * may hold several links (a card's pages and people), which a listbox's options may not.
 *
 * Everything from the index is set as text, never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = new URL(script ? script.src.replace(/assets\/kb\/search\.js.*$/, "") : "./", location.href);
  /* How results name statuses and types: the site's own words, from the manifest. */
  var labels = {};
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
  var input, panel, list, groups, summary, notice, emptyBox;
  /* The text the rows on screen answer, and whether Enter should open the first row of the
     search under way (Enter pressed while it ran). */
  var drawnText = null, openWhenDrawn = false;
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
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-haspopup", "grid");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", "kb-search-results");
    input.setAttribute("autocomplete", "off");
    form.appendChild(input);
    (header || document.body).appendChild(form);
    panel = el("div", "kb-search__panel md-typeset");
    panel.id = "kb-search-panel";
    panel.hidden = true;
    summary = el("p", "kb-search__summary");
    /* Read out when it changes: how many topics, people and pages the query found. */
    summary.setAttribute("role", "status");
    summary.setAttribute("aria-live", "polite");
    notice = el("p", "kb-search__notice");
    notice.hidden = true;
    groups = el("div", "kb-search__filters");
    list = el("div", "kb-search__results");
    list.id = "kb-search-results";
    list.setAttribute("role", "grid");
    list.setAttribute("aria-label", "Search results");
    /* Nothing found, and what to do then: beside the grid, which may hold only rows. */
    emptyBox = el("div", "kb-search__empty-box");
    panel.appendChild(summary);
    panel.appendChild(notice);
    panel.appendChild(groups);
    panel.appendChild(list);
    panel.appendChild(emptyBox);
    /* In the search landmark, right after the box: Tab goes from the box to the filters and the
       cards' links, and a screen reader finds the results where the search is. */
    form.appendChild(panel);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (panel.hidden) { run(); return; }
      /* Rows of an older text are never opened: the search of this one opens its first row. */
      if (drawnText !== input.value || running) { openWhenDrawn = true; run(); return; }
      open(selected < 0 ? 0 : selected);
    });
    /* While an input method composes (Japanese kana on the way to 東京), the text is not what
       the reader means yet: search once it is committed. */
    input.addEventListener("input", function (event) { if (!event.isComposing) run(); });
    input.addEventListener("compositionend", run);
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
      if (!panel.hidden && !panel.contains(event.target) && event.target !== input) hide();
    });
    /* Escape anywhere in the panel closes it and goes back to the box. */
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); hide(); input.focus(); }
    });
  }

  function hide() {
    panel.hidden = true;
    selected = -1;
    drawnText = null;
    openWhenDrawn = false;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function reveal() {
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
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

  /* Resolves true once the box has kept `text` for a moment, false as soon as it changes. */
  function settled(text) {
    return new Promise(function (resolve) {
      var waited = 0;
      (function check() {
        if (input.value !== text) resolve(false);
        else if (waited >= 250) resolve(true);
        else { waited += 50; setTimeout(check, 50); }
      })();
    });
  }

  /* A word still being typed that is too short to be a prefix yet ("dep"): if nothing matches it,
     the reader is not done, and "no page matches" would only flicker. Not in CJK text, where
     two characters are a whole word. */
  function partial(text) {
    return /(^|\s)[\w\u00c0-\uffff]{1,3}$/.test(text) && !core.reader().cjk(text.trim().split(/\s+/).pop());
  }

  /* The same query, each word of four letters or more allowed one edit: "mentorng" finds
     "mentoring". (Fuzzy words expand over the index's words that share their first two letters.)
     An excluded word (-runners) stays excluded and exact; a word with a wildcard or an edit
     distance of its own stays as typed; CJK text too, whose pairs one edit away are any pair
     sharing a character. Null when no word changes. */
  function oneEditAway(text) {
    var changed = false;
    var words = text.trim().split(/\s+/).filter(Boolean).map(function (word) {
      if (word.charAt(0) === "-") return word;
      var lead = /^\+?(?:[a-z]+:)?/.exec(word)[0];
      return lead + word.slice(lead.length).split("-").map(function (part) {
        if (Array.from(part).length < 4 || /[~^*:+]/.test(part) || core.reader().cjk(part)) return part;
        changed = true;
        return part + "~1";
      }).join(" ");
    });
    return changed ? words.join(" ") : null;
  }

  /* A text's terms in each of the site's languages (search-lang.js). */
  function stems(text) {
    return core.reader().words(text);
  }

  function loadFacets() {
    return facets || (facets = fetchJson("search/facets.json").then(function (data) { facetsData = data; return data; }));
  }

  /* The cards a query may name: those in the shards of its words' first two letters (one
     shard per word, kb/search/cards.py), merged. Every word of a query must start a word of a
     card's key, so the first word's shard holds every card it can match; the others add the
     topics one typo away for a query that finds nothing. */
  function loadCards(text) {
    if (asksForPages(text || "")) return Promise.resolve({ topics: [], people: [] });
    return Promise.resolve(core.manifest()).then(function (info) {
      var known = {};
      (info.cards || []).forEach(function (key) { known[key] = true; });
      var keys = [];
      fold(text || "").split(" ").forEach(function (word) {
        var key = Array.from(word).slice(0, 2).join("");
        if (Array.from(key).length === 2 && known[key] && keys.indexOf(key) < 0) keys.push(key);
      });
      return Promise.all(keys.map(function (key) { return fetchJson("search/c/" + core.hex(key) + ".json"); }));
    }).then(function (shards) {
      var merged = { topics: [], people: [] }, seen = {};
      shards.forEach(function (shard) {
        ["topics", "people"].forEach(function (kind) {
          (shard[kind] || []).forEach(function (card) {
            if (seen[kind + card.u]) return;
            seen[kind + card.u] = true;
            merged[kind].push(card);
          });
        });
      });
      return merged;
    });
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
    if (!core.reader().enough(text)) {
      /* Too short for a search (which would fetch every shard of its prefix); but two letters may
         be a topic's or a person's whole name (Go, AI), which a card answers. Two characters of
         CJK text are a word, and searched (search-lang.js). */
      if (Array.from(text.trim()).length === 2) return shortName(text, mine);
      drawn = mine;
      hide();
      return Promise.resolve();
    }
    var query = toQuery(text);
    var refused = null;
    var searching = core.search(query).catch(function (error) {
      if (error && error.name === "Refused") { refused = error.message; return []; }
      return core.search(text.replace(/[:~^+\-*]/g, " "));
    });
    /* The filters' data is not needed for the first results: they show as soon as the index
       answers, and the filters, counts and tie-breaks follow when it arrives. */
    var loadingFacets = loadFacets();
    var loadingCards = loadCards(text);
    return Promise.all([searching, loadingCards, core.manifest()]).then(function (found) {
      var results = found[0], info = found[2];
      labels = info.labels || labels;
      var matched = refused ? { topics: [], people: [] } : matchCards(text, found[1]);
      var fuzzy = false;
      var retry = !results.length && !refused && !partial(text) && oneEditAway(text);
      /* Only for a text the reader stopped at: the retry fetches every shard of its words' first
         two letters, and for a text typed on from ("Berechtigunge", on the way to
         "Berechtigungen"), what it found would never show. */
      var more = retry ? settled(text).then(function (still) {
        return still ? core.search(retry).catch(function () { return []; }) : null;
      }) : Promise.resolve(results);
      return more.then(function (results) {
        if (results === null) return;
        fuzzy = Boolean(retry && results.length);
        if (!results.length && !matched.topics.length && !matched.people.length && partial(text) && !refused) {
          /* A word still being typed: what is shown stays while the text reads on from it. */
          if (mine > drawn && !(drawnText !== null && text.indexOf(drawnText) === 0)) { drawn = mine; hide(); }
          return;
        }
        var state = { text: text, results: results, info: info, cards: matched, fuzzy: fuzzy, refused: refused,
                      known: found[1] };
        var withFacets = function () {
          return loadingFacets.then(function (data) { return render(state, data, mine); });
        };
        return results.length && !facetsData ? render(state, null, mine).then(withFacets) : withFacets();
      });
    });
  }

  /* Two letters: only a card whose name they are. */
  function shortName(text, mine) {
    return Promise.all([loadCards(text), core.manifest()]).then(function (found) {
      var matched = matchCards(text, found[0], true);
      if (!matched.topics.length && !matched.people.length) {
        if (mine > drawn) { drawn = mine; hide(); }
        return;
      }
      labels = found[1].labels || labels;
      var state = { text: text, results: [], info: found[1], cards: matched, fuzzy: false, refused: null, known: found[0] };
      return render(state, facetsData, mine);
    });
  }

  /* --- cards: the topics and people a query names ------------------------------------------ */

  /* Lower case, compatibility forms plain (ＡＰＩ), accents dropped, anything but letters, marks,
     digits and `_+#` (C++, C#) a space: as kb/search/cards.py folds the cards' keys. */
  function fold(text) {
    return String(text).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^\p{L}\p{M}\p{N}_+#]+/gu, " ").trim();
  }

  /* How well a query names a card: 4 a key exactly, 3 the start of a key, 2 the start of
     every query word's word in a key; less for a key after the card's name (an alias, what
     to ask someone about). 0: not at all. */
  function cardScore(card, query, words) {
    var best = 0;
    (card.k || []).forEach(function (key, index) {
      var folded = fold(key);
      if (!folded) return;
      var score = 0;
      if (folded === query) score = 4;
      else if (query.length >= 3 && folded.indexOf(query) === 0) score = 3;
      else {
        var own = folded.split(" ");
        if (words.every(function (w) { return own.some(function (o) { return o.indexOf(w) === 0; }); })) score = 2;
      }
      if (score && index > 0) score -= 0.5;
      if (score > best) best = score;
    });
    return best;
  }

  function ranked(list, query, words, limit) {
    return list.map(function (card) { return { card: card, score: cardScore(card, query, words) }; })
      .filter(function (m) { return m.score > 0; })
      .sort(function (a, b) { return b.score - a.score || (a.card.n < b.card.n ? -1 : 1); })
      .slice(0, limit).map(function (m) { return m.card; });
  }

  /* Query syntax (fields, wildcards, exclusions) asks for pages, not a topic or a person. */
  function asksForPages(text) {
    return /[:*~^]|(^|\s)[+\-]/.test(text);
  }

  function matchCards(text, data, exact) {
    var query = fold(text);
    if (!data || Array.from(query).length < 2 || asksForPages(text)) return { topics: [], people: [] };
    if (exact) {
      var named = function (card) { return (card.k || []).some(function (key) { return fold(key) === query; }); };
      return { topics: data.topics.filter(named).slice(0, 2), people: data.people.filter(named).slice(0, 2) };
    }
    var words = query.split(" ").filter(function (w) { return w.length >= 2; });
    if (!words.length) return { topics: [], people: [] };
    var topics = ranked(data.topics, query, words, 2);
    /* A person whose name the query is, or who says to ask them about it. */
    var people = ranked(data.people, query, words, 2);
    return { topics: topics, people: people };
  }

  /* Words one edit apart (a letter added, dropped or changed). */
  function oneEdit(a, b) {
    if (a === b) return true;
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0, j = 0, edits = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (a.length > b.length) i++;
      else if (b.length > a.length) j++;
      else { i++; j++; }
    }
    return edits + (a.length - i) + (b.length - j) <= 1;
  }

  /* For a query nothing answers: the topics whose words start like the query's, or are one
     typo away from them. */
  function closestTopics(text, data) {
    if (!data) return [];
    var words = fold(text).split(" ").filter(function (w) { return w.length >= 3; });
    if (!words.length) return [];
    return data.topics.filter(function (topic) {
      return (topic.k || []).some(function (key) {
        return fold(key).split(" ").some(function (own) {
          return words.some(function (w) {
            return own.indexOf(w.slice(0, 4)) === 0 || (w.length >= 4 && (oneEdit(w, own) || oneEdit(w, own.slice(0, w.length))));
          });
        });
      });
    }).slice(0, 5);
  }

  function link(className, text, url) {
    var a = el("a", className, text);
    a.href = within(url);
    return a;
  }

  function topicCard(card) {
    var body = el("div", "kb-search__card-body");
    var title = el("p", "kb-search__card-title");
    title.appendChild(el("span", "kb-search__card-kind", "Topic"));
    title.appendChild(link("kb-search__link kb-search__card-link", card.n, card.u));
    title.appendChild(el("span", "kb-search__card-count", card.c + (card.c === 1 ? " page" : " pages")));
    body.appendChild(title);
    if (card.s) body.appendChild(el("p", "kb-search__snippet", card.s));
    if (card.p && card.p.length) {
      var pages = el("ul", "kb-search__card-pages");
      pages.setAttribute("aria-label", "Vetted pages");
      card.p.forEach(function (page) {
        var li = el("li");
        li.appendChild(link(null, page[0], page[1]));
        li.appendChild(el("span", "kb-badge kb-badge--" + page[2], labels[page[2]] || page[2]));
        pages.appendChild(li);
      });
      body.appendChild(pages);
    }
    if (card.e && card.e.length) body.appendChild(peopleList("Ask", card.e));
    return body;
  }

  function peopleList(label, people) {
    var box = el("p", "kb-search__card-people");
    box.appendChild(el("span", "kb-search__card-label", label + ": "));
    people.forEach(function (person, index) {
      if (index) box.appendChild(document.createTextNode("; "));
      box.appendChild(link(null, person[0], person[1]));
      if (person[2]) box.appendChild(el("span", "kb-search__evidence", " (" + person[2] + ")"));
    });
    return box;
  }

  function personCard(card, query) {
    var body = el("div", "kb-search__card-body");
    var title = el("p", "kb-search__card-title");
    title.appendChild(el("span", "kb-search__card-kind", "Person"));
    title.appendChild(link("kb-search__link kb-search__card-link", card.n, card.u));
    if (card.r) title.appendChild(el("span", "kb-search__card-role", card.r));
    body.appendChild(title);
    var asks = (card.k || []).slice(1);
    if (asks.length) {
      /* What the query matched first, so that a card found by its fourth item shows why. */
      var words = fold(query).split(" ").filter(Boolean);
      var hits = function (ask) {
        var own = fold(ask).split(" ");
        return words.length && words.every(function (w) { return own.some(function (o) { return o.indexOf(w) === 0; }); });
      };
      var shown = asks.filter(hits).concat(asks.filter(function (ask) { return !hits(ask); })).slice(0, 3);
      body.appendChild(el("p", "kb-search__snippet", "Ask me about: " + shown.join("; ")));
    }
    if (card.t && card.t.length) {
      var known = el("p", "kb-search__card-topics");
      known.appendChild(el("span", "kb-search__card-label", "Knows: "));
      card.t.forEach(function (topic, index) {
        if (index) known.appendChild(document.createTextNode("; "));
        known.appendChild(link(null, topic[0], topic[1]));
        if (topic[2]) known.appendChild(el("span", "kb-search__evidence", " (" + topic[2] + ")"));
      });
      body.appendChild(known);
    }
    return body;
  }

  /* --- results ----------------------------------------------------------------------------- */

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

  /* Draws search `mine` once the documents of its top results are here, unless a newer search
     is on screen already. */
  function render(state, data, mine) {
    var trust = state.info.trust || "", boost = state.info.boost || {};
    var matching = state.results.map(function (r) {
      var kind = trust.charAt(+r.ref) || "p";
      return { ref: r.ref, score: r.score, ranked: r.score * (boost[kind] || 1), kind: kind, values: facetValues(r.ref, data) };
    });
    /* Relevance with trust; when that ties, vetted pages, then fresher ones. */
    matching.sort(function (a, b) {
      return b.ranked - a.ranked || (boost[b.kind] || 1) - (boost[a.kind] || 1) ||
        (b.values.updated > a.values.updated ? 1 : b.values.updated < a.values.updated ? -1 : 0);
    });
    var kept = matching.filter(function (m) { return passes(m, null); });
    var top = kept.slice(0, 10);
    var loading = Promise.all(top.map(function (m) {
      var shard = Math.floor(+m.ref / state.info.docs_per_shard);
      return fetchJson("search/d/" + shard + ".json").then(function (docs) { return docs[m.ref]; });
    }));
    return loading.then(function (docs) {
      if (mine < drawn) return;
      drawn = mine;
      renderFilters(matching);
      var rows = [];
      state.cards.topics.forEach(function (card) { rows.push(row("kb-search__card kb-search__card--topic", topicCard(card))); });
      state.cards.people.forEach(function (card) { rows.push(row("kb-search__card kb-search__card--person", personCard(card, state.text))); });
      var words = stems(state.text);
      docs.forEach(function (doc) { if (doc) rows.push(row("kb-search__result", item(doc, words))); });
      summary.textContent = describe(state.cards, kept.length);
      notice.hidden = !(state.refused || state.fuzzy);
      notice.textContent = state.refused || (state.fuzzy ? "No page has \u201c" + state.text.trim() +
        "\u201d; these are pages with words one letter off." : "");
      reveal();
      list.replaceChildren();
      emptyBox.replaceChildren();
      /* A new text starts at its first row; the same text drawn again (its filters' data came)
         keeps the row the reader chose. */
      if (state.text !== drawnText) selected = 0;
      drawnText = state.text;
      if (!rows.length) {
        selected = -1;
        input.removeAttribute("aria-activedescendant");
        if (matching.length) filteredOut(matching.length);
        else if (data || state.refused) empty(state.text, data || {}, state.known);
        openWhenDrawn = false;
        return;
      }
      rows.forEach(function (r, index) {
        r.id = "kb-search-option-" + index;
        r.firstChild.id = "kb-search-cell-" + index;
        list.appendChild(r);
      });
      if (selected >= rows.length) selected = rows.length - 1;
      if (selected < 0) selected = 0;
      highlight();
      if (openWhenDrawn) { openWhenDrawn = false; open(selected); }
    });
  }

  /* Pages match, but not with the filters on: say so, and offer to take them off. */
  function filteredOut(count) {
    var box = el("div", "kb-search__empty");
    box.appendChild(el("p", null, count + (count === 1 ? " page matches" : " pages match") +
      ", but none with the filters on."));
    var clear = el("button", "kb-chip kb-search__clear", "Clear the filters");
    clear.type = "button";
    clear.addEventListener("click", function (event) {
      event.stopPropagation();
      Object.keys(filters).forEach(function (name) { filters[name] = null; });
      run();
      input.focus();
    });
    box.appendChild(clear);
    emptyBox.replaceChildren(box);
  }

  function describe(cards, pages) {
    var parts = [];
    if (cards.topics.length) parts.push(cards.topics.length + (cards.topics.length === 1 ? " topic" : " topics"));
    if (cards.people.length) parts.push(cards.people.length + (cards.people.length === 1 ? " person" : " people"));
    if (pages) parts.push(pages + (pages === 1 ? " page" : " pages"));
    return parts.length ? parts.join(", ") : "Nothing found";
  }

  /* One row of the grid: a single cell holding the card or result. */
  function row(className, content) {
    var r = el("div", className + " kb-search__option");
    r.setAttribute("role", "row");
    var cell = el("div", "kb-search__cell");
    cell.setAttribute("role", "gridcell");
    cell.appendChild(content);
    r.appendChild(cell);
    r.addEventListener("mousemove", function () {
      var index = Array.prototype.indexOf.call(list.children, r);
      if (index !== selected) { selected = index; highlight(); }
    });
    return r;
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
        var button = el("button", "kb-chip kb-search__filter", (labels[value] || value) + " " + (counts[value] || 0));
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
    core.reader().marks(text, words).forEach(function (part) {
      fragment.appendChild(part[1] ? el("mark", null, part[0]) : document.createTextNode(part[0]));
    });
    return fragment;
  }

  function item(doc, words) {
    var best = null, bestHits = 0;
    (doc.h || []).forEach(function (section) {
      var hits = stems(section[1]).filter(function (s) { return words.indexOf(s) >= 0; }).length;
      if (hits > bestHits) { best = section; bestHits = hits; }
    });
    var body = el("div", "kb-search__result-body");
    var a = el("a", "kb-search__link");
    a.href = within(doc.u + (best ? "#" + best[0] : ""));
    a.appendChild(marked(doc.t, words));
    body.appendChild(a);
    body.appendChild(el("span", "kb-badge kb-badge--" + doc.st, labels[doc.st] || doc.st));
    /* A vetted page whose review lapsed, or that changed since: ranked as published, and says so. */
    if (doc.r) body.appendChild(el("span", "kb-badge kb-badge--lapsed", labels[doc.r] || doc.r));
    if (best) body.appendChild(el("span", "kb-search__section", "› " + best[1]));
    if (doc.s) {
      var snippet = el("p", "kb-search__snippet");
      snippet.appendChild(marked(doc.s, words));
      body.appendChild(snippet);
    }
    return body;
  }

  /* Nothing found: the closest topics, the people who know them, and a way to start the page. */
  function empty(text, data, known) {
    var box = el("div", "kb-search__empty");
    box.appendChild(el("p", null, "No page matches \u201c" + text.trim() + "\u201d."));
    var topics = closestTopics(text, known);
    if (topics.length) {
      var related = el("p", "kb-search__closest", "Closest topics: ");
      topics.forEach(function (topic) { related.appendChild(link("kb-chip", topic.n, topic.u)); });
      box.appendChild(related);
      var people = [], seen = {};
      topics.forEach(function (topic) {
        (topic.e || []).forEach(function (person) {
          if (!seen[person[1]] && people.length < 3) { seen[person[1]] = true; people.push([person[0], person[1], topic.n]); }
        });
      });
      if (people.length) box.appendChild(peopleList("People who know them", people));
    }
    var ask = el("p", null, "Ask someone who knows: ");
    ask.appendChild(link(null, "the people directory", data.people_url || "people/"));
    box.appendChild(ask);
    if (data.new_page) {
      var start = el("a", "kb-search__start", "Start a page about \u201c" + text.trim() + "\u201d");
      var name = text.trim().toLowerCase().replace(/[^\w\u00c0-\uffff]+/g, "-").replace(/^-+|-+$/g, "") || "new-page";
      /* Replaced by functions: a string replacement would read `$&` and `$'` in the query. */
      var title = JSON.stringify(text.trim());
      var content = data.new_page_template.replace("{title}", function () { return title; });
      start.href = data.new_page.replace("{path}", function () { return encodeURIComponent(name + ".md"); })
        .replace("{content}", function () { return encodeURIComponent(content); });
      box.appendChild(el("p")).appendChild(start);
    }
    emptyBox.replaceChildren(box);
  }

  function options() {
    return list.querySelectorAll(".kb-search__option");
  }

  function highlight() {
    Array.prototype.forEach.call(options(), function (r, index) {
      r.setAttribute("aria-selected", String(index === selected));
      if (index === selected && r.scrollIntoView) r.scrollIntoView({ block: "nearest" });
    });
    if (selected >= 0) input.setAttribute("aria-activedescendant", "kb-search-cell-" + selected);
  }

  function open(index) {
    var chosen = options()[index];
    var target = chosen && chosen.querySelector(".kb-search__link");
    if (target) location.href = target.href;
  }

  function keys(event) {
    /* Enter and the arrows choose among an input method's candidates while it composes. */
    if (event.isComposing || event.keyCode === 229) return;
    var count = panel.hidden ? 0 : options().length;
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && panel.hidden && input.value.trim()) {
      event.preventDefault();
      run();
    }
    else if (event.key === "ArrowDown" && count) { event.preventDefault(); selected = (selected + 1) % count; highlight(); }
    else if (event.key === "ArrowUp" && count) { event.preventDefault(); selected = (selected - 1 + count) % count; highlight(); }
    /* The first Escape closes the results and keeps the text; with them closed, the box clears it. */
    else if (event.key === "Escape" && !panel.hidden) { event.preventDefault(); event.stopPropagation(); drawn = ++ticket; hide(); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build);
  else build();
})();
