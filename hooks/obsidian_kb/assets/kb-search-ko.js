/* obsidian_kb: Korean search for Material's lunr (appended to lunr.ko / lunr.multi at build time).
 *
 * Korean writes compounds with or without a space (스레드풀 / 스레드 풀), glues
 * particles to words (스레드는) and builds long nouns from common parts, while
 * Material's lunr.ko only trims and drops stop words and every query term is a
 * prefix search. Without a dictionary that runs offline in the browser, both
 * sides are segmented into character bigrams:
 *   index: a Hangul word also yields its particle-stripped stem, its syllable
 *          bigrams (멀티스레드 -> 멀티 티스 스레 레드) and one bigram across the
 *          space to the next Hangul word (공유 메모리 -> 유메), so a phrase and
 *          its spacing typo (공유메모리) share their bigrams;
 *   query: a Hangul term is replaced by the same units: its stem as a prefix
 *          term, its bigrams and the bigram across the space to the next term.
 *          lunr's clause() is wrapped, so Material's own query analysis (missing
 *          terms, boosts, suggestions) sees the same clauses as the search;
 *   rank:  lunr sums matches, so a note that says 메모리 fifty times beats the one
 *          that says 공유 메모리 once. Each result is scaled by its coverage: the
 *          share of the query's units (weighted by how rare each unit is) that it
 *          matches, a prefix counting less for a longer word (thread in threaded),
 *          so specific units (유메) decide; a note whose title or aliases hold every
 *          unit comes first, the closer its title is to the query the higher.
 *   The JSON index is unchanged: all of this runs in Material's search worker. */
