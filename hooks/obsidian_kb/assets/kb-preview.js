/* obsidian_kb: hover previews of internal links, like Obsidian's page preview.
 *
 * Replaces Material's navigation.instant.preview, which never shows a preview
 * for a Korean heading link: it looks up the percent-encoded hash
 * (#%EC%8A%A4%ED%83%9D) while the heading id is Unicode (스택). Here the hash is
 * decoded first, and the preview shows the section under the heading (or the
 * top of the note). Pages are fetched once and cached; no request leaves the site. */
(function () {
  "use strict";
  var DELAY_SHOW = 250, DELAY_HIDE = 250, MAX_BLOCKS = 8;
  var pages = {};
  var pop = null, showTimer = null, hideTimer = null, anchor = null;

  function isPreviewable(a) {
    if (!a || !a.href || a.target === "_blank" || a.hasAttribute("download")) return false;
    if (!a.closest(".md-content article") || a.closest(".kb-preview, .headerlink, .footnote-ref, .footnote-backref, .md-source-file")) return false;
    var url;
    try { url = new URL(a.href); } catch (e) { return false; }
    if (url.origin !== window.location.origin) return false;
    if (/\.(json|png|jpe?g|gif|svg|pdf|zip|py|ipynb|txt|xml)$/i.test(url.pathname)) return false;
    return true;
  }

  function fetchPage(url) {
    var key = url.origin + url.pathname;
    if (key === window.location.origin + window.location.pathname) return Promise.resolve(document);
    if (!pages[key]) {
      pages[key] = fetch(key).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.text();
      }).then(function (text) {
        return new DOMParser().parseFromString(text, "text/html");
      }).catch(function (err) { delete pages[key]; throw err; });
    }
    return pages[key];
  }

  function headingLevel(el) {
    var m = /^H([1-6])$/.exec(el.tagName);
    return m ? +m[1] : 0;
  }

  // The heading and what follows it up to the next heading of the same or a higher level.
  function section(target) {
    var level = headingLevel(target);
    if (!level) return [target];
    var out = [target];
    for (var el = target.nextElementSibling; el; el = el.nextElementSibling) {
      var l = headingLevel(el);
      if (l && l <= level) break;
      out.push(el);
    }
    return out;
  }

  // A preview puts another page's content into this one on a mere hover: its scripts,
  // event handlers and script URLs stay behind. (Names and properties never hold markup:
  // the build escapes them; this is about raw HTML in a note's body, allowed as in Obsidian.)
  var INERT_DROP = "script, noscript, object, embed, applet, base, meta, link, template, frame, frameset";
  var URL_ATTRS = { href: 1, src: 1, action: 1, formaction: 1, "xlink:href": 1, poster: 1, data: 1, background: 1 };
  var MEDIA = { IMG: 1, SOURCE: 1, VIDEO: 1, AUDIO: 1, PICTURE: 1 };

  function harmlessUrl(value, base, el) {
    var u;
    try { u = new URL(value, base); } catch (e) { return false; }
    if (/^(https?|file|mailto|tel):$/.test(u.protocol)) return true;
    return u.protocol === "data:" && MEDIA[el.tagName] === 1;  // inline images, never documents
  }

  function neutralise(root, base) {
    var els = [root].concat(Array.prototype.slice.call(root.querySelectorAll("*")));
    els.forEach(function (el) {
      if (el !== root && el.matches(INERT_DROP)) { el.remove(); return; }
      Array.prototype.slice.call(el.attributes).forEach(function (attr) {
        var name = attr.name.toLowerCase();
        if (name.slice(0, 2) === "on" || name === "srcdoc" || name === "srcset" && !MEDIA[el.tagName] ||
            (URL_ATTRS[name] === 1 && !harmlessUrl(attr.value, base, el))) el.removeAttribute(attr.name);
      });
    });
    return root.matches(INERT_DROP) ? null : root;
  }

  function extract(doc, url) {
    var article = doc.querySelector(".md-content article") || doc.querySelector("article");
    if (!article) return null;
    var blocks;
    if (url.hash.length > 1) {
      var id = url.hash.slice(1);
      try { id = decodeURIComponent(id); } catch (e) { /* keep as written */ }
      var target = null;
      article.querySelectorAll("[id]").forEach(function (el) { if (!target && el.id === id) target = el; });
      if (!target) return null;
      blocks = section(target);
    } else {
      blocks = Array.prototype.filter.call(article.children, function (el) {
        return !el.matches(".kb-backlinks, .kb-graph, .md-source-file, .md-content__button, script, style");
      });
    }
    var box = document.createElement("div");
    blocks.slice(0, MAX_BLOCKS).forEach(function (el) {
      var copy = el.cloneNode(true);  // still in the fetched document: nothing loads or runs there
      if (copy.matches && copy.matches(".kb-backlinks, .kb-graph")) return;
      if (neutralise(copy, url)) box.appendChild(copy);
    });
    // Absolute links (the preview sits in another page) and no duplicate ids.
    box.querySelectorAll("[href], [src]").forEach(function (el) {
      ["href", "src"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v && !/^(?:[a-z]+:)?\/\//i.test(v) && v.charAt(0) !== "#") el.setAttribute(attr, new URL(v, url).href);
        else if (v && v.charAt(0) === "#") el.setAttribute(attr, new URL(v, url).href);
      });
    });
    box.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    box.querySelectorAll(".headerlink, .kb-graph").forEach(function (el) { el.remove(); });
    return box.childNodes.length ? box : null;
  }

  function place(a) {
    var r = a.getBoundingClientRect();
    var width = Math.min(560, window.innerWidth - 16);
    pop.style.width = width + "px";
    var left = Math.max(8, Math.min(r.left, window.innerWidth - width - 8));
    pop.style.left = left + "px";
    var below = window.innerHeight - r.bottom;
    pop.style.maxHeight = Math.max(Math.min(360, Math.max(below, r.top) - 24), 120) + "px";
    if (below >= 200 || below >= r.top) { pop.style.top = (r.bottom + 6) + "px"; pop.style.bottom = ""; }
    else { pop.style.bottom = (window.innerHeight - r.top + 6) + "px"; pop.style.top = ""; }
  }

  function hide() {
    clearTimeout(showTimer);
    if (pop) { pop.remove(); pop = null; }
    anchor = null;
  }

  function show(a) {
    var url = new URL(a.href);
    anchor = a;
    fetchPage(url).then(function (doc) {
      if (anchor !== a) return;
      var content = extract(doc, url);
      if (!content) return;
      if (pop) pop.remove();
      pop = document.createElement("div");
      pop.className = "kb-preview md-typeset";
      pop.setAttribute("role", "tooltip");
      pop.dataset.kbPreviewFor = a.getAttribute("href");
      pop.appendChild(content);
      pop.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      pop.addEventListener("mouseleave", scheduleHide);
      document.body.appendChild(pop);
      place(a);
    }).catch(function () { /* no preview for a page that cannot be fetched */ });
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, DELAY_HIDE);
  }

  function onEnter(e) {
    var a = e.target.closest && e.target.closest("a");
    if (!isPreviewable(a)) return;
    clearTimeout(hideTimer);
    if (anchor === a) return;
    clearTimeout(showTimer);
    showTimer = setTimeout(function () { show(a); }, DELAY_SHOW);
  }

  function onLeave(e) {
    var a = e.target.closest && e.target.closest("a");
    if (!a || (e.relatedTarget && a.contains(e.relatedTarget))) return;
    clearTimeout(showTimer);
    if (anchor === a || pop) scheduleHide();
  }

  document.addEventListener("mouseover", onEnter);
  document.addEventListener("mouseout", onLeave);
  document.addEventListener("focusin", onEnter);
  document.addEventListener("focusout", onLeave);
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
  document.addEventListener("click", hide, true);
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(hide);
})();
