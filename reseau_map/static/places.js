/* The places layer's code (reseau_map/maps/layers.py), loaded once per map frame.
 *
 * A catalogue's places arrive once: inline in the layer's spec (`spec.data`, a standalone map or
 * no served folder), or from a file of ours that keeps them in `window.rcData[key]`, which this
 * code loads (layers.Prepared.publish). Each rerun of the page then sends only which places are
 * shown: "*" for all, or a bitset over the catalogue's rows in base64. Long texts (website,
 * description, source) come from their own file, fetched when a popup first opens. The spec and
 * the data are documented in layers.py.
 */
(function () {
  var data = window.rcData = window.rcData || {};
  var waiting = {};
  var drawn = [];  // the places layers drawn in this frame, for a page that filters by itself (select, open)

  // Load a data file once; every caller gets the data (or null if the file cannot be read).
  function load(src, key, done) {
    if (data[key]) { done(data[key]); return; }
    if (!src) { done(null); return; }
    if (waiting[key]) { waiting[key].push(done); return; }
    waiting[key] = [done];
    var script = document.createElement('script');
    function finish() {
      var queue = waiting[key] || [];
      delete waiting[key];
      queue.forEach(function (f) { f(data[key] || null); });
    }
    script.onload = finish;
    script.onerror = finish;
    script.src = src;
    document.head.appendChild(script);
  }

  function rows(D, sel) {
    var out = [], n = D.lat.length, i;
    if (sel === '*') {
      for (i = 0; i < n; i++) { if (D.lat[i] !== null) { out.push(i); } }
      return out;
    }
    var bits = atob(sel);
    for (i = 0; i < n; i++) {
      if ((bits.charCodeAt(i >> 3) >> (i & 7)) & 1 && D.lat[i] !== null) { out.push(i); }
    }
    return out;
  }

  function get(D, col, i) {
    var c = D.cols[col];
    if (!c) { return ''; }
    return c.i ? c.k[c.i[i]] : c.v[i];
  }

  // Texts in D are HTML-escaped (layers.Prepared): what a screen reader is told is plain text.
  var unescaper = document.createElement('textarea');
  function plain(html) { unescaper.innerHTML = html; return unescaper.value; }
  function lowerFirst(t) { return t.charAt(0).toLowerCase() + t.slice(1); }

  // « La Cantine, cantine, ouvert, Paris »: how the keyboard layer names a place (static/keys.js).
  function placeName(D, i) {
    var parts = [get(D, 'name', i), lowerFirst(D.typeLabels[D.t[i]]), lowerFirst(D.statusLabels[D.s[i]]),
      get(D, 'city', i)];
    return plain(parts.filter(function (x) { return x; }).join(', '));
  }

  // « 3 lieux : 2 cantines, 1 lieu associé »: how many places a cluster holds, and of what types.
  function clusterName(D, cluster) {
    var count = {}, total = 0;
    cluster.getAllChildMarkers().forEach(function (m) {
      if (m.rcIndex === undefined) { return; }
      count[D.t[m.rcIndex]] = (count[D.t[m.rcIndex]] || 0) + 1;
      total += 1;
    });
    var plurals = D.typePlurals || D.typeLabels, said = [];
    D.typeLabels.forEach(function (label, t) {
      if (count[t]) { said.push(count[t] + ' ' + (count[t] > 1 ? plurals[t] : lowerFirst(label))); }
    });
    return plain(total + (total > 1 ? ' lieux' : ' lieu') + '\u00a0: ' + said.join(', '));
  }

  // The badge's text, dark or white, whichever reads on the type's colour (≥ 4.5:1).
  function ink(hex) {
    var c = [1, 3, 5].map(function (k) {
      var v = parseInt(hex.substr(k, 2), 16) / 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    var lum = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    return 1.05 / (lum + 0.05) >= 4.5 ? '#ffffff' : '#1b1b1b';
  }

  // A marker's outline: a type's shape (vocabulary.SHAPES) around (x, y), r its radius; null for a circle.
  function outline(shape, x, y, r) {
    var pts = [], k, a, n, start, w, arm;
    function ring(count, radius, from) {
      for (k = 0; k < count; k++) {
        a = from + k * 2 * Math.PI / count;
        pts.push([x + radius * Math.cos(a), y + radius * Math.sin(a)]);
      }
    }
    switch (shape) {
      case 'square': w = r * 0.88; return [[x - w, y - w], [x + w, y - w], [x + w, y + w], [x - w, y + w]];
      case 'diamond': ring(4, r * 1.2, -Math.PI / 2); return pts;
      case 'triangle': ring(3, r * 1.3, -Math.PI / 2); return pts.map(function (p) { return [p[0], p[1] + r * 0.2]; });
      case 'triangle_down': ring(3, r * 1.3, Math.PI / 2); return pts.map(function (p) { return [p[0], p[1] - r * 0.2]; });
      case 'triangle_left': ring(3, r * 1.3, Math.PI); return pts.map(function (p) { return [p[0] + r * 0.2, p[1]]; });
      case 'pentagon': ring(5, r * 1.1, -Math.PI / 2); return pts;
      case 'hexagon': ring(6, r * 1.08, 0); return pts;
      case 'star':
        for (k = 0; k < 10; k++) {
          a = -Math.PI / 2 + k * Math.PI / 5;
          n = k % 2 ? r * 0.6 : r * 1.35;
          pts.push([x + n * Math.cos(a), y + n * Math.sin(a)]);
        }
        return pts;
      case 'plus': case 'cross':
        w = r * 0.42; arm = r * 1.15;
        start = [[-w, -arm], [w, -arm], [w, -w], [arm, -w], [arm, w], [w, w], [w, arm], [-w, arm], [-w, w],
          [-arm, w], [-arm, -w], [-w, -w]];
        a = shape === 'cross' ? Math.PI / 4 : 0;
        return start.map(function (p) {
          return [x + p[0] * Math.cos(a) - p[1] * Math.sin(a), y + p[0] * Math.sin(a) + p[1] * Math.cos(a)];
        });
      default: return null;
    }
  }

  function trace(ctx, shape, x, y, r) {
    var pts = outline(shape, x, y, r);
    if (!pts) { ctx.arc(x, y, r, 0, Math.PI * 2, false); return; }
    ctx.moveTo(pts[0][0], pts[0][1]);
    for (var k = 1; k < pts.length; k++) { ctx.lineTo(pts[k][0], pts[k][1]); }
    ctx.closePath();
  }

  // How a status is drawn, by what it means: open full, project a dashed outline, closed faded and
  // crossed out, unknown half full.
  var LOOK = {open: {fill: 0.85}, project: {fill: 0.0, dash: '3 3'}, closed: {fill: 0.15, cross: true},
    unknown: {fill: 0.35}};

  // A canvas marker drawn in its type's shape (Leaflet's CircleMarker draws circles only); a click
  // anywhere within its radius hits it, as for a circle.
  var ShapeMarker = L.CircleMarker.extend({
    _updatePath: function () {
      var r = this._renderer;
      if (!r._drawing || this._empty()) { return; }
      var ctx = r._ctx, p = this._point, rad = Math.max(Math.round(this._radius), 1);
      ctx.beginPath();
      trace(ctx, this.options.shape, p.x, p.y, rad);
      r._fillStroke(ctx, this);
      if (this.options.cross) {
        ctx.beginPath();
        ctx.moveTo(p.x - rad, p.y - rad); ctx.lineTo(p.x + rad, p.y + rad);
        ctx.moveTo(p.x + rad, p.y - rad); ctx.lineTo(p.x - rad, p.y + rad);
        if (ctx.setLineDash) { ctx.setLineDash([]); }
        ctx.globalAlpha = 1; ctx.lineWidth = 2; ctx.strokeStyle = '#222';
        ctx.stroke();
      }
    }
  });

  // A legend's swatch: the same shape and look, as a small SVG.
  function swatch(shape, colour, meaning) {
    var look = LOOK[meaning] || LOOK.open, pts = outline(shape, 8, 8, 5.5);
    var style = ' fill="' + colour + '" fill-opacity="' + look.fill + '" stroke="' + colour + '" stroke-width="1.6"' +
      (look.dash ? ' stroke-dasharray="2 2"' : '');
    var body = pts ? '<polygon points="' + pts.map(function (p) { return p[0].toFixed(1) + ',' + p[1].toFixed(1); }).join(' ') +
      '"' + style + '/>' : '<circle cx="8" cy="8" r="5.5"' + style + '/>';
    if (look.cross) { body += '<path d="M2.5 2.5L13.5 13.5M13.5 2.5L2.5 13.5" stroke="#222" stroke-width="1.6"/>'; }
    return '<svg class="rc-swatch" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">' + body + '</svg>';
  }

  function number(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f'); }

  // The legend of the shown places: each line (a type, or a group of them) with its count, then
  // how each status shown is drawn. Every text in D is escaped by the server.
  function legend(D, shown) {
    var counts = D.lines.map(function () { return 0; }), statuses = {}, more = {}, h = '';
    D.more.r.forEach(function (row, k) { more[row] = D.more.t[k]; });
    shown.forEach(function (i) {
      var seen = {};
      [D.t[i]].concat(more[i] || []).forEach(function (t) { seen[D.typeLine[t]] = true; });
      Object.keys(seen).forEach(function (line) { counts[line] += 1; });
      statuses[D.s[i]] = true;
    });
    D.lines.forEach(function (line, k) {
      if (!counts[k]) { return; }
      h += '<div class="rc-legend-line" data-shape="' + line[2] + '" data-colour="' + line[1] + '">' +
        swatch(line[2], line[1], 'open') + '<span class="rc-legend-label">' + line[0] + '</span> <span class="rc-count">(' +
        number(counts[k]) + ')</span></div>';
    });
    if (!shown.length) { h += '<div>Aucun lieu affiché</div>'; }
    var marks = Object.keys(statuses).map(Number).sort(function (a, b) { return a - b; });
    var unsaid = D.statusLabels.length - 1;  // the last status: not given
    // How statuses are drawn, once they differ (a file with one status or none needs no key).
    if (marks.length > 1 || (marks.length === 1 && D.meanings[marks[0]] !== 'open' && marks[0] !== unsaid)) {
      marks.forEach(function (s) {
        h += '<div class="rc-legend-status">' + swatch('circle', '#666', D.meanings[s]) + D.statusLabels[s] + '</div>';
      });
    }
    window.rcLegendBody = h;  // for a legend drawn after the places (controls.js)
    var box = document.querySelector('.rc-legend-body');
    if (box) { box.innerHTML = h; }
  }

  function row(D, label, value, col) {
    if (!value) { value = '<em>' + D.notGiven + '</em>'; }
    else if (col === 'website') { value = '<a href="' + value + '" target="_top" rel="noopener">' + value + '</a>'; }
    return '<tr><th>' + label + '</th><td>' + value + '</td></tr>';
  }

  // Every text in D is HTML-escaped by the server (layers.Prepared); here it is only assembled.
  function popup(D, spec, i) {
    var full = !!D.long, L_ = D.long || {cols: {}}, k = D.more.r.indexOf(i);
    var h = '<div class="rc-popup"><h2>' + get(D, 'name', i) + '</h2><p>';
    [D.t[i]].concat(k >= 0 ? D.more.t[k] : []).forEach(function (t) {
      h += '<span class="rc-badge" style="background:' + D.colors[t] + ';color:' + ink(D.colors[t]) + '">' +
        D.typeLabels[t] + '</span> ';
    });
    h += D.statusLabels[D.s[i]] + '</p><table>';
    D.fields.forEach(function (f) {
      if (f[2] && !full) { return; }
      h += row(D, f[1], f[2] ? get(L_, f[0], i) : get(D, f[0], i), f[0]);
    });
    // The partner's own columns, under their headers, when the place has a value.
    (D.extra || []).forEach(function (f) {
      var value = full ? get(L_, f[0], i) : '';
      if (value) { h += '<tr><th>' + f[1] + '</th><td>' + value.split(' · ').join('<br>') + '</td></tr>'; }
    });
    h += '</table>';
    if (full && get(L_, 'description', i)) { h += '<p>' + get(L_, 'description', i) + '</p>'; }
    if (get(D, 'precision', i) === 'ville') { h += '<p class="rc-note">Position : centre de la ville.</p>'; }
    if (full && get(L_, 'source', i)) {
      // A place proposed on the site cites its own source: the network's label is not its source.
      var own = spec.ownSource && D.ids[i].indexOf(spec.ownSource) === 0;
      h += '<blockquote>' + get(L_, 'source', i) + '</blockquote>' + (own ? '' : '<p class="rc-note">' + spec.label + '</p>');
    }
    if (!full) {
      h += '<p class="rc-note">' + (spec.longSrc ? 'Chargement de la fiche…' : 'Fiche complète et source : sous la carte.') + '</p>';
    }
    return h + '</div>';
  }

  // The page learns which place was clicked by its id, never by its coordinates (a spiderfied
  // marker is drawn away from its place). streamlit-folium sends what it keeps in
  // __GLOBAL_DATA__ once its own click handler has run: we overwrite the tooltip field after it,
  // with a counter so that clicking the same place again is still news.
  function report(D, i) {
    var g = window.__GLOBAL_DATA__;
    if (!g) { return; }
    window.__rcClicks = (window.__rcClicks || 0) + 1;
    var value = D.clickPrefix + window.__rcClicks + ':' + D.ids[i];
    setTimeout(function () {
      g.last_object_clicked_tooltip = value;
      if (window.map) { window.map.fire('moveend'); }
    }, 0);
  }

  function draw(group, D, spec) {
    var shown = rows(D, spec.sel);
    // Places close together on screen form a cluster with its count, whatever the total: it
    // splits as one zooms in, and places at one same point spread out (spiderfy) on click.
    // Chunks keep the page responsive while very many places are clustered; below that, one pass
    // draws sooner (chunks wait 50 ms between them).
    var target = L.markerClusterGroup({chunkedLoading: shown.length > 20000, maxClusterRadius: D.clusterRadius,
      clusterPane: L.rcClusterPane || 'markerPane', animate: !L.rcCalm,
      showCoverageOnHover: false, spiderfyOnMaxZoom: true, spiderfyDistanceMultiplier: 1.6});
    group.addLayer(target);
    // Markers are drawn in the marker pane so that filled region layers never cover them.
    // The map's shared canvas (controls.SharedCanvas): tooltips of layers under the places still work.
    var renderer = L.rcHitCanvas || L.canvas({padding: 0.5, pane: 'markerPane'});
    if (L.rcHalo) { L.rcHalo(renderer); }  // every marker outlined, readable on any base (access.js)
    var base = shown.length < 2000 ? 7 : 4;
    // On a projector the markers grow with the screen (≥ 14 px across at 1080p, read from the back).
    var radius = spec.projector ? Math.max(base, Math.round(base * window.innerHeight / 540)) : base;
    var markers = new Array(shown.length), chosen = null;
    legend(D, shown);
    // On a slide about one place, the others step back (access: the featured place stands out).
    var featuring = spec.projector && spec.selected >= 0, dim = featuring ? 0.4 : 1;
    shown.forEach(function (i, k) {
      var t = D.t[i], look = LOOK[D.meanings[D.s[i]]] || LOOK.unknown;
      var m = new ShapeMarker([D.lat[i], D.lon[i]], {renderer: renderer, radius: radius,
        color: D.colors[t], weight: 2, fillColor: D.colors[t], shape: D.shapes[t], opacity: dim, rcHalo: true,
        fillOpacity: look.fill * dim, dashArray: look.dash || null, cross: !!look.cross});
      m.rcIndex = i;
      m.rcKey = 'p:' + D.ids[i];
      if (i === spec.selected) { chosen = m; }
      markers[k] = m;
    });
    // Tooltips and popups are bound when a place is first hovered or clicked, not for every
    // place on each filter change: that was most of a redraw's time at 10,000 places.
    function bind(m) {
      if (m.getPopup()) { return; }
      var i = m.rcIndex;
      m.bindTooltip(get(D, 'name', i));
      m.bindPopup(function () { return popup(D, spec, i); }, {maxWidth: 360});
      if (spec.longSrc && !D.long) {
        m.on('popupopen', function (e) {
          load(spec.longSrc, spec.key + ':long', function (long) {
            if (long) { D.long = long; } else { spec.longSrc = null; }  // else: « sous la carte »
            e.popup.setContent(popup(D, spec, i));
          });
        });
      }
    }
    target.on('mouseover', function (e) {
      if (!e.layer.rcIndex && e.layer.rcIndex !== 0) { return; }
      if (!e.layer.getTooltip()) { bind(e.layer); e.layer.openTooltip(); }
    });
    target.on('click', function (e) {
      var m = e.layer;
      if (!m.rcIndex && m.rcIndex !== 0) { return; }
      if (!m.getPopup()) { bind(m); m.openPopup(); }
      report(D, m.rcIndex);
    });
    if (featuring && chosen) {
      feature(group, target, D, chosen, radius, renderer);
      target.addLayers(markers.filter(function (m) { return m !== chosen; }));
      return;
    }
    target.addLayers(markers);
    target.rcBind = bind;
    if (L.rcKeys) {
      L.rcKeys(target, {name: function (m) { return placeName(D, m.rcIndex); },
        clusterName: function (c) { return clusterName(D, c); },
        open: function (m) { bind(m); m.openPopup(); report(D, m.rcIndex); }});
    }
    if (chosen) {
      bind(chosen);
      var dismissed = false, touched = false, watched = null, tries = 0;
      // Closed by the visitor (Échap, ×) while its marker stays on the map: it does not open again.
      // (A redraw that takes the marker off the map closes the popup too: that one comes back.)
      chosen.on('popupclose', function () { setTimeout(function () { if (chosen._map) { dismissed = true; } }, 0); });
      var HANDS = ['mousedown', 'wheel', 'touchstart', 'keydown'];
      function touch() { touched = true; }
      function wanted() { return !touched && !dismissed && !!target._map && !chosen.isPopupOpen(); }
      // One step towards the place's popup. zoomToShowLayer is not used: it waits for a DOM icon,
      // which canvas markers never get, and for a move that a cluster of one point never makes.
      function show() {
        var map = target._map;
        if (!map.hasLayer(chosen)) {
          var parent = target.getVisibleParent(chosen), b = parent && parent.getBounds && parent.getBounds();
          if (!parent || !map.getBounds().contains(chosen.getLatLng())) {
            map.panTo(chosen.getLatLng(), {animate: false});
          } else if (b.getNorthEast().equals(b.getSouthWest()) || map.getZoom() >= map.getMaxZoom()) {
            parent.spiderfy();  // ignored during a zoom's animation: the next step tries again
          } else {
            parent.zoomToBounds({padding: [40, 40]});
          }
          return;
        }
        chosen.openPopup();
      }
      // The page moves the map to the place after this draw, once its run is over (seconds later on a
      // loaded server), and the clusters redraw after each move: for 20 s, step towards the popup
      // whenever it is not open, and stop as soon as the visitor's own hand or keys act on the map.
      function settle() {
        if (touched || dismissed || !target._map || ++tries > 40) { return; }
        if (!watched) {
          watched = target._map;
          HANDS.forEach(function (ev) { watched.getContainer().addEventListener(ev, touch, {passive: true}); });
          target.on('remove', function () {
            HANDS.forEach(function (ev) { watched.getContainer().removeEventListener(ev, touch); });
            tries = Infinity;
          });
        }
        if (!chosen.isPopupOpen()) { show(); }  // open, or closed again by a cluster's redraw
        setTimeout(settle, 500);
      }
      // The group is added to the map after this script runs (on a loaded machine, well after).
      if (target._map) { setTimeout(settle, 300); }
      target.on('add', function () { setTimeout(settle, 300); });
      chosen.on('add', function () { if (wanted()) { setTimeout(function () { if (wanted()) { chosen.openPopup(); } }, 50); } });
    }
    return target;
  }

  // The slide's place, never in a cluster: larger, ringed, named; the other places dimmed.
  function feature(group, target, D, m, radius, renderer) {
    var big = Math.round(radius * 1.8), t = D.t[m.rcIndex];
    m.setStyle({opacity: 1, fillOpacity: 0.95, weight: 3});
    m.setRadius(big);
    var ring = L.circleMarker(m.getLatLng(), {renderer: renderer, radius: big + Math.max(6, radius), fill: false,
      color: D.colors[t], weight: Math.max(3, Math.round(radius / 2)), interactive: false, rcHalo: true});
    m.bindTooltip(plain(get(D, 'name', m.rcIndex)), {permanent: true, direction: 'right', className: 'rc-featured',
      offset: [big + Math.max(8, radius), 0]});
    group.addLayer(ring);
    group.addLayer(m);
    var box = null;
    function on() { box = group._map.getContainer(); L.DomUtil.addClass(box, 'rc-featuring'); }
    group.on('add', on);
    group.on('remove', function () { if (box) { L.DomUtil.removeClass(box, 'rc-featuring'); } });
    if (group._map) { on(); }
  }

  // A group's layers are drawn in the order of their calls, even when one waits for its file:
  // the choropleth shares the places' canvas and must stay under them.
  function queued(group, src, key, fn) {
    var q = group.rcQueue || (group.rcQueue = {busy: false, items: []});
    q.items.push([src, key, fn]);
    (function pump() {
      if (q.busy || !q.items.length) { return; }
      var item = q.items.shift();
      q.busy = true;
      load(item[0], item[1], function (d) {
        if (d) { item[2](d); }
        q.busy = false;
        pump();
      });
    })();
  }

  L.rcPlaces = function (group, spec) {
    if (spec.data) { data[spec.key] = spec.data; delete spec.data; }
    queued(group, spec.src, spec.key, function (D) {
      drawn.push({group: group, D: D, spec: spec, target: draw(group, D, spec)});
    });
  };

  // A page that filters by itself (the published site, static/publish.js) shows another selection
  // of the places drawn: `ids` the places to show, null for every one; the legend counts follow.
  L.rcPlaces.select = function (ids) {
    drawn.forEach(function (d) {
      var sel = '*', bytes, wanted = {};
      if (ids) {
        bytes = [];
        for (var b = 0; b < Math.ceil(d.D.ids.length / 8); b++) { bytes.push(0); }
        ids.forEach(function (id) { wanted[id] = true; });
        d.D.ids.forEach(function (id, i) { if (wanted[id]) { bytes[i >> 3] |= 1 << (i & 7); } });
        sel = btoa(String.fromCharCode.apply(null, bytes));
      }
      d.group.removeLayer(d.target);
      d.target = draw(d.group, d.D, L.extend({}, d.spec, {sel: sel, selected: -1}));
    });
  };

  // Open a drawn place's card on the map, by its id (a click in the published site's list).
  L.rcPlaces.open = function (id) {
    drawn.forEach(function (d) {
      var m = d.target.getLayers().filter(function (x) { return d.D.ids[x.rcIndex] === id; })[0];
      var map = d.target._map;
      if (!m || !map) { return; }
      d.target.rcBind(m);
      map.setView(m.getLatLng(), Math.max(map.getZoom(), 12), {animate: false});
      setTimeout(function () {
        if (map.hasLayer(m)) { m.openPopup(); }
        else { d.target.zoomToShowLayer(m, function () { m.openPopup(); }); }
      }, 300);
    });
  };

  // Regions drawn from the outlines file (maps/regionlayer.py): outlined, or filled with a tooltip.
  L.rcRegions = function (group, spec) {
    queued(group, spec.src, spec.key, function (G) {
      var features = G.features.filter(function (f) { return spec.regions[f.properties.name]; });
      group.addLayer(L.geoJson({type: 'FeatureCollection', features: features}, {
        pane: spec.pane, interactive: spec.interactive,
        style: function (f) {
          var r = spec.regions[f.properties.name];
          return r.fill ? L.extend({}, spec.style, {fillColor: r.fill}) : spec.style;
        },
        onEachFeature: function (f, layer) {
          var r = spec.regions[f.properties.name];
          if (r.label) { layer.bindTooltip(r.label, {sticky: true}); }
        }
      }));
    });
  };
})();