(function (root) {
  var lunr = root && root.lunr;
  if (!lunr) return;
  if (!lunr.kbKorean) {
    var HANGUL = /[\uac00-\ud7a3]/;
    var HANGUL_RUN = /[\uac00-\ud7a3]{2,}/g;
    var MAX_WORD = 32;       // longer "words" (pasted text) get no bigrams: bounded work per token
    var COVERAGE_POWER = 3;  // how strongly a missing unit lowers a result
    var TITLE_BONUS = 8;     // up to 1 + this for a result whose title is the whole query
    // Longest first. A one-syllable particle that often ends a noun (이, 가, 도, 로, ...)
    // is only stripped when two syllables stay; 은/는/을/를/의/와/과 always are.
    var PARTICLES = [
      ["에서부터", 1], ["으로부터", 1], ["이라는", 1], ["에서는", 1], ["으로는", 1], ["이라고", 1],
      ["에서도", 1], ["까지는", 1], ["부터는", 1], ["에게서", 1], ["이에요", 1], ["입니다", 1],
      ["이란", 1], ["라는", 1], ["에서", 1], ["에게", 1], ["으로", 1], ["까지", 1], ["부터", 1],
      ["보다", 1], ["처럼", 1], ["마다", 1], ["이나", 1], ["에는", 1], ["로는", 1], ["와는", 1],
      ["과는", 1], ["에도", 1], ["이다", 1], ["라고", 1], ["으론", 1], ["이랑", 1], ["한테", 1],
      ["은", 1], ["는", 1], ["을", 1], ["를", 1], ["의", 1], ["와", 1], ["과", 1], ["란", 1],
      ["이", 2], ["가", 2], ["에", 2], ["로", 2], ["도", 2], ["만", 2], ["랑", 2]
    ];
    var stripParticle = function (s) {
      if (!HANGUL.test(s.charAt(s.length - 1))) return s;
      for (var i = 0; i < PARTICLES.length; i++) {
        var p = PARTICLES[i][0], keep = PARTICLES[i][1];
        if (s.length - p.length >= keep && s.endsWith(p)) return s.slice(0, -p.length);
      }
      return s;
    };
    // 큐로, 힙에: a one-syllable noun with a one-syllable particle. Too ambiguous to strip
    // for sure (사이, 이로), so the query also tries the bare syllable as a weaker unit.
    var looseStem = function (s) {
      if (s.length !== 2 || !HANGUL.test(s.charAt(0))) return null;
      for (var i = 0; i < PARTICLES.length; i++)
        if (PARTICLES[i][0].length === 1 && PARTICLES[i][0] === s.charAt(1)) return s.charAt(0);
      return null;
    };
    var bigrams = function (s) {
      var out = [];
      if (s.length > MAX_WORD) return out;
      if (s.length < 2) return out;
      var runs = s.match(HANGUL_RUN) || [];
      for (var r = 0; r < runs.length; r++)
        for (var i = 0; i + 2 <= runs[r].length; i++) out.push(runs[r].slice(i, i + 2));
      return out;
    };
    // The bigram joining two neighbouring words: last syllable of one, first of the next.
    var across = function (a, b) {
      var x = a.charAt(a.length - 1), y = b.charAt(0);
      return HANGUL.test(x) && HANGUL.test(y) ? x + y : null;
    };

    // -- index side -----------------------------------------------------------
    var words = {};  // tokens that are words or stems, not bigrams: what a suggestion may offer
    var index = function (token, i, tokens) {
      var s = token.toString();
      if (!HANGUL.test(s)) return token;
      var seen = {}, out = [token];
      seen[s] = words[s] = true;
      var add = function (value) {
        if (!value || seen[value]) return;
        seen[value] = true;
        out.push(token.clone(function () { return value; }));
      };
      var stem = stripParticle(s);
      words[stem] = true;
      add(stem);
      var grams = bigrams(s);
      for (var g = 0; g < grams.length; g++) add(grams[g]);
      var next = tokens && tokens[i + 1];
      if (next) add(across(s, next.toString()));
      return out;
    };
    lunr.Pipeline.registerFunction(index, "kb-korean-index");

    // -- query side -----------------------------------------------------------
    var parts = {};      // sub-terms the last parsed query added (Material re-sends them as terms)
    var quiet = {};      // terms Material must not list as "missing": ours, and words found by parts
    var clause = lunr.Query.prototype.clause;
    lunr.Query.prototype.clause = function (c) {
      var raw = typeof c.term === "string" ? c.term.toLowerCase() : "";
      var m = /^(\**)(.*?)(\**)$/.exec(raw);
      var core = m ? m[2] : raw;
      // Material's suggestions: every query clause required in the title, the matched words
      // offered as completions. Our sub-terms would only offer bigrams: leave them out.
      var P = lunr.Query.presence;
      if (c.presence === P.REQUIRED && c.fields && c.fields.length === 1 && c.fields[0] === "title")
        return parts[core] ? this : clause.call(this, c);
      if (!this.kbParts) { parts = this.kbParts = {}; quiet = {}; }  // a new query: forget the last
      var prev = this.kbPrevious;
      this.kbPrevious = core;
      if (!HANGUL.test(core) || c.presence === P.PROHIBITED || c.editDistance)
        return clause.call(this, c);
      var stem = stripParticle(core);
      var self = this;
      var part = function (term, wildcard, presence) {
        parts[term] = quiet[term] = true;
        var copy = { term: term, wildcard: wildcard, usePipeline: false };
        if (c.fields) copy.fields = c.fields;
        if (c.boost !== undefined) copy.boost = c.boost;
        if (presence !== undefined) copy.presence = presence;
        clause.call(self, copy);
      };
      var grams = bigrams(stem);
      if (grams.length === 1 && grams[0] === stem) grams = [];
      if (grams.length) quiet[stem] = true;  // 스레드풀 is not "missing" where 스레드 풀 matched
      // A required word (+스레드풀, or a "quoted phrase") requires its bigrams, not the word
      // itself, or the spacing variant (스레드 풀) would be excluded.
      var required = c.presence === P.REQUIRED && grams.length > 0;
      // The stem keeps the reader's own wildcards: Material makes every term a prefix.
      var stemClause = {};
      for (var key in c) stemClause[key] = c[key];
      stemClause.term = m[1] + stem + (m[3] || (c.wildcard & lunr.Query.wildcard.TRAILING ? "*" : ""));
      stemClause.usePipeline = false;
      if (required) stemClause.presence = P.OPTIONAL;
      clause.call(this, stemClause);
      for (var g = 0; g < grams.length; g++) part(grams[g], lunr.Query.wildcard.NONE, c.presence);
      var loose = stem === core && looseStem(core);
      if (loose) part(loose, lunr.Query.wildcard.TRAILING, P.OPTIONAL);
      var join = prev && across(prev, core);
      if (join) part(join, lunr.Query.wildcard.NONE, P.OPTIONAL);  // adjacency is a bonus, not a rule
      return this;
    };
    var stopWordFilter = lunr.stopWordFilter;
    if (stopWordFilter) {
      // Material asks this to decide which unmatched query terms to show as missing.
      var filter = function (token) {
        return typeof token === "string" && quiet[token] ? undefined : stopWordFilter.apply(this, arguments);
      };
      lunr.Pipeline.registerFunction(filter, "kb-korean-stop-word-filter");
      lunr.stopWordFilter = filter;
    }

    // -- ranking --------------------------------------------------------------
    var stripStars = function (t) { return t.replace(/^\*+|\*+$/g, ""); };
    var matches = function (c, term) {
      var core = stripStars(c.term), lead = c.term.charAt(0) === "*", trail = c.term.slice(-1) === "*";
      if (c.wildcard & lunr.Query.wildcard.LEADING) lead = true;
      if (c.wildcard & lunr.Query.wildcard.TRAILING) trail = true;
      if (lead && trail) return term.indexOf(core) >= 0;
      if (trail) return term.slice(0, core.length) === core;
      if (lead) return term.slice(-core.length) === core;
      return term === core;
    };
    // Inverse document frequency of everything a clause can match (its expansions together).
    var weight = function (idx, c) {
      var cache = idx.kbWeights || (idx.kbWeights = {});
      var key = c.term + "|" + c.wildcard;
      if (key in cache) return cache[key];
      var pattern = c.term;
      if ((c.wildcard & lunr.Query.wildcard.TRAILING) && pattern.slice(-1) !== "*") pattern += "*";
      if ((c.wildcard & lunr.Query.wildcard.LEADING) && pattern.charAt(0) !== "*") pattern = "*" + pattern;
      var terms = lunr.TokenSet.fromString(pattern).intersect(idx.tokenSet).toArray();
      var docs = {}, count = 0;
      for (var t = 0; t < terms.length; t++) {
        var posting = idx.invertedIndex[terms[t]];
        for (var field in posting) {
          if (field === "_index") continue;
          for (var ref in posting[field]) if (!docs[ref]) { docs[ref] = true; count++; }
        }
      }
      if (idx.kbDocCount === undefined) {
        var refs = {};
        for (var fr in idx.fieldVectors) refs[fr.slice(fr.indexOf("/") + 1)] = true;
        idx.kbDocCount = Object.keys(refs).length;
      }
      var n = idx.kbDocCount;
      return (cache[key] = count ? Math.log(1 + (n - count + 0.5) / (count + 0.5)) : 0);
    };
    // How much of a result's title (with its aliases) the matched terms make up, by weight:
    // 1 when the title is the query, small when the query is one word of a long title.
    var titleShare = function (idx, result) {
      var vector = idx.fieldVectors["title/" + result.ref];
      if (!vector) return 0;
      var meta = result.matchData.metadata, matched = {}, all = 0, got = 0;
      for (var term in meta)
        if (meta[term].title && idx.invertedIndex[term]) matched[idx.invertedIndex[term]._index] = true;
      for (var e = 0; e < vector.elements.length; e += 2) {
        all += vector.elements[e + 1];
        if (matched[vector.elements[e]]) got += vector.elements[e + 1];
      }
      return all > 0 ? got / all : 0;
    };
    var rerank = function (idx, clauses, results) {
      var units = [], total = 0;
      for (var i = 0; i < clauses.length; i++) {
        var c = clauses[i];
        if (c.presence === lunr.Query.presence.PROHIBITED) continue;
        var w = weight(idx, c);
        if (w > 0) { units.push({ clause: c, w: w }); total += w; }
      }
      if (!units.length) return results;
      for (var r = 0; r < results.length; r++) {
        var meta = results[r].matchData.metadata, terms = Object.keys(meta);
        var got = 0, inTitle = 0, whole = 0;
        for (var u = 0; u < units.length; u++) {
          // A prefix unit counts in full for the word itself, less for a longer word that merely
          // starts with it ("thread" in threaded); a unit counts for the title if it is there.
          var hit = 0, titled = false, core = stripStars(units[u].clause.term);
          for (var t = 0; t < terms.length; t++)
            if (matches(units[u].clause, terms[t])) {
              hit = Math.max(hit, Math.min(1, core.length / terms[t].length));
              titled = titled || !!meta[terms[t]].title;
            }
          got += units[u].w * hit;
          if (titled) inTitle += units[u].w;
          whole += units[u].w;
        }
        var factor = Math.pow(got / whole, COVERAGE_POWER);
        // Title or aliases hold the whole query: first, the closer the title is to the query the
        // higher (the note 프로세스 before 프로세스와 스레드 한눈에 보기).
        if (inTitle >= total * 0.999) factor *= 1 + TITLE_BONUS * titleShare(idx, results[r]);
        results[r].score *= factor;
      }
      return results.sort(function (a, b) { return b.score - a.score; });
    };
    // A word and its bigrams share the word's position; Material wraps every listed position in
    // <mark>, and the same range wrapped twice garbles the excerpt. Keep each position once.
    var uniquePositions = function (result) {
      var meta = result.matchData.metadata, seen = {};
      for (var term in meta)
        for (var field in meta[term]) {
          var list = meta[term][field].position;
          if (!list) continue;
          var keep = [];
          for (var i = 0; i < list.length; i++) {
            var key = field + ":" + list[i];
            if (!seen[key]) { seen[key] = true; keep.push(list[i]); }
          }
          meta[term][field].position = keep;
        }
    };
    var suggesting = function (clauses) {
      return clauses.length > 0 && clauses.every(function (c) {
        return c.presence === lunr.Query.presence.REQUIRED && c.fields.length === 1 && c.fields[0] === "title";
      });
    };
    var query = lunr.Index.prototype.query;
    lunr.Index.prototype.query = function (fn) {
      var clauses = null;
      var results = query.call(this, function (q) { fn.call(q, q); clauses = q.clauses; });
      if (!clauses) return results;
      if (suggesting(clauses)) {  // Material offers the matched index terms as completions
        results.forEach(function (r) {
          var meta = r.matchData.metadata;
          for (var term in meta) if (HANGUL.test(term) && !words[term]) delete meta[term];
        });
        return results;
      }
      results.forEach(uniquePositions);
      return rerank(this, clauses, results);
    };
    lunr.kbKorean = { index: index, stripParticle: stripParticle, bigrams: bigrams };
  }
  var K = lunr.kbKorean;
  var extend = function (builder) {
    if (builder.pipeline._stack.indexOf(K.index) < 0) builder.pipeline.add(K.index);
  };
  if (lunr.ko && !lunr.ko.kbWrapped) {  // one language: Material calls this.use(lunr.ko)
    var ko = lunr.ko;
    lunr.ko = function () { ko.apply(this, arguments); extend(this); };
    for (var key in ko) if (Object.prototype.hasOwnProperty.call(ko, key)) lunr.ko[key] = ko[key];
    lunr.ko.kbWrapped = true;
  }
  if (lunr.multiLanguage && !lunr.multiLanguage.kbWrapped) {  // several: this.use(lunr.multiLanguage(...))
    var multi = lunr.multiLanguage;
    lunr.multiLanguage = function () {
      var plugin = multi.apply(this, arguments);
      return function () { plugin.apply(this, arguments); extend(this); };
    };
    lunr.multiLanguage.kbWrapped = true;
  }
})(typeof self !== "undefined" ? self : this);
