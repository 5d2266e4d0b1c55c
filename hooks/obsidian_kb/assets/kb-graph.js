/* obsidian_kb: the note graph (global page and each note's local graph).
 *
 * Data: _kb/graph.json, written by the build from the same resolver as the links.
 * Drawing: force-graph (canvas, vendored next to this file, loaded only when a page
 * has a graph), so a 1,000-note vault stays smooth. Works with Material's instant
 * navigation (document$) and follows the light/dark palette. */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var LIB = here ? new URL("force-graph.min.js", here).href : null;
  var libPromise = null;
  var dataPromises = {};
  var active = [];

  function loadLib() {
    if (window.ForceGraph) return Promise.resolve(window.ForceGraph);
    if (!libPromise) {
      libPromise = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = LIB;
        s.onload = function () { resolve(window.ForceGraph); };
        s.onerror = function () { libPromise = null; reject(new Error("cannot load " + LIB)); };
        document.head.appendChild(s);
      });
    }
    return libPromise;
  }

  function loadData(root) {
    var url = new URL("_kb/graph.json", root).href;
    if (!dataPromises[url]) {
      dataPromises[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.json();
      }).then(function (data) {  // links come as [source, target] pairs
        data.links = data.links.map(function (l) { return { source: l[0], target: l[1] }; });
        return data;
      });
    }
    return dataPromises[url];
  }

  function mark(name) {  // performance marks, read by benchmarks/bench_reader.py
    if (window.performance && performance.mark) performance.mark(name);
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Colours come from Material's CSS variables, so both palettes (and custom ones) work.
  function palette(el) {
    var cs = getComputedStyle(el);
    var v = function (name, fallback) { return (cs.getPropertyValue(name) || "").trim() || fallback; };
    return {
      node: v("--md-typeset-a-color", "#4051b5"),  // opaque, and lighter on slate
      text: v("--md-default-fg-color", "#222"),
      current: v("--md-accent-fg-color", "#526cfe"),
      link: v("--md-default-fg-color--lighter", "rgba(0,0,0,.3)"),
      linkHi: v("--md-default-fg-color--light", "rgba(0,0,0,.54)"),
      dim: v("--md-default-fg-color--lightest", "rgba(0,0,0,.07)"),
      bg: v("--md-default-bg-color", "#fff")
    };
  }

  // Node URLs are site paths, written decoded (a third of the size for Korean names):
  // encode each segment again, so "#", "?" and "%" in a name stay part of it, and refuse
  // anything that would leave the site (no name ever becomes a scheme such as javascript:).
  function siteUrl(path, root) {
    var url;
    try { url = new URL(String(path).split("/").map(encodeURIComponent).join("/"), root); } catch (e) { return null; }
    return url.protocol === root.protocol && url.host === root.host ? url : null;
  }

  function navigate(url) {
    // Click a real link: Material's instant navigation intercepts it (and the browser
    // follows it when instant navigation is off).
    var a = document.createElement("a");
    a.href = url.href;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function subgraph(data, el) {
    var nodes = data.nodes, links = data.links;
    if (el.dataset.kbGraph !== "local") return { nodes: nodes, links: links, current: null };
    var current = null;
    for (var i = 0; i < nodes.length; i++) if (nodes[i].url === el.dataset.kbNode) current = nodes[i].id;
    if (current === null) return null;
    var keep = {};
    keep[current] = true;
    links.forEach(function (l) {
      if (l.source === current) keep[l.target] = true;
      if (l.target === current) keep[l.source] = true;
    });
    return {
      nodes: nodes.filter(function (n) { return keep[n.id]; }),
      links: links.filter(function (l) { return keep[l.source] && keep[l.target]; }),
      current: current
    };
  }

  function render(el, ForceGraph, data) {
    mark("kb-graph:data");
    var root = new URL(el.dataset.kbRoot || "./", window.location.href);
    var sub = subgraph(data, el);
    if (!sub || (sub.current !== null && sub.nodes.length < 2)) { el.remove(); return; } // no empty graph
    var local = sub.current !== null;
    var nodes = sub.nodes.map(function (n) { return { id: n.id, title: n.title, url: n.url, tags: n.tags, group: n.group }; });
    var links = sub.links.map(function (l) { return { source: l.source, target: l.target }; });
    var degree = {}, neighbours = {};
    links.forEach(function (l) {
      degree[l.source] = (degree[l.source] || 0) + 1;
      degree[l.target] = (degree[l.target] || 0) + 1;
      (neighbours[l.source] = neighbours[l.source] || {})[l.target] = true;
      (neighbours[l.target] = neighbours[l.target] || {})[l.source] = true;
    });
    var colors = palette(el);
    var hover = null;
    var near = function (n) { return hover !== null && (n.id === hover || (neighbours[hover] || {})[n.id]); };
    var big = nodes.length > 300;
    var fg = ForceGraph()(el)
      .width(el.clientWidth)
      .height(el.clientHeight)
      .backgroundColor("rgba(0,0,0,0)")
      .graphData({ nodes: nodes, links: links })
      .nodeRelSize(local ? 3 : 2.5)
      .maxZoom(3)  // a small vault must not zoom its few dots up to balloons
      .nodeVal(function (n) { return 1 + Math.sqrt(degree[n.id] || 0); })
      .nodeLabel(function (n) { return escapeHtml(n.title); })
      // Hovering a node fades everything that is not its neighbour (as Obsidian does).
      .nodeColor(function (n) {
        if (hover !== null && !near(n)) return colors.dim;
        return n.id === sub.current ? colors.current : colors.node;
      })
      .linkColor(function (l) {
        if (hover === null) return colors.link;
        var s = l.source.id !== undefined ? l.source.id : l.source, t = l.target.id !== undefined ? l.target.id : l.target;
        return s === hover || t === hover ? colors.linkHi : colors.dim;
      })
      // No hover on links: force-graph would repaint every link in a unique colour on its
      // picking canvas (one stroke each), which stalls a 1,000-note graph for a second.
      .linkPointerAreaPaint(function () {})
      .linkDirectionalArrowLength(local ? 3 : 0)
      .linkDirectionalArrowRelPos(1)
      .nodeCanvasObjectMode(function () { return "after"; })
      .nodeCanvasObject(function (n, ctx, scale) {
        if (n.id === sub.current) {  // a ring marks "you are here"
          ctx.beginPath();
          ctx.arc(n.x, n.y, fg.nodeRelSize() * Math.sqrt(1 + Math.sqrt(degree[n.id] || 0)) + 2 / scale, 0, 2 * Math.PI);
          ctx.lineWidth = 1.5 / scale;
          ctx.strokeStyle = colors.text;
          ctx.stroke();
        }
        // Labels: always on the local graph; on the global one when zoomed in or hovered.
        if (!local && scale < 1.6 && !near(n)) return;
        var size = Math.max(10 / scale, 2);
        ctx.font = size + "px sans-serif";
        ctx.textAlign = "center";
        ctx.textBaseline = "top";
        var y = n.y + (local ? 6 : 5);
        ctx.lineWidth = 3 / scale;  // a halo in the page colour keeps labels readable over links
        ctx.strokeStyle = colors.bg;
        ctx.strokeText(n.title, n.x, y);
        ctx.fillStyle = colors.text;
        ctx.fillText(n.title, n.x, y);
      })
      .onNodeHover(function (n) {
        hover = n ? n.id : null;
        el.style.cursor = n ? "pointer" : "";
        el.dataset.kbHover = n ? n.title : "";
      })
      .onNodeClick(function (n) { var url = siteUrl(n.url, root); if (url) navigate(url); })
      .onRenderFramePost(function () {
        if (!el.dataset.kbDrawn) { el.dataset.kbDrawn = "1"; mark("kb-graph:first-frame"); }
      })
      // Lay out mostly before the first frame (no visible churn), then settle briefly.
      // A big graph animating its layout drops to ~12 frames/s on a GPU-less machine
      // (measured at 1,000 notes): compute it up front and show it nearly still.
      .warmupTicks(local ? 80 : big ? 160 : 20)
      .cooldownTicks(local ? 60 : big ? 0 : 200)  // big: no animated settling (each frame redraws every link)
      .onEngineStop(function () {
        if (el.dataset.kbReady) return;
        fg.zoomToFit(250, local ? 40 : 30);
        // Ready (for readers' clicks and for tests) once the zoom animation has ended.
        setTimeout(function () { el.dataset.kbReady = "1"; mark("kb-graph:ready"); }, 300);
      });
    // A big graph settles within a few seconds, then force-graph stops redrawing (idle CPU).
    if (big) fg.d3AlphaDecay(0.05).cooldownTime(5000);
    if (nodes.length <= 150) {  // few nodes: spread them so labels do not collide
      fg.d3Force("charge").strength(local ? -160 : -220);
      fg.d3Force("link").distance(local ? 55 : 70);
    }
    mark("kb-graph:built");
    el.dataset.kbNodes = String(nodes.length);
    el.kbGraph = fg;
    el.kbRecolor = function () { colors = palette(el); fg.nodeColor(fg.nodeColor()); };
    active.push(el);
    setTimeout(function () { if (!el.dataset.kbReady) fg.zoomToFit(0, 20); }, 1200);
  }

  function setup() {
    // Stop graphs of pages that instant navigation replaced.
    active = active.filter(function (el) {
      if (el.isConnected) return true;
      try { el.kbGraph._destructor(); } catch (e) { /* already gone */ }
      return false;
    });
    var els = document.querySelectorAll(".kb-graph:not([data-kb-started])");
    if (!els.length) return;
    els.forEach(function (el) {
      el.setAttribute("data-kb-started", "");
      var root = new URL(el.dataset.kbRoot || "./", window.location.href);
      Promise.all([loadLib(), loadData(root)]).then(function (r) { render(el, r[0], r[1]); })
        .catch(function (err) {
          el.classList.add("kb-graph-error");
          el.textContent = "그래프를 불러오지 못했습니다: " + err.message;
        });
    });
  }

  // Palette toggle: Material sets data-md-color-scheme on <body>.
  new MutationObserver(function () {
    active.forEach(function (el) { if (el.kbRecolor) el.kbRecolor(); });
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme", "data-md-color-primary", "data-md-color-accent"] });

  window.addEventListener("resize", function () {
    active.forEach(function (el) { if (el.kbGraph && el.isConnected) el.kbGraph.width(el.clientWidth).height(el.clientHeight); });
  });

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setup);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
