/* obsidian_kb: Korean search for Material's lunr (appended to lunr.ko / lunr.multi at build time).
 *
 * Material's lunr.ko only trims and drops stop words, and every query term is a
 * prefix search. So "스레드" never finds "멀티스레드" (a later part of a compound
 * noun) and "스레드는" never finds "스레드" (a particle on the query). Two lunr
 * changes fix both without touching the index text shown in results:
 *   index: a pipeline function makes a Hangul token also yield its suffixes
 *          (멀티스레드 -> 티스레드, 스레드, 레드); Material removes the stock
 *          trimmer/stemmer/stop-word functions by identity, this one stays.
 *   query: a trailing particle is stripped from each term (스레드는 -> 스레드).
 *          lunr skips the search pipeline for wildcard terms and Material makes
 *          every term a prefix (term*), so this wraps Index#query instead. */
(function (root) {
  var lunr = root && root.lunr;
  if (!lunr) return;
  if (!lunr.kbKorean) {
    var HANGUL = /[\uac00-\ud7a3]/;
    var MAX_SUFFIX_TOKEN = 16;
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
        if (s.length - p.length >= keep && s.slice(-p.length) === p) return s.slice(0, -p.length);
      }
      return s;
    };
    var index = function (token) {
      var s = token.toString();
      if (!HANGUL.test(s) || s.length > MAX_SUFFIX_TOKEN) return token;
      var out = [token];
      var stem = stripParticle(s);
      if (stem !== s) out.push(token.clone(function () { return stem; }));
      for (var i = 1; i < s.length - 1; i++) {
        if (!HANGUL.test(s.charAt(i))) continue;
        var suffix = s.slice(i);
        out.push(token.clone(function () { return suffix; }));
      }
      return out;
    };
    lunr.Pipeline.registerFunction(index, "kb-korean-index");
    var query = lunr.Index.prototype.query;
    lunr.Index.prototype.query = function (fn) {
      return query.call(this, function (q) {
        fn.call(q, q);
        q.clauses.forEach(function (c) {
          // lunr keeps the wildcard in the term ("스레드는*"): strip in front of it.
          var m = typeof c.term === "string" && /^(\**)(.*?)(\**)$/.exec(c.term.toLowerCase());
          if (m) c.term = m[1] + stripParticle(m[2]) + m[3];
        });
      });
    };
    lunr.kbKorean = { index: index, stripParticle: stripParticle };
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
