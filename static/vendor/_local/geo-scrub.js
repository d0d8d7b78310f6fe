/*
 * geo-scrub: scrub through time in the browser (part of this project, not vendored).
 *
 * The server sends, once per filter, the events as compact columns and the control states
 * at every change point (URLs of JSON files under /app/static/_data/). Moving the time
 * control - dragging included - filters, clusters and redraws here, with no server round
 * trip; where the analyst stops, the day, window, zoom, centre and bounds go back to the
 * page through streamlit-folium's component channel (window.Streamlit).
 *
 * Drawing: four canvases in their own panes - control areas and front lines (under),
 * place labels of the basemap, control places (squares) and marks (events as shapes
 * by type and colours by force, clusters with counts). Areas and places change only
 * at control change points, so a step that crosses none redraws the events alone; those
 * of the change points the next step reaches are drawn ahead while the page is idle. Symbols come from
 * geo/maps/symbols.py (options.symbols); nothing here defines a colour or a shape meaning.
 *
 * Data from files is only ever used as values: text goes in with textContent.
 */
(function () {
  "use strict";
  var DAY_MS = 864e5;
  var CELL = 46;                 // cluster grid, px
  var FRAME_MS = 1000 / 12;      // Play: 12 frames per second (the aim is 10: room for a slow frame)
  var COMMIT_MS = 450;           // send the stopped view to the server after this pause
  var AHEAD_KEPT = 3;            // control areas drawn ahead: the change points a step reaches next
  var AHEAD_WAIT_MS = 60;        // ... drawn when the page is idle, or this long after a step
  var STATES_KEPT = 8;           // control states kept: the one shown and those drawn ahead
  var HISTORY_ROWS = 5;          // changes of hands a place's popup lists (the latest)
  var STEPS = [["\u2212month", "month", -1], ["\u2212week", "day", -7], ["\u2212day", "day", -1],
               ["+day", "day", 1], ["+week", "day", 7], ["+month", "month", 1]];
  var SPEEDS = [["day", "1 day per frame", "day", 1], ["week", "1 week per frame", "day", 7],
                ["month", "1 month per frame", "month", 1]];
  var WINDOWS = [["day", "on the day"], ["last", "last N days"], ["upto", "everything up to the day"]];

  // --- days ---------------------------------------------------------------------------
  function isoOf(d) { return new Date(d * DAY_MS).toISOString().slice(0, 10); }
  function dayOf(text) {
    var m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(String(text || ""));
    if (!m) { return null; }
    var y = +m[1], mo = +m[2] - 1, da = +m[3], t = Date.UTC(y, mo, da), dt = new Date(t);
    if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo || dt.getUTCDate() !== da) { return null; }
    return Math.round(t / DAY_MS);
  }
  function addMonths(d, n) {
    var dt = new Date(d * DAY_MS), y = dt.getUTCFullYear(), m = dt.getUTCMonth() + n, day = dt.getUTCDate();
    var last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    return Math.round(Date.UTC(y, m, Math.min(day, last)) / DAY_MS);
  }
  function move(d, unit, count) { return unit === "month" ? addMonths(d, count) : d + count; }
  // Run f while the page is idle, at the latest after ``wait`` ms (f gets the idle
  // deadline; null where the browser has none). A headless or busy page may offer no idle
  // moment for seconds: what is prepared for the next step must not wait that long.
  function idle(f, wait) {
    if (window.requestIdleCallback) { window.requestIdleCallback(f, wait ? {timeout: wait} : undefined); }
    else { setTimeout(function () { f(null); }, wait || 50); }
  }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  // A data file's JSON. The server publishes them gzipped (*.json.gz, served as
  // application/gzip, which the browser does not unpack by itself): unpacked here, with the
  // browser's own DecompressionStream. An exported page's data: URLs are plain JSON.
  function readJson(r) {
    if (!r.ok) { throw new Error("HTTP " + r.status); }
    if (!/gzip/.test(r.headers.get("Content-Type") || "")) { return r.json(); }
    if (typeof DecompressionStream === "undefined") {
      throw new Error("this browser cannot unpack the map data; use a current Chrome, Edge, Firefox or Safari");
    }
    return new Response(r.body.pipeThrough(new DecompressionStream("gzip"))).json();
  }
  function fetchJson(url) { return fetch(url).then(readJson); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  // --- projection (Web Mercator pixels at zoom 0, as Leaflet's) -----------------------
  function mercX(lon) { return (lon + 180) / 360 * 256; }
  function mercY(lat) {
    var s = Math.sin(Math.max(Math.min(lat, 85.0511), -85.0511) * Math.PI / 180);
    return (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * 256;
  }

  // --- shapes ---------------------------------------------------------------------------
  function shapePath(ctx, shape, x, y, r) {
    var i, a;
    if (shape === "triangle") {
      ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.1, y + r * 0.75); ctx.lineTo(x - r * 1.1, y + r * 0.75); ctx.closePath();
    } else if (shape === "diamond") {
      ctx.moveTo(x, y - r * 1.25); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r * 1.25); ctx.lineTo(x - r, y); ctx.closePath();
    } else if (shape === "square") {
      ctx.rect(x - r, y - r, 2 * r, 2 * r);
    } else if (shape === "plus") {
      var w = r * 0.42;
      ctx.moveTo(x - w, y - r); ctx.lineTo(x + w, y - r); ctx.lineTo(x + w, y - w); ctx.lineTo(x + r, y - w);
      ctx.lineTo(x + r, y + w); ctx.lineTo(x + w, y + w); ctx.lineTo(x + w, y + r); ctx.lineTo(x - w, y + r);
      ctx.lineTo(x - w, y + w); ctx.lineTo(x - r, y + w); ctx.lineTo(x - r, y - w); ctx.lineTo(x - w, y - w); ctx.closePath();
    } else if (shape === "pentagon" || shape === "star") {
      var pts = shape === "star" ? 10 : 5;
      for (i = 0; i < pts; i++) {
        a = -Math.PI / 2 + i * 2 * Math.PI / pts;
        var rr = shape === "star" && i % 2 ? r * 0.5 : r * 1.15;
        if (i === 0) { ctx.moveTo(x + rr * Math.cos(a), y + rr * Math.sin(a)); } else { ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a)); }
      }
      ctx.closePath();
    } else {
      ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
  }

  // --- a canvas in its own pane, redrawn after every move -----------------------------
  var Sheet = L.Layer.extend({
    initialize: function (pane, draw) { this._paneName = pane; this._draw = draw; this._spares = []; },
    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", "geo-scrub-canvas");
      this._canvas.style.pointerEvents = "none";
      map.getPane(this._paneName).appendChild(this._canvas);
      map.on("moveend zoomend resize viewreset", this.redraw, this);
      map.on("zoomstart", this._hide, this);
      this.redraw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      this.release();
      map.off("moveend zoomend resize viewreset", this.redraw, this);
      map.off("zoomstart", this._hide, this);
    },
    _hide: function () { this._canvas.style.visibility = "hidden"; },
    redraw: function () {
      var map = this._map;
      if (!map) { return; }
      var size = map.getSize(), ratio = window.devicePixelRatio || 1, c = this._canvas;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(c, topLeft);
      if (c.width !== Math.round(size.x * ratio) || c.height !== Math.round(size.y * ratio)) {
        c.width = Math.round(size.x * ratio); c.height = Math.round(size.y * ratio);
        c.style.width = size.x + "px"; c.style.height = size.y + "px";
      }
      var ctx = c.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      var origin = map.getPixelOrigin().add(topLeft);
      var view = {zoom: map.getZoom(), scale: Math.pow(2, map.getZoom()), ox: origin.x, oy: origin.y,
                  w: size.x, h: size.y, ratio: ratio};
      this._view = view;
      this._draw(ctx, view);
      c.style.visibility = "visible";
    },
    // Redraw only what ``partial(ctx, view)`` says changed, when the canvas still shows
    // the current view (no move, zoom or resize since its last full draw); else redraw.
    update: function (partial) {
      if (this._current() && partial(this._canvas.getContext("2d"), this._view)) { return; }
      this.redraw();
    },
    // The view this canvas was last drawn for, while the map still shows it; else null.
    _current: function () {
      var map = this._map, v = this._view;
      if (!map || !v || this._canvas.style.visibility === "hidden" || v.zoom !== map.getZoom()) { return null; }
      var size = map.getSize(), origin = map.getPixelOrigin().add(map.containerPointToLayerPoint([0, 0]));
      return v.ox === origin.x && v.oy === origin.y && v.w === size.x && v.h === size.y &&
        v.ratio === (window.devicePixelRatio || 1) ? v : null;
    },
    // Drawn ahead: ``draw(ctx, view)`` on a spare canvas of the current view, kept under
    // ``key`` (the most recent AHEAD_KEPT); what a step then shows is copied from it
    // (``ahead``, ``show``) instead of drawn while the analyst waits. Null when the view
    // is not settled (moving, zooming).
    drawAhead: function (key, draw) {
      var v = this._current();
      if (!v) { return null; }
      var spares = this._spares, j = spares.length, got = null;
      while (j-- > 0 && spares[j].key !== key) { /* the same key drawn again */ }
      if (j < 0) { j = spares.length; while (j-- > 0 && spares[j].view === v) { /* one of another view */ } }
      if (j < 0 && spares.length >= AHEAD_KEPT) { j = 0; }                     // the oldest
      if (j >= 0) { got = spares.splice(j, 1)[0]; }
      var c = got ? got.canvas : document.createElement("canvas");
      if (c.width !== this._canvas.width || c.height !== this._canvas.height) {
        c.width = this._canvas.width; c.height = this._canvas.height;
      }
      var ctx = c.getContext("2d");
      ctx.setTransform(v.ratio, 0, 0, v.ratio, 0, 0);
      ctx.clearRect(0, 0, v.w, v.h);
      draw(ctx, v);
      got = {key: key, view: v, canvas: c};
      spares.push(got);
      return got;
    },
    // What was drawn ahead under ``key`` for the view shown now (``v`` when the caller
    // knows it), or null.
    ahead: function (key, v) {
      var spares = this._spares;
      v = v || this._current();
      for (var j = 0; v && j < spares.length; j++) {
        if (spares[j].key === key && spares[j].view === v) { return spares[j]; }
      }
      return null;
    },
    // Show what was drawn ahead: only inside ``rects`` (device pixels; the rest of the
    // canvas already shows the same), or all of it when ``rects`` is null. One copy
    // ("copy": the spare's pixels replace the canvas's, transparent ones included)
    // clipped to the boxes: a few microseconds of script, where a clear and a copy per
    // box took ~4 each.
    show: function (got, rects) {
      var ctx = this._canvas.getContext("2d");
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      if (rects) {
        if (!rects.length) { ctx.restore(); return; }
        ctx.beginPath();
        for (var j = 0; j < rects.length; j++) { var q = rects[j]; ctx.rect(q[0], q[1], q[2] - q[0], q[3] - q[1]); }
        ctx.clip();
      }
      ctx.globalCompositeOperation = "copy";
      ctx.drawImage(got.canvas, 0, 0);
      ctx.restore();
    },
    // Let the spares go (a canvas of the map's size each, 4x at devicePixelRatio 2, and
    // what the caller hung on them) when nothing can ask for them again: another control
    // series (a filter), control off.
    release: function () {
      this._spares.forEach(function (s) { s.canvas.width = 0; s.canvas.height = 0; });
      this._spares = [];
    }
  });

  // --- the plugin -------------------------------------------------------------------------
  function Scrub(map, options) {
    this.map = map;
    this.o = options;
    this.sym = options.symbols;
    this.stats = {frames: 0, lastFrameMs: 0, lastInputAt: 0, lastFrameAt: 0, commits: 0, playFrames: 0,
                  attachAt: performance.now(), loadAt: 0, readyAt: 0};
    this.seq = 0;
    this.ev = null;          // event columns
    this.ctl = null;         // control series
    this.details = null;     // popup details (fetched on the first popup)
    this.view = {day: null, window: "upto", n: 30};
    this.range = [dayOf(options.first), dayOf(options.last)];
    this.playing = false;
    this.speed = "week";
    this.showControl = true;
    this.spider = null;      // spread-out cluster {x, y (world px at zoom 0), members}
    this.hits = [];          // drawn marks for clicks: [x, y, r, kind, ref]
    this.placeHits = [];     // drawn control places, the same way (under the marks)
    this._cellZoom = null;
    map.createPane("geoControl").style.zIndex = 405;
    map.createPane("geoLabels").style.zIndex = 440;
    map.createPane("geoPlaces").style.zIndex = 445;
    map.createPane("geoMarks").style.zIndex = 450;
    var self = this;
    this.under = new Sheet("geoControl", function (ctx, v) { self.drawControl(ctx, v); }).addTo(map);
    this.labels = new Sheet("geoLabels", function (ctx, v) { self.drawLabels(ctx, v); }).addTo(map);
    this.places = new Sheet("geoPlaces", function (ctx, v) { self.drawPlaces(ctx, v); }).addTo(map);
    this.marks = new Sheet("geoMarks", function (ctx, v) { self.drawMarks(ctx, v); }).addTo(map);
    this.buildBar();
    this.buildLegend();
    this.buildInfo();
    map.on("click", this.onClick, this);
    map.on("mousemove", L.Util.throttle(this.onHover, 60, this), this);
    map.on("zoomstart", function () { self.spider = null; });
    map.on("moveend", function () { self.scheduleCommit(); });
    if (options.labels_url) {
      fetchJson(options.labels_url).then(function (data) {
        self.prepareLabels(data); self.labels.redraw();
      }).catch(function (err) { self.say("Place labels could not be loaded: " + err); });
    }
    this.fitFrame();
    window.addEventListener("resize", function () { self.fitFrame(); });
    try { window.parent.addEventListener("resize", function () { self.fitFrame(); }); } catch (e) { /* not same-origin */ }
  }

  // The map fills what is left of the window below it (the iframe cannot know otherwise).
  Scrub.prototype.fitFrame = function () {
    var frame = null, parentH = 0;
    try { frame = window.frameElement; parentH = window.parent.innerHeight; } catch (e) { return; }
    if (!frame || !parentH) { return; }
    var top = frame.getBoundingClientRect().top + (window.parent.scrollY || 0);
    var h = Math.max(this.o.min_height || 420, Math.round(parentH - top - (this.o.bottom_margin || 12)));
    var div = this.map.getContainer();
    if (Math.abs(div.offsetHeight - h) > 2) {
      div.style.height = h + "px";
      this.map.invalidateSize();
    }
    // streamlit-folium sets the frame back to the page's height whenever the data
    // changes: check the frame itself, not only the map inside it.
    if (Math.abs(frame.offsetHeight - h) > 2 && window.Streamlit) {
      window.Streamlit.setFrameHeight(h);
    }
  };

  // --- data -----------------------------------------------------------------------------
  Scrub.prototype.load = function (payload) {
    var self = this;
    this.stats.loadAt = performance.now();
    this.payload = payload;
    this.range = [dayOf(payload.first), dayOf(payload.last)];
    this.dataSpan = payload.data_first ? [dayOf(payload.data_first), dayOf(payload.data_last)] : null;
    var anchor = dayOf(payload.day);
    // New data for the same day (a filter, control ready) keeps what the browser shows;
    // only a day the server itself moved to replaces the analyst's.
    var moved = payload.day !== this.anchorDay && payload.day !== this.sentDay;
    if (this.view.day === null || moved) {
      this.view = {day: anchor, window: payload.window || "upto", n: payload.n || 30};
    }
    this.anchorDay = payload.day;
    this.showControl = !!payload.control_url;
    // Data already here (same file) is kept: when control joins later, only it is fetched.
    var sameEvents = this.ev && this._eventsUrl === payload.events_url;
    var sameControl = this.ctl && this._controlUrl === payload.control_url;
    if (!sameEvents) { this.ev = null; this.ready = false; this._cellZoom = null; }
    if (!sameControl) {
      this.ctl = null;
      this.under.release(); this.places.release();      // drawn ahead for the series gone
    }
    this.spider = null;
    this.syncBar();
    function fail(err) { self.say("The map data could not be loaded (" + err + "); reload the page."); }
    function drawn() {
      if (self.payload !== payload) { return; }
      self.fillLegend();
      self.render();
      setTimeout(function () { self.fitFrame(); }, 50);
    }
    if (!sameEvents) {
      this.info.textContent = "Loading\u2026";
      var events = payload.events_url ? fetchJson(payload.events_url) : Promise.resolve(null);
      events.then(function (data) {
        if (self.payload !== payload) { return; }
        self.prepareEvents(data);
        self._eventsUrl = payload.events_url;
        self.ready = true;                     // events first; control joins when it comes
        self.stats.readyAt = performance.now();
        drawn();
        self.say(payload.message || "");
      }).catch(fail);
    } else { drawn(); }
    if (payload.control_url && !sameControl) {
      fetchJson(payload.control_url).then(function (data) {
        if (self.payload !== payload) { return; }
        self.prepareControl(data);
        self._controlUrl = payload.control_url;
        self.stats.controlAt = performance.now();
        drawn();
      }).catch(fail);
    }
    setTimeout(function () { self.fitFrame(); }, 0);
  };

  Scrub.prototype.prepareEvents = function (d) {
    var n = d ? d.lon.length : 0, i;
    var ev = {n: n, x: new Float64Array(n), y: new Float64Array(n),
              lo: new Float64Array(n), hi: new Float64Array(n), force: new Int16Array(n),
              type: new Int8Array(n), flags: new Uint8Array(n), forces: d ? d.forces : [],
              types: d ? d.types : [], slot: new Int32Array(n),
              lat: new Float64Array(n), lon: new Float64Array(n)};
    for (i = 0; i < n; i++) {
      ev.lon[i] = d.lon[i]; ev.lat[i] = d.lat[i];
      ev.x[i] = mercX(d.lon[i]); ev.y[i] = mercY(d.lat[i]);
      ev.lo[i] = d.lo[i] === null ? -Infinity : d.lo[i];
      ev.hi[i] = d.hi[i] === null ? Infinity : d.hi[i];
      ev.force[i] = d.force[i]; ev.type[i] = d.type[i]; ev.flags[i] = d.flags[i];
    }
    var sym = this.sym;
    var seen = {};
    for (i = 0; i < n; i++) { if (ev.force[i] >= 0) { seen[ev.forces[ev.force[i]]] = true; } }
    ev.present = Object.keys(seen);
    ev.colour = ev.forces.map(function (f) { return (sym.forces[f] || {}).colour || sym.unknown_colour; });
    ev.shape = ev.types.map(function (t) { return sym.event_shapes[t] || sym.other_shape; });
    // The events in order of their first and of their last day: a step moves the window's
    // edges along these, so it touches only the events that enter or leave.
    ev.byLo = sortedBy(ev.lo); ev.loSorted = pick(ev.lo, ev.byLo);
    ev.byHi = sortedBy(ev.hi); ev.hiSorted = pick(ev.hi, ev.byHi);
    this.ev = ev;
    this.win = null;
  };

  function sortedBy(values) {
    var order = new Int32Array(values.length);
    for (var i = 0; i < order.length; i++) { order[i] = i; }
    order.sort(function (a, b) { return values[a] - values[b] || a - b; });
    return order;
  }
  function pick(values, order) {
    var out = new Float64Array(order.length);
    for (var i = 0; i < order.length; i++) { out[i] = values[order[i]]; }
    return out;
  }
  // First position whose value is > x (sorted ascending).
  function after(sorted, x) {
    var lo = 0, hi = sorted.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (sorted[mid] <= x) { lo = mid + 1; } else { hi = mid; } }
    return lo;
  }
  // First position whose value is >= x.
  function atOrAfter(sorted, x) {
    var lo = 0, hi = sorted.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (sorted[mid] < x) { lo = mid + 1; } else { hi = mid; } }
    return lo;
  }

  Scrub.prototype.prepareControl = function (s) {
    var P = s.places.length, C = s.dates.length, i, p;
    var ctl = {s: s, P: P, dates: s.dates.map(dayOf), x: new Float64Array(P), y: new Float64Array(P),
               hostile: {}, epochs: [], checkpoints: [], states: new Map(),
               ox: 0, oy: 0, layers: null, forcePaths: {}};
    for (p = 0; p < P; p++) { ctl.x[p] = mercX(s.places[p].lon); ctl.y[p] = mercY(s.places[p].lat); }
    // Areas and fronts are kept in world pixels at zoom 0 relative to a local origin
    // (float32 stays exact at any zoom for small numbers) and drawn from Path2D objects
    // under a transform, so a frame never walks their vertices in script (see shapesOf).
    if (P) { ctl.ox = ctl.x[0]; ctl.oy = ctl.y[0]; }
    s.hostile.forEach(function (h) { ctl.hostile[h[0] + "|" + h[1]] = true; ctl.hostile[h[1] + "|" + h[0]] = true; });
    function flat(coords) {
      var a = new Float32Array(coords.length * 2);
      for (var k = 0; k < coords.length; k++) { a[2 * k] = mercX(coords[k][0]) - ctl.ox; a[2 * k + 1] = mercY(coords[k][1]) - ctl.oy; }
      return a;
    }
    function box(parts) {
      var b = [Infinity, Infinity, -Infinity, -Infinity];
      parts.forEach(function (a) {
        for (var k = 0; k < a.length; k += 2) {
          if (a[k] < b[0]) { b[0] = a[k]; } if (a[k] > b[2]) { b[2] = a[k]; }
          if (a[k + 1] < b[1]) { b[1] = a[k + 1]; } if (a[k + 1] > b[3]) { b[3] = a[k + 1]; }
        }
      });
      return b;
    }
    function rings(geom) {
      var out = [], polys = geom.type === "Polygon" ? [geom.coordinates] :
        geom.type === "MultiPolygon" ? geom.coordinates : [];
      polys.forEach(function (poly) { poly.forEach(function (ring) { out.push(flat(ring)); }); });
      return out;
    }
    function lines(geom) {
      return (geom.type === "LineString" ? [geom.coordinates] :
        geom.type === "MultiLineString" ? geom.coordinates : []).map(flat);
    }
    s.epochs.forEach(function (ep, e) {
      var catch_ = {}, cbox = {};
      Object.keys(ep.catchments).forEach(function (k) { catch_[k] = rings(ep.catchments[k]); cbox[k] = box(catch_[k]); });
      var borders = ep.borders.map(function (b) { return [b[0], b[1], lines(b[2])]; });
      var bbox = borders.map(function (b) { return box(b[2]); }), touching = {};
      borders.forEach(function (b, j) { (touching[b[0]] = touching[b[0]] || []).push(j); (touching[b[1]] = touching[b[1]] || []).push(j); });
      ctl.epochs.push({id: e, catchments: catch_, cbox: cbox, borders: borders, bbox: bbox, touching: touching});
    });
    s.epochs = null;               // the GeoJSON itself is not needed again: let it go
    ctl.shapes = new Map();
    // The desert a force holds between its towns: blocks of land (the same at every
    // epoch) and who holds each at every change point. A block's holder lives in the
    // state after the places' (index P + block), so snapshots and replays carry both.
    var desert = s.desert || {blocks: [], km2: [], changes: []};
    ctl.B = desert.blocks.length;
    ctl.desert = desert.blocks.map(rings);
    ctl.dbox = ctl.desert.map(box);
    ctl.dkm2 = desert.km2;
    ctl.dchanges = desert.changes;
    ctl.dshapes = new Map();
    s.desert = null;
    // Snapshots every 16 change points; a state is a snapshot plus at most 15 replays.
    var state = new Array(P + ctl.B).fill(null);
    for (i = 0; i < C; i++) {
      applyChanges(ctl, state, i);
      if (i % 16 === 0) { ctl.checkpoints.push(state.slice()); }
    }
    this.ctl = ctl;
  };

  // The changes of change point i applied to a state: places (their index), desert
  // blocks (after the places).
  function applyChanges(ctl, state, i) {
    var ch = ctl.s.states[i].changes, key, has = Object.prototype.hasOwnProperty;
    for (key in ch) { if (has.call(ch, key)) { state[+key] = ch[key]; } }
    var dch = ctl.dchanges[i];
    if (dch) { for (key in dch) { if (has.call(dch, key)) { state[ctl.P + (+key)] = dch[key]; } } }
  }

  // The control state on a day: that of the last change point on or before it, or null.
  Scrub.prototype.controlAt = function (day) {
    return this.ctl ? this.stateAt(this.changePointOf(day)) : null;
  };

  // The index of the last change point on or before a day (-1 before the first).
  Scrub.prototype.changePointOf = function (day) {
    var dates = this.ctl.dates, lo = 0, hi = dates.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (dates[mid] <= day) { lo = mid + 1; } else { hi = mid; } }
    return lo - 1;
  };

  // The state at change point i (a snapshot plus at most 15 replays), kept for the most
  // recent STATES_KEPT: the one shown and those drawn ahead of a step.
  Scrub.prototype.stateAt = function (i) {
    var ctl = this.ctl;
    if (i < 0 || i >= ctl.dates.length) { return null; }
    var out = ctl.states.get(i);
    if (out) { ctl.states.delete(i); ctl.states.set(i, out); return out; }     // most recent last
    var c = i >> 4, state = ctl.checkpoints[c].slice();
    for (var j = c * 16 + 1; j <= i; j++) { applyChanges(ctl, state, j); }
    out = {i: i, state: state, epoch: ctl.epochs[ctl.s.states[i].epoch] || ctl.epochs[0]};
    ctl.states.set(i, out);
    if (ctl.states.size > STATES_KEPT) { ctl.states.delete(ctl.states.keys().next().value); }
    return out;
  };

  // --- the window and the events in it -------------------------------------------------------
  Scrub.prototype.windowOf = function () {
    var v = this.view;
    if (v.window === "day") { return [v.day, v.day]; }
    if (v.window === "last") { return [v.day - Math.max(1, v.n) + 1, v.day]; }
    return [-Infinity, v.day];
  };

  // Cluster cells of one zoom: each event's cell, and the events of each cell (to list a
  // cluster's members on a click). Rebuilt on a zoom change only.
  Scrub.prototype.assignCells = function (zoom) {
    var ev = this.ev, scale = Math.pow(2, zoom) / CELL, keys = new Map(), i, k;
    for (i = 0; i < ev.n; i++) {
      k = Math.floor(ev.x[i] * scale) * 1048576 + Math.floor(ev.y[i] * scale);
      var s = keys.get(k);
      if (s === undefined) { s = keys.size; keys.set(k, s); }
      ev.slot[i] = s;
    }
    var m = keys.size, start = new Int32Array(m + 1), members = new Int32Array(ev.n);
    for (i = 0; i < ev.n; i++) { start[ev.slot[i] + 1] += 1; }
    for (k = 0; k < m; k++) { start[k + 1] += start[k]; }
    var fill = start.slice(0, m);
    for (i = 0; i < ev.n; i++) { members[fill[ev.slot[i]]++] = i; }
    ev.cells = {m: m, start: start, members: members};
    this._cellZoom = zoom;
    this.win = null;
  };

  // What the window holds, kept per cell: count, coordinate sums, sum of event indices (the
  // event itself when the count is 1), counts by force; and the list of non-empty cells.
  Scrub.prototype.emptyWindow = function () {
    var m = this.ev.cells.m, F = this.ev.forces.length + 1;
    this.win = {from: -Infinity, to: -Infinity, shown: 0, F: F,
                count: new Int32Array(m), sx: new Float64Array(m), sy: new Float64Array(m),
                sumIdx: new Float64Array(m), byForce: new Int32Array(m * F),
                active: new Int32Array(m), pos: new Int32Array(m).fill(-1), nActive: 0};
  };

  Scrub.prototype.enter = function (i) {
    var w = this.win, ev = this.ev, c = ev.slot[i];
    if (w.count[c] === 0) { w.pos[c] = w.nActive; w.active[w.nActive++] = c; }
    w.count[c] += 1; w.sx[c] += ev.x[i]; w.sy[c] += ev.y[i]; w.sumIdx[c] += i;
    w.byForce[c * w.F + ev.force[i] + 1] += 1;
    w.shown += 1;
  };

  Scrub.prototype.leave = function (i) {
    var w = this.win, ev = this.ev, c = ev.slot[i];
    w.count[c] -= 1; w.sx[c] -= ev.x[i]; w.sy[c] -= ev.y[i]; w.sumIdx[c] -= i;
    w.byForce[c * w.F + ev.force[i] + 1] -= 1;
    w.shown -= 1;
    if (w.count[c] === 0) {
      w.sx[c] = 0; w.sy[c] = 0; w.sumIdx[c] = 0;        // no rounding left behind
      var p = w.pos[c], last = w.active[--w.nActive];
      w.active[p] = last; w.pos[last] = p; w.pos[c] = -1;
    }
  };

  // Move the window to [from, to] (days; -Infinity for "everything up to"). An event is in
  // it when lo <= to and hi >= from: the two edges are moved one after the other along the
  // events sorted by lo and by hi, so a step costs the events that cross an edge. A jump
  // that would touch more events than the window holds is refilled from scratch.
  Scrub.prototype.moveWindow = function (from, to) {
    var ev = this.ev, w = this.win, j, i, a, b;
    if (w && w.from === from && w.to === to) { return; }
    var work = Infinity;
    if (w) {
      work = Math.abs(after(ev.loSorted, to) - after(ev.loSorted, w.to)) +
             Math.abs(atOrAfter(ev.hiSorted, from) - atOrAfter(ev.hiSorted, w.from));
    }
    if (work > ev.n / 2) {
      this.emptyWindow();
      w = this.win;
      a = after(ev.loSorted, to);
      for (j = 0; j < a; j++) { i = ev.byLo[j]; if (ev.hi[i] >= from) { this.enter(i); } }
      w.from = from; w.to = to;
      return;
    }
    // Upper edge, the lower one where it was.
    a = after(ev.loSorted, w.to); b = after(ev.loSorted, to);
    for (j = a; j < b; j++) { i = ev.byLo[j]; if (ev.hi[i] >= w.from) { this.enter(i); } }
    for (j = b; j < a; j++) { i = ev.byLo[j]; if (ev.hi[i] >= w.from) { this.leave(i); } }
    w.to = to;
    // Lower edge, against the new upper one.
    a = atOrAfter(ev.hiSorted, w.from); b = atOrAfter(ev.hiSorted, from);
    for (j = a; j < b; j++) { i = ev.byHi[j]; if (ev.lo[i] <= to) { this.leave(i); } }
    for (j = b; j < a; j++) { i = ev.byHi[j]; if (ev.lo[i] <= to) { this.enter(i); } }
    w.from = from;
  };

  // The events of a cell inside the window (a cluster's members), on demand.
  Scrub.prototype.membersOf = function (cell) {
    var ev = this.ev, c = ev.cells, w = this.win, out = [];
    for (var j = c.start[cell]; j < c.start[cell + 1]; j++) {
      var i = c.members[j];
      if (ev.lo[i] <= w.to && ev.hi[i] >= w.from) { out.push(i); }
    }
    return out;
  };

  // --- one frame ------------------------------------------------------------------------------
  Scrub.prototype.render = function () {
    if (!this.ready) { return; }
    var t0 = performance.now();
    // Areas and fronts change only at control change points: redraw them only then (a
    // move or zoom redraws them anyway).
    var at = this.showControl && this.ctl ? this.controlAt(this.view.day) : null;
    var i = at ? at.i : -1, url = this.ctl ? this._controlUrl : "", u = this._underOf;
    if (!u || u.i !== i || u.show !== this.showControl || u.url !== url) {
      var self = this, partial = !!u && u.show === this.showControl && u.url === url;
      this._underOf = {i: i, show: this.showControl, url: url};
      if (partial) {
        this.under.update(function (ctx, v) { return self.updateControl(ctx, v); });
        this.places.update(function (ctx, v) { return self.updatePlaces(ctx, v); });
      } else { this.under.redraw(); this.places.redraw(); }
    }
    this.marks.redraw();
    this.updateInfo();
    if (at) { this.scheduleAhead(); }
    this.drawnDay = this.view.day;
    this.stats.frames += 1;
    this.stats.lastFrameAt = performance.now();
    this.stats.lastFrameMs = this.stats.lastFrameAt - t0;
  };

  // Draw at once when idle (a key press shows in the next paint); while inputs stream in
  // (a drag), draw once per animation frame with the latest day.
  Scrub.prototype.requestRender = function () {
    var self = this;
    if (this._raf) { return; }
    if (performance.now() - this.stats.lastFrameAt > 40) { this.render(); return; }
    this._raf = requestAnimationFrame(function () { self._raf = null; self.render(); });
  };

  Scrub.prototype.drawControl = function (ctx, v) {
    if (this.ctl) { this.ctl.shown = null; }
    if (!this.ready || !this.showControl || !this.ctl) { return; }
    var at = this.controlAt(this.view.day);
    if (!at) { return; }
    var lod = lodOf(v.zoom);
    this.paintControl(ctx, v, this.controlLayers(at, lod, this.ctl));
    this.ctl.shown = this.shownAt(at, lod);
    this.prepareNeighbours(at.epoch.id, lod);
    this.scheduleAhead();
  };

  // What the area canvas shows for a change point: its index, epoch and level of detail,
  // who holds each place (held or besieged) and each desert block.
  Scrub.prototype.shownAt = function (at, lod) {
    return {i: at.i, epoch: at.epoch.id, lod: lod, holders: holdersOf(at.state, this.ctl.P),
            desert: desertOf(at.state, this.ctl)};
  };

  // The epochs before and after the one shown, at this level of detail, built while the
  // page is idle: a step or Play frame into them then finds their shapes ready.
  Scrub.prototype.prepareNeighbours = function (id, lod) {
    var self = this, ctl = this.ctl;
    [id + 1, id - 1].forEach(function (e) {
      if (e < 0 || e >= ctl.epochs.length || ctl.shapes.has(e + ":" + lod)) { return; }
      idle(function () { if (self.ctl === ctl) { self.shapesOf(ctl.epochs[e], lod); } });
    });
  };

  // --- control drawn ahead of a step -----------------------------------------------------
  // With a change point on almost every day (100,000 generated events), building and
  // filling the changed areas while the analyst waits made a step with control on ~2 ms
  // slower than with it off (issue #12 asks for no difference). So while the page is idle
  // the change points the next step can reach (a day either side; the next Play frame)
  // are drawn on spare canvases of the view shown (Sheet.drawAhead), with the boxes in
  // which they differ from what is shown; a step into one copies those boxes (or, from
  // another change point, the whole canvas: ~0.4 ms) instead of drawing. A move or zoom
  // makes them stale (the next idle moment draws them again); a step that finds none
  // ready draws as before (updateControl's boxes, or everything).
  Scrub.prototype.scheduleAhead = function () {
    var self = this;
    if (this._aheadPending || !this.ctl || !this.showControl) { return; }
    this._aheadPending = true;
    idle(function (deadline) { self._aheadPending = false; self.drawControlAhead(deadline); }, AHEAD_WAIT_MS);
  };

  // The change points the next step can reach from the day shown, nearest first: a day
  // either side, or while playing the next Play frame's (a pause asks for the others).
  Scrub.prototype.aheadTargets = function () {
    var self = this, day = this.view.day, days = [day + 1, day - 1], out = [], shown = this.ctl.shown;
    if (this.playing) {
      var s = SPEEDS.filter(function (x) { return x[0] === self.speed; })[0] || SPEEDS[0];
      days = [move(day, s[2], s[3])];
    }
    days.forEach(function (d) {
      var i = self.changePointOf(d);
      if (i >= 0 && i !== shown.i && out.indexOf(i) < 0) { out.push(i); }
    });
    return out;
  };

  // What a sheet drew ahead for change point i of the control series shown, in the view
  // shown (``v`` when the caller knows it), or null.
  Scrub.prototype.aheadOf = function (sheet, i, v) {
    var got = sheet.ahead(i, v);
    return got && got.ctl === this.ctl ? got : null;
  };

  // Draw one change point ahead per idle moment long enough for it (the last one took
  // ``aheadMs``), then ask for the next moment while some are left. What was drawn ahead
  // from another change point than the one shown now (the day jumped: a week, a typed
  // date, a drag) gets the boxes in which it differs from what is shown now (cheap), so
  // a step into it still copies boxes, not the whole canvas. A drag asks again when it
  // ends (its days are not steps).
  Scrub.prototype.drawControlAhead = function (deadline) {
    var self = this, ctl = this.ctl, shown = ctl && ctl.shown;
    if (!shown || !this.ready || !this.showControl || this.dragging) { return; }
    var squares = this._placesShown, withSquares = !!(squares && squares.ctl === ctl);
    var todo = this.aheadTargets().filter(function (i) {
      var got = self.aheadOf(self.under, i), pgot = withSquares && self.aheadOf(self.places, i);
      if (got && got.from !== shown.i) { self.rebase(got, shown, null); self.stats.aheadRebased = (self.stats.aheadRebased || 0) + 1; }
      if (pgot && pgot.from !== squares.i) { self.rebase(pgot, null, squares); }
      return !got || (withSquares && !pgot);
    });
    if (!todo.length) { return; }
    if (deadline && !deadline.didTimeout && deadline.timeRemaining() < Math.min(40, ctl.aheadMs || 8)) {
      this.scheduleAhead();
      return;
    }
    var t0 = performance.now(), at = this.stateAt(todo[0]);
    if (!this.aheadOf(this.under, at.i)) {
      // Where it differs from what is shown only in a few boxes (same epoch and level of
      // detail), the spare is what is shown with those boxes repainted: the raster of a
      // few boxes instead of every area of the map (a full draw rasterised ~10 ms per
      // change point at 100,000 events, competing with the next step for the CPU).
      var v0 = this.under._current(), next = v0 && this.shownAt(at, lodOf(v0.zoom));
      var rects = next && this.changedRects(shown, next, v0), live = this.under._canvas;
      var memo = ctl.ahead = ctl.ahead || {layers: null, forcePaths: {}};
      var got = this.under.drawAhead(at.i, rects ? function (ctx, v) {
        ctx.save();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.globalCompositeOperation = "copy";
        ctx.drawImage(live, 0, 0);
        ctx.restore();
        if (rects.length) { self.paintBoxes(ctx, v, at, next, rects); }
      } : function (ctx, v) { self.paintControl(ctx, v, self.controlLayers(at, lodOf(v.zoom), memo)); });
      if (!got) { return; }                   // the view is moving: drawn when it settles
      got.ctl = ctl;
      if (rects) { got.shown = next; got.from = shown.i; got.rects = rects; this.stats.aheadBoxes = (this.stats.aheadBoxes || 0) + 1; }
      else { got.shown = this.shownAt(at, lodOf(got.view.zoom)); this.rebase(got, shown, null); }
    }
    if (withSquares && !this.aheadOf(this.places, at.i)) {
      var hits = null;
      var pgot = this.places.drawAhead(at.i, function (ctx, v) { hits = self.paintPlaces(ctx, v, at); });
      if (!pgot) { return; }
      pgot.ctl = ctl;
      pgot.hits = hits;
      pgot.state = at.state;
      this.rebase(pgot, null, squares);
    }
    ctl.aheadMs = performance.now() - t0;
    this.stats.aheadDrawn = (this.stats.aheadDrawn || 0) + 1;
    if (todo.length > 1) { this.scheduleAhead(); }
  };

  // The boxes (device pixels) in which what was drawn ahead differs from what its sheet
  // shows: the areas from ``shown`` (ctl.shown), or the squares from ``squares``
  // (_placesShown); null (copy it whole) when they cannot be compared.
  Scrub.prototype.rebase = function (got, shown, squares) {
    if (shown) {
      got.from = shown.i;
      got.rects = this.changedRects(shown, got.shown, got.view);
    } else {
      var rects = this.placeRects(squares.state, got.state, got.view);
      got.from = squares.i;
      got.rects = rects && deviceRects(rects, got.view);
    }
  };

  Scrub.prototype.paintControl = function (ctx, v, layers) {
    var sym = this.sym, ctl = this.ctl, k = v.scale * v.ratio;
    ctx.setTransform(k, 0, 0, k, (ctl.ox * v.scale - v.ox) * v.ratio, (ctl.oy * v.scale - v.oy) * v.ratio);
    ctx.globalAlpha = sym.area_opacity;
    layers.areas.forEach(function (a) {
      ctx.fillStyle = (sym.forces[a[0]] || {}).colour || sym.unknown_colour;
      ctx.fill(a[1], "evenodd");
    });
    ctx.globalAlpha = 1;
    if (layers.front) {
      ctx.lineJoin = "round"; ctx.lineCap = "round";
      ctx.strokeStyle = sym.front.casing; ctx.lineWidth = (sym.front.weight + 3) / v.scale; ctx.stroke(layers.front);
      ctx.strokeStyle = sym.front.colour; ctx.lineWidth = sym.front.weight / v.scale; ctx.stroke(layers.front);
    }
    ctx.setTransform(v.ratio, 0, 0, v.ratio, 0, 0);
  };

  // Who holds each place for the areas and fronts (held or besieged), or null.
  function holdersOf(state, P) {
    var out = new Array(P);
    for (var p = 0; p < P; p++) {
      var s = state[p];
      out[p] = s && s[1] && (s[0] === 0 || s[0] === 2) ? s[1] : null;
    }
    return out;
  }

  // Who holds each desert block, or null.
  function desertOf(state, ctl) {
    var out = new Array(ctl.B);
    for (var b = 0; b < ctl.B; b++) { out[b] = state[ctl.P + b] || null; }
    return out;
  }

  // Half a front line's casing and a little more (screen pixels): what a box around a
  // changed area grows by so its front is redrawn whole.
  Scrub.prototype.frontMargin = function () { return (this.sym.front.weight + 3) / 2 + 2; };

  // The boxes (device pixels of view v) in which the area canvas differs between two
  // change points of the same epoch and level of detail (``shownAt``): around each place
  // whose holder changed (its catchment and fronts) and each desert block that changed
  // hands. Null when they cannot be compared or the boxes are not worth it (more than 32,
  // or over half the map).
  Scrub.prototype.changedRects = function (from, to, v) {
    if (from.epoch !== to.epoch || from.lod !== to.lod) { return null; }
    var ctl = this.ctl, ep = ctl.epochs[to.epoch], r = v.ratio, W = v.w * r, H = v.h * r;
    var margin = this.frontMargin(), rects = [], area = 0, p, b;
    function dev(x, s2, o) { return ((x + o) * v.scale - s2) * r; }
    function dirty(bb) {
      var x0 = Math.max(0, Math.floor(dev(bb[0], v.ox, ctl.ox) - margin * r));
      var y0 = Math.max(0, Math.floor(dev(bb[1], v.oy, ctl.oy) - margin * r));
      var x1 = Math.min(W, Math.ceil(dev(bb[2], v.ox, ctl.ox) + margin * r));
      var y1 = Math.min(H, Math.ceil(dev(bb[3], v.oy, ctl.oy) + margin * r));
      if (x1 <= x0 || y1 <= y0) { return; }                          // off screen
      rects.push([x0, y0, x1, y1]); area += (x1 - x0) * (y1 - y0);
    }
    for (p = 0; p < ctl.P; p++) {
      if (to.holders[p] === from.holders[p]) { continue; }
      b = ep.cbox[p] ? ep.cbox[p].slice() : [Infinity, Infinity, -Infinity, -Infinity];
      (ep.touching[p] || []).forEach(function (j) {          // its fronts, with its area
        var q = ep.bbox[j];
        b = [Math.min(b[0], q[0]), Math.min(b[1], q[1]), Math.max(b[2], q[2]), Math.max(b[3], q[3])];
      });
      if (b[0] <= b[2]) { dirty(b); }
    }
    for (b = 0; b < ctl.B; b++) {                            // desert that changed hands
      if (to.desert[b] !== from.desert[b] && ctl.dbox[b][0] <= ctl.dbox[b][2]) { dirty(ctl.dbox[b]); }
    }
    return rects.length > 32 || area > W * H / 2 ? null : rects;
  };

  // A step across a change point, the view unchanged: show what was drawn ahead for it,
  // or else redraw only the boxes around the places whose holder changed (their
  // catchments and the fronts along them), clipped, from the catchments and borders that
  // reach into those boxes. False when that is not possible or not worth it (another
  // epoch or level of detail, boxes over half the map): the caller redraws everything.
  Scrub.prototype.updateControl = function (ctx, v) {
    var ctl = this.ctl, shown = ctl && ctl.shown;
    if (!shown || !this.ready || !this.showControl) { return false; }
    var at = this.controlAt(this.view.day);
    if (!at) { return false; }
    var got = this.aheadOf(this.under, at.i, v);
    if (got) {
      var boxes = got.from === shown.i ? got.rects : null;
      if (!boxes) { this.stats.aheadWhole = (this.stats.aheadWhole || 0) + 1; }   // copied whole
      this.under.show(got, boxes);
      ctl.shown = got.shown;
      this.stats.partialControl = (this.stats.partialControl || 0) + 1;
      this.stats.aheadShown = (this.stats.aheadShown || 0) + 1;
      return true;
    }
    var next = this.shownAt(at, lodOf(v.zoom)), rects = this.changedRects(shown, next, v);
    if (!rects) { return false; }
    ctl.shown = next;
    this.stats.partialControl = (this.stats.partialControl || 0) + 1;
    if (rects.length) { this.paintBoxes(ctx, v, at, next, rects); }
    return true;
  };

  // Repaint the boxes ``rects`` (device pixels of view v, from changedRects) of an area
  // canvas that shows another change point of the same epoch and level of detail, so it
  // shows change point ``at`` (``next``: its shownAt): cleared, then the catchments,
  // desert and fronts that reach into them, clipped.
  Scrub.prototype.paintBoxes = function (ctx, v, at, next, rects) {
    var ctl = this.ctl, ep = at.epoch, lod = next.lod, holders = next.holders, desert = next.desert, r = v.ratio;
    var margin = this.frontMargin();
    // The boxes in world pixels (local origin), grown by a front's half width, to pick
    // the shapes whose fill or stroke reaches into them.
    var wr = rects.map(function (q) {
      return [(q[0] / r - margin + v.ox) / v.scale - ctl.ox, (q[1] / r - margin + v.oy) / v.scale - ctl.oy,
              (q[2] / r + margin + v.ox) / v.scale - ctl.ox, (q[3] / r + margin + v.oy) / v.scale - ctl.oy];
    });
    function reaches(bb) {
      for (var j = 0; j < wr.length; j++) {
        var q = wr[j];
        if (bb[0] <= q[2] && bb[2] >= q[0] && bb[1] <= q[3] && bb[3] >= q[1]) { return true; }
      }
      return false;
    }
    var shapes = this.shapesOf(ep, lod), byForce = {}, areas = [], front = null, hostile = ctl.hostile, k, f;
    for (k in ep.catchments) {
      f = holders[+k];
      if (f && reaches(ep.cbox[k])) { (byForce[f] = byForce[f] || new Path2D()).addPath(shapes.catchments[k]); }
    }
    var dshapes = this.desertShapes(lod);
    for (k = 0; k < ctl.B; k++) {
      f = desert[k];
      if (f && reaches(ctl.dbox[k])) { (byForce[f] = byForce[f] || new Path2D()).addPath(dshapes[k]); }
    }
    for (f in byForce) { areas.push([f, byForce[f]]); }
    ep.borders.forEach(function (bd, j) {
      var a = holders[bd[0]], c = holders[bd[1]];
      if (a && c && hostile[a + "|" + c] && reaches(ep.bbox[j])) { (front = front || new Path2D()).addPath(shapes.borders[j]); }
    });
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.beginPath();
    rects.forEach(function (q) { ctx.rect(q[0], q[1], q[2] - q[0], q[3] - q[1]); ctx.clearRect(q[0], q[1], q[2] - q[0], q[3] - q[1]); });
    ctx.clip();
    this.paintControl(ctx, v, {areas: areas, front: front});
    ctx.restore();
    ctx.setTransform(r, 0, 0, r, 0, 0);
  };

  // Level of detail of the control shapes for a zoom: below DETAIL_ZOOM their vertices
  // are snapped to a grid of one screen pixel at that zoom (consecutive repeats dropped).
  // Snapping is the same for a vertex wherever it appears, so neighbouring catchments and
  // the front lines along them stay exactly joined (no seams), and the canvas rasterises
  // a few thousand edges at a theatre-wide zoom instead of tens of thousands.
  var DETAIL_ZOOM = 10;
  function lodOf(zoom) { return Math.max(0, Math.min(DETAIL_ZOOM, Math.round(zoom))); }

  function addShape(path, a, close, grid) {
    var n = a.length / 2, xs = [], ys = [], px = NaN, py = NaN, k, x, y;
    for (k = 0; k < n; k++) {
      x = a[2 * k]; y = a[2 * k + 1];
      if (grid) { x = Math.round(x * grid) / grid; y = Math.round(y * grid) / grid; }
      if (x === px && y === py) { continue; }
      xs.push(x); ys.push(y); px = x; py = y;
    }
    if (close && xs.length > 1 && xs[0] === px && ys[0] === py) { xs.pop(); ys.pop(); }
    if (xs.length < (close ? 3 : 2)) { return; }
    path.moveTo(xs[0], ys[0]);
    for (k = 1; k < xs.length; k++) { path.lineTo(xs[k], ys[k]); }
    if (close) { path.closePath(); }
  }

  // An epoch's catchments and borders as Path2D at a level of detail, built on first use
  // (a few milliseconds) and kept for the most recent few.
  Scrub.prototype.shapesOf = function (ep, lod) {
    var shapes = this.ctl.shapes, key = ep.id + ":" + lod, got = shapes.get(key);
    if (got) { shapes.delete(key); shapes.set(key, got); return got; }     // most recent last
    var grid = lod < DETAIL_ZOOM ? Math.pow(2, lod) : 0, catch_ = {}, k;
    for (k in ep.catchments) {
      var one = new Path2D();
      ep.catchments[k].forEach(function (ring) { addShape(one, ring, true, grid); });
      catch_[k] = one;
    }
    var borders = ep.borders.map(function (b) {
      var line = new Path2D();
      b[2].forEach(function (part) { addShape(line, part, false, grid); });
      return line;
    });
    got = {catchments: catch_, borders: borders};
    shapes.set(key, got);
    if (shapes.size > 48) { shapes.delete(shapes.keys().next().value); }
    return got;
  };

  // The desert blocks as Path2D at a level of detail (the same blocks at every epoch),
  // built on first use and kept per level of detail.
  Scrub.prototype.desertShapes = function (lod) {
    var ctl = this.ctl, got = ctl.dshapes.get(lod);
    if (got) { return got; }
    var grid = lod < DETAIL_ZOOM ? Math.pow(2, lod) : 0;
    got = ctl.desert.map(function (parts) {
      var one = new Path2D();
      parts.forEach(function (ring) { addShape(one, ring, true, grid); });
      return one;
    });
    ctl.dshapes.set(lod, got);
    return got;
  };

  // What a change point shades, by force: the places whose catchments are its land
  // (held or besieged) and the desert blocks it holds.
  Scrub.prototype.membersAt = function (at) {
    var ctl = this.ctl, st = at.state, out = {}, k, s, f;
    for (k in at.epoch.catchments) {
      s = st[+k];
      if (!s || !s[1] || (s[0] !== 0 && s[0] !== 2)) { continue; }   // held or besieged
      (out[s[1]] = out[s[1]] || {places: [], desert: []}).places.push(k);
    }
    for (k = 0; k < ctl.B; k++) {
      f = st[ctl.P + k];
      if (f) { (out[f] = out[f] || {places: [], desert: []}).desert.push(k); }
    }
    return out;
  };

  // The areas (one path per force: its held or besieged places' catchments) and the front
  // (borders between places held by hostile forces) at a change point and level of detail.
  // Built when the day crosses a change point; a force whose places did not change keeps
  // its path. ``memo`` keeps the last ones built ({layers, forcePaths}): the control
  // series for what is shown, its own for what is drawn ahead.
  Scrub.prototype.controlLayers = function (at, lod, memo) {
    var ctl = this.ctl, key = at.i + "|" + at.epoch.id + "|" + lod;
    if (memo.layers && memo.layers.key === key) { return memo.layers; }
    var st = at.state, ep = at.epoch, shapes = this.shapesOf(ep, lod), f;
    var byForce = this.membersAt(at), dshapes = ctl.B ? this.desertShapes(lod) : [];
    var areas = [], kept = {};
    for (f in byForce) {
      var m = byForce[f], sig = ep.id + ":" + lod + ":" + m.places.join(",") + "|" + m.desert.join(","), old = memo.forcePaths[f];
      if (!old || old.sig !== sig) {
        var one = new Path2D();
        m.places.forEach(function (key2) { one.addPath(shapes.catchments[key2]); });
        m.desert.forEach(function (b) { one.addPath(dshapes[b]); });
        old = {sig: sig, path: one};
      }
      kept[f] = old;
      areas.push([f, old.path]);
    }
    memo.forcePaths = kept;
    var hostile = ctl.hostile, front = null;
    ep.borders.forEach(function (b, j) {
      var a = st[b[0]], c = st[b[1]];
      if (!a || !c || !a[1] || !c[1] || (a[0] !== 0 && a[0] !== 2) || (c[0] !== 0 && c[0] !== 2)) { return; }
      if (!hostile[a[1] + "|" + c[1]]) { return; }
      (front = front || new Path2D()).addPath(shapes.borders[j]);
    });
    memo.layers = {key: key, areas: areas, front: front};
    return memo.layers;
  };

  // Control places: squares, on their own canvas under the events (redrawn only when
  // the change point or the view changes).
  Scrub.prototype.drawPlaces = function (ctx, v) {
    this.placeHits = [];
    this._placesShown = null;
    if (!this.ready || !this.showControl || !this.ctl) { return; }
    var at = this.controlAt(this.view.day);
    if (!at) { return; }
    this._placesShown = {i: at.i, state: at.state, ctl: this.ctl};
    this.placeHits = this.paintPlaces(ctx, v, at);
    this.scheduleAhead();                     // squares an earlier idle moment could not draw
  };

  // The squares of the places with a state at a change point, in view v, drawn on ctx;
  // their click targets.
  Scrub.prototype.paintPlaces = function (ctx, v, at) {
    var ctl = this.ctl, hits = [], r0 = placeRadius(v);
    for (var p = 0; p < ctl.P; p++) {
      var s = at.state[p];
      if (!s) { continue; }
      var px = ctl.x[p] * v.scale - v.ox, py = ctl.y[p] * v.scale - v.oy;
      if (px < -20 || py < -20 || px > v.w + 20 || py > v.h + 20) { continue; }
      this.drawPlace(ctx, px, py, r0, s);
      hits.push([px, py, r0 + 3, "place", p]);
    }
    return hits;
  };

  function placeRadius(v) { return v.zoom >= 9 ? 6 : 4.5; }

  // Boxes in screen pixels of view v as whole device pixels covering them, on the canvas.
  function deviceRects(rects, v) {
    var r = v.ratio, W = Math.round(v.w * r), H = Math.round(v.h * r), out = [];
    rects.forEach(function (q) {
      var x0 = Math.max(0, Math.floor(q[0] * r)), y0 = Math.max(0, Math.floor(q[1] * r));
      var x1 = Math.min(W, Math.ceil(q[2] * r)), y1 = Math.min(H, Math.ceil(q[3] * r));
      if (x1 > x0 && y1 > y0) { out.push([x0, y0, x1, y1]); }
    });
    return out;
  }

  // Whether two states of a place draw the same square (drawPlace): the same status and
  // holder, or for a stale one the same last holder. A change point that only moves a
  // place's dates or sources redraws nothing.
  function sameSquare(a, b) {
    if (a === b) { return true; }
    if (!a || !b || a[0] !== b[0]) { return false; }
    return a[0] === 3 ? (a[5] || null) === (b[5] || null) : a[1] === b[1];
  }

  // The boxes (screen pixels of view v) around the squares of the places drawn otherwise
  // in two states; null when more than 64 (redraw all instead).
  Scrub.prototype.placeRects = function (from, to, v) {
    var ctl = this.ctl, pad = placeRadius(v) + 4, rects = [], px, py;
    for (var p = 0; p < ctl.P; p++) {
      if (sameSquare(to[p], from[p])) { continue; }
      px = ctl.x[p] * v.scale - v.ox; py = ctl.y[p] * v.scale - v.oy;
      if (px < -20 || py < -20 || px > v.w + 20 || py > v.h + 20) { continue; }
      rects.push([px - pad, py - pad, px + pad, py + pad]);
      if (rects.length > 64) { return null; }
    }
    return rects;
  };

  // A step across a change point, the view unchanged: show the squares drawn ahead for
  // it, or else clear the squares of the places whose state changed and redraw the
  // squares that reach into them (neighbours overlap), clipped. False (redraw all) when
  // that is not possible or not worth it.
  Scrub.prototype.updatePlaces = function (ctx, v) {
    var ctl = this.ctl, shown = this._placesShown;
    if (!shown || shown.ctl !== ctl || !this.ready || !this.showControl) { return false; }
    var at = this.controlAt(this.view.day);
    if (!at) { return false; }
    var got = this.aheadOf(this.places, at.i, v);
    if (got) {
      this.places.show(got, got.from === shown.i ? got.rects : null);
      this.placeHits = got.hits;
      this._placesShown = {i: at.i, state: at.state, ctl: ctl};
      this.stats.partialPlaces = (this.stats.partialPlaces || 0) + 1;
      this.stats.aheadPlacesShown = (this.stats.aheadPlacesShown || 0) + 1;
      return true;
    }
    var rects = this.placeRects(shown.state, at.state, v), r0 = placeRadius(v), pad = r0 + 4, p, s, px, py, j;
    if (!rects) { return false; }
    this._placesShown = {i: at.i, state: at.state, ctl: ctl};
    if (!rects.length) { return true; }
    var hits = this.placeHits = [];
    ctx.save();
    ctx.setTransform(v.ratio, 0, 0, v.ratio, 0, 0);
    ctx.beginPath();
    rects.forEach(function (q) { ctx.clearRect(q[0], q[1], q[2] - q[0], q[3] - q[1]); ctx.rect(q[0], q[1], q[2] - q[0], q[3] - q[1]); });
    ctx.clip();
    for (p = 0; p < ctl.P; p++) {                     // in drawing order, as drawPlaces
      s = at.state[p];
      if (!s) { continue; }
      px = ctl.x[p] * v.scale - v.ox; py = ctl.y[p] * v.scale - v.oy;
      if (px < -20 || py < -20 || px > v.w + 20 || py > v.h + 20) { continue; }
      hits.push([px, py, r0 + 3, "place", p]);
      for (j = 0; j < rects.length; j++) {
        var q = rects[j];
        if (px + pad > q[0] && px - pad < q[2] && py + pad > q[1] && py - pad < q[3]) { this.drawPlace(ctx, px, py, r0, s); break; }
      }
    }
    ctx.restore();
    this.stats.partialPlaces = (this.stats.partialPlaces || 0) + 1;
    return true;
  };

  Scrub.prototype.drawMarks = function (ctx, v) {
    this.hits = [];
    this.shown = 0;
    if (!this.ready) { return; }
    var sym = this.sym, hits = this.hits, self = this;
    var ev = this.ev;
    if (!ev || !ev.n) { return; }
    if (this._cellZoom !== v.zoom) { this.assignCells(v.zoom); }
    var range = this.windowOf();
    this.moveWindow(range[0], range[1]);
    var w = this.win, count = w.count, spider = this.spider, singles = 0, clusters = 0, i;
    this.shown = w.shown;
    // Singles first, clusters over them (as before); only cells on screen are drawn.
    var todo = [];
    for (var t = 0; t < w.nActive; t++) {
      var c = w.active[t], n = count[c];
      var cx = w.sx[c] / n * v.scale - v.ox, cy = w.sy[c] / n * v.scale - v.oy;
      if (cx < -40 || cy < -40 || cx > v.w + 40 || cy > v.h + 40) { continue; }
      if (n === 1) {
        var k = w.sumIdx[c];
        singles += 1;
        if (spider && spider.set[k]) { continue; }
        var ex = ev.x[k] * v.scale - v.ox, ey = ev.y[k] * v.scale - v.oy;
        this.drawEvent(ctx, ex, ey, k, v);
        hits.push([ex, ey, 8, "event", k]);
      } else {
        clusters += 1;
        todo.push(c, cx, cy);
      }
    }
    for (i = 0; i < todo.length; i += 3) {
      var cell = todo[i], m = count[cell];
      if (spider && spider.cell === cell && this.membersOf(cell).every(function (x) { return spider.set[x]; })) { continue; }
      this.drawCluster(ctx, todo[i + 1], todo[i + 2], m, w.byForce, cell * w.F, w.F);
      hits.push([todo[i + 1], todo[i + 2], this.clusterRadius(m) + 2, "cluster", cell, m]);
    }
    this.drawn = {singles: singles, clusters: clusters};
    if (spider) { this.drawSpider(ctx, v); }
  };

  Scrub.prototype.colourOf = function (f) {
    var sym = this.sym;
    return f ? ((sym.forces[f] || {}).colour || sym.unknown_colour) : sym.unknown_colour;
  };

  Scrub.prototype.drawPlace = function (ctx, x, y, r, s) {
    var code = s[0], holder = s[1];
    ctx.setLineDash([]);
    ctx.beginPath(); ctx.rect(x - r - 1.5, y - r - 1.5, 2 * r + 3, 2 * r + 3);
    ctx.fillStyle = "#ffffff"; ctx.fill();
    ctx.beginPath(); ctx.rect(x - r, y - r, 2 * r, 2 * r);
    if (code === 3 && s[5]) {                           // stale (rule 8): last holder, faded
      ctx.save(); ctx.globalAlpha = 0.55; ctx.setLineDash([2, 2]);
      ctx.lineWidth = 2.5; ctx.strokeStyle = this.colourOf(s[5]); ctx.stroke();
      ctx.restore();
      return;
    }
    if (code === 3) {                                   // unknown: hollow grey
      ctx.lineWidth = 2; ctx.strokeStyle = this.sym.unknown_colour; ctx.stroke();
      return;
    }
    if (code === 1) {                                   // contested: split square
      ctx.fillStyle = "#ffffff"; ctx.fill();
      ctx.beginPath(); ctx.moveTo(x - r, y - r); ctx.lineTo(x + r, y - r); ctx.lineTo(x - r, y + r); ctx.closePath();
      ctx.fillStyle = this.colourOf(holder) ; ctx.fill();
      ctx.beginPath(); ctx.rect(x - r, y - r, 2 * r, 2 * r);
      ctx.lineWidth = 1.2; ctx.strokeStyle = "#333333"; ctx.stroke();
      return;
    }
    ctx.fillStyle = this.colourOf(holder); ctx.fill();
    ctx.lineWidth = code === 2 ? 3 : 1.2;
    ctx.strokeStyle = code === 2 ? this.sym.front.colour : "#333333";
    ctx.stroke();
  };

  Scrub.prototype.drawEvent = function (ctx, x, y, k, v) {
    var ev = this.ev, sym = this.sym, f = ev.force[k], flags = ev.flags[k];
    var colour = f >= 0 ? ev.colour[f] : sym.unknown_colour;
    var shape = ev.type[k] >= 0 ? ev.shape[ev.type[k]] : sym.other_shape;
    var r = 5.5, alpha = flags & 16 ? sym.coarse_date_fade : 1;
    if (flags & 12) {                                   // province / country: pale area
      var metres = sym.uncertainty_metres[flags & 8 ? "4" : "3"];
      var lat = ev.lat[k], mpp = 40075016.686 * Math.cos(lat * Math.PI / 180) / (256 * v.scale);
      ctx.beginPath(); ctx.arc(x, y, metres / mpp, 0, 2 * Math.PI);
      ctx.globalAlpha = 0.12 * alpha; ctx.fillStyle = colour; ctx.fill();
      ctx.globalAlpha = 0.5 * alpha; ctx.lineWidth = 1; ctx.strokeStyle = colour; ctx.stroke();
    } else if (flags & 2) {                             // near the place: halo
      ctx.beginPath(); ctx.arc(x, y, 11, 0, 2 * Math.PI);
      ctx.globalAlpha = 0.25 * alpha; ctx.fillStyle = colour; ctx.fill();
    }
    ctx.globalAlpha = alpha;
    ctx.beginPath(); shapePath(ctx, shape, x, y, r);
    ctx.fillStyle = colour; ctx.fill();
    ctx.setLineDash(flags & 16 ? [1.5, 2] : []);
    ctx.lineWidth = flags & 1 ? 2.5 : 1; ctx.strokeStyle = flags & 1 ? "#000000" : "#ffffff";
    ctx.stroke();
    ctx.setLineDash([]); ctx.globalAlpha = 1;
  };

  Scrub.prototype.clusterRadius = function (n) { return Math.min(24, 10 + 3.2 * Math.log(n)); };

  // byForce[base + f + 1]: the cluster's events of force f (f = -1: no force).
  Scrub.prototype.drawCluster = function (ctx, x, y, n, byForce, base, F) {
    var ev = this.ev, r = this.clusterRadius(n), shares = {}, f;
    for (f = 0; f < F; f++) { if (byForce[base + f]) { shares[f - 1] = byForce[base + f]; } }
    var parts = Object.keys(shares).sort(function (a, b) { return shares[b] - shares[a]; });
    var a0 = -Math.PI / 2;
    ctx.lineWidth = 4.5;
    parts.forEach(function (f) {
      var a1 = a0 + 2 * Math.PI * shares[f] / n;
      ctx.beginPath(); ctx.arc(x, y, r - 2, a0, a1);
      ctx.strokeStyle = +f >= 0 ? ev.colour[+f] : "#8a8a8a"; ctx.stroke();
      a0 = a1;
    });
    ctx.beginPath(); ctx.arc(x, y, r - 4.5, 0, 2 * Math.PI);
    ctx.fillStyle = "rgba(255,255,255,0.95)"; ctx.fill();
    ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.lineWidth = 1; ctx.strokeStyle = "#444444"; ctx.stroke();
    ctx.fillStyle = "#111111"; ctx.font = "600 11px system-ui, sans-serif";
    ctx.textAlign = "center"; ctx.textBaseline = "middle";
    ctx.fillText(n > 9999 ? Math.round(n / 1000) + "k" : String(n), x, y + 0.5);
  };

  // A cluster spread out: members on a spiral around their centre, with leader lines.
  Scrub.prototype.drawSpider = function (ctx, v) {
    var sp = this.spider, ev = this.ev, w = this.windowOf(), self = this;
    var cx = sp.x * v.scale - v.ox, cy = sp.y * v.scale - v.oy;
    var live = sp.members.filter(function (k) { return !(ev.hi[k] < w[0] || ev.lo[k] > w[1]); });
    var n = live.length, pts = [];
    for (var j = 0; j < n; j++) {
      var px, py;
      if (n <= 9) { var a = 2 * Math.PI * j / n; px = cx + 28 * Math.cos(a); py = cy + 28 * Math.sin(a); }
      else { var t = 0.9 * j + 2, rr = 12 + 5.5 * t; px = cx + rr * Math.cos(t); py = cy + rr * Math.sin(t); }
      pts.push([px, py]);
    }
    ctx.beginPath();
    pts.forEach(function (p) { ctx.moveTo(cx, cy); ctx.lineTo(p[0], p[1]); });
    ctx.lineWidth = 1; ctx.strokeStyle = "rgba(60,60,60,0.6)"; ctx.stroke();
    ctx.beginPath(); ctx.arc(cx, cy, 3, 0, 2 * Math.PI); ctx.fillStyle = "#444"; ctx.fill();
    live.forEach(function (k, j) {
      self.drawEvent(ctx, pts[j][0], pts[j][1], k, v);
      self.hits.push([pts[j][0], pts[j][1], 8, "event", k]);
    });
  };

  // --- labels of the basemap -------------------------------------------------------------------
  Scrub.prototype.prepareLabels = function (data) {
    // data.places: [[lon, lat, name, min zoom, kind]] most important first.
    this.labelData = data.labels.map(function (l) {
      return {x: mercX(l[0]), y: mercY(l[1]), name: l[2], minz: l[3], kind: l[4]};
    });
  };

  Scrub.prototype.drawLabels = function (ctx, v) {
    if (!this.labelData) { return; }
    var boxes = [], placed = 0;
    function free(b) {
      for (var i = 0; i < boxes.length; i++) {
        var o = boxes[i];
        if (b[0] < o[2] && b[2] > o[0] && b[1] < o[3] && b[3] > o[1]) { return false; }
      }
      return true;
    }
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    for (var i = 0; i < this.labelData.length && placed < 500; i++) {
      var l = this.labelData[i];
      if (l.minz > v.zoom) { continue; }
      var x = l.x * v.scale - v.ox, y = l.y * v.scale - v.oy;
      if (x < -50 || y < -20 || x > v.w + 50 || y > v.h + 20) { continue; }
      var area = l.kind === "province" || l.kind === "district";
      var size = l.kind === "province" ? 12 : l.kind === "district" ? 11 : l.kind === "city" ? 12.5 : l.kind === "town" ? 11.5 : 10.5;
      ctx.font = (area ? "italic " : l.kind === "city" ? "600 " : "") + size + "px system-ui, sans-serif";
      var text = l.kind === "province" ? l.name.toUpperCase() : l.name;
      var tw = ctx.measureText(text).width;
      var bx = area ? x - tw / 2 : x + 5, b = [bx - 2, y - size / 2 - 2, bx + tw + 2, y + size / 2 + 2];
      if (!free(b)) { continue; }
      boxes.push(b); placed++;
      if (!area) {
        ctx.beginPath(); ctx.arc(x, y, l.kind === "village" ? 1.8 : 2.6, 0, 2 * Math.PI);
        ctx.fillStyle = "#3b3b3b"; ctx.fill();
      }
      ctx.textAlign = "left";
      ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.strokeText(text, bx, y);
      ctx.fillStyle = area ? (l.kind === "province" ? "#7a6a5a" : "#8a7a6a") : "#222222";
      ctx.fillText(text, bx, y);
    }
  };

  // --- clicks, hovers and popups -----------------------------------------------------------------
  Scrub.prototype.hitAt = function (pt) {
    var best = null, bd = Infinity, all = this.placeHits.concat(this.hits);   // events on top
    for (var i = all.length - 1; i >= 0; i--) {
      var h = all[i], dx = h[0] - pt.x, dy = h[1] - pt.y, d = dx * dx + dy * dy;
      if (d <= h[2] * h[2] && d < bd) { best = h; bd = d; if (h[3] !== "place") { break; } }
    }
    return best;
  };

  Scrub.prototype.onHover = function (e) {
    var h = this.hitAt(e.containerPoint), c = this.map.getContainer();
    c.style.cursor = h ? "pointer" : "";
    if (!h) { this.map.closeTooltip(this._tip); return; }
    var text = "";
    if (h[3] === "event") {
      var ev = this.ev, k = h[4];
      text = isoOf(ev.lo[k] === -Infinity ? ev.hi[k] : ev.lo[k]) + " \u2014 " + (ev.types[ev.type[k]] || "event") +
        " \u2014 " + ((this.sym.forces[ev.forces[ev.force[k]]] || {}).name || "unknown force");
    } else if (h[3] === "cluster") {
      text = fmt(h[5]) + " events here: click to " + (this.map.getZoom() >= this.map.getMaxZoom() || this.sameSpot(this.membersOf(h[4])) ? "spread them out" : "zoom in");
    } else if (h[3] === "place") {
      text = this.placeLine(h[4]);
    }
    var pos = this.map.containerPointToLatLng([h[0], h[1]]);
    this._tip = this._tip || L.tooltip({direction: "top", offset: [0, -8], className: "geo-scrub-tip"});
    this._tip.setLatLng(pos).setContent(el("span", "", text));
    if (!this.map.hasLayer(this._tip)) { this._tip.addTo(this.map); }
  };

  Scrub.prototype.sameSpot = function (members) {
    var ev = this.ev, x = ev.x[members[0]], y = ev.y[members[0]];
    return members.every(function (k) { return Math.abs(ev.x[k] - x) < 1e-7 && Math.abs(ev.y[k] - y) < 1e-7; });
  };

  Scrub.prototype.onClick = function (e) {
    var h = this.hitAt(e.containerPoint), self = this;
    if (!h) { if (this.spider) { this.spider = null; this.render(); } return; }
    L.DomEvent.stop(e.originalEvent);
    if (h[3] === "cluster") {
      var members = this.membersOf(h[4]), ev = this.ev;
      if (this.map.getZoom() >= this.map.getMaxZoom() || this.sameSpot(members)) {
        var sx = 0, sy = 0;
        members.forEach(function (k) { sx += ev.x[k]; sy += ev.y[k]; });
        var set = {};
        members.forEach(function (k) { set[k] = true; });
        this.spider = {x: sx / members.length, y: sy / members.length, members: members, set: set, cell: h[4]};
        this.render();
      } else {
        var b = L.latLngBounds(members.map(function (k) { return [ev.lat[k], ev.lon[k]]; }));
        this.map.fitBounds(b.pad(0.3), {maxZoom: this.map.getMaxZoom()});
      }
      return;
    }
    var latlng = this.map.containerPointToLatLng([h[0], h[1]]);
    if (h[3] === "place") {
      L.popup({maxWidth: 340}).setLatLng(latlng).setContent(this.placePopup(h[4])).openOn(this.map);
      return;
    }
    var k = h[4], popup = L.popup({maxWidth: 360}).setLatLng(latlng).setContent(el("div", "geo-popup", "Loading\u2026")).openOn(this.map);
    this.loadDetails().then(function (details) {
      popup.setContent(self.eventPopup(details[k]));
    }).catch(function (err) { popup.setContent(el("div", "geo-popup", "Details could not be loaded: " + err)); });
  };

  // The server writes the details file in the background: retry a while if not there yet.
  Scrub.prototype.loadDetails = function () {
    var url = this.payload.details_url, self = this;
    function attempt(left) {
      return fetch(url).then(function (r) {
        if (r.ok) { return readJson(r); }
        if (r.status === 404 && left > 0) {
          return new Promise(function (ok) { setTimeout(ok, 400); }).then(function () { return attempt(left - 1); });
        }
        throw new Error("HTTP " + r.status);
      });
    }
    if (!this._details || this._detailsFor !== this.payload) {
      this._detailsFor = this.payload;
      this._details = attempt(75).catch(function (err) { self._details = null; throw err; });
    }
    return this._details;
  };

  // Same DOM as the server-side popup of geo/maps/events_layer.py: text only.
  Scrub.prototype.eventPopup = function (d) {
    var box = el("div", "geo-popup");
    var F = {id: 0, date: 1, type: 2, actors: 3, force: 4, location: 5, place: 6, fat: 7, sentence: 8, mentions: 9, link: 10};
    box.setAttribute("data-event-id", d[F.id]);
    function line(label, value, cls) {
      if (value === "" || value === null || value === undefined) { return; }
      var div = el("div", cls || "");
      if (label) { div.appendChild(el("b", "", label + ": ")); }
      div.appendChild(document.createTextNode(String(value)));
      box.appendChild(div);
    }
    line("", d[F.type], "geo-popup-type");
    line("Date", d[F.date]);
    line("Where", d[F.location] + (d[F.place] ? " (" + d[F.place] + ")" : ""));
    line("Actors", d[F.actors]);
    line("Force", d[F.force]);
    line("Fatalities", d[F.fat]);
    if (d[F.sentence]) {
      var q = el("blockquote", "geo-popup-sentence");
      highlight(q, String(d[F.sentence]), d[F.mentions]);
      box.appendChild(q);
    }
    var link = d[F.link];
    if (link && link.charAt(0) === "/" && this.payload && this.payload.offline) {
      // An offline file (the HTML export) has no dashboard to open: the id, as text.
      line("Event", d[F.id]);
    } else if (link && /^(https?:\/\/|\/)/i.test(link)) {
      var a = el("a", "", /^https?:/i.test(link) ? "Article" : "Event and article");
      a.href = /^https?:/i.test(link) ? link : (window.parent !== window ? window.parent.location.origin : "") + link;
      a.target = "_blank"; a.rel = "noopener noreferrer";
      box.appendChild(a);
    }
    return box;
  };

  // The sentence as text nodes, each valid mention ([kind, start, end], UTF-16 offsets, in
  // order) in a <span class="geo-m-KIND">; anything else stays plain text.
  function highlight(node, text, mentions) {
    var at = 0, kinds = ["place", "date", "actor"];
    (Array.isArray(mentions) ? mentions : []).forEach(function (m) {
      if (!Array.isArray(m) || m.length !== 3) { return; }
      var kind = m[0], start = m[1], end = m[2];
      if (kinds.indexOf(kind) < 0 || !Number.isInteger(start) || !Number.isInteger(end) ||
          start < at || end <= start || end > text.length) { return; }
      if (start > at) { node.appendChild(document.createTextNode(text.slice(at, start))); }
      node.appendChild(el("span", "geo-m-" + kind, text.slice(start, end)));
      at = end;
    });
    if (at < text.length) { node.appendChild(document.createTextNode(text.slice(at))); }
  }
  Scrub.highlight = highlight;

  // What a place's state says: "held by A", "contested", "stale: last reported held by A" ...
  Scrub.prototype.stateText = function (s) {
    var status = this.ctl.s.status_codes[s[0]], sym = this.sym;
    function name(f) { return (sym.forces[f] || {}).name || f; }
    return status === "held" ? "held by " + name(s[1]) :
      status === "besieged" ? "held by " + name(s[1]) + ", besieged" :
      status === "contested" ? "contested" : s[5] ? "stale: last reported held by " + name(s[5]) :
      "unknown (no recent evidence)";
  };

  // A state's since: the holder's as its report gave it (s[6], "December 2015") when
  // s[2] is the holder's since (s[4]), else s[2].
  function sinceOf(s) { return typeof s[6] === "string" && s[2] === s[4] ? s[6] : s[2]; }
  // A holder no report shows taking the place (inferred, presumed): s[6] is [lead, note]
  // as geo.control.wording says them ("before 2014-06-10", "inferred: IS took it from
  // ISF on 2014-06-10; ..."); null for a reported holder. No invented since.
  function heldOf(s) { return s && Array.isArray(s[6]) ? s[6] : null; }
  // HolderWhen.text: the lead, then the note in brackets.
  function heldText(w) { return [w[0], w[1] ? "(" + w[1] + ")" : ""].filter(Boolean).join(" "); }

  Scrub.prototype.placeLine = function (p) {
    var at = this.controlAt(this.view.day), s = at && at.state[p], place = this.ctl.s.places[p];
    if (!s) { return place.name; }
    var status = this.ctl.s.status_codes[s[0]], stale = status === "unknown" && s[5], held = heldOf(s);
    if (held && status === "held") { return place.name + ": " + this.stateText(s) + " " + heldText(held); }
    return place.name + ": " + this.stateText(s) +
      (stale ? "; no report for two years, stale since " : " since ") + sinceOf(s);
  };

  // The place's changes of hands up to change point i, oldest first: its own states
  // replayed (status and holder; a new claim for the same holder updates the row's
  // basis). Read on a click only: a step never walks it.
  Scrub.prototype.placeHistory = function (p, i) {
    var states = this.ctl.s.states, key = String(p), has = Object.prototype.hasOwnProperty;
    var rows = [], last = null;
    for (var k = 0; k <= i && k < states.length; k++) {
      var ch = states[k].changes;
      if (!has.call(ch, key)) { continue; }
      var s = ch[key];
      if (!s) { last = null; continue; }
      var who = s[0] + "|" + (s[1] || "") + "|" + (s[5] || "");
      if (who === last) { rows[rows.length - 1].s = s; continue; }
      last = who;
      rows.push({date: states[k].date, s: s});
    }
    return rows;
  };

  Scrub.prototype.basisOf = function (s) {
    var bases = this.ctl.s.bases;
    return bases && s && s[7] !== undefined && s[7] !== null ? bases[s[7]] || null : null;
  };

  Scrub.prototype.placePopup = function (p) {
    var box = el("div", "geo-control-popup"), place = this.ctl.s.places[p], self = this;
    box.setAttribute("data-place-key", place.key);
    box.appendChild(el("div", "geo-popup-type", place.name));
    box.appendChild(el("div", "", this.placeLine(p)));
    var at = this.controlAt(this.view.day), s = at && at.state[p], base = this.basisOf(s);
    function line(label, value, cls) {
      var div = el("div", cls || "");
      div.appendChild(el("b", "", label + ": "));
      div.appendChild(document.createTextNode(value));
      box.appendChild(div);
    }
    var held = heldOf(s);
    if (held && this.ctl.s.status_codes[s[0]] !== "held") { box.appendChild(el("div", "", "Holder: " + heldText(held))); }
    else if (!held && s && s[4]) { box.appendChild(el("div", "", "Holder since " + (s[6] || s[4]))); }
    if (base && base[0]) { line("Basis", base[0], "geo-popup-basis"); }
    if (base && base[1]) { line("Sources", base[1], "geo-popup-sources"); }
    var disputed = s && s[3] && s[3].length;
    if (disputed) { line("Disputed by reports", s[3].join(", "), "geo-disputed"); }
    if (s) {
      var rows = this.placeHistory(p, at.i), shown = rows.slice(-HISTORY_ROWS);
      box.appendChild(el("div", "geo-popup-history-head", "Changes of hands to " + isoOf(this.view.day)));
      if (rows.length > shown.length) {
        box.appendChild(el("div", "geo-popup-note", (rows.length - shown.length) + " earlier not shown"));
      }
      var list = el("ol", "geo-history");
      shown.forEach(function (r) {
        var b = self.basisOf(r.s), item = el("li");
        item.setAttribute("data-day", r.date);
        var w = heldOf(r.s), byWord = w && self.ctl.s.status_codes[r.s[0]] === "held";
        if (!byWord || w[0]) { item.appendChild(el("b", "", byWord ? w[0] : sinceOf(r.s))); }
        var why = byWord ? w[1] : b && b[0];
        item.appendChild(document.createTextNode((item.firstChild ? " " : "") + self.stateText(r.s) + (why ? " (" + why + ")" : "")));
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    // Review: a disputed place, or a holder resting on a holding the machine read. The
    // link is the server's awaiting the day shown (geo.core.links.
    // place_review_link_for_a_day): the Events page opens that day's claims first. A
    // file has no dashboard.
    if (place.review && (disputed || (base && base[2]))) {
      if (this.payload && this.payload.offline) {
        line("Review on the dashboard", place.name + (disputed ? " (disputed by " + s[3].join(", ") + ")" : ""),
             "geo-popup-review");
      } else if (place.review.charAt(0) === "/") {
        var a = el("a", "geo-popup-review", "Review this holding");
        a.href = (window.parent !== window ? window.parent.location.origin : "") + place.review + isoOf(this.view.day);
        a.target = "_blank"; a.rel = "noopener noreferrer";
        box.appendChild(a);
      }
    }
    box.appendChild(el("div", "geo-popup-note", "Control is an estimate from dated captures and the curated timeline; see \u201cHow control is worked out\u201d below the map."));
    return box;
  };

  // --- the time bar, the legend, the info line ---------------------------------------------------
  Scrub.prototype.buildBar = function () {
    var self = this, bar = L.control({position: "bottomleft"});
    bar.onAdd = function () {
      var box = el("div", "geo-timebar");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var row1 = el("div", "geo-tb-row");
      self.stamp = el("input", "geo-tb-date");
      self.stamp.type = "text"; self.stamp.setAttribute("aria-label", "Date (YYYY-MM-DD), Enter applies");
      self.stamp.title = "Type a date (YYYY-MM-DD) and press Enter";
      self.stamp.addEventListener("keydown", function (e) {
        if (e.key === "Enter") { e.preventDefault(); self.typed(self.stamp.value); }
        else if (e.key === "Escape") { self.syncBar(); }
      });
      row1.appendChild(self.stamp);
      self.slider = el("input", "geo-tb-slider");
      self.slider.type = "range"; self.slider.step = "1";
      self.slider.setAttribute("aria-label", "Day");
      self.slider.addEventListener("input", function (e) { self.stats.lastInputAt = e.timeStamp || performance.now(); self.setDay(+self.slider.value, "slider"); });
      // When the browser received the key (event time): step latency includes any wait
      // in the page's queue, not only the drawing.
      self.slider.addEventListener("keydown", function (e) { self.stats.lastKeyAt = e.timeStamp; });
      self.slider.addEventListener("change", function () { self.endDrag(); });
      // While the thumb is held the day is not "where the analyst stopped": no report.
      self.slider.addEventListener("pointerdown", function () { self.dragging = true; });
      window.addEventListener("pointerup", function () { if (self.dragging) { self.endDrag(); } });
      row1.appendChild(self.slider);
      box.appendChild(row1);
      var row2 = el("div", "geo-tb-row");
      STEPS.forEach(function (s) {
        var b = el("button", "geo-tb-step", s[0]);
        b.type = "button"; b.title = "Move the day by " + s[0].slice(1);
        b.addEventListener("click", function () {
          self.stats.lastInputAt = performance.now();
          self.setDay(move(self.view.day, s[1], s[2]), "step");
          self.scheduleCommit();
        });
        row2.appendChild(b);
      });
      self.playButton = el("button", "geo-tb-play", "\u25b6 Play");
      self.playButton.type = "button";
      self.playButton.addEventListener("click", function () { self.setPlaying(!self.playing); });
      row2.appendChild(self.playButton);
      self.speedSelect = el("select", "geo-tb-speed");
      self.speedSelect.setAttribute("aria-label", "Play speed");
      SPEEDS.forEach(function (s) { var o = el("option", "", s[1]); o.value = s[0]; self.speedSelect.appendChild(o); });
      self.speedSelect.value = self.speed;
      self.speedSelect.addEventListener("change", function () { self.speed = self.speedSelect.value; });
      row2.appendChild(self.speedSelect);
      self.windowSelect = el("select", "geo-tb-window");
      self.windowSelect.setAttribute("aria-label", "Window");
      WINDOWS.forEach(function (w) { var o = el("option", "", w[1]); o.value = w[0]; self.windowSelect.appendChild(o); });
      self.windowSelect.addEventListener("change", function () {
        self.view.window = self.windowSelect.value; self.syncBar(); self.render(); self.scheduleCommit();
      });
      row2.appendChild(self.windowSelect);
      self.nInput = el("input", "geo-tb-n");
      self.nInput.type = "number"; self.nInput.min = "1"; self.nInput.max = "3660";
      self.nInput.setAttribute("aria-label", "N days");
      self.nInput.addEventListener("change", function () {
        var n = Math.round(+self.nInput.value);
        if (!(n >= 1 && n <= 3660)) { self.say("N days must be a whole number from 1 to 3660."); self.syncBar(); return; }
        self.view.n = n; self.render(); self.scheduleCommit();
      });
      row2.appendChild(self.nInput);
      self.nLabel = el("span", "geo-tb-nlabel", "days");
      row2.appendChild(self.nLabel);
      self.message = el("span", "geo-tb-message");
      self.message.setAttribute("role", "status");
      row2.appendChild(self.message);
      box.appendChild(row2);
      return box;
    };
    bar.addTo(this.map);
    this.bar = bar;
  };

  // Where a drag of the thumb stops: report the view, and draw ahead for the next step
  // (nothing is drawn ahead while the thumb is held).
  Scrub.prototype.endDrag = function () {
    this.dragging = false;
    this.scheduleCommit();
    this.scheduleAhead();
  };

  Scrub.prototype.buildInfo = function () {
    var self = this, info = L.control({position: "topleft"});
    info.onAdd = function () {
      var box = el("div", "geo-info");
      self.dateBig = el("div", "geo-info-date");
      self.info = el("div", "geo-info-count");
      box.appendChild(self.dateBig); box.appendChild(self.info);
      return box;
    };
    info.addTo(this.map);
  };

  Scrub.prototype.buildLegend = function () {
    var self = this, legend = L.control({position: "topright"});
    legend.onAdd = function () {
      var box = el("details", "geo-legend");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      box.open = self.map.getSize().y >= 600;
      box.appendChild(el("summary", "", "Legend"));
      self.legendBody = el("div", "geo-legend-body");
      box.appendChild(self.legendBody);
      return box;
    };
    legend.addTo(this.map);
    this.fillLegend();
  };

  Scrub.prototype.fillLegend = function () {
    var body = this.legendBody, sym = this.sym, self = this;
    if (!body) { return; }
    body.textContent = "";
    var forcesShown = this.ev ? this.ev.present : [];
    var ctlForces = this.ctl && this.showControl ? Object.keys(this.ctl.s.forces) : [];
    sym.legend.forEach(function (section) {
      if (section.title === "Control" && !self.showControl) { return; }
      body.appendChild(el("div", "geo-legend-title", section.title));
      section.entries.forEach(function (entry) {
        if (entry.mark === "force") {
          var fid = Object.keys(sym.forces).filter(function (f) { return sym.forces[f].name === entry.label; })[0];
          if (fid && forcesShown.indexOf(fid) < 0 && ctlForces.indexOf(fid) < 0) { return; }
        }
        // Drawn on a canvas, shown as an image: a canvas in the page is handed to the
        // compositor again on every frame the map draws, an image is not.
        var row = el("div", "geo-legend-row"), c = document.createElement("canvas"), img = el("img", "geo-legend-mark");
        c.width = 36; c.height = 28;
        var ctx = c.getContext("2d");
        ctx.scale(2, 2);
        self.legendMark(ctx, entry);
        img.src = c.toDataURL("image/png"); img.alt = ""; img.width = 18; img.height = 14;
        row.appendChild(img); row.appendChild(el("span", "", entry.label));
        body.appendChild(row);
      });
    });
  };

  Scrub.prototype.legendMark = function (ctx, e) {
    var sym = this.sym, grey = "#666666";
    ctx.beginPath();
    if (e.mark === "force") { ctx.rect(2, 2, 14, 10); ctx.fillStyle = e.colour; ctx.fill(); return; }
    if (e.mark === "event") {
      shapePath(ctx, e.shape, 9, 7, 4.5); ctx.fillStyle = grey; ctx.fill();
      ctx.lineWidth = 1; ctx.strokeStyle = "#fff"; ctx.stroke(); return;
    }
    if (e.mark === "modifier") {
      if (e.style === "capture") { shapePath(ctx, "circle", 9, 7, 4.5); ctx.fillStyle = grey; ctx.fill(); ctx.lineWidth = 2.5; ctx.strokeStyle = "#000"; ctx.stroke(); }
      else if (e.style === "near") { ctx.arc(9, 7, 6.5, 0, 7); ctx.globalAlpha = 0.25; ctx.fillStyle = grey; ctx.fill(); ctx.globalAlpha = 1; ctx.beginPath(); shapePath(ctx, "circle", 9, 7, 3.5); ctx.fillStyle = grey; ctx.fill(); }
      else if (e.style === "region") { ctx.arc(9, 7, 6.5, 0, 7); ctx.globalAlpha = 0.15; ctx.fillStyle = grey; ctx.fill(); ctx.globalAlpha = 0.6; ctx.strokeStyle = grey; ctx.stroke(); ctx.globalAlpha = 1; }
      else { ctx.globalAlpha = sym.coarse_date_fade; shapePath(ctx, "circle", 9, 7, 4.5); ctx.fillStyle = grey; ctx.fill(); ctx.setLineDash([1.5, 2]); ctx.strokeStyle = "#fff"; ctx.stroke(); ctx.setLineDash([]); ctx.globalAlpha = 1; }
      return;
    }
    if (e.mark === "cluster") { ctx.arc(9, 7, 6.5, 0, 7); ctx.fillStyle = "#fff"; ctx.fill(); ctx.lineWidth = 2; ctx.strokeStyle = grey; ctx.stroke(); ctx.fillStyle = "#111"; ctx.font = "600 7px sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "middle"; ctx.fillText("12", 9, 7.5); return; }
    if (e.mark === "place") {
      var code = ["held", "contested", "besieged", "unknown"].indexOf(e.style);
      this.drawPlace(ctx, 9, 7, 4.5, [code, code === 3 ? null : "__legend__"]);
      return;
    }
    if (e.mark === "area") { ctx.rect(1, 2, 16, 10); ctx.globalAlpha = sym.area_opacity; ctx.fillStyle = grey; ctx.fill(); ctx.globalAlpha = 1; return; }
    if (e.mark === "front") {
      ctx.moveTo(1, 7); ctx.lineTo(17, 7); ctx.lineCap = "round";
      ctx.lineWidth = sym.front.weight + 3; ctx.strokeStyle = sym.front.casing; ctx.stroke();
      ctx.lineWidth = sym.front.weight; ctx.strokeStyle = sym.front.colour; ctx.stroke();
    }
  };

  Scrub.prototype.syncBar = function () {
    if (!this.slider) { return; }
    this.slider.min = String(this.range[0]); this.slider.max = String(this.range[1]);
    if (this.view.day !== null) { this.slider.value = String(this.view.day); this.stamp.value = isoOf(this.view.day); }
    this.windowSelect.value = this.view.window;
    this.nInput.value = String(this.view.n);
    var last = this.view.window === "last";
    this.nInput.style.display = last ? "" : "none";
    this.nLabel.style.display = last ? "" : "none";
    this.playButton.textContent = this.playing ? "\u275a\u275a Pause" : "\u25b6 Play";
    this.playButton.setAttribute("aria-pressed", this.playing ? "true" : "false");
  };

  Scrub.prototype.updateInfo = function () {
    var day = this.view.day, text = fmt(this.shown || 0) + " events, as of " + isoOf(day);
    if (this.view.window === "day") { text = fmt(this.shown || 0) + " events on " + isoOf(day); }
    else if (this.view.window === "last") { text = fmt(this.shown || 0) + " events in the " + this.view.n + " days to " + isoOf(day); }
    this.dateBig.textContent = isoOf(day);
    this.info.textContent = text;
    if (!this.playing && document.activeElement !== this.stamp) { this.stamp.value = isoOf(day); }
    if (document.activeElement !== this.slider || +this.slider.value !== day) { this.slider.value = String(day); }
    var span = this.dataSpan, note = "";
    if (span && day > span[1]) { note = "No events after " + isoOf(span[1]) + " match the filters"; }
    else if (span && day < span[0]) { note = "No events before " + isoOf(span[0]) + " match the filters"; }
    else if (!span) { note = "No events match the filters"; }
    if (note !== this._note) { this._note = note; if (!this._sticky) { this.message.textContent = note; } }
  };

  Scrub.prototype.say = function (text) {
    this._sticky = !!text;
    this.message.textContent = text || this._note || "";
  };

  Scrub.prototype.setDay = function (day, how) {
    day = Math.max(this.range[0], Math.min(this.range[1], day));
    if (how !== "typed") { this._sticky = false; }
    this.view.day = day;
    if (how !== "slider") { this.slider.value = String(day); }
    this.requestRender();
  };

  Scrub.prototype.typed = function (text) {
    var day = dayOf(text);
    if (day === null) { this.say("\u2018" + text + "\u2019 is not a date like 2016-06-19."); return; }
    var min = dayOf(this.o.min_day), max = dayOf(this.o.max_day);
    if (day < min) { this.say(isoOf(day) + " is before " + this.o.min_day + ": the map starts there."); return; }
    if (day > max) { this.say(isoOf(day) + " is in the future (today is " + this.o.max_day + ")."); return; }
    var note = "";
    if (day < this.range[0] || day > this.range[1]) {
      this.range = [Math.min(this.range[0], day), Math.max(this.range[1], day)];
      this.syncBar();
    }
    var span = this.dataSpan;
    if (!span) { note = isoOf(day) + ": no events match the filters."; }
    else if (day > span[1]) { note = isoOf(day) + " is after the last event (" + isoOf(span[1]) + "): the map shows what was known by then."; }
    else if (day < span[0]) { note = isoOf(day) + " is before the first event (" + isoOf(span[0]) + ")."; }
    this.setDay(day, "typed");
    this.say(note);
    this.scheduleCommit();
  };

  Scrub.prototype.setPlaying = function (on) {
    var self = this;
    this.playing = on;
    this.syncBar();
    if (!on) { this.scheduleCommit(); this.scheduleAhead(); return; }
    if (this.view.day >= this.range[1]) { this.setDay(this.range[0], "play"); }
    // Frames on a clock: slot n is due FRAME_MS * n after the start, drawn on the first
    // animation frame at or after it (frames land on the display's 60 Hz). A frame that
    // ran late skips the slots it missed and the day moves on by as many steps, so Play
    // keeps its pace in days per second instead of drifting behind.
    var start = performance.now(), slot = 0;
    function tick(now) {
      if (!self.playing) { return; }
      var due = Math.floor((now - start + 4) / FRAME_MS);
      if (due > slot) {
        var steps = due - slot;
        slot = due;
        var s = SPEEDS.filter(function (x) { return x[0] === self.speed; })[0] || SPEEDS[0];
        var next = move(self.view.day, s[2], s[3] * steps);
        if (next >= self.range[1]) { next = self.range[1]; }
        self.view.day = next;
        self.render();
        self.stats.playFrames += 1;
        if (steps > 1) { self.stats.playSkipped = (self.stats.playSkipped || 0) + steps - 1; }
        if (next >= self.range[1]) { self.setPlaying(false); return; }
      }
      requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  };

  // --- back to the server: where the analyst stopped ---------------------------------------------
  Scrub.prototype.scheduleCommit = function () {
    var self = this;
    clearTimeout(this._commit);
    this._commit = setTimeout(function () { self.commit(); }, COMMIT_MS);
  };

  Scrub.prototype.commit = function () {
    if (this.dragging) { this.scheduleCommit(); return; }
    if (this.playing || !window.Streamlit || this.view.day === null) { return; }
    var m = this.map, b = m.getBounds(), c = m.getCenter();
    this.seq += 1;
    this.sentDay = isoOf(this.view.day);
    var value = {seq: this.seq, day: this.sentDay, window: this.view.window, n: this.view.n,
                 zoom: m.getZoom(), center: [+c.lat.toFixed(5), +c.lng.toFixed(5)],
                 bounds: [[+b.getSouth().toFixed(5), +b.getWest().toFixed(5)],
                          [+b.getNorth().toFixed(5), +b.getEast().toFixed(5)]]};
    var key = JSON.stringify([value.day, value.window, value.n, value.zoom, value.center]);
    if (key === this._lastCommit) { return; }
    this._lastCommit = key;
    this.stats.commits += 1;
    window.Streamlit.setComponentValue(value);
  };

  // What tests read: the territory drawn on the day shown, by force (place keys whose
  // catchments are shaded, desert block indices), and the change point it comes from.
  Scrub.prototype.controlDrawn = function () {
    if (!this.ctl || !this.showControl || this.drawnDay === undefined) { return null; }
    var at = this.controlAt(this.drawnDay), ctl = this.ctl, out = {};
    if (!at) { return {day: isoOf(this.drawnDay), change_point: null, forces: out}; }
    var m = this.membersAt(at);
    Object.keys(m).forEach(function (f) {
      out[f] = {places: m[f].places.map(function (k) { return ctl.s.places[+k].key; }),
                desert: m[f].desert};
    });
    return {day: isoOf(this.drawnDay), change_point: ctl.s.dates[at.i], forces: out};
  };

  // What tests and benchmarks read.
  Scrub.prototype.state = function () {
    return {day: this.view.day === null ? null : isoOf(this.view.day),
            drawn_day: this.drawnDay === undefined ? null : isoOf(this.drawnDay),
            window: this.view.window,
            n: this.view.n, shown: this.shown || 0, ready: !!this.ready,
            drawn: this.drawn || {singles: 0, clusters: 0}, range: [isoOf(this.range[0]), isoOf(this.range[1])],
            events: this.ev ? this.ev.n : 0, places: this.ctl ? this.ctl.P : 0,
            labels: this.labelData ? this.labelData.length : 0, playing: this.playing,
            message: this.message ? this.message.textContent : "", stats: this.stats};
  };

  window.GeoScrub = {
    attach: function (map, options) {
      if (!window.geoScrub) { window.geoScrub = new Scrub(map, options); }
      return window.geoScrub;
    },
    load: function (payload) {
      if (window.geoScrub) { window.geoScrub.load(payload); }
    },
    dayOf: dayOf, isoOf: isoOf, addMonths: addMonths, highlight: highlight
  };
})();
