/*
 * How kb's search reads text in the wiki's languages: a query here exactly as the index read the
 * pages when the site was built (kb/search/analysis.py; tests compare the two token for token).
 *
 * - Text is first put in one form (normal): NFKC, so that full-width ＡＰＩ is API and half-width
 *   ｶﾀｶﾅ is カタカナ, then lower case, without the dot that the lower case of İ adds, and a few
 *   letters readers type either way folded (ё as е). Dashes and full-width punctuation separate
 *   words (deploy—and, Docker，Kubernetes).
 * - It is split where lunr splits it (spaces and hyphens), and at the punctuation of Chinese,
 *   Japanese and Korean text.
 * - A run of Chinese, Japanese or Korean characters, which puts no spaces between words, becomes
 *   its characters and its overlapping pairs (東京駅 → 東, 東京, 京, 京駅, 駅): a query of two
 *   characters or more finds every page that has it by its pairs, one character by itself, with
 *   no dictionary.
 * - Any other word loses what is not a letter, digit or _ at its ends (TRIM; lunr's own
 *   trimmer knows only ASCII), then goes through its language's pipeline: lunr-languages' (stop
 *   words, Snowball stemmer; loaded before this file) or, for English, for the Latin words of
 *   ja, ko and zh pages, and for a word that starts or ends with a letter its language does not
 *   have (Москва on a German page), lunr's own.
 *
 * A page is read in its own language; a query in every language of the site, and a word's terms
 * are all of those readings together: "Häuser" is "haus" for German pages and "häuser" for
 * English ones, so a German word finds German and English pages alike.
 *
 * Works in the browser and in node: `KbSearchLang(lunr).analyser(["en", "de"])`.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory;
  else root.KbSearchLang = factory;
})(this, function (lunr) {
  "use strict";

  /* lunr.tokenizer.separator (JavaScript's \s and the hyphen), and the punctuation of CJK text. */
  var SEPARATOR = /[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\-\u3001-\u3004\u3008-\u3020\u3030\u303d\u30fb\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+/;
  /* The letters of Chinese, Japanese and Korean: Hangul, kana, bopomofo and the ideographs, with
     the iteration marks and the prolonged sound mark that are part of their words. */
  var LETTERS = "\\u1100-\\u11ff\\u3005-\\u3007\\u3021-\\u3029\\u3031-\\u3035\\u3038-\\u303c\\u3041-\\u3096" +
    "\\u3099-\\u309f\\u30a1-\\u30fa\\u30fc-\\u30ff\\u3105-\\u312f\\u3131-\\u318e\\u31a0-\\u31bf\\u31f0-\\u31ff" +
    "\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua960-\\ua97f\\uac00-\\ud7ff\\uf900-\\ufaff\\uff66-\\uff9f\\uffa0-\\uffdc" +
    "\\u{20000}-\\u{323af}";
  var CJK = new RegExp("[" + LETTERS + "]", "u");
  var RUNS = new RegExp("[" + LETTERS + "]+|[^" + LETTERS + "]+", "gu");
  /* What a query's word is split at before it is read (lunr's query syntax marks, punctuation). */
  var WORDS = /([\w\u00c0-\uffff]+)/;
  /* A token is a word, a pair of CJK characters, or a word inside CJK text. */
  var WORD = 0, PAIR = 1, INSIDE = 2;
  /* Languages whose words (other than CJK text) are read as English words. */
  var ENGLISH = { en: true, ja: true, ko: true, zh: true };
  /* Articles and pronouns French and Italian write elided onto the next word (l'équipe), as
     kb/search/analysis.py lists them: taken off the word after lunr-languages' trimmer. */
  var ELISIONS = {
    fr: ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"],
    it: ["c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl", "degl", "negl", "sugl",
      "un", "m", "t", "s", "v", "d"]
  };

  /* What is not a letter, digit or _ at a word's start, or a letter, mark, digit or _ at its end
     (kb/search/analysis.py's trim): a word may end in a mark (हिंदी), not start with one. */
  var TRIM = /^[^\p{L}\p{N}_]+|[^\p{L}\p{M}\p{N}_]+$/gu;
  /* Word breaks that NFKC would make ASCII punctuation, which does not break words: full-width
     punctuation, dashes other than "-", and ™ ℠ ℡ (analysis.py's _BREAKS). */
  var BREAKS = /[\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2010-\u2015\u2e3a\u2e3b\ufe58\ufe63\u2120-\u2122]/g;
  /* Letters readers type either way (analysis.py's _FOLDS): ё, ș and ț, and accented Greek vowels. */
  var FOLDS = { "ё": "е", "ș": "ş", "ț": "ţ", "ά": "α", "έ": "ε", "ή": "η", "ί": "ι", "ό": "ο", "ύ": "υ", "ώ": "ω",
    "ΐ": "ι", "ΰ": "υ", "ϊ": "ι", "ϋ": "υ" };
  var FOLDED = /[ёșțάέήίόύώΐΰϊϋ]/g;
  /* Those breaks and the punctuation of CJK text, to split a text at for marking its words. */
  var APART = /([\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2010-\u2015\u2e3a\u2e3b\ufe58\ufe63\u2120-\u2122\u3001-\u3004\u3008-\u3020\u3030\u303d\u30fb]+)/;

  /* Text in the one form the index and a query are read in (kb/search/analysis.py's normal). */
  function normal(text) {
    return String(text).replace(BREAKS, " ").normalize("NFKC").toLowerCase().replace(/i\u0307/g, "i")
      .replace(FOLDED, function (letter) { return FOLDS[letter]; });
  }

  function trim(text) {
    return text.replace(TRIM, "");
  }

  /* In the index, each character and the pair it starts: 東京駅 → 東, 東京, 京, 京駅, 駅. A
     query of two characters or more looks for its pairs only (新宿 must not find 民宿 by its 宿),
     one of a single character for that character. */
  function pairs(run, query) {
    var chars = Array.from(run);
    if (chars.length < 2) return [run];
    var out = [];
    for (var i = 0; i < chars.length; i++) {
      if (!query) out.push(chars[i]);
      if (i + 1 < chars.length) out.push(chars[i] + chars[i + 1]);
    }
    return out;
  }

  /* [text, kind] for each token of a text, in order, as the index (or a query) reads it. */
  function tokens(text, query) {
    var out = [];
    normal(text).split(SEPARATOR).forEach(function (piece) {
      if (!piece) return;
      if (!CJK.test(piece)) {
        out.push([piece, WORD]);
        return;
      }
      piece.match(RUNS).forEach(function (run) {
        if (CJK.test(run)) pairs(run, query).forEach(function (pair) { out.push([pair, PAIR]); });
        else out.push([run, INSIDE]);
      });
    });
    return out;
  }

  var languages = {};

  function elisionFunction(code) {
    var label = "kb-elision-" + code;
    if (!lunr.Pipeline.registeredFunctions[label]) {
      var elided = new RegExp("^(?:" + ELISIONS[code].join("|") + ")['\u2019](?=.)");
      lunr.Pipeline.registerFunction(function (token) {
        return token.update(function (text) { return text.replace(elided, ""); });
      }, label);
    }
    return lunr.Pipeline.registeredFunctions[label];
  }

  /* A language's pipelines, for the index and for a query, as lunr (English) or lunr-languages
     sets them up on a builder; and how lunr-languages folds its wildcard terms (häus* → haus*). */
  function language(code) {
    if (languages[code]) return languages[code];
    var index = new lunr.Pipeline(), query = new lunr.Pipeline(), fold = null, trimmer = null;
    if (ENGLISH[code]) {
      index.add(lunr.stopWordFilter, lunr.stemmer);
      query.add(lunr.stemmer);
    } else if (typeof lunr[code] === "function") {
      lunr[code].call({ pipeline: index, searchPipeline: query });
      fold = lunr[code].wildcardNormalizer || null;
      trimmer = lunr[code].trimmer;
      if (ELISIONS[code]) {
        var elision = elisionFunction(code);
        index.after(lunr[code].trimmer, elision);
        query.after(lunr[code].trimmer, elision);
      }
    } else {
      throw new Error("kb search: the script of lunr-languages for '" + code + "' is not loaded");
    }
    return (languages[code] = { index: index, query: query, fold: fold, trimmer: trimmer });
  }

  /* A word's terms in a language ("index" or "query" pipeline, on a lunr.Token): trimmed, then
     through the language's own pipeline, or English's for a word whose first or last letter its
     trimmer does not know (Russian's keeps Cyrillic letters only, and would drop "Kubernetes"). */
  function read(code, kind, token) {
    var own = language(code), text = token.update(trim).toString();
    var foreign = own.trimmer && own.trimmer(new lunr.Token(text, {})).toString() !== text;
    return (foreign ? language("en") : own)[kind].run([token]);
  }

  /* The index terms of a text in one language, as kb/search/analysis.py makes them. As in lunr.js,
     a word that the trimmer empties ("—") stays, as the empty term, unless it is inside CJK text. */
  function indexTerms(text, code) {
    var out = [];
    tokens(text).forEach(function (token) {
      if (token[1] === PAIR) {
        out.push(token[0]);
        return;
      }
      read(code, "index", new lunr.Token(token[0], {})).forEach(function (result) {
        var term = result.toString();
        if (term || token[1] === WORD) out.push(term);
      });
    });
    return out;
  }

  /* For a lunr.Builder: kb's tokenizer, each token saying what it is (metadata `kb`)... */
  function tokenizer(obj, metadata) {
    if (obj === null || obj === undefined) return [];
    return tokens(Array.isArray(obj) ? obj.join(" ") : obj).map(function (token) {
      var data = lunr.utils.clone(metadata || {});
      data.kb = token[1];
      return new lunr.Token(token[0], data);
    });
  }

  /* ...and the pipeline of a language for the tokens it makes, registered with lunr. */
  function indexFunction(code) {
    var label = "kb-index-" + code;
    if (!lunr.Pipeline.registeredFunctions[label]) {
      lunr.Pipeline.registerFunction(function (token) {
        var kind = token.metadata.kb;
        if (kind === PAIR) return token;
        var out = read(code, "index", token);
        return kind === INSIDE ? out.filter(function (t) { return t.toString(); }) : out;
      }, label);
    }
    return lunr.Pipeline.registeredFunctions[label];
  }

  /* Whether a query is long enough to search: three characters, or CJK text, where one
     character can be a word (税, 駅), and is one term of the index. */
  function enough(text) {
    var typed = String(text).trim();
    return typed.length >= 3 || (typed.length >= 1 && CJK.test(typed));
  }

  var analysers = {};

  /* How a site that reads `codes` reads a query. */
  function analyser(codes) {
    codes = codes && codes.length ? codes.slice() : ["en"];
    var label = "kb-query-" + codes.join("-");
    if (analysers[label]) return analysers[label];
    codes.forEach(language);

    /* The terms of one word of a query (lower case, as lunr's parser leaves it): each language's
       reading, without repeats. A wildcard word is folded as each language folds it; one in CJK
       text of two characters or more is read as its pairs, which are the index's whole terms. */
    function readings(term) {
      var out = [];
      var add = function (found) { if (found && out.indexOf(found) < 0) out.push(found); };
      if (term.indexOf("*") >= 0) {
        term = normal(term);
        var bare = term.replace(/\*/g, "");
        /* CJK text is whole terms: its pairs, or one character, which is a term of its own. */
        if (CJK.test(bare) && (Array.from(bare).length > 1 || /^[^*]\*+$/.test(term))) return readings(bare);
        codes.forEach(function (code) {
          var fold = language(code).fold;
          add(fold ? fold(term) : term);
        });
        return out;
      }
      tokens(term, true).forEach(function (token) {
        if (token[1] === PAIR) {
          add(token[0]);
          return;
        }
        codes.forEach(function (code) {
          read(code, "query", new lunr.Token(token[0], {})).forEach(function (t) { add(t.toString()); });
        });
      });
      return out;
    }

    /* The terms the running search gives each word (search below), else every reading. */
    var chosen = null;
    lunr.Pipeline.registerFunction(function (token) {
      var term = token.toString();
      return (chosen && chosen[term]) || readings(term);
    }, label);

    /* A lunr.Query of a query string: lunr's own parser, with every word read by `readings`
       (wildcard words too, which lunr would otherwise take as they are). */
    function parse(queryString, fields) {
      var query = new lunr.Query(fields);
      /* lunr-languages folds a wildcard word while it parses it unless the query's pipeline has
         none of its stemmers: kb folds it in each language's reading instead, so that häus*
         finds English pages as well as German ones (haus*). */
      query._lunrLanguagesSearchPipeline = new lunr.Pipeline();
      new lunr.QueryParser(queryString, query).parse();
      query.clauses.forEach(function (clause) {
        if (clause.term.indexOf("*") >= 0) clause.usePipeline = true;
      });
      return query;
    }

    /* The terms a clause of a parsed query looks for. */
    function clauseTerms(clause) {
      return clause.usePipeline ? readings(clause.term) : [clause.term];
    }

    function expands(index, term, clause) {
      var probe = { term: term };
      if (clause.editDistance) probe.editDistance = clause.editDistance;
      return index.tokenSet.intersect(lunr.TokenSet.fromClause(probe)).toArray().length > 0;
    }

    /* lunr's results for a query string on an index whose pipeline is this analyser's. Of a
       word's readings, those no term of the index matches are left out (unless none does):
       lunr fails a required word (+Häuser) as soon as one of its terms matches nothing, and the
       English reading of a German word often does. Scores do not change: a term that matches
       nothing adds nothing to them. */
    function search(index, queryString) {
      var query = parse(queryString, index.fields);
      var terms = {};
      query.clauses.forEach(function (clause) {
        if (!clause.usePipeline) return;
        var all = readings(clause.term);
        var found = all.filter(function (term) { return expands(index, term, clause); });
        var mine = terms[clause.term] || (terms[clause.term] = []);
        (found.length ? found : all).forEach(function (term) { if (mine.indexOf(term) < 0) mine.push(term); });
      });
      chosen = terms;
      try {
        return index.query(function (built) { built.clauses = query.clauses; });
      } finally {
        chosen = null;
      }
    }

    /* A text's terms as a query would have them: to match a result's words with the query's. */
    function words(text) {
      var out = [];
      String(text).split(WORDS).forEach(function (part, i) {
        if (i % 2) readings(part.toLowerCase()).forEach(function (t) { if (out.indexOf(t) < 0) out.push(t); });
      });
      return out;
    }

    /* A text in parts, [text, marked], marking the words whose terms are among `wanted` (a
       query's words, or how they start) and the characters of CJK text that a wanted pair covers. */
    function marks(text, wanted) {
      var out = [];
      var push = function (part, hit) {
        var last = out[out.length - 1];
        if (last && last[1] === hit) last[0] += part;
        else out.push([part, hit]);
      };
      String(text).split(WORDS).forEach(function (part, i) {
        if (!part) return;
        if (!(i % 2)) {
          push(part, false);
          return;
        }
        part.match(RUNS).forEach(function (run) {
          if (!CJK.test(run)) {
            /* Punctuation that separates words (Terraform（IaC）) is never marked. */
            run.split(APART).forEach(function (piece, p) {
              if (!piece) return;
              push(piece, p % 2 === 0 && readings(piece.toLowerCase()).some(function (term) {
                return wanted.some(function (w) { return term === w || (w.length > 1 && term.indexOf(w) === 0); });
              }));
            });
            return;
          }
          var chars = Array.from(run), read = chars.map(normal);
          var hit = read.map(function (ch) { return wanted.indexOf(ch) >= 0; });
          for (var c = 0; c + 1 < chars.length; c++) {
            if (wanted.indexOf(read[c] + read[c + 1]) >= 0) hit[c] = hit[c + 1] = true;
          }
          chars.forEach(function (ch, c) { push(ch, hit[c]); });
        });
      });
      return out;
    }

    return (analysers[label] = {
      languages: codes, label: label, readings: readings, parse: parse, clauseTerms: clauseTerms,
      search: search, words: words, marks: marks, enough: enough, cjk: function (text) { return CJK.test(text); }
    });
  }

  return { analyser: analyser, indexTerms: indexTerms, tokenizer: tokenizer, indexFunction: indexFunction };
});
