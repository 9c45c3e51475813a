/* marsad dashboard. Plain JavaScript, no build step; Leaflet is the only library (vendor/leaflet). Marker
 * clustering is written here (a grid over the screen, recomputed on zoom), not taken from a plugin.
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

  /* Numbers and dates in the page's language: Arabic month names and separators on the Arabic page (digits
   * stay 0-9, as the Syrian outlets write them), English on the English one. */
  function locale() { return (state.dict && state.dict.locale) || (state.lang === "ar" ? "ar-SY-u-nu-latn" : "en-GB"); }
  function fmtNum(n) {
    if (typeof n !== "number" || !isFinite(n)) return n === null || n === undefined ? "" : String(n);
    try { return new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(n); } catch (e) { return String(n); }
  }
  function fmtDate(d, precision) {
    if (!d) return "";
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(String(d));
    if (!m) return String(d);
    var opts = { year: "numeric", timeZone: "UTC" };
    if (m[2]) opts.month = "long";
    if (m[3] && precision !== "month" && precision !== "year") opts.day = "numeric";
    if (precision === "year") delete opts.month;
    try {
      return new Intl.DateTimeFormat(locale(), opts).format(new Date(Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1)));
    } catch (e) { return String(d); }
  }

  function t(key, vars) {
    var s = (state.dict && state.dict[key]) || key;
    if (vars) Object.keys(vars).forEach(function (k) {
      var v = typeof vars[k] === "number" ? fmtNum(vars[k]) : String(vars[k]);
      s = s.split("{" + k + "}").join(v);
    });
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
    $("f-from").setAttribute("placeholder", dr.first || t("date_placeholder"));
    $("f-to").setAttribute("placeholder", dr.last || t("date_placeholder"));
    showDates();
  }

  /* The date fields are plain text (YYYY-MM-DD, as the API takes them): a browser's date picker would show the
   * browser's locale (mm/dd/yyyy) on the Arabic page. The chosen date is spelled out beside each field. */
  function showDates() {
    ["f-from", "f-to"].forEach(function (id) {
      var v = $(id).value.trim(), out = $(id + "-shown");
      if (!out) return;
      out.textContent = /^\d{4}(-\d{2}(-\d{2})?)?$/.test(v) ? fmtDate(v, v.length === 10 ? "day" : v.length === 7 ? "month" : "year") : "";
    });
  }

  function badDate() {
    var bad = ["f-from", "f-to"].map(function (id) { return $(id).value.trim(); }).filter(function (v) {
      return v && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v);
    });
    return bad.length ? t("bad_date", { value: bad[0] }) : null;
  }

  function filterParams() {
    return {
      type: $("f-type").value, from: $("f-from").value.trim(), to: $("f-to").value.trim(), outlet: $("f-outlet").value,
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
    map.on("zoomend", drawMarkers);
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
      if (!m.base || m.cluster) return;
      var off = fanOffset(m.k);
      if (!off[0] && !off[1]) { m.setLatLng(m.base); return; }
      var pt = state.map.latLngToLayerPoint(m.base);
      m.setLatLng(state.map.layerPointToLatLng(L.point(pt.x + off[0], pt.y + off[1])));
    });
  }

  var CLUSTER_CELL = 56;  // px: events closer than a cell on screen may be drawn as one cluster
  var CLUSTER_MIN = 10;   // a cell with fewer events shows each of them (fanned out around its place)

  /* Every mapped (event, place) of the events shown, and the counts for the status line. */
  function renderMarkers(events, total) {
    if (!state.map) return;
    state.points = [];
    state.eventBases = {};
    var onMap = 0, approx = 0, countryOnly = 0, unmapped = 0;
    events.forEach(function (ev) {
      var placed = false, exact = false, country = false;
      (ev.places || []).forEach(function (p) {
        if (p.lat === null || p.lon === null || p.lat === undefined) return;
        var prec = precisionOf(p);
        if (prec === "country") { country = true; return; }
        var base = L.latLng(p.lat, p.lon);
        state.points.push({ ev: ev, p: p, prec: prec, base: base });
        (state.eventBases[ev.id] = state.eventBases[ev.id] || []).push(base);
        placed = true;
        if (prec === "exact") exact = true;
      });
      if (placed) { onMap++; if (!exact) approx++; }
      else if (country) countryOnly++;
      else unmapped++;
    });
    drawMarkers();
    var status = $("map-status");
    status.setAttribute("data-count", String(onMap));
    status.setAttribute("data-total", String(total === undefined ? events.length : total));
    status.setAttribute("data-unplaced", String(countryOnly + unmapped));
    var parts = [t("events_on_map", { n: onMap })];
    if (approx) parts.push(t("approx_places", { n: approx }));
    if (countryOnly) parts.push(t("country_only", { n: countryOnly }));
    if (unmapped) parts.push(t("unmapped", { n: unmapped }));
    status.textContent = parts.join(" · ");
    renderTypeLegend(events);
    markSelected(state.selected, false);
  }

  function eventMarker(pt, k) {
    var ev = pt.ev, p = pt.p, prec = pt.prec;
    var color = TYPE_COLORS[ev.type] || "#555";
    var m = L.circleMarker(pt.base, prec === "exact" ? {
      radius: 7, color: "#222", weight: 1, fillColor: color, fillOpacity: 0.85,
      className: "event-marker exact event-" + ev.type
    } : {
      radius: 10, color: color, weight: 2.5, dashArray: "4 3", fillColor: color, fillOpacity: 0.12,
      className: "event-marker approx event-" + ev.type
    });
    m.base = pt.base;
    m.k = k;
    m.bindTooltip(el("span", {}, [typeLabel(ev.type) + " — " + placeLabel(p) +
      (prec === "approx" ? " (" + t("precision_approx") + ")" : "") + " — " + fmtDate(ev.event_date, ev.date_precision)]));
    m.on("click", function () { location.hash = "#/event/" + encodeURIComponent(ev.id); });
    m.on("add", function () {
      var path = m.getElement && m.getElement();
      if (path) {
        path.setAttribute("data-event-id", ev.id);
        path.setAttribute("data-place-id", p.id);
        if (state.selected === ev.id) path.classList.add("selected");
      }
    });
    return m;
  }

  /* A cluster: a disc with the number of events, ringed in the colour of its most common type. */
  function clusterMarker(group) {
    var lat = 0, lon = 0, types = {};
    group.forEach(function (pt) { lat += pt.base.lat; lon += pt.base.lng; types[pt.ev.type] = (types[pt.ev.type] || 0) + 1; });
    var top = Object.keys(types).sort(function (a, b) { return types[b] - types[a]; })[0];
    var n = group.length, size = n < 100 ? 34 : n < 1000 ? 42 : 50;
    var m = L.marker([lat / n, lon / n], { icon: L.divIcon({ className: "cluster-marker", iconSize: [size, size], html: "" }),
      keyboard: true, riseOnHover: true });
    m.cluster = true;
    m.bindTooltip(el("span", { text: t("cluster_tip", { n: n }) }));
    m.on("add", function () {
      var div = m.getElement && m.getElement();
      if (!div) return;
      div.textContent = fmtNum(n);
      div.setAttribute("data-count", String(n));
      div.style.borderColor = TYPE_COLORS[top] || "#555";
    });
    m.on("click", function () {
      var b = L.latLngBounds(group.map(function (pt) { return pt.base; }));
      var z = state.map.getZoom();
      if (b.getNorthEast().distanceTo(b.getSouthWest()) < 200) state.map.setView(b.getCenter(), Math.min(z + 3, state.map.getMaxZoom()));
      else state.map.fitBounds(b.pad(0.2), { maxZoom: Math.max(z + 1, Math.min(z + 4, state.map.getMaxZoom())) });
    });
    return m;
  }

  /* Draw the points for the current zoom: a screen cell holding CLUSTER_MIN events or more becomes one cluster
   * (at the deepest zoom every event is drawn); fewer are drawn one by one, fanned around shared places. */
  function drawMarkers() {
    if (!state.map || !state.points) return;
    state.markers.clearLayers();
    state.markerIndex = {};
    var z = state.map.getZoom(), deepest = z >= state.map.getMaxZoom();
    var cells = {}, order = [];
    state.points.forEach(function (pt) {
      var xy = state.map.project(pt.base, z);
      var key = deepest ? "all" : Math.floor(xy.x / CLUSTER_CELL) + ":" + Math.floor(xy.y / CLUSTER_CELL);
      if (!cells[key]) { cells[key] = []; order.push(key); }
      cells[key].push(pt);
    });
    var seen = {}, clusters = 0, clustered = 0;
    order.forEach(function (key) {
      var group = cells[key];
      if (!deepest && group.length >= CLUSTER_MIN) {
        clusterMarker(group).addTo(state.markers);
        clusters++;
        clustered += group.length;
        return;
      }
      group.forEach(function (pt) {
        var ck = pt.base.lat.toFixed(4) + "," + pt.base.lng.toFixed(4);
        var k = seen[ck] = (seen[ck] || 0) + 1;
        var m = eventMarker(pt, k);
        m.addTo(state.markers);
        (state.markerIndex[pt.ev.id] = state.markerIndex[pt.ev.id] || []).push(m);
      });
    });
    $("map").setAttribute("data-clusters", String(clusters));
    $("map").setAttribute("data-clustered", String(clustered));
    placeMarkers();
    markSelected(state.selected, false);
  }

  /* The legend of the colours: one swatch per event type on the map, with its count. */
  function renderTypeLegend(events) {
    var box = $("type-legend");
    if (!box) return;
    clear(box);
    var n = {};
    events.forEach(function (ev) { n[ev.type] = (n[ev.type] || 0) + 1; });
    var types = Object.keys(n).sort(function (a, b) { return n[b] - n[a]; });
    if (!types.length) return;
    box.appendChild(el("span", { cls: "legend-title", text: t("legend_types") }));
    types.forEach(function (ty) {
      var sw = el("span", { cls: "sw" });
      sw.style.background = TYPE_COLORS[ty] || "#555";
      box.appendChild(el("span", { "data-type": ty }, [sw, typeLabel(ty) + " (" + fmtNum(n[ty]) + ")"]));
    });
  }

  /* A place or governorate filter brings its events into view (the map stays where it is if none is mapped). */
  function fitToMarkers() {
    if (!state.map) return;
    var bases = [];
    (state.points || []).forEach(function (pt) { bases.push(pt.base); });
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
    var bases = (id && state.eventBases && state.eventBases[id]) || [];
    if (!pan || !bases.length) return;
    var bounds = state.map.getBounds();
    if (ms.some(function (m) { return bounds.contains(m.getLatLng()); })) return;
    // not drawn (inside a cluster) or out of view: go to its places, deep enough to draw it
    state.map.fitBounds(L.latLngBounds(bases).pad(0.5), { maxZoom: ms.length ? 9 : state.map.getMaxZoom() });
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
    tick.textContent = fmtNum(max);
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
        var tt = svg("title", {}); tt.textContent = fmtDate(b, byMonth ? "month" : "day") + " · " + labelOf(k) + ": " + fmtNum(c);
        rect.appendChild(tt);
        root.appendChild(rect);
      });
      var every = Math.ceil(buckets.length / 8);
      if (i % every === 0) {
        var lbl = svg("text", { x: x + bw / 2, y: H - 6, "text-anchor": "middle" });
        lbl.textContent = fmtDate(b, byMonth ? "month" : "day");
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
    var undated = state.events.filter(function (e) { return !e.event_date; }).length;
    var u = $("undated-status");
    u.setAttribute("data-count", String(undated));
    u.textContent = undated ? t("undated_events", { n: undated }) : "";
    u.hidden = !undated;
    figuresChart($("chart-figures"), state.figures);
  }

  /* The lowest count a figure asserts (as the fused figures count it): the low end of a range, "more than N"
   * -> N; "up to N" asserts nothing. */
  function figureCount(f) {
    if (f.qualifier === "up_to") return f.low !== null && f.low !== undefined ? f.low : null;
    if (f.low !== null && f.low !== undefined) return f.low;
    if (f.value !== null && f.value !== undefined) return f.value;
    return null;
  }

  function weekOf(d) {  // the Monday of the ISO week holding day d (YYYY-MM-DD)
    var x = new Date(d.slice(0, 10) + (d.length >= 10 ? "" : d.length === 7 ? "-01" : "-01-01") + "T00:00:00Z");
    if (isNaN(x)) return null;
    x.setUTCDate(x.getUTCDate() - ((x.getUTCDay() + 6) % 7));
    return x.toISOString().slice(0, 10);
  }

  var MAX_REPORTERS = 6;

  /* Reported figures of one kind (killed, injured, displaced…), SUMMED per week and stacked by who reported
   * them (229 killed weighs 229, not one report). Breakdown figures (children among the civilians) are left
   * out so nothing is counted twice within a report. A week where two reporters give different totals is
   * marked ≠: the reports disagree (they may also count different incidents; the tooltip lists each). */
  function figuresChart(container, figures) {
    clear(container);
    container.className = "chart";
    var top = figures.filter(function (f) { return f.parent === null || f.parent === undefined; });
    var kinds = {}, undated = 0;
    top.forEach(function (f) {
      var v = figureCount(f);
      if (v === null) return;
      kinds[f.kind] = (kinds[f.kind] || 0) + v;
    });
    var kindList = Object.keys(kinds).sort(function (a, b) {
      var order = ["killed", "injured", "displaced"];
      var ia = order.indexOf(a), ib = order.indexOf(b);
      return (ia < 0 ? 9 : ia) - (ib < 0 ? 9 : ib) || kinds[b] - kinds[a];
    });
    if (!kindList.length) { container.appendChild(el("p", { cls: "meta", text: t("no_data") })); return; }
    if (kindList.indexOf(state.figKind) < 0) state.figKind = kindList[0];
    var pick = el("p", { cls: "fig-kinds" });
    kindList.forEach(function (k) {
      pick.appendChild(el("button", { type: "button", cls: k === state.figKind ? "active" : "", "data-kind": k,
        text: kindLabel(k) + " (" + fmtNum(kinds[k]) + ")",
        onclick: function () { state.figKind = k; figuresChart(container, figures); } }));
    });
    container.appendChild(pick);
    var byRep = {}, weeks = {}, cells = {};
    top.forEach(function (f) {
      if (f.kind !== state.figKind) return;
      var v = figureCount(f);
      if (v === null) return;
      var d = f.period_start || f.published;
      var w = d ? weekOf(d) : null;
      if (!w) { undated++; return; }
      var rep = f.reporter_text || f.reporter || t("fig_unknown_reporter");
      byRep[rep] = (byRep[rep] || 0) + v;
      weeks[w] = true;
      var c = cells[w] = cells[w] || {};
      c[rep] = (c[rep] || 0) + v;
    });
    var reps = Object.keys(byRep).sort(function (a, b) { return byRep[b] - byRep[a]; });
    var shown = reps.slice(0, MAX_REPORTERS), other = t("fig_other_reporters");
    var keyOf = function (r) { return shown.indexOf(r) >= 0 ? r : other; };
    var keys = shown.concat(reps.length > MAX_REPORTERS ? [other] : []);
    var wk = Object.keys(weeks).sort();
    if (!wk.length) { container.appendChild(el("p", { cls: "meta", text: t("no_data") })); return; }
    var all = [], cur = new Date(wk[0] + "T00:00:00Z"), last = new Date(wk[wk.length - 1] + "T00:00:00Z");
    while (cur <= last && all.length < 600) { all.push(cur.toISOString().slice(0, 10)); cur.setUTCDate(cur.getUTCDate() + 7); }
    var max = 1;
    all.forEach(function (w) {
      var sum = 0; Object.keys(cells[w] || {}).forEach(function (r) { sum += cells[w][r]; }); if (sum > max) max = sum;
    });
    var W = 600, H = 190, padL = 40, padR = 40, padB = 22, padT = 14;
    var bw = (W - padL - padR) / all.length;
    var rtl = state.dict.dir === "rtl";
    var bars = 0;
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", direction: "ltr", "data-kind": state.figKind });
    root.appendChild(svg("line", { x1: padL, y1: H - padB, x2: W - padR, y2: H - padB, stroke: "#999" }));
    var tick = svg("text", { x: rtl ? W - padR + 4 : padL - 4, y: padT + 8, "text-anchor": rtl ? "start" : "end" });
    tick.textContent = fmtNum(max);
    root.appendChild(tick);
    var every = Math.ceil(all.length / 6);
    all.forEach(function (w, i) {
      var x = rtl ? W - padR - (i + 1) * bw : padL + i * bw, y = H - padB;
      var c = cells[w] || {}, stack = {};
      Object.keys(c).forEach(function (r) { stack[keyOf(r)] = (stack[keyOf(r)] || 0) + c[r]; });
      var lines = Object.keys(c).sort(function (a, b) { return c[b] - c[a]; }).map(function (r) { return r + ": " + fmtNum(c[r]); });
      var values = Object.keys(c).map(function (r) { return c[r]; });
      var disagree = values.length > 1 && values.some(function (v) { return v !== values[0]; });
      var sum = 0;
      keys.forEach(function (k) {
        var v = stack[k] || 0;
        if (!v) return;
        sum += v;
        var h = (H - padB - padT) * v / max;
        y -= h;
        var rect = svg("rect", { x: x + 0.5, y: y, width: Math.max(1, bw - 1), height: h,
          fill: KIND_COLORS[keys.indexOf(k) % KIND_COLORS.length], "class": "bar", "data-reporter": k, "data-value": v,
          "data-week": w });
        var tt = svg("title", {});
        tt.textContent = t("fig_week", { date: fmtDate(w, "day") }) + " · " + kindLabel(state.figKind) + " · " +
          t("fig_total", { n: sum }) + "\n" + lines.join("\n") + (disagree ? "\n" + t("fig_disagree") : "");
        rect.appendChild(tt);
        root.appendChild(rect);
        bars++;
      });
      if (disagree) {
        var mark = svg("text", { x: x + bw / 2, y: Math.max(padT, y - 2), "text-anchor": "middle", "class": "disagree",
          "data-week": w });
        mark.textContent = "≠";
        root.appendChild(mark);
      }
      if (i % every === 0) {
        var lbl = svg("text", { x: x + bw / 2, y: H - 6, "text-anchor": "middle" });
        lbl.textContent = fmtDate(w, "day");
        root.appendChild(lbl);
      }
    });
    // data-bars: the figures charted, of every kind (a kind is chosen by the buttons above); data-rects: bars drawn
    root.setAttribute("data-bars", String(top.filter(function (f) {
      return figureCount(f) !== null && (f.period_start || f.published);
    }).length));
    root.setAttribute("data-rects", String(bars));
    container.appendChild(root);
    var legend = el("div", { cls: "legend" });
    keys.forEach(function (k, i) {
      var sw = el("span", { cls: "sw" });
      sw.style.background = KIND_COLORS[i % KIND_COLORS.length];
      var total = k === other ? reps.slice(MAX_REPORTERS).reduce(function (s, r) { return s + byRep[r]; }, 0) : byRep[k];
      legend.appendChild(el("span", { "data-reporter": k }, [sw, k + " (" + fmtNum(total) + ")"]));
    });
    legend.appendChild(el("span", { cls: "meta", text: "≠ " + t("fig_disagree").replace(/^≠\s*/, "") }));
    container.appendChild(legend);
    if (undated) container.appendChild(el("p", { cls: "meta", text: t("fig_undated", { n: undated }) }));
  }

  // ------------------------------------------------------------------------------------------ event list
  function renderEventTable(events) {
    var tb = $("event-table").querySelector("tbody");
    clear(tb);
    events.forEach(function (ev) {
      var tr = el("tr", { "data-event-id": ev.id, onclick: function () { location.hash = "#/event/" + encodeURIComponent(ev.id); } }, [
        el("td", { cls: "nowrap", "data-date": ev.event_date || "", text: fmtDate(ev.event_date, ev.date_precision) }),
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

  /* Every item of a paged list endpoint ({total, items}), page after page: the map shows all events, not the
   * first thousand. onPage(n, total) reports progress. */
  var PAGE = 1000, MAX_ITEMS = 200000;
  function fetchAll(path, params, onPage) {
    var items = [];
    function next(offset) {
      var p = {};
      Object.keys(params).forEach(function (k) { p[k] = params[k]; });
      p.limit = PAGE;
      p.offset = offset;
      return api(path, p).then(function (res) {
        items = items.concat(res.items || []);
        if (onPage) onPage(items.length, res.total);
        if ((res.items || []).length && items.length < res.total && items.length < MAX_ITEMS) return next(items.length);
        return { total: res.total, items: items };
      });
    }
    return next(0);
  }

  var loadSeq = 0;
  function loadEvents() {
    showError(null);
    var wrong = badDate();
    if (wrong) { showError(wrong); return Promise.resolve(); }
    showDates();
    var p = filterParams();
    exportLinks(p);
    var seq = ++loadSeq;
    // figures carry a date, an outlet and a place, but no event type or actor: those filters do not apply to them
    var figParams = { from: p.from, to: p.to, outlet: p.outlet, place: p.place, governorate: p.governorate };
    return Promise.all([
      fetchAll("/api/events", p, function (n, total) {
        if (seq === loadSeq) $("list-status").textContent = "· " + t("loading_events", { n: n, total: total });
      }),
      fetchAll("/api/figures", figParams)
    ]).then(function (res) {
      if (seq !== loadSeq) return;  // a newer filter was applied meanwhile
      state.events = res[0].items;
      state.total = res[0].total;
      state.figures = res[1].items;
      $("list-status").textContent = "· " + t("events_total", { total: res[0].total });
      $("list-status").setAttribute("data-total", String(res[0].total));
      renderMarkers(state.events, res[0].total);
      if (p.place || p.governorate) fitToMarkers();
      renderEventTable(state.events);
      renderCharts();
      document.body.setAttribute("data-events-loaded", String(state.events.length));
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
        [t("col_date"), fmtDate(ev.event_date, ev.date_precision)],
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
