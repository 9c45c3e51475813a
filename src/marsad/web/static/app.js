/* marsad dashboard. Plain JavaScript, no build step; Leaflet is the only library (vendor/leaflet).
 *
 * Safety rule for this file: text from the store (articles, titles, outlets, names, evidence) is only ever
 * put into the page with textContent / createTextNode / attribute setters — never innerHTML, never as HTML
 * strings handed to Leaflet (tooltips and popups get DOM nodes). The server's Content-Security-Policy allows
 * scripts from this origin only, so even a slip could not run inline markup.
 */
(function () {
  "use strict";

  var TYPE_COLORS = {
    ASSAULT: "#c0392b", COERCE: "#e67e22", THREATEN: "#d35400", PROTEST: "#8e44ad", MOBILIZE: "#6c3483",
    SANCTION: "#7f8c8d", REJECT: "#a04000", ACCUSE: "#b9770e", REQUEST: "#2471a3", RETREAT: "#16a085",
    AID: "#27ae60", COOPERATE: "#1e8449", CONCEDE: "#48c9b0", SUPPORT: "#2e86c1", CONSULT: "#5dade2",
    AGREE: "#229954"
  };
  var KIND_COLORS = ["#c0392b", "#e67e22", "#2471a3", "#8e44ad", "#16a085", "#7f8c8d", "#b9770e", "#27ae60"];

  var state = {
    lang: "ar", dict: null, i18n: null, facets: null, map: null, markers: null, events: [], figures: [],
    selected: null, route: null, markerIndex: {}
  };

  // ------------------------------------------------------------------------------------------ helpers
  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "text") node.textContent = String(v);
        else if (k === "cls") node.className = v;
        else if (k === "onclick") node.addEventListener("click", v);
        else node.setAttribute(k, String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function t(key, vars) {
    var s = (state.dict && state.dict[key]) || key;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }
  function typeLabel(type) { return (state.dict && state.dict.types && state.dict.types[type]) || type || ""; }
  function kindLabel(kind) { return (state.dict && state.dict.kinds && state.dict.kinds[kind]) || kind || ""; }
  function groupLabel(g) { return (state.dict && state.dict.groups && state.dict.groups[g]) || g || ""; }
  function modeLabel(m) { return (state.dict && state.dict.modes && state.dict.modes[m]) || m || ""; }
  function qualifierLabel(q) { return (state.dict && state.dict.qualifiers && state.dict.qualifiers[q]) || q || ""; }
  function modalityLabel(m) { return (state.dict && state.dict.modalities && state.dict.modalities[m]) || m || ""; }

  function placeName(p) {
    if (!p) return "";
    if (state.lang === "en" && p.name_en) return p.name_en;
    return p.name || p.name_en || p.id || "";
  }

  // the governorate in the page's language (the store keeps the gazetteer's spelling, e.g. "Idleb")
  function admin1Label(p) {
    if (!p) return "";
    return (state.lang === "en" ? (p.admin1_en || p.admin1_ar) : (p.admin1_ar || p.admin1_en)) || p.admin1 || "";
  }

  function placeLabel(p) {
    var n = placeName(p), a = admin1Label(p);
    return a && a !== n ? n + " (" + a + ")" : n;
  }

  // an actor's canonical name (from the entity it was linked to), else the words read in the article
  function actorName(ev, role) {
    var ar = ev[role + "_name"], en = ev[role + "_name_en"];
    return (state.lang === "en" ? (en || ar) : (ar || en)) || ev[role + "_text"] || ev[role] || "";
  }

  function actorCell(ev) {
    var a = actorName(ev, "actor"), r = actorName(ev, "recipient");
    var td = el("td", { cls: "actors" });
    if (!a && !r) return td;
    td.appendChild(el("bdi", { text: a || "?" }));
    if (r) {
      td.appendChild(document.createTextNode(state.dict.dir === "rtl" ? " ← " : " → "));
      td.appendChild(el("bdi", { text: r }));
    }
    return td;
  }

  function outletName(o) { return o || t("unknown_outlet"); }

  /* A date inside Arabic text: isolated left-to-right, else the bidi algorithm turns 2019-05-29 after Arabic
   * letters into Arabic-number runs shown as 29-05-2019. */
  function iso(d) { return d ? "\u2066" + d + "\u2069" : ""; }

  // "a · b · c" without the empty parts
  function dots(parts) { return parts.filter(function (x) { return x !== null && x !== undefined && x !== ""; }).join(" · "); }

  /* Places too coarse for a point: a country is not drawn (its point is a capital, which would read as an event
   * there); a governorate or area is drawn as a hollow ring, so it is not mistaken for a village. */
  function precisionOf(p) {
    var lvl = String(p.precision_level || p.kind || "").toLowerCase();
    if (lvl === "country") return "country";
    if (["governorate", "region", "district", "subdistrict", "admin1", "admin2", "admin3", "area"].indexOf(lvl) >= 0) {
      return "approx";
    }
    return "exact";
  }

  function showError(msg) {
    var box = $("error");
    if (!msg) { box.hidden = true; box.textContent = ""; return; }
    box.textContent = t("error") + ": " + msg;
    box.hidden = false;
  }

  function api(path, params) {
    var q = [];
    Object.keys(params || {}).forEach(function (k) {
      var v = params[k];
      if (v !== null && v !== undefined && v !== "") q.push(encodeURIComponent(k) + "=" + encodeURIComponent(v));
    });
    var url = path + (q.length ? "?" + q.join("&") : "");
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) throw new Error((body && body.message) || ("HTTP " + r.status));
        return body;
      });
    });
  }

  /* Put `text` into `container`, wrapping the character ranges in <mark> elements.
   * ranges: [{start, end, cls, title}] with offsets into text; they may overlap (a segment gets every class
   * that covers it). Everything goes in as text nodes. */
  function highlight(container, text, ranges) {
    text = text || "";
    var cuts = { 0: true }; cuts[text.length] = true;
    var rs = (ranges || []).filter(function (r) {
      return r && r.start !== null && r.end !== null && r.start < r.end && r.start >= 0 && r.end <= text.length;
    });
    rs.forEach(function (r) { cuts[r.start] = true; cuts[r.end] = true; });
    var points = Object.keys(cuts).map(Number).sort(function (a, b) { return a - b; });
    for (var i = 0; i < points.length - 1; i++) {
      var a = points[i], b = points[i + 1];
      if (a >= b) continue;
      var piece = text.slice(a, b);
      var covering = rs.filter(function (r) { return r.start <= a && r.end >= b; });
      if (!covering.length) { container.appendChild(document.createTextNode(piece)); continue; }
      var classes = [], titles = [];
      covering.forEach(function (r) {
        if (classes.indexOf(r.cls) < 0) classes.push(r.cls);
        if (r.title && titles.indexOf(r.title) < 0) titles.push(r.title);
      });
      var m = el("mark", { cls: classes.join(" "), title: titles.join(" · ") || null, text: piece });
      if (covering[0].id) m.setAttribute("data-ref", covering[0].id);
      container.appendChild(m);
    }
    return container;
  }

  // ------------------------------------------------------------------------------------------ i18n
  function applyI18n() {
    var d = state.dict;
    document.documentElement.lang = state.lang;
    document.documentElement.dir = d.dir;
    document.title = d.app_title + " — " + d.app_subtitle;
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (n) {
      n.textContent = t(n.getAttribute("data-i18n"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n-placeholder]"), function (n) {
      n.setAttribute("placeholder", t(n.getAttribute("data-i18n-placeholder")));
    });
  }

  function setLang(lang) {
    state.lang = lang;
    state.dict = state.i18n[lang];
    try { localStorage.setItem("marsad.lang", lang); } catch (e) { /* private mode */ }
    applyI18n();
    fillFilterMenus();
    route(true);
  }

  // ------------------------------------------------------------------------------------------ filters
  function option(value, label) { return el("option", { value: value, text: label }); }

  function fillSelect(sel, items, keep) {
    var current = keep !== undefined ? keep : sel.value;
    clear(sel);
    sel.appendChild(option("", t("f_all")));
    items.forEach(function (it) { sel.appendChild(option(it[0], it[1])); });
    sel.value = current || "";
  }

  function fillFilterMenus() {
    var f = state.facets;
    if (!f) return;
    var present = {};
    (f.types || []).forEach(function (r) { present[r.type] = r.n; });
    fillSelect($("f-type"), (f.plover_types || []).map(function (ty) {
      return [ty, typeLabel(ty) + (present[ty] ? " (" + present[ty] + ")" : "")];
    }));
    fillSelect($("f-outlet"), (f.outlets || []).map(function (r) { return [r.outlet, r.outlet + " (" + r.n + ")"]; }));
    var govs = (f.governorates || []).map(function (g) {
      return [g.pcode, state.lang === "en" ? g.name_en : g.name_ar];
    }).sort(function (a, b) { return a[1].localeCompare(b[1], state.lang); });
    fillSelect($("f-governorate"), govs);
    var en = state.lang === "en";
    fillSelect($("f-actor"), (f.actors || []).map(function (a) {
      return [a.id, ((en ? a.name_en || a.name : a.name || a.name_en) || a.id) + " (" + a.n + ")"];
    }));
    fillSelect($("f-place"), (f.places || []).map(function (p) {
      return [p.id, ((en ? p.name_en || p.name : p.name || p.name_en) || p.id) + " (" + p.n + ")"];
    }));
    var dr = f.date_range || {};
    ["f-from", "f-to"].forEach(function (id) {
      if (dr.first) $(id).setAttribute("min", dr.first);
      if (dr.last) $(id).setAttribute("max", dr.last);
    });
  }

  function filterParams() {
    return {
      type: $("f-type").value, from: $("f-from").value, to: $("f-to").value, outlet: $("f-outlet").value,
      governorate: $("f-governorate").value, place: $("f-place").value, actor: $("f-actor").value,
      fused: $("f-fused").value
    };
  }

  // ------------------------------------------------------------------------------------------ map
  function initMap() {
    if (state.map || !window.L) return;
    var map = L.map("map", { zoomControl: true, attributionControl: true, minZoom: 5, maxZoom: 13, zoomSnap: 0.25 });
    map.fitBounds([[32.3, 35.6], [37.4, 42.4]]);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth; OCHA COD-AB; Leaflet");
    state.map = map;
    map.createPane("basemap").style.zIndex = 200;
    map.createPane("admin").style.zIndex = 250;
    fetch("/static/data/basemap.geojson").then(function (r) { return r.json(); }).then(function (gj) {
      L.geoJSON(gj, {
        pane: "basemap",
        filter: function (f) { return f.properties.layer !== "city"; },
        style: function (f) {
          var l = f.properties.layer;
          if (l === "country") {
            var syr = f.properties.iso3 === "SYR";
            return { color: "#9a9a8f", weight: 1, fillColor: syr ? "#fbf8ef" : "#e9e6dc", fillOpacity: 1 };
          }
          if (l === "border") return { color: "#7d7d73", weight: 1.2, dashArray: "4 3" };
          if (l === "lake") return { color: "#7fb2cf", weight: 1, fillColor: "#cfe3ee", fillOpacity: 1 };
          return { color: "#7fb2cf", weight: 1.2 };
        },
        interactive: false
      }).addTo(map);
      var cities = gj.features.filter(function (f) {
        return f.properties.layer === "city" && f.properties.iso3 === "SYR" && (f.properties.rank || 10) <= 8;
      });
      cities.forEach(function (f) {
        var c = f.geometry.coordinates;
        L.circleMarker([c[1], c[0]], { radius: 2, color: "#555", weight: 1, fillOpacity: 1, interactive: false,
          pane: "admin" })
          .bindTooltip(el("span", { text: f.properties.name }),
            { permanent: true, direction: "right", className: "city-label", offset: [2, 0] })
          .addTo(map);
      });
    }).catch(function () { /* the map still shows events */ });
    fetch("/static/data/governorates.geojson").then(function (r) { return r.json(); }).then(function (gj) {
      L.geoJSON(gj, {
        pane: "admin",
        style: { color: "#8c7b64", weight: 1, fill: true, fillOpacity: 0, dashArray: "2 3" },
        onEachFeature: function (f, layer) {
          layer.bindTooltip(function () {
            return el("span", { text: state.lang === "en" ? f.properties.name_en : f.properties.name_ar });
          }, { sticky: true });
        }
      }).addTo(map);
    }).catch(function () { /* optional layer */ });
    state.markers = L.layerGroup().addTo(map);
    map.on("zoomend", placeMarkers);
  }

  /* Events at the same place are fanned out around it by a few pixels (recomputed on zoom), so each one
   * can be clicked; at k = 1 a marker sits exactly on its place. */
  function fanOffset(k) {
    if (k <= 1) return [0, 0];
    var ring = Math.floor((k - 2) / 6), slot = (k - 2) % 6;
    var r = 13 * (ring + 1), ang = (slot / 6) * 2 * Math.PI + ring * 0.5;
    return [r * Math.cos(ang), r * Math.sin(ang)];
  }

  function placeMarkers() {
    if (!state.map) return;
    state.markers.eachLayer(function (m) {
      if (!m.base) return;
      var off = fanOffset(m.k);
      if (!off[0] && !off[1]) { m.setLatLng(m.base); return; }
      var pt = state.map.latLngToLayerPoint(m.base);
      m.setLatLng(state.map.layerPointToLatLng(L.point(pt.x + off[0], pt.y + off[1])));
    });
  }

  function renderMarkers(events) {
    if (!state.map) return;
    state.markers.clearLayers();
    state.markerIndex = {};
    var onMap = 0, approx = 0, countryOnly = 0, unmapped = 0;
    var seen = {};
    events.forEach(function (ev) {
      var placed = false, exact = false, country = false;
      (ev.places || []).forEach(function (p) {
        if (p.lat === null || p.lon === null || p.lat === undefined) return;
        var prec = precisionOf(p);
        if (prec === "country") { country = true; return; }
        var key = p.lat.toFixed(4) + "," + p.lon.toFixed(4);
        var k = seen[key] = (seen[key] || 0) + 1;
        var color = TYPE_COLORS[ev.type] || "#555";
        var m = L.circleMarker([p.lat, p.lon], prec === "exact" ? {
          radius: 7, color: "#222", weight: 1, fillColor: color, fillOpacity: 0.85,
          className: "event-marker exact event-" + ev.type
        } : {
          radius: 10, color: color, weight: 2.5, dashArray: "4 3", fillColor: color, fillOpacity: 0.12,
          className: "event-marker approx event-" + ev.type
        });
        m.base = L.latLng(p.lat, p.lon);
        m.k = k;
        m.bindTooltip(el("span", {}, [typeLabel(ev.type) + " — " + placeLabel(p) +
          (prec === "approx" ? " (" + t("precision_approx") + ")" : "") + " — " + iso(ev.event_date)]));
        m.on("click", function () { location.hash = "#/event/" + encodeURIComponent(ev.id); });
        m.on("add", function () {
          var path = m.getElement && m.getElement();
          if (path) {
            path.setAttribute("data-event-id", ev.id);
            path.setAttribute("data-place-id", p.id);
            if (state.selected === ev.id) path.classList.add("selected");
          }
        });
        m.addTo(state.markers);
        (state.markerIndex[ev.id] = state.markerIndex[ev.id] || []).push(m);
        placed = true;
        if (prec === "exact") exact = true;
      });
      if (placed) { onMap++; if (!exact) approx++; }
      else if (country) countryOnly++;
      else unmapped++;
    });
    placeMarkers();
    var status = $("map-status");
    status.setAttribute("data-count", String(onMap));
    var parts = [t("events_on_map", { n: onMap })];
    if (approx) parts.push(t("approx_places", { n: approx }));
    if (countryOnly) parts.push(t("country_only", { n: countryOnly }));
    if (unmapped) parts.push(t("unmapped", { n: unmapped }));
    status.textContent = parts.join(" · ");
    markSelected(state.selected, false);
  }

  /* A place or governorate filter brings its events into view (the map stays where it is if none is mapped). */
  function fitToMarkers() {
    if (!state.map) return;
    var bases = [];
    state.markers.eachLayer(function (m) { if (m.base) bases.push(m.base); });
    if (bases.length) state.map.fitBounds(L.latLngBounds(bases).pad(0.3), { maxZoom: 10 });
  }

  /* Outline the selected event's markers and bring them into view if none is visible. */
  function markSelected(id, pan) {
    if (!state.map) return;
    Object.keys(state.markerIndex).forEach(function (eid) {
      state.markerIndex[eid].forEach(function (m) {
        var path = m.getElement && m.getElement();
        if (path) path.classList.toggle("selected", eid === id);
        if (eid === id) m.bringToFront();
      });
    });
    var ms = (id && state.markerIndex[id]) || [];
    if (!pan || !ms.length) return;
    var bounds = state.map.getBounds();
    if (ms.some(function (m) { return bounds.contains(m.getLatLng()); })) return;
    state.map.fitBounds(L.latLngBounds(ms.map(function (m) { return m.base; })).pad(0.5), { maxZoom: 9 });
  }

  // ------------------------------------------------------------------------------------------ charts
  function svg(tag, attrs) {
    var n = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, String(attrs[k])); });
    return n;
  }

  /* Stacked bars of counts per period. rows: [{date, key}] → bars by day or month. */
  function stackedChart(container, rows, colorOf, labelOf) {
    clear(container);
    container.className = "chart";
    rows = rows.filter(function (r) { return r.date; });
    if (!rows.length) { container.appendChild(el("p", { cls: "meta", text: t("no_data") })); return; }
    var dates = rows.map(function (r) { return r.date; }).sort();
    var first = new Date(dates[0] + "T00:00:00Z"), last = new Date(dates[dates.length - 1] + "T00:00:00Z");
    var spanDays = Math.round((last - first) / 864e5);
    var byMonth = spanDays > 120;
    function bucket(d) { return byMonth ? d.slice(0, 7) : d.slice(0, 10); }
    var buckets = [];
    var cur = new Date(first.getTime());
    while (cur <= last && buckets.length < 2000) {
      var iso = cur.toISOString().slice(0, 10);
      var b = bucket(iso);
      if (buckets[buckets.length - 1] !== b) buckets.push(b);
      if (byMonth) cur.setUTCMonth(cur.getUTCMonth() + 1, 1); else cur.setUTCDate(cur.getUTCDate() + 1);
    }
    if (buckets.indexOf(bucket(dates[dates.length - 1])) < 0) buckets.push(bucket(dates[dates.length - 1]));
    var keys = [], counts = {};
    rows.forEach(function (r) {
      if (keys.indexOf(r.key) < 0) keys.push(r.key);
      var b = bucket(r.date);
      counts[b] = counts[b] || {};
      counts[b][r.key] = (counts[b][r.key] || 0) + 1;
    });
    var max = 1;
    buckets.forEach(function (b) {
      var s = 0; keys.forEach(function (k) { s += (counts[b] && counts[b][k]) || 0; }); if (s > max) max = s;
    });
    var W = 600, H = 170, padL = 28, padR = 28, padB = 22, padT = 6;
    var bw = (W - padL - padR) / buckets.length;
    // direction ltr: the page's rtl would flip text-anchor and push the scale label into the bars
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "data-bars": String(rows.length),
      direction: "ltr" });
    root.appendChild(svg("line", { x1: padL, y1: H - padB, x2: W, y2: H - padB, stroke: "#999" }));
    var rtl = state.dict.dir === "rtl";
    var tick = svg("text", { x: rtl ? W - padR + 4 : padL - 4, y: padT + 8, "text-anchor": rtl ? "start" : "end" });
    tick.textContent = String(max);
    root.appendChild(tick);
    buckets.forEach(function (b, i) {
      var x = rtl ? W - padR - (i + 1) * bw : padL + i * bw;  // time runs right-to-left in Arabic
      var y = H - padB;
      keys.forEach(function (k) {
        var c = (counts[b] && counts[b][k]) || 0;
        if (!c) return;
        var h = (H - padB - padT) * c / max;
        y -= h;
        var rect = svg("rect", { x: x + 0.5, y: y, width: Math.max(1, bw - 1), height: h, fill: colorOf(k),
          "class": "bar", "data-key": k, "data-n": c });
        var tt = svg("title", {}); tt.textContent = b + " · " + labelOf(k) + ": " + c;
        rect.appendChild(tt);
        root.appendChild(rect);
      });
      var every = Math.ceil(buckets.length / 8);
      if (i % every === 0) {
        var lbl = svg("text", { x: x + bw / 2, y: H - 6, "text-anchor": "middle" });
        lbl.textContent = b;
        root.appendChild(lbl);
      }
    });
    container.appendChild(root);
    var legend = el("div", { cls: "legend" });
    keys.forEach(function (k) {
      var sw = el("span", { cls: "sw" });
      sw.style.background = colorOf(k);
      legend.appendChild(el("span", {}, [sw, labelOf(k)]));
    });
    container.appendChild(legend);
  }

  function renderCharts() {
    stackedChart($("chart-events"), state.events.map(function (e) { return { date: e.event_date, key: e.type }; }),
      function (k) { return TYPE_COLORS[k] || "#555"; }, typeLabel);
    var kinds = [];
    state.figures.forEach(function (f) { if (kinds.indexOf(f.kind) < 0) kinds.push(f.kind); });
    stackedChart($("chart-figures"), state.figures.map(function (f) {
      return { date: f.period_start || f.published, key: f.kind };
    }), function (k) { return KIND_COLORS[kinds.indexOf(k) % KIND_COLORS.length]; }, kindLabel);
  }

  // ------------------------------------------------------------------------------------------ event list
  function renderEventTable(events) {
    var tb = $("event-table").querySelector("tbody");
    clear(tb);
    events.forEach(function (ev) {
      var tr = el("tr", { "data-event-id": ev.id, onclick: function () { location.hash = "#/event/" + encodeURIComponent(ev.id); } }, [
        el("td", { cls: "nowrap", text: ev.event_date || "" }),
        el("td", { text: typeLabel(ev.type) }),
        actorCell(ev),
        el("td", { text: (ev.places || []).map(placeName).join("، ") }),
        el("td", { text: (ev.sources || []).map(function (s) { return outletName(s.outlet); }).join("، ") }),
        el("td", { text: ev.evidence_text || "" })
      ]);
      if (state.selected === ev.id) tr.className = "selected";
      tb.appendChild(tr);
    });
  }

  function query(params) {
    var q = [];
    Object.keys(params).forEach(function (k) {
      if (params[k]) q.push(encodeURIComponent(k) + "=" + encodeURIComponent(params[k]));
    });
    return q.length ? "?" + q.join("&") : "";
  }

  // the download links carry the filters, so an export holds exactly the events shown
  function exportLinks(p) {
    var common = { from: p.from, to: p.to, type: p.type, actor: p.actor, place: p.place,
      governorate: p.governorate, outlet: p.outlet };
    $("export-acled").setAttribute("href", "/api/export/acled.csv" + query(common));  // ACLED rows are per report
    common.fused = p.fused;
    $("export-geojson").setAttribute("href", "/api/export/events.geojson" + query(common));
    $("export-jsonl").setAttribute("href", "/api/export/events.jsonl" + query(common));
  }

  function loadEvents() {
    showError(null);
    var p = filterParams();
    exportLinks(p);
    p.limit = 1000;
    // figures carry a date, an outlet and a place, but no event type or actor: those filters do not apply to them
    var figParams = { from: p.from, to: p.to, outlet: p.outlet, place: p.place, governorate: p.governorate,
      limit: 1000 };
    return Promise.all([api("/api/events", p), api("/api/figures", figParams)]).then(function (res) {
      state.events = res[0].items;
      state.figures = res[1].items;
      $("list-status").textContent = "· " + t("events_total", { shown: res[0].items.length, total: res[0].total });
      renderMarkers(state.events);
      if (p.place || p.governorate) fitToMarkers();
      renderEventTable(state.events);
      renderCharts();
    }).catch(function (e) { showError(e.message); });
  }

  // ------------------------------------------------------------------------------------------ event detail
  function kv(pairs) {
    var dl = el("dl", { cls: "kv" });
    pairs.forEach(function (p) {
      if (p[1] === null || p[1] === undefined || p[1] === "") return;
      dl.appendChild(el("dt", { text: p[0] }));
      dl.appendChild(el("dd", {}, [p[1] instanceof Node ? p[1] : String(p[1])]));
    });
    return dl;
  }

  function evidenceBlock(ev) {
    var box = el("div", { cls: "evidence-block", "data-article-id": ev.article_id });
    box.appendChild(el("div", { cls: "meta" }, [
      dots([outletName(ev.outlet), iso(ev.published), ev.title])
    ]));
    var p = el("p", { cls: "evidence-text" });
    if (ev.before !== undefined) {
      // keep about two lines either side of the sentence, cut at a space
      var before = ev.before, after = ev.after, cut = 180;
      if (before.length > cut) {
        var i = before.indexOf(" ", before.length - cut);
        before = before.slice(i < 0 ? before.length - cut : i + 1);
        p.appendChild(document.createTextNode("… "));
      }
      var cutAfter = after.length > cut;
      if (cutAfter) {
        var j = after.lastIndexOf(" ", cut);
        after = after.slice(0, j < 0 ? cut : j);
      }
      var text = before + ev.text + after;
      var base = ev.context_start + (ev.before.length - before.length);
      var ranges = [{ start: before.length, end: before.length + ev.text.length, cls: "evidence" }];
      Object.keys(ev.spans || {}).forEach(function (role) {
        var s = ev.spans[role];
        if (s && s.start !== null && s.end !== null) {
          ranges.push({ start: s.start - base, end: s.end - base, cls: role === "trigger" ? "trigger" : "evidence", title: role });
        }
      });
      highlight(p, text, ranges);
      if (cutAfter) p.appendChild(document.createTextNode(" …"));
    } else {
      p.appendChild(el("mark", { cls: "evidence", text: ev.text || "" }));
    }
    box.appendChild(p);
    box.appendChild(el("a", { href: "#/article/" + encodeURIComponent(ev.article_id), text: t("open_article") }));
    return box;
  }

  // the canonical name, and the words of the article when they say something else ("الرئيسان")
  function actorDetail(ev, role) {
    var name = actorName(ev, role), read = ev[role + "_text"];
    if (!name) return "";
    return read && read !== name ? name + " — " + t("as_read") + ": «" + read + "»" : name;
  }

  function showEvent(id) {
    state.selected = id;
    var panel = $("detail"), body = clear($("detail-body"));
    panel.hidden = false;
    body.appendChild(el("p", { cls: "meta", text: t("loading") }));
    return api("/api/events/" + encodeURIComponent(id)).then(function (ev) {
      clear(body);
      body.setAttribute("data-event-id", ev.id);
      body.appendChild(el("h3", { text: typeLabel(ev.type) + (ev.mode ? " · " + modeLabel(ev.mode) : "") }));
      body.appendChild(kv([
        [t("col_date"), ev.event_date],
        [t("col_place"), (ev.places || []).map(function (p) {
          return placeLabel(p) + (precisionOf(p) !== "exact" ? " — " + t("precision_approx") : "");
        }).join("، ")],
        [t("actor"), actorDetail(ev, "actor")],
        [t("recipient"), actorDetail(ev, "recipient")],
        [t("modality"), modalityLabel(ev.modality) + (ev.negated ? " · " + t("negated") : "")],
        [t("confidence"), ev.confidence !== null ? Number(ev.confidence).toFixed(2) : ""],
        [t("sources"), (ev.sources || []).map(function (s) { return outletName(s.outlet); }).join("، ")]
      ]));
      if (ev.story_id) {
        body.appendChild(el("p", {}, [el("a", { href: "#/story/" + encodeURIComponent(ev.story_id), text: t("open_story") })]));
      }
      body.appendChild(el("h4", { text: t("evidence") }));
      (ev.evidence || []).forEach(function (e) { body.appendChild(evidenceBlock(e)); });
      Array.prototype.forEach.call(document.querySelectorAll("#event-table tr"), function (tr) {
        tr.className = tr.getAttribute("data-event-id") === id ? "selected" : "";
      });
      markSelected(id, true);
    }).catch(function (e) { clear(body); showError(e.message); });
  }

  // ------------------------------------------------------------------------------------------ stories
  function loadStories() {
    var p = filterParams();
    return api("/api/stories", { from: p.from, to: p.to, outlet: p.outlet, limit: 500 }).then(function (res) {
      var tb = clear($("story-table").querySelector("tbody"));
      res.items.forEach(function (s) {
        tb.appendChild(el("tr", { "data-story-id": s.id, onclick: function () { location.hash = "#/story/" + encodeURIComponent(s.id); } }, [
          el("td", {}, [el("a", { href: "#/story/" + encodeURIComponent(s.id), text: s.title || t("untitled") })]),
          el("td", { cls: "nowrap", text: (s.first_date || "") + (s.last_date && s.last_date !== s.first_date ? " – " + s.last_date : "") }),
          el("td", { text: String(s.n_articles) }),
          el("td", { text: (s.outlets || []).join("، ") || t("unknown_outlet") }),
          el("td", { text: String(s.n_events) })
        ]));
      });
    }).catch(function (e) { showError(e.message); });
  }

  function highlightLegend(kinds) {
    return el("p", { cls: "legend hl-legend" }, kinds.map(function (k) {
      return el("mark", { cls: k, text: t("hl_" + k) });
    }));
  }

  function section(titleKey, children) {
    return el("div", { cls: "story-section" }, [el("h3", { text: t(titleKey) })].concat(children));
  }

  function figureValue(c) {
    var v = c.value !== null && c.value !== undefined ? String(c.value) :
      (c.low !== null && c.high !== null ? "\u2066" + c.low + "–" + c.high + "\u2069" : "?");
    return (c.qualifier ? qualifierLabel(c.qualifier) + " " : "") + v;
  }

  function showStory(id) {
    var view = clear($("view-story"));
    view.appendChild(el("p", { cls: "meta", text: t("loading") }));
    return api("/api/stories/" + encodeURIComponent(id)).then(function (st) {
      clear(view);
      view.setAttribute("data-story-id", st.id);
      view.appendChild(el("h2", { text: st.title || st.id }));
      view.appendChild(el("p", { cls: "meta", text: dots([iso(st.first_date) +
        (st.last_date && st.last_date !== st.first_date ? " – " + iso(st.last_date) : ""), (st.outlets || []).join("، ")]) }));

      // sources
      var src = el("table", { cls: "grid", id: "story-sources" }, [
        el("thead", {}, [el("tr", {}, [el("th", { text: t("col_outlet") }), el("th", { text: t("col_title") }), el("th", { text: t("col_date") })])])
      ]);
      var sb = el("tbody");
      st.sources.forEach(function (s) {
        var title = el("td", {}, [el("a", { href: "#/article/" + encodeURIComponent(s.id), text: s.title || t("untitled") })]);
        if (s.duplicate_of) title.appendChild(el("span", { cls: "badge", text: t("duplicate_of") + " " + s.duplicate_of }));
        sb.appendChild(el("tr", { "data-article-id": s.id }, [el("td", { text: outletName(s.outlet) }), title, el("td", { text: s.published || "" })]));
      });
      src.appendChild(sb);
      view.appendChild(section("story_sources", [src]));

      // fused events
      var evList = el("ul", { id: "story-events" });
      st.events.forEach(function (e) {
        evList.appendChild(el("li", {}, [el("a", { href: "#/event/" + encodeURIComponent(e.id),
          text: dots([typeLabel(e.type), iso(e.event_date), (e.places || []).map(placeName).join("، ")]) }),
          el("span", { cls: "badge", text: t("n_sources", { n: (e.sources || []).length }) })]));
      });
      if (st.events.length) view.appendChild(section("story_events", [evList]));

      // figures by source, side by side
      if (st.figures_by_source.length) {
        var cmp = el("table", { cls: "grid cmp", id: "story-figures" });
        st.figures_by_source.forEach(function (g) {
          var row = el("tr", {}, [el("th", {}, [kindLabel(g.kind) + " · " + groupLabel(g.group),
            g.claims.length < 2 ? el("span", { cls: "badge", text: t("single_source") }) :
              el("span", { cls: "badge " + (g.agree ? "ok" : "warn"), text: g.agree ? t("agree") : t("disagree") })])]);
          g.claims.forEach(function (c) {
            row.appendChild(el("td", { cls: "claim" }, [
              el("div", { cls: "value", text: figureValue(c) }),
              el("div", { cls: "meta", text: (c.reporter_text || c.reporter || "—") + " · " + outletName(c.outlet) })
            ]));
          });
          cmp.appendChild(row);
        });
        view.appendChild(section("story_figures", [el("p", { cls: "meta", text: t("story_figures_note") }), cmp]));
      }

      // timeline
      var tl = el("ol", { cls: "timeline-list" });
      st.timeline.forEach(function (item) {
        var what = item.kind === "article" ? t("tl_article") + ": " + outletName(item.outlet) + " — " + (item.title || "")
          : (item.kind === "event" ? t("tl_event") : t("tl_report_event")) + ": " + typeLabel(item.type) +
            (item.outlet ? " — " + item.outlet : "") + (item.places ? " — " + item.places.join("، ") : "");
        tl.appendChild(el("li", {}, [el("span", { cls: "when", text: item.date || "?" }), what]));
      });
      view.appendChild(section("story_timeline", [tl]));

      // article texts with evidence highlighted
      var texts = el("div", { id: "story-texts" });
      view.appendChild(section("story_texts", [highlightLegend(["evidence", "figure"]), texts]));
      return Promise.all(st.sources.map(function (s) { return api("/api/articles/" + encodeURIComponent(s.id)); }))
        .then(function (arts) {
          arts.forEach(function (a) {
            var ranges = [];
            st.report_events.forEach(function (e) {
              if (e.article_id === a.id && e.evidence_start !== null) {
                ranges.push({ start: e.evidence_start, end: e.evidence_end, cls: "evidence", title: typeLabel(e.type), id: e.id });
              }
            });
            st.figures.forEach(function (f) {
              if (f.article_id === a.id && f.evidence_start !== null) {
                ranges.push({ start: f.evidence_start, end: f.evidence_end, cls: "figure", title: kindLabel(f.kind) });
              }
            });
            texts.appendChild(el("h4", { text: outletName(a.outlet) + " · " + (a.title || t("untitled")) }));
            texts.appendChild(highlight(el("div", { cls: "article-text", "data-article-id": a.id }), a.clean_text, ranges));
          });
        });
    }).catch(function (e) { clear(view); showError(e.message); });
  }

  // ------------------------------------------------------------------------------------------ article page
  function showArticle(id) {
    var view = clear($("view-article"));
    return api("/api/articles/" + encodeURIComponent(id)).then(function (a) {
      view.setAttribute("data-article-id", a.id);
      view.appendChild(el("h2", { text: a.title || t("untitled") }));
      view.appendChild(el("p", { cls: "meta", text: dots([outletName(a.outlet), iso(a.published)]) }));
      var L_ = a.layers || {};
      var ranges = [];
      (L_.places || []).forEach(function (p) {
        (p.mentions || []).forEach(function (m) { ranges.push({ start: m.span.start, end: m.span.end, cls: "place", title: placeName(p) }); });
      });
      (L_.events || []).forEach(function (e) {
        if (e.evidence) ranges.push({ start: e.evidence.start, end: e.evidence.end, cls: "evidence", title: typeLabel(e.type) });
        var tr = e.spans && e.spans.trigger;
        if (tr) ranges.push({ start: tr.start, end: tr.end, cls: "trigger", title: typeLabel(e.type) });
      });
      (L_.figures || []).forEach(function (f) {
        if (f.evidence) ranges.push({ start: f.evidence.start, end: f.evidence.end, cls: "figure", title: kindLabel(f.kind) });
      });
      view.appendChild(highlightLegend(["evidence", "trigger", "figure", "place"]));
      view.appendChild(highlight(el("div", { cls: "article-text" }), a.clean_text, ranges));
      var evs = el("ul");
      (L_.events || []).forEach(function (e) {
        evs.appendChild(el("li", {}, [el("a", { href: "#/event/" + encodeURIComponent(e.id), text: typeLabel(e.type) }),
          " — " + (e.evidence ? e.evidence.text : "")]));
      });
      view.appendChild(section("layers_events", [evs]));
      var pls = el("ul");
      (L_.places || []).forEach(function (p) {
        pls.appendChild(el("li", { text: placeLabel(p) +
          (p.lat !== null && p.lat !== undefined ? " · " + p.lat.toFixed(3) + ", " + p.lon.toFixed(3) : "") }));
      });
      view.appendChild(section("layers_places", [pls]));
      var ents = el("ul");
      (L_.entities || []).forEach(function (e) {
        ents.appendChild(el("li", { text: (state.lang === "en" && e.name_en ? e.name_en : e.name) + " · " + e.label }));
      });
      view.appendChild(section("layers_entities", [ents]));
      var figs = el("ul");
      (L_.figures || []).forEach(function (f) {
        figs.appendChild(el("li", { text: kindLabel(f.kind) + " · " + groupLabel(f.group) + ": " + figureValue(f) +
          (f.reporter_text ? " — " + f.reporter_text : "") }));
      });
      view.appendChild(section("layers_figures", [figs]));
    }).catch(function (e) { showError(e.message); });
  }

  // ------------------------------------------------------------------------------------------ search
  function runSearch(q) {
    $("search-q").value = q;
    var list = clear($("search-results"));
    var status = $("search-status");
    status.textContent = "";
    if (!q) return Promise.resolve();
    var p = filterParams();
    return api("/api/search", { q: q, from: p.from, to: p.to, outlet: p.outlet, limit: 50 }).then(function (res) {
      status.textContent = t("search_results", { n: res.total });
      res.items.forEach(function (r) {
        var li = el("li", { "data-article-id": r.id }, [
          el("a", { href: "#/article/" + encodeURIComponent(r.id), text: r.title || t("untitled") }),
          el("span", { cls: "meta", text: " · " + dots([outletName(r.outlet), iso(r.published), t("matches", { n: r.n_matches })]) })
        ]);
        r.snippets.forEach(function (s) {
          var p_ = el("p", { cls: "snippet" });
          if (s.cut_before) p_.appendChild(document.createTextNode("… "));
          highlight(p_, s.text, s.highlights.map(function (h) { return { start: h[0], end: h[1], cls: "hit" }; }));
          if (s.cut_after) p_.appendChild(document.createTextNode(" …"));
          li.appendChild(p_);
        });
        list.appendChild(li);
      });
    }).catch(function (e) { showError(e.message); });
  }

  // ------------------------------------------------------------------------------------------ routing
  function showView(name) {
    ["map", "stories", "story", "article", "search"].forEach(function (v) { $("view-" + v).hidden = v !== name; });
    ["map", "stories", "search"].forEach(function (v) {
      $("nav-" + v).className = (v === name || (v === "stories" && name === "story")) ? "active" : "";
    });
  }

  function route(rerender) {
    var h = location.hash || "#/";
    var m;
    showError(null);
    if ((m = h.match(/^#\/event\/(.+)$/))) {
      showView("map");
      initMap();
      if (state.map) state.map.invalidateSize();
      var id = decodeURIComponent(m[1]);
      var p = (state.route !== "map" || rerender) ? loadEvents() : Promise.resolve();
      state.route = "map";
      return p.then(function () { return showEvent(id); });
    }
    if ((m = h.match(/^#\/story\/(.+)$/))) { state.route = "story"; showView("story"); return showStory(decodeURIComponent(m[1])); }
    if ((m = h.match(/^#\/article\/(.+)$/))) { state.route = "article"; showView("article"); return showArticle(decodeURIComponent(m[1])); }
    if (h.indexOf("#/stories") === 0) { state.route = "stories"; showView("stories"); return loadStories(); }
    if (h.indexOf("#/search") === 0) {
      state.route = "search"; showView("search");
      var qm = h.match(/[?&]q=([^&]*)/);
      return runSearch(qm ? decodeURIComponent(qm[1]) : "");
    }
    showView("map");
    initMap();
    if (state.map) state.map.invalidateSize();
    $("detail").hidden = true;
    state.selected = null;
    var again = state.route !== "map" || rerender;
    state.route = "map";
    return again ? loadEvents() : Promise.resolve();
  }

  // ------------------------------------------------------------------------------------------ start
  function start() {
    $("lang-toggle").addEventListener("click", function () { setLang(state.lang === "ar" ? "en" : "ar"); });
    $("filters").addEventListener("submit", function (e) {
      e.preventDefault();
      if (state.route === "stories") loadStories();
      else if (state.route === "search") runSearch($("search-q").value);
      else { if (location.hash.indexOf("#/event/") === 0) location.hash = "#/"; else loadEvents(); }
    });
    $("f-reset").addEventListener("click", function () {
      ["f-type", "f-from", "f-to", "f-outlet", "f-governorate", "f-place", "f-actor"].forEach(function (id) { $(id).value = ""; });
      $("f-fused").value = "report";
      $("filters").dispatchEvent(new Event("submit", { cancelable: true }));
    });
    $("detail-close").addEventListener("click", function () { location.hash = "#/"; });
    $("search-form").addEventListener("submit", function (e) {
      e.preventDefault();
      location.hash = "#/search?q=" + encodeURIComponent($("search-q").value.trim());
    });
    window.addEventListener("hashchange", function () { route(false); });

    var saved = null;
    try { saved = localStorage.getItem("marsad.lang"); } catch (e) { /* ignore */ }
    Promise.all([
      fetch("/static/i18n.json").then(function (r) { return r.json(); }),
      api("/api/facets").catch(function (e) { showError(e.message); return null; })
    ]).then(function (res) {
      state.i18n = res[0];
      state.facets = res[1];
      state.lang = saved === "en" ? "en" : "ar";
      state.dict = state.i18n[state.lang];
      applyI18n();
      fillFilterMenus();
      return route(true);
    }).then(function () {
      document.body.setAttribute("data-ready", "1");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
