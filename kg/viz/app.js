/* aichip-kg graph view. Every string from the graph goes in with textContent, never as markup. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  var S = DATA.style, ENT = DATA.entities, CLAIMS = DATA.claims, DOCS = DATA.docs;
  var KINDS = ["asserted", "hedged", "negated"];
  var WIKIDATA = /^https?:\/\/www\.wikidata\.org\/entity\/Q[0-9]+$/;
  var byNode = new Map(), byEdge = new Map(), adjacent = new Map();
  DATA.nodes.forEach(function (n) { byNode.set(n.id, n); adjacent.set(n.id, []); });
  DATA.edges.forEach(function (e) { byEdge.set(e.id, e); adjacent.get(e.from).push(e.id); adjacent.get(e.to).push(e.id); });

  var lang = DATA.lang;
  var state = { classes: new Set(), rels: new Set(), kinds: new Set(KINDS), minConf: 0, doc: "", hops: 1, sort: "date",
    from: "", to: "", undated: true };
  // Readable opening: labels at least MIN_SCALE x their font size; every label shows from ALL_LABELS on.
  var MIN_SCALE = 0.85, MAX_SCALE = 1.6, ALL_LABELS = 1.0, OPENING_NODES = 30;
  var allLabels = false, around = new Set(), collapsed = [];
  DATA.nodes.forEach(function (n) { state.classes.add(n.cls); });
  DATA.edges.forEach(function (e) { state.rels.add(e.rel); });
  var focused = null;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function add(parent) { for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]); return parent; }
  function name(dict, key) { var d = dict[key]; return d ? d[lang] || d.en : key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase(); }
  function twoNames(dict, key) { var d = dict[key]; return d && lang === "zh" ? d.en + " · " + d.zh : name(dict, key); }
  function label(id) { var n = byNode.get(id); return lang === "zh" ? n.labelZh : n.labelEn; }
  // Labels drawn on the canvas: the important nodes, the focused neighbourhood, or all once zoomed in.
  function shownLabel(id) { return allLabels || byNode.get(id).important || around.has(id) ? label(id) : ""; }
  function relabel() { nodes.update(nodes.getIds().map(function (id) { return { id: id, label: shownLabel(id) }; })); }
  function edgeLabel(e) { return DATA.big ? "" : (e.style === "negated" ? "✕ " : "") + name(S.relations, e.rel); }
  function fmtConf(c) { return c === null || c === undefined ? "—" : Number(c).toFixed(2); }

  // ---- the network: core nodes first; more are materialized on demand (search, show all) ----
  var nodes = new vis.DataSet(), edges = new vis.DataSet(), materialized = new Set();
  function nodePasses(id) {
    var n = byNode.get(id);
    return state.classes.has(n.cls) && (!state.doc || ENT[id].docs.indexOf(state.doc) >= 0);
  }
  function edgePasses(e) {
    return state.rels.has(e.rel) && state.kinds.has(e.style) &&
      (e.conf === null || e.conf >= state.minConf - 1e-9) &&
      (!state.doc || e.docs.indexOf(state.doc) >= 0) && inTime(e) && nodePasses(e.from) && nodePasses(e.to);
  }
  // Time range: an edge shows while one of its claims is about (or, without a time of its own, was said)
  // a day in the range; claims with no date at all count only with "include undated".
  function inTime(e) {
    if (!state.from && !state.to && state.undated) return true;
    var lo = state.from || "0000-01-01", hi = state.to || "9999-12-31";
    for (var i = 0; i < e.spans.length; i++) if (e.spans[i][0] <= hi && e.spans[i][1] >= lo) return true;
    return e.undated && state.undated;
  }
  // An entity with no relation drawn shows in a time range when a document mentioning it was dated in it.
  function mentionedInTime(id) {
    if (!state.from && !state.to && state.undated) return true;
    var lo = state.from || "0000-01-01", hi = state.to || "9999-12-31";
    return ENT[id].docs.some(function (d) {
      var date = DOCS[d] && DOCS[d].date ? DOCS[d].date.slice(0, 10) : "";
      return date ? date >= lo && date <= hi : state.undated;
    });
  }
  function isDrawn(e) { return materialized.has(e.from) && materialized.has(e.to); }
  // A node shows when it passes the filters and, if it has drawn relations, keeps at least one of them:
  // filtering a relation out must not leave its ends behind as orphan dots.
  function nodeShown(id) {
    if (!nodePasses(id)) return false;
    var drawnEdges = adjacent.get(id).map(function (eid) { return byEdge.get(eid); }).filter(isDrawn);
    return drawnEdges.length === 0 ? mentionedInTime(id) : drawnEdges.some(edgePasses);
  }
  function visNode(n, pos) {
    var item = Object.assign({}, n, { label: shownLabel(n.id), hidden: !nodeShown(n.id) });
    if (pos) { item.x = pos.x; item.y = pos.y; }
    return item;
  }
  function materialize(ids, near) {
    var fresh = [], freshEdges = [];
    ids.forEach(function (id) {
      if (materialized.has(id)) return;
      materialized.add(id);
      var pos = near ? jitter(near(id)) : null;
      fresh.push(visNode(byNode.get(id), pos));
    });
    nodes.add(fresh);
    byEdge.forEach(function (e) {
      if (!edges.get(e.id) && materialized.has(e.from) && materialized.has(e.to)) {
        freshEdges.push(Object.assign({}, e, { label: edgeLabel(e), hidden: !edgePasses(e) }));
      }
    });
    edges.add(freshEdges);
    return fresh.length;
  }
  function jitter(p) { return p ? { x: p.x + (Math.random() - 0.5) * 120, y: p.y + (Math.random() - 0.5) * 120 } : null; }
  materialize(DATA.nodes.filter(function (n) { return n.core; }).map(function (n) { return n.id; }));

  var network = new vis.Network($("graph"), { nodes: nodes, edges: edges }, DATA.options);
  var view = window.kgView = {
    network: network, nodes: nodes, edges: edges, stable: false, settledMs: null,
    drawn: function () { return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length }; },
    edgesBetween: function (a, b) {
      return DATA.edges.filter(function (e) { return (e.from === a && e.to === b) || (e.from === b && e.to === a); })
        .map(function (e) { return e.id; });
    },
    edgePoint: function (id) { return toPage(network.body.edges[id].edgeType.getPoint(0.5)); },
    nodePoint: function (id) { return toPage(network.getPosition(id)); },
    focus: function (text) { return focusText(text); },
  };
  function toPage(p) {
    var dom = network.canvasToDOM(p), box = $("graph").getBoundingClientRect();
    return { x: box.left + dom.x, y: box.top + dom.y };
  }
  function settle(iterations) {
    $("progress").hidden = false;
    view.stable = false;
    network.setOptions({ physics: { enabled: true } });
    if (iterations) network.stabilize(iterations);
  }
  network.on("stabilizationProgress", function (p) {
    $("progress").textContent = "Laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } }); // settled: stop, so the page sits still
    $("progress").hidden = true;
    if (view.settledMs === null) {
      view.settledMs = performance.now();
      if (DATA.collapse) setCollapsed(true);
      openingView();
      status();
    }
    view.stable = true;
  });
  if (nodes.length === 0) { $("progress").textContent = "This graph has no entities."; view.stable = true; view.settledMs = performance.now(); }

  // ---- the opening view: fit the connected core's most important nodes, never too small to read ----
  function visibleEdgesOf(id) {
    return adjacent.get(id).filter(function (eid) { var e = edges.get(eid); return e && !e.hidden; });
  }
  function largestComponent() {
    var seen = new Set(), best = [];
    nodes.getIds().forEach(function (start) {
      if (seen.has(start) || nodes.get(start).hidden || visibleEdgesOf(start).length === 0) return;
      var part = [start], queue = [start];
      seen.add(start);
      while (queue.length) {
        var id = queue.pop();
        visibleEdgesOf(id).forEach(function (eid) {
          var e = byEdge.get(eid), other = e.from === id ? e.to : e.from;
          if (!seen.has(other)) { seen.add(other); part.push(other); queue.push(other); }
        });
      }
      if (part.length > best.length) best = part;
    });
    return best;
  }
  function topLevel(id) { var path = network.findNode(id); return path.length ? path[0] : id; }
  function openingView() {
    var core = largestComponent();
    if (!core.length) core = nodes.getIds().filter(function (id) { return !nodes.get(id).hidden; });
    core.sort(function (a, b) { return byNode.get(b).value - byNode.get(a).value || (a < b ? -1 : 1); });
    var shown = Array.from(new Set(core.slice(0, OPENING_NODES).map(topLevel)));
    network.fit({ nodes: shown, animation: false });
    var scale = network.getScale();
    if (scale < MIN_SCALE || scale > MAX_SCALE) {
      network.moveTo({ position: network.getViewPosition(), scale: Math.min(Math.max(scale, MIN_SCALE), MAX_SCALE), animation: false });
    }
    zoomed();
    view.opened = true;
  }
  function zoomed() {
    var all = network.getScale() >= ALL_LABELS;
    if (all !== allLabels) { allLabels = all; relabel(); }
  }
  network.on("zoom", zoomed);

  // ---- collapse by company: a company's leaves (entities related to it alone) fold into it ----
  // Each cluster change is made without vis-network's refresh, then the data is refreshed once: a
  // refresh per company costs a pass over every node and edge, which thousands of nodes make slow.
  function refreshClusters() { network.body.emitter.emit("_dataChanged"); }
  function setCollapsed(on) {
    var had = collapsed.length > 0;
    collapsed.forEach(function (cid) { if (network.isCluster(cid)) network.openCluster(cid, {}, false); });
    collapsed = [];
    $("collapse").setAttribute("aria-pressed", String(on));
    if (!on) { if (had) refreshClusters(); return; }
    var owner = new Map(), count = new Map();
    nodes.forEach(function (n) {
      if (n.hidden || n.cls === "Company") return;
      var others = new Set(visibleEdgesOf(n.id).map(function (eid) { var e = byEdge.get(eid); return e.from === n.id ? e.to : e.from; }));
      if (others.size !== 1) return;
      var o = others.values().next().value;
      if (byNode.get(o).cls !== "Company" || nodes.get(o).hidden) return;
      owner.set(n.id, o); count.set(o, (count.get(o) || 0) + 1);
    });
    count.forEach(function (k, company) {
      var base = byNode.get(company), cid = "cluster:" + company;
      network.cluster({
        joinCondition: function (opt) { return opt.id === company || owner.get(opt.id) === company; },
        clusterNodeProperties: { id: cid, label: base.important ? label(company) + " +" + k : "", shape: base.shape, color: base.color,
          value: base.value + k, borderWidth: 3, title: label(company) + ": " + k + " more, click to open", company: company },
      }, false);
      collapsed.push(cid);
    });
    refreshClusters();
  }

  // ---- filters, legend and status ----
  function applyFilters() {
    var nUp = [], eUp = [], wasCollapsed = collapsed.length > 0;
    if (wasCollapsed) setCollapsed(false);
    nodes.forEach(function (n) { var h = !nodeShown(n.id); if (n.hidden !== h) nUp.push({ id: n.id, hidden: h }); });
    edges.forEach(function (e) { var h = !edgePasses(byEdge.get(e.id)); if (e.hidden !== h) eUp.push({ id: e.id, hidden: h }); });
    nodes.update(nUp); edges.update(eUp);
    if (wasCollapsed) setCollapsed(true);
    status();
  }
  function status() {
    var d = view.drawn(), t = DATA.totals;
    var folded = collapsed.reduce(function (sum, cid) { return sum + (network.isCluster(cid) ? network.getNodesInCluster(cid).length - 1 : 0); }, 0);
    $("status").textContent = "Showing " + d.nodes + " of " + t.entities + " entities · " + d.edges + " of " + t.edges + " relations" +
      (folded > 0 ? " · " + folded + " folded into " + collapsed.length + " companies" : "") +
      (t.background > 0 ? " · " + t.background + " background facts not drawn" : "");
    var unseen = t.entities - materialized.size;
    $("show-all").hidden = unseen === 0 || t.embedded !== undefined;
    var note = $("note");
    var onlyBackground = t.edges === 0 && t.background > 0;
    note.hidden = unseen === 0 && !onlyBackground;
    if (onlyBackground) {
      note.textContent = "Nothing extracted to draw: this graph holds " + t.background + " background facts " +
        "(registry knowledge in kg:graph/background), and background facts are not drawn.";
    } else if (unseen > 0 && t.embedded !== undefined) {
      note.textContent = "Large graph: the view drew the " + t.embedded + " most connected of " + t.entities +
        " entities, and this page holds only those; kg viz --max-nodes N draws more.";
    } else if (unseen > 0) {
      var hiddenEdges = DATA.edges.filter(function (e) { return !materialized.has(e.from) || !materialized.has(e.to); }).length;
      note.textContent = "Large graph: the view opened on the " + materialized.size + " most connected of " + t.entities +
        " entities. " + unseen + " entities and " + hiddenEdges + " relations are not drawn — search for one to bring it in, or press “Show all”.";
    }
  }
  function swatch(kind, color, dashes) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), shape;
    svg.setAttribute("width", "16"); svg.setAttribute("height", "14"); svg.setAttribute("viewBox", "0 0 16 14");
    var poly = { triangle: "8,1 15,13 1,13", diamond: "8,0 15,7 8,14 1,7", hexagon: "4,1 12,1 15.5,7 12,13 4,13 0.5,7",
      star: "8,0 10,5 15,5 11,8.5 12.5,14 8,10.5 3.5,14 5,8.5 1,5 6,5" };
    if (kind === "line") {
      shape = document.createElementNS(ns, "line");
      [["x1", 0], ["y1", 7], ["x2", 16], ["y2", 7], ["stroke", color], ["stroke-width", 2.5]].forEach(function (a) { shape.setAttribute(a[0], a[1]); });
      if (dashes) shape.setAttribute("stroke-dasharray", dashes.join(" "));
    } else if (poly[kind]) {
      shape = document.createElementNS(ns, "polygon"); shape.setAttribute("points", poly[kind]); shape.setAttribute("fill", color);
    } else if (kind === "square") {
      shape = document.createElementNS(ns, "rect");
      [["x", 2], ["y", 1], ["width", 12], ["height", 12], ["fill", color]].forEach(function (a) { shape.setAttribute(a[0], a[1]); });
    } else {
      shape = document.createElementNS(ns, "circle");
      [["cx", 8], ["cy", 7], ["r", 6], ["fill", color]].forEach(function (a) { shape.setAttribute(a[0], a[1]); });
    }
    svg.appendChild(shape);
    return svg;
  }
  function checkbox(box, set, key, text, count, sw) {
    var input = el("input", { type: "checkbox", "data-key": key });
    input.checked = set.has(key);
    input.addEventListener("change", function () { if (input.checked) set.add(key); else set.delete(key); applyFilters(); });
    add(box, add(el("label"), input, sw, el("span", {}, text), el("span", { class: "count" }, count)));
  }
  function countBy(list, key) { var c = {}; list.forEach(function (x) { c[x[key]] = (c[x[key]] || 0) + 1; }); return c; }
  function buildControls() {
    var classes = countBy(DATA.nodes, "cls"), rels = countBy(DATA.edges, "rel"), kinds = countBy(DATA.edges, "style");
    var box = $("class-filters"); box.textContent = "";
    Object.keys(S.classes).filter(function (c) { return classes[c]; }).forEach(function (c) {
      checkbox(box, state.classes, c, twoNames(S.classes, c), classes[c], swatch(S.classes[c].shape, S.classes[c].color));
    });
    box = $("rel-filters"); box.textContent = "";
    Object.keys(rels).sort(function (a, b) { return rels[b] - rels[a] || (a < b ? -1 : 1); }).forEach(function (r) {
      checkbox(box, state.rels, r, twoNames(S.relations, r), rels[r]);
    });
    box = $("kind-filters"); box.textContent = "";
    KINDS.forEach(function (k) {
      checkbox(box, state.kinds, k, twoNames(S.edges, k), kinds[k] || 0, swatch("line", S.edges[k].color, S.edges[k].dashes));
    });
    var select = $("doc-filter"); select.textContent = "";
    select.add(new Option("All documents (" + Object.keys(DOCS).length + ")", ""));
    Object.keys(DOCS).forEach(function (id) { var d = DOCS[id]; select.add(new Option(d.title + (d.date ? " · " + d.date.slice(0, 10) : ""), id)); });
    select.value = state.doc;
    var names = $("names"); names.textContent = "";
    DATA.nodes.forEach(function (n) { names.appendChild(new Option("", label(n.id))); });
    document.querySelectorAll("[data-lang]").forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.lang === lang)); });
  }
  function setRels(on) { state.rels.clear(); if (on) DATA.edges.forEach(function (e) { state.rels.add(e.rel); }); buildControls(); applyFilters(); }
  function resetFilters() {
    DATA.nodes.forEach(function (n) { state.classes.add(n.cls); });
    KINDS.forEach(function (k) { state.kinds.add(k); });
    state.minConf = 0; state.doc = ""; $("min-conf").value = "0"; $("min-conf-out").textContent = "0.00";
    state.from = state.to = ""; state.undated = true; $("time-from").value = $("time-to").value = ""; $("time-undated").checked = true;
    setRels(true);
  }
  $("rels-all").addEventListener("click", function () { setRels(true); });
  $("rels-none").addEventListener("click", function () { setRels(false); });
  $("reset").addEventListener("click", resetFilters);
  $("min-conf").addEventListener("input", function (ev) {
    state.minConf = Number(ev.target.value); $("min-conf-out").textContent = state.minConf.toFixed(2); applyFilters();
  });
  $("doc-filter").addEventListener("change", function (ev) { state.doc = ev.target.value; applyFilters(); });
  function setTime() {
    var from = $("time-from").value, to = $("time-to").value, undated = $("time-undated").checked;
    if (from === state.from && to === state.to && undated === state.undated) return;
    state.from = from; state.to = to; state.undated = undated;
    applyFilters();
  }
  ["time-from", "time-to", "time-undated"].forEach(function (id) {
    $(id).addEventListener("input", setTime); $(id).addEventListener("change", setTime);
  });
  if (DATA.timeRange.length) {
    ["time-from", "time-to"].forEach(function (id) { $(id).min = DATA.timeRange[0]; $(id).max = DATA.timeRange[1]; });
    $("time-span").textContent = "Claims from " + DATA.timeRange[0] + " to " + DATA.timeRange[1];
  } else $("time-span").textContent = "No claim is dated";
  document.querySelectorAll("[data-lang]").forEach(function (b) {
    b.addEventListener("click", function () { setLang(b.dataset.lang); });
  });
  function setLang(l) {
    lang = l;
    relabel();
    edges.update(edges.getIds().map(function (id) { return { id: id, label: edgeLabel(byEdge.get(id)) }; }));
    buildControls();
    if (focused) showNode(focused); else showHelp();
  }
  $("fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });
  $("collapse").addEventListener("click", function () { setCollapsed(collapsed.length === 0); status(); });
  $("hops").addEventListener("change", function (ev) { state.hops = Number(ev.target.value); if (focused) focusEntity(focused); });
  $("export-png").addEventListener("click", function () { download("aichip-graph.png", view.exportPNG()); });
  $("export-svg").addEventListener("click", function () {
    download("aichip-graph.svg", "data:image/svg+xml;charset=utf-8," + encodeURIComponent(view.exportSVG()));
  });
  function download(name, url) {
    var a = el("a", { href: url, download: name });
    document.body.appendChild(a); a.click(); a.remove();
  }

  // ---- export the current view: PNG from the canvas, SVG drawn from the positions on screen ----
  view.exportPNG = function () {
    var canvas = $("graph").querySelector("canvas"), out = document.createElement("canvas");
    out.width = canvas.width; out.height = canvas.height;
    var g = out.getContext("2d");
    g.fillStyle = "#ffffff"; g.fillRect(0, 0, out.width, out.height); g.drawImage(canvas, 0, 0);
    return out.toDataURL("image/png");
  };
  view.exportSVG = function () {
    var box = $("graph").getBoundingClientRect(), w = Math.round(box.width), h = Math.round(box.height);
    var scale = network.getScale(), ids = network.body.nodeIndices, pos = network.getPositions(ids);
    var esc = function (t) { return String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); };
    var at = function (id) { return network.canvasToDOM(pos[id]); };
    var out = ['<svg xmlns="http://www.w3.org/2000/svg" width="' + w + '" height="' + h + '" viewBox="0 0 ' + w + " " + h +
      '" font-family="' + esc(DATA.options.nodes.font.face) + '">', '<rect width="100%" height="100%" fill="#ffffff"/>'];
    network.body.edgeIndices.forEach(function (eid) {
      var e = network.body.edges[eid];
      if (!e || !pos[e.fromId] || !pos[e.toId]) return;
      var a = at(e.fromId), b = at(e.toId), c = e.options.color || {};
      out.push('<line x1="' + a.x.toFixed(1) + '" y1="' + a.y.toFixed(1) + '" x2="' + b.x.toFixed(1) + '" y2="' + b.y.toFixed(1) +
        '" stroke="' + esc(c.color || "#5b6470") + '" stroke-width="' + (1.5 * scale).toFixed(2) + '"' +
        (e.options.dashes ? ' stroke-dasharray="6 4"' : "") + "/>");
    });
    ids.forEach(function (id) {
      var n = network.body.nodes[id], p = at(id), r = Math.max(3, (n.shape.radius || n.options.size || 10) * scale);
      var color = (n.options.color && n.options.color.background) || "#8a8f98";
      out.push('<circle cx="' + p.x.toFixed(1) + '" cy="' + p.y.toFixed(1) + '" r="' + r.toFixed(1) + '" fill="' + esc(color) + '"/>');
      var text = n.options.label;
      if (text) {
        var size = ((n.labelModule && n.labelModule.fontOptions.size) || 14) * scale;
        out.push('<text x="' + p.x.toFixed(1) + '" y="' + (p.y + r + size).toFixed(1) + '" font-size="' + size.toFixed(1) +
          '" text-anchor="middle" fill="#1d232b" stroke="#ffffff" stroke-width="3" paint-order="stroke">' + esc(text) + "</text>");
      }
    });
    out.push("</svg>");
    return out.join("\n");
  };
  $("relayout").addEventListener("click", function () { settle(DATA.options.physics.stabilization.iterations); });
  $("show-all").addEventListener("click", function () {
    if (materialize(DATA.nodes.map(function (n) { return n.id; }), placeNear)) settle(150);
    applyFilters();
  });
  function placeNear(id) {
    var ids = adjacent.get(id);
    for (var i = 0; i < ids.length; i++) {
      var e = byEdge.get(ids[i]), other = e.from === id ? e.to : e.from;
      if (materialized.has(other) && network.body.nodes[other]) return network.getPosition(other);
    }
    return { x: 0, y: 0 };
  }

  // ---- search and focus ----
  function findEntity(text) {
    var q = text.trim().toLowerCase(), best = null, bestScore = -1;
    if (!q) return null;
    DATA.nodes.forEach(function (n) {
      var names = [n.labelEn, n.labelZh, ENT[n.id].pref, ENT[n.id].key].concat(ENT[n.id].aliases.map(function (a) { return a.text; }));
      names.forEach(function (s) {
        var t = String(s).toLowerCase(), score = t === q ? 3 : t.indexOf(q) === 0 ? 2 : t.indexOf(q) >= 0 ? 1 : 0;
        if (score && (score > bestScore || (score === bestScore && ENT[n.id].degree > ENT[best].degree))) { best = n.id; bestScore = score; }
      });
    });
    return best;
  }
  function focusText(text) {
    var id = findEntity(text);
    if (!id) { showMessage("No entity matches “" + text + "”."); return null; }
    focusEntity(id);
    return id;
  }
  // The entities within `hops` relations of `id` (through relations the filters let through).
  function neighbourhood(id, hops) {
    var found = new Set([id]), ring = [id];
    for (var d = 0; d < hops; d++) {
      var next = [];
      ring.forEach(function (n) {
        adjacent.get(n).forEach(function (eid) {
          var e = byEdge.get(eid), other = e.from === n ? e.to : e.from;
          if (edgePasses(e) && !found.has(other)) { found.add(other); next.push(other); }
        });
      });
      ring = next;
    }
    return Array.from(found);
  }
  function focusEntity(id) {
    if (!nodePasses(id)) resetFilters();
    if (collapsed.length) setCollapsed(false);
    var near = neighbourhood(id, state.hops);
    if (materialize(near, placeNear)) { settle(120); applyFilters(); }
    clearFocus();
    focused = id;
    var keep = new Set(near);
    around = keep;
    relabel();
    nodes.update(nodes.getIds().filter(function (n) { return !keep.has(n); }).map(function (n) {
      return { id: n, color: { background: "#d9dde3", border: "#ffffff" }, font: { color: "#aab1bb" } };
    }));
    edges.update(edges.getIds().filter(function (e) { var x = byEdge.get(e); return !(keep.has(x.from) && keep.has(x.to)); }).map(function (e) {
      return { id: e, color: Object.assign({}, byEdge.get(e).color, { opacity: 0.15 }), font: { color: "#c3c8cf" } };
    }));
    network.selectNodes([id]);
    network.fit({ nodes: near, animation: false });
    if (network.getScale() > MAX_SCALE) network.moveTo({ scale: MAX_SCALE, animation: false });
    zoomed();
    view.neighbourhood = near;
    showNode(id);
  }
  function clearFocus() {
    if (!focused) return;
    focused = null;
    around = new Set();
    relabel();
    nodes.update(nodes.getIds().map(function (n) { return { id: n, color: byNode.get(n).color, font: { color: "#1d232b" } }; }));
    edges.update(edges.getIds().map(function (e) { return { id: e, color: byEdge.get(e).color, font: { color: "#475060" } }; }));
  }
  $("search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") focusText(ev.target.value); });
  $("search-go").addEventListener("click", function () { focusText($("search").value); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "/" && document.activeElement !== $("search")) { ev.preventDefault(); $("search").focus(); }
    if (ev.key === "Escape") { clearFocus(); network.unselectAll(); showHelp(); }
  });

  // ---- side panel ----
  var panel = $("panel-body");
  function clearPanel() { panel.textContent = ""; return panel; }
  function showHelp() {
    add(clearPanel(), el("h2", {}, "Evidence"),
      el("p", { class: "help" }, "Click an edge to read the sentences it was extracted from, with source, date, confidence and modality. " +
        "Click an entity for its aliases, Wikidata link and relations. Dashed edges are planned, expected or reported; red ones (✕) were ruled out by the text."));
  }
  function showMessage(text) { add(clearPanel(), el("p", { class: "help" }, text)); }
  function entityButton(id) {
    var b = el("button", { type: "button", class: "link" }, label(id));
    b.addEventListener("click", function () { focusEntity(id); });
    return b;
  }
  function docLine(docId) {
    var d = DOCS[docId];
    if (!d) return el("div", { class: "meta" }, docId ? "Source: " + docId : "Source unknown");
    var parts = [d.date ? d.date.slice(0, 10) : "undated", d.source, d.language].filter(Boolean);
    return add(el("div", { class: "meta" }), el("strong", {}, d.title), el("span", {}, " · " + parts.join(" · ")));
  }
  function showEdge(id) {
    var e = byEdge.get(id), root = clearPanel(), arrow = e.arrows.to.enabled ? " → " : " ↔ ";
    add(root, add(el("h2"), entityButton(e.from), el("span", {}, arrow), entityButton(e.to)));
    add(root, add(el("div", { class: "sub" }), el("span", { class: "badge " + e.modality }, name(S.modalities, e.modality)),
      el("span", {}, twoNames(S.relations, e.rel)), el("span", {}, "· confidence " + fmtConf(e.conf))));
    var list = sortClaims(CLAIMS[id]);
    add(root, el("h3", {}, list.length ? "Evidence (" + list.length + (list.length > 1 ? " claims)" : " claim)") : "No claim recorded"));
    if (list.length > 1) {
      var sorter = el("select", { id: "evidence-sort", "aria-label": "Sort evidence" });
      sorter.add(new Option("Newest first, then most confident", "date"));
      sorter.add(new Option("Most confident first, then newest", "confidence"));
      sorter.value = state.sort;
      sorter.addEventListener("change", function () { state.sort = sorter.value; showEdge(id); });
      add(root, sorter);
    }
    list.forEach(function (c) {
      var box = el("div", { class: "claim" + (c.modality === "Negated" ? " negated" : "") });
      add(box, el("blockquote", { class: "evidence", lang: (DOCS[c.doc] || {}).language || "" }, c.evidence || "(no sentence recorded)"));
      add(box, add(el("div", { class: "meta" }), el("span", { class: "badge " + c.modality }, name(S.modalities, c.modality)),
        el("span", {}, "confidence " + fmtConf(c.confidence) + (c.start !== null ? " · chars " + c.start + "–" + c.end : "") +
          (c.extractedBy ? " · pattern " + c.extractedBy : ""))),
        add(el("div", { class: "meta when" }), el("span", {}, c.date ? "said " + c.date : "undated"),
          c.time ? el("span", {}, " · about " + c.time) : null));
      add(root, add(box, docLine(c.doc)));
    });
  }
  // Claims newest first then most confident (or the other way round): undated and unscored ones last.
  function sortClaims(list) {
    var date = function (c) { var d = DOCS[c.doc]; return c.date || (d && d.date ? d.date.slice(0, 10) : ""); };
    var conf = function (c) { return c.confidence === null || c.confidence === undefined ? -1 : c.confidence; };
    var byDate = function (a, b) { return date(a) < date(b) ? 1 : date(a) > date(b) ? -1 : 0; };
    var byConf = function (a, b) { return conf(b) - conf(a); };
    var first = state.sort === "confidence" ? byConf : byDate, second = state.sort === "confidence" ? byDate : byConf;
    return list.slice().sort(function (a, b) { return first(a, b) || second(a, b) || (a.id < b.id ? -1 : 1); });
  }
  function showNode(id) {
    var n = byNode.get(id), m = ENT[id], root = clearPanel();
    add(root, el("h2", {}, label(id)));
    var other = lang === "zh" ? n.labelEn : n.labelZh;
    add(root, add(el("div", { class: "sub" }), swatch(S.classes[n.cls].shape, S.classes[n.cls].color),
      el("span", {}, twoNames(S.classes, n.cls)), other !== label(id) ? el("span", {}, "· " + other) : null,
      el("span", {}, "· " + m.degree + " relations")));
    if (m.aliases.length) {
      var aliases = el("div");
      m.aliases.forEach(function (a) { add(aliases, add(el("span", { class: "alias" }, a.text), a.lang ? el("small", {}, a.lang) : null)); });
      add(root, el("h3", {}, "Also known as"), aliases);
    }
    var links = m.wikidata.filter(function (u) { return WIKIDATA.test(u); });
    add(root, el("h3", {}, "Identity"));
    links.forEach(function (u) {
      add(root, add(el("div"), el("span", {}, "Wikidata "), el("a", { href: u, target: "_blank", rel: "noopener noreferrer" }, u.split("/").pop())));
    });
    add(root, el("code", {}, id));
    if (m.docs.length) {
      var docs = el("ul");
      m.docs.forEach(function (d) { add(docs, add(el("li"), docLine(d))); });
      add(root, el("h3", {}, "Mentioned in"), docs);
    }
    var rels = adjacent.get(id);
    if (rels.length) {
      var box = el("div");
      rels.forEach(function (eid) {
        var e = byEdge.get(eid), out = e.from === id, c = CLAIMS[eid][0];
        var b = el("button", { type: "button", class: "rel-item" + (edges.get(eid) && !edges.get(eid).hidden ? "" : " off") });
        add(b, el("span", { class: "badge " + e.modality }, name(S.modalities, e.modality)),
          el("span", {}, (e.arrows.to.enabled ? (out ? "→ " : "← ") : "↔ ") + label(out ? e.to : e.from) + " · " +
            (e.style === "negated" ? "✕ " : "") + name(S.relations, e.rel)),
          c ? el("span", { class: "quote" }, c.evidence) : null);
        b.addEventListener("click", function () { if (!edges.get(eid)) focusEntity(id); network.selectEdges([eid]); showEdge(eid); });
        add(box, b);
      });
      add(root, el("h3", {}, "Relations"), box);
    }
  }
  network.on("click", function (p) {
    if (p.nodes.length && network.isCluster(p.nodes[0])) {
      network.openCluster(p.nodes[0]);
      collapsed = collapsed.filter(function (c) { return c !== p.nodes[0]; });
      status();
    } else if (p.nodes.length) focusEntity(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
    else { clearFocus(); showHelp(); }
  });
  network.on("hoverNode", function () { $("graph").style.cursor = "pointer"; });
  network.on("blurNode", function () { $("graph").style.cursor = ""; });
  network.on("hoverEdge", function () { $("graph").style.cursor = "pointer"; });
  network.on("blurEdge", function () { $("graph").style.cursor = ""; });

  buildControls();
  showHelp();
  status();
})();
