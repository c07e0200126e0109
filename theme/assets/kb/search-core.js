/*
 * The search engine of kb's search page: lunr's own query language and scoring, over an index
 * split into shards (kb/search/shards.py). For each query it fetches the manifest once, then
 * the shards of the query's terms, rebuilds a small lunr index from them and asks lunr.
 *
 * Why the scores are exact: lunr scores a document as the dot product of the query vector with
 * the document's field vectors divided by the query vector's magnitude only, so the terms a
 * query does not contain change nothing. Wildcards expand over every term of the shards that
 * share the prefix, which are all the index's terms with that prefix. Fuzzy terms (`pair~1`)
 * expand only over terms that share their first two letters.
 *
 * A query is read in every language of the site (the manifest's `lang`) by search-lang.js, the
 * way the index read the pages.
 *
 * Works in the browser and in node (the tests compare it with a whole lunr.js index):
 * `KbSearchCore(lunr, fetchJson)`.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory;
  else root.KbSearchCore = factory;
})(this, function (lunr, fetchJson, languages) {
  "use strict";

  /* search-lang.js, loaded before this file in the browser, beside it in node. */
  if (!languages) languages = (typeof require === "function" ? require("./search-lang.js") : window.KbSearchLang)(lunr);

  var manifest = null, known = null;
  var shards = {};

  /* How the site reads a query: its languages come with the manifest. */
  function analyser(info) {
    return languages.analyser((info || {}).lang || ["en"]);
  }

  function loadManifest() {
    if (!manifest) {
      manifest = Promise.resolve(fetchJson("search/manifest.json")).then(function (info) { known = info; return info; });
    }
    return manifest;
  }

  function hex(text) {
    var bytes = new TextEncoder().encode(text);
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += bytes[i].toString(16).padStart(2, "0");
    return out || "_";
  }

  function shard(key) {
    if (!shards[key]) shards[key] = fetchJson("search/t/" + hex(key) + ".json");
    return shards[key];
  }

  /* The shard keys a term needs: the longest key it starts with; for a prefix, every key that
     starts with it or that it starts with. */
  function keysFor(term, prefix, keys) {
    if (prefix) {
      return keys.filter(function (key) { return key.indexOf(term) === 0 || (key && term.indexOf(key) === 0); });
    }
    var best = null;
    keys.forEach(function (key) {
      if (term.indexOf(key) === 0 && (best === null || key.length > best.length)) best = key;
    });
    return best === null ? [] : [best];
  }

  /* The terms of a parsed query as the index knows them: each word's readings, and the part of a
     wildcard term before its first `*` as a prefix. */
  function queryTerms(query, lang) {
    var terms = [];
    query.clauses.forEach(function (clause) {
      lang.clauseTerms(clause).forEach(function (term) {
        if (term.indexOf("*") >= 0) {
          terms.push({ term: term.split("*")[0], prefix: true });
          return;
        }
        terms.push({ term: term, prefix: false });
        /* Fuzzy terms expand over the shards of their first two letters only: the one place where
           results can differ from a whole index, which would expand over every term. */
        if (clause.editDistance) terms.push({ term: term.slice(0, 2), prefix: true });
      });
    });
    return terms;
  }

  function miniIndex(fields, loaded, lang) {
    var inverted = {};
    var vectors = {};
    loaded.forEach(function (terms) {
      Object.keys(terms).forEach(function (term) {
        var entry = terms[term], number = entry[0], byField = entry[1];
        var posting = { _index: number };
        fields.forEach(function (field) {
          posting[field] = {};
          var weights = byField[field] || {};
          Object.keys(weights).forEach(function (ref) {
            posting[field][ref] = {};
            var key = field + "/" + ref;
            /* Weights come in thousandths: the division gives lunr's own rounded weight exactly. */
            (vectors[key] = vectors[key] || []).push([number, weights[ref] / 1000]);
          });
        });
        inverted[term] = posting;
      });
    });
    return lunr.Index.load({
      version: lunr.version,
      fields: fields,
      fieldVectors: Object.keys(vectors).map(function (key) {
        var pairs = vectors[key].sort(function (a, b) { return a[0] - b[0]; });
        return [key, [].concat.apply([], pairs)];
      }),
      invertedIndex: Object.keys(inverted).sort().map(function (term) { return [term, inverted[term]]; }),
      pipeline: [lang.label]
    });
  }

  /* A query this engine will not run, with what to type instead: the search box shows it. */
  function Refused(message) {
    this.name = "Refused";
    this.message = message;
  }
  Refused.prototype = Object.create(Error.prototype);

  /* A query made only of exclusions (`-kubernetes`) finds every page without the words, as lunr
     does: every document but those the excluded terms' shards name, each with lunr's score, 0. */
  function allBut(query, info, loaded, lang) {
    var excluded = {};
    query.clauses.forEach(function (clause) {
      lang.clauseTerms(clause).forEach(function (reading) {
        var wildcard = reading.indexOf("*") >= 0;
        var wanted = wildcard ? reading.split("*")[0] : reading;
        loaded.forEach(function (terms) {
          Object.keys(terms).forEach(function (term) {
            if (wildcard ? term.indexOf(wanted) !== 0 : term !== wanted) return;
            (clause.fields || info.fields).forEach(function (field) {
              Object.keys(terms[term][1][field] || {}).forEach(function (ref) { excluded[ref] = true; });
            });
          });
        });
      });
    });
    var results = [];
    for (var i = 0; i < info.docs; i++) {
      if (!excluded[i]) results.push({ ref: String(i), score: 0, matchData: new lunr.MatchData() });
    }
    return results;
  }

  /* Results as lunr gives them: [{ref, score, matchData}], best first. Rejects with a Refused
     for a word that starts with a wildcard (`*net`): lunr would match it against every word of
     the index, which means fetching all of it. */
  function search(queryString) {
    return Promise.resolve(loadManifest()).then(function (info) {
      var lang = analyser(info);
      var query = lang.parse(queryString, info.fields);
      query.clauses.forEach(function (clause) {
        if (clause.term.charAt(0) === "*" && clause.term.replace(/\*/g, "")) {
          throw new Refused("A word cannot start with *: type how it starts, such as " +
            clause.term.replace(/\*/g, "") + "*, or the whole word");
        }
        /* `a*`, `s*x` or `a~1` would fetch every shard of a letter: a large part of the index.
           Letters are counted as the index reads them (𝐬* is s*, and French é* is e*); a
           character of CJK text is a word of its own, a single term. */
        var fuzzy = Boolean(clause.editDistance);
        lang.clauseTerms(clause).forEach(function (term) {
          if (term.indexOf("*") < 0 && !fuzzy) return;
          var before = term.split("*")[0];
          if (Array.from(before).length < 2 && !(before && lang.cjk(before) && !fuzzy)) {
            throw new Refused("Type at least two letters before " + (fuzzy ? "~" : "*"));
          }
        });
      });
      var keys = {};
      queryTerms(query, lang).forEach(function (wanted) {
        if (wanted.prefix && wanted.term.length < 1) return;
        keysFor(wanted.term, wanted.prefix, info.shards).forEach(function (key) { keys[key] = true; });
      });
      return Promise.all(Object.keys(keys).sort().map(shard)).then(function (loaded) {
        var negated = query.clauses.length && query.clauses.every(function (clause) {
          return clause.presence === lunr.Query.presence.PROHIBITED;
        });
        return negated ? allBut(query, info, loaded, lang) : lang.search(miniIndex(info.fields, loaded, lang), queryString);
      });
    });
  }

  /* How the site reads text, once the manifest is here (English before). */
  function reader() {
    return analyser(known);
  }

  return { search: search, manifest: loadManifest, reader: reader, Refused: Refused, hex: hex };
});
