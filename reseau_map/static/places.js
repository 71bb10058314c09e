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

  function row(D, label, value, col) {
    if (!value) { value = '<em>' + D.notGiven + '</em>'; }
    else if (col === 'website') { value = '<a href="' + value + '" target="_blank" rel="noopener">' + value + '</a>'; }
    return '<tr><th>' + label + '</th><td>' + value + '</td></tr>';
  }

  // Every text in D is HTML-escaped by the server (layers.Prepared); here it is only assembled.
  function popup(D, spec, i) {
    var t = D.t[i], full = !!D.long, L_ = D.long || {cols: {}};
    var h = '<div class="rc-popup"><h4>' + get(D, 'name', i) + '</h4>';
    h += '<p><span class="rc-badge" style="background:' + D.colors[t] + '">' + D.typeLabels[t] +
      '</span> ' + D.statusLabels[D.s[i]] + '</p><table>';
    D.fields.forEach(function (f) {
      if (f[2] && !full) { return; }
      h += row(D, f[1], f[2] ? get(L_, f[0], i) : get(D, f[0], i), f[0]);
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
      clusterPane: L.rcClusterPane || 'markerPane',
      showCoverageOnHover: false, spiderfyOnMaxZoom: true, spiderfyDistanceMultiplier: 1.6});
    group.addLayer(target);
    // Markers are drawn in the marker pane so that filled region layers never cover them.
    // The map's shared canvas (controls.SharedCanvas): tooltips of layers under the places still work.
    var renderer = L.rcHitCanvas || L.canvas({padding: 0.5, pane: 'markerPane'});
    var base = shown.length < 2000 ? 7 : 4;
    // On a projector the markers grow with the screen (≥ 14 px across at 1080p, read from the back).
    var radius = spec.projector ? Math.max(base, Math.round(base * window.innerHeight / 540)) : base;
    var markers = new Array(shown.length), chosen = null;
    shown.forEach(function (i, k) {
      var t = D.t[i], st = D.s[i];
      var m = L.circleMarker([D.lat[i], D.lon[i]], {renderer: renderer, radius: radius,
        color: D.colors[t], weight: 2, fillColor: D.colors[t],
        fillOpacity: st === 0 ? 0.85 : (st === 1 ? 0.0 : 0.35), dashArray: st === 1 ? '3 3' : null});
      m.rcIndex = i;
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
    target.addLayers(markers);
    if (chosen) {
      bind(chosen);
      var asked = Date.now();
      function show() {
        if (!target._map) { return; }
        // zoomToShowLayer and getVisibleParent look for a DOM icon, which canvas markers do not
        // have: a marker drawn on its own is on the map.
        if (target._map.hasLayer(chosen)) { chosen.openPopup(); }
        else { target.zoomToShowLayer(chosen, function () { chosen.openPopup(); }); }
      }
      // The group is added to the map after this script runs, and the page then moves the map to
      // the place: the clusters redraw after the move and take the marker (and its popup) off the
      // map for a moment. Open the popup once it is there, and again when the marker comes back.
      setTimeout(show, 300);
      chosen.on('add', function () {
        if (Date.now() - asked < 3000 && !chosen.isPopupOpen()) { setTimeout(show, 50); }
      });
    }
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
    queued(group, spec.src, spec.key, function (D) { draw(group, D, spec); });
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
