/* The offline atlas (reseau_map/maps/atlas.py), loaded once per map frame.
 *
 * The atlas's data (data/basemap.json: sea, neighbours, land, borders, place names) comes once:
 * in the spec itself (`spec.data`), or from a file of ours loaded with the libraries, which keeps
 * it in `window.rcData[spec.key]`. Coordinates are polyline-encoded at 1/1000 of a degree.
 */
(function () {
  function dec(s) {
    var out = [], lat = 0, lon = 0, i = 0, n = s.length;
    while (i < n) {
      var v = [0, 0];
      for (var k = 0; k < 2; k++) {
        var shift = 0, result = 0, b;
        do { b = s.charCodeAt(i++) - 63; result |= (b & 31) << shift; shift += 5; } while (b >= 32);
        v[k] = (result & 1) ? ~(result >> 1) : (result >> 1);
      }
      lat += v[0]; lon += v[1];
      out.push([lat / 1000, lon / 1000]);
    }
    return out;
  }

  function esc(t) { return t.replace(/&/g, '&amp;').replace(/</g, '&lt;'); }

  // The base layer « Atlas hors ligne »: drawn from the data, place names redrawn on move.
  L.rcAtlas = function (map, spec) {
    var data = window.rcData = window.rcData || {};
    if (spec.data) { data[spec.key] = spec.data; }
    var A = data[spec.key], S = spec.style, container = map.getContainer();
    // Colours and fonts of the names (static/atlas.css reads them).
    Object.keys(spec.labels).forEach(function (name) { container.style.setProperty(name, spec.labels[name]); });
    function pane(name, z) {
      var p = map.getPane(name) || map.createPane(name);
      p.style.zIndex = z; p.style.pointerEvents = 'none';
      return name;
    }
    var shapes = L.svg({pane: pane('rcAtlas', S.atlasZ), padding: 0.5});
    pane('rcLabels', S.labelZ);
    var base = {renderer: shapes, pane: 'rcAtlas', interactive: false};
    function polys(rings, style) {
      return L.polygon(rings.map(function (r) { return [dec(r)]; }), L.extend({}, base, style));
    }
    var arcs = A.arcs.map(dec);
    function lines(test, style) {
      return L.polyline(arcs.filter(function (_a, i) { return test(+A.kinds[i]); }), L.extend({}, base, style));
    }
    var group = L.layerGroup([
      polys(A.neighbours, {color: S.neighbourEdge, weight: 1, fillColor: S.neighbour, fillOpacity: 1}),
      polys(A.land, {color: S.coast, weight: 1.2, fillColor: S.land, fillOpacity: 1}),
      lines(function (k) { return k & 1; }, {color: S.region, weight: 1.6, fill: false})
    ]);
    var deps = lines(function (k) { return !(k & 1); }, {color: S.departement, weight: 1, fill: false});
    var L_ = A.labels, names = L_.names.split('|'), points = dec(L_.points), ends = [], total = 0;
    L_.counts.forEach(function (c) { total += c; ends.push(total); });
    var labels = L.layerGroup().addTo(group), shown = {};
    function draw() {
      if (!map.hasLayer(group)) { return; }
      var zoom = map.getZoom();
      if (zoom >= S.depZoom) { group.addLayer(deps); } else { group.removeLayer(deps); }
      // A projector's names are drawn larger (caption.css): as many as at 1080p, not more (page.js sets the scale).
      var shift = Math.max(0, Math.log2(+(document.documentElement.getAttribute('data-rc-label-scale') || 1)));
      var tier = Math.min(Math.floor((zoom - shift - L_.z0) / L_.step + 1e-6), ends.length - 1);
      var end = tier < 0 ? 0 : ends[tier], view = map.getBounds().pad(0.25), keep = {}, i;
      for (i = 0; i < end; i++) { if (view.contains(points[i])) { keep[i] = true; } }
      for (i in shown) { if (!keep[i]) { labels.removeLayer(shown[i]); delete shown[i]; } }
      for (i in keep) {
        if (!shown[i]) {
          shown[i] = L.marker(points[i], {pane: 'rcLabels', interactive: false, keyboard: false,
            icon: L.divIcon({className: 'rc-lbl rc-lbl' + L_.ranks[i], html: esc(names[i]), iconSize: null})});
          labels.addLayer(shown[i]);
        }
      }
    }
    group.on('add', function () {
      map.on('zoomend moveend', draw);
      container.style.background = S.sea;
      draw();
    });
    group.on('remove', function () { map.off('zoomend moveend', draw); });
    group.rcArcs = {arcs: arcs, kinds: A.kinds, base: base};
    map.rcOffline = group;  // what the legend falls back to when tiles fail (controls.js)
    return group;
  };

  // The overlay « Régions de 2012 »: the atlas's borders of the 22 regions of 2012, dashed.
  L.rcRegions2012 = function (map, spec) {
    var R = map.rcOffline.rcArcs;
    return L.polyline(R.arcs.filter(function (_a, i) { return +R.kinds[i] & 2; }), L.extend({}, R.base, spec.style));
  };
})();
