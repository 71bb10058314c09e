/* Our map controls (reseau_map/maps/controls.py), loaded once per map frame.
 *
 * Each function is called by one element's script with its parent (the map, or the feature
 * group that comes and goes with each rerun) and the element's spec, as JSON.
 */
(function () {
  // Legend, attribution and, when tiles fail, the switch back to the offline atlas.
  L.rcLegend = function (map, spec) {
    // Wide maps: bottom right (fits leave room for it); phones: bottom left, the Atlantic and Spain
    // at France zoom, where no place hides under it.
    var legend = L.control({position: map.getSize().x < 600 ? 'bottomleft' : 'bottomright'});
    legend.onAdd = function () {
      var div = L.DomUtil.create('div', 'rc-legend rc-types');
      div.innerHTML = spec.html;
      // The places layer writes the lines of the places it shows (places.js), maybe before this.
      var body = div.querySelector('.rc-legend-body');
      if (body && window.rcLegendBody) { body.innerHTML = window.rcLegendBody; }
      if (L.rcFold) { L.rcFold(div, map); }  // folds on a compact map (access.js)
      return div;
    };
    legend.addTo(map);
    map.attributionControl.setPrefix(spec.attribution);
    if (!spec.fallback) { return; }
    // No internet (a launch evening with bad wifi): when a tile base fails before any tile has
    // loaded, switch back to the offline atlas (atlas.js: map.rcOffline) so that the map stays readable.
    function watch(layer) {
      if (!(layer instanceof L.TileLayer) || layer.rcWatched) { return; }
      var loaded = false, failed = 0;
      layer.rcWatched = true;
      layer.on('tileload', function () { loaded = true; });
      layer.on('tileerror', function () {
        failed += 1;
        if (!loaded && failed >= 4 && map.hasLayer(layer) && map.rcOffline) {
          map.removeLayer(layer);
          map.addLayer(map.rcOffline);
          map.attributionControl.addAttribution(spec.fallbackNote);
        }
      });
    }
    map.eachLayer(watch);
    map.on('layeradd', function (e) { watch(e.layer); });
  };

  // A small legend (or caption) control that comes and goes with the layer it belongs to.
  L.rcOverlayLegend = function (group, spec) {
    var control = L.control({position: spec.position});
    control.onAdd = function (map) {
      var div = L.DomUtil.create('div', spec.cssClass);
      div.innerHTML = spec.html;
      if (L.rcFold && spec.cssClass === 'rc-legend') { L.rcFold(div, map); }  // folds on a compact map
      return div;
    };
    group.on('add', function () { control.addTo(group._map); });
    group.on('remove', function () { control.remove(); });
  };

  // « + 117 lieux outre-mer » and a button to each territory the view leaves out (controls.OverseasNotice).
  L.rcOverseas = function (group, spec) {
    // Top left, under the zoom buttons: over the Atlantic at France zoom, clear of the credits.
    var control = L.control({position: 'topleft'}), div = null;
    function button(t, text) {
      var b = L.DomUtil.create('button', 'rc-overseas-go', div);
      b.type = 'button';
      b.textContent = text;  // names as text, never as HTML
      L.DomEvent.on(b, 'click', function () {
        group._map.fitBounds(t.bounds, {maxZoom: spec.maxZoom, padding: [24, 24]});
      });
    }
    function update() {
      var map = group._map;
      if (!map || !div) { return; }
      var view = map.getBounds();
      var away = spec.territories.filter(function (t) { return !view.intersects(t.bounds); });
      var total = away.reduce(function (n, t) { return n + t.count; }, 0);
      var home = spec.home && !view.intersects(spec.home.bounds) ? spec.home : null;
      div.innerHTML = '';
      div.style.display = away.length || home ? '' : 'none';
      if (away.length) {
        L.DomUtil.create('b', '', div).textContent = '+ ' + total.toLocaleString('fr-FR') + '\u00a0' +
          (total > 1 ? spec.label : spec.labelOne) + '\u00a0: ';
        away.forEach(function (t) { button(t, t.name + ' (' + t.count.toLocaleString('fr-FR') + ')'); });
      }
      if (home) { button(home, home.name + ' (' + home.count.toLocaleString('fr-FR') + ')'); }
    }
    control.onAdd = function () {
      div = L.DomUtil.create('div', 'rc-legend rc-overseas');
      div.setAttribute('role', 'navigation');
      div.setAttribute('aria-label', spec.label);
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    group.on('add', function () {
      control.addTo(group._map);
      group._map.on('moveend zoomend', update);
      update();
    });
    group.on('remove', function () {
      if (control._map) { control._map.off('moveend zoomend', update); }
      control.remove();
    });
  };

  // Turn the view changes the page sends (st_folium's setView) into smooth flights.
  L.rcFlyTo = function (map, spec) {
    var setView = map.setView;
    map.setView = function (center, zoom, options) {
      if (!map._loaded || L.rcCalm || (options && options.animate === false)) {
        return setView.call(map, center, zoom, L.rcCalm ? L.extend({}, options, {animate: false}) : options);
      }
      return map.flyTo(center, zoom, {duration: spec.seconds});
    };
  };

  // Fit the map to bounds once per key, in the browser, which knows the map's real size.
  L.rcFit = function (group, spec) {
    function fit(force) {
      var map = group._map;
      if (!map || (!force && window.__rcFitKey === spec.key)) { return; }
      window.__rcFitKey = spec.key;
      // Room for the legend in the bottom right corner of a wide map (L.rcLegend).
      var right = map.getSize().x >= 600 ? 150 : 24;
      var options = {maxZoom: spec.maxZoom, paddingTopLeft: [24, 24], paddingBottomRight: [right, 24]};
      // Leaflet drops a zoom asked while it animates one (a fit at the frame's first size): after it, then.
      if (map._animatingZoom) { map.once('zoomend', function () { map.fitBounds(spec.bounds, options); }); }
      else { map.fitBounds(spec.bounds, options); }
    }
    function settle() {
      var map = group._map, started = Date.now();
      fit(false);
      // The frame often gets its real width just after the first draw: fit again while the map
      // settles (spec.settleMs), unless the visitor has moved it meanwhile.
      var moved = false;
      map.once('dragstart', function () { moved = true; });
      L.DomEvent.on(map.getContainer(), 'wheel touchstart', function () { moved = true; });
      map.on('resize', function () {
        var settling = !moved && Date.now() - started < spec.settleMs && window.__rcFitKey === spec.key;
        if (spec.onResize || settling) { fit(true); }
      });
    }
    if (group._map) { settle(); } else { group.once('add', settle); }
  };

  // Leaflet's own controls in the page's language: zoom buttons, the scale, the container's lang.
  L.rcFrenchControls = function (map, spec) {
    map.getContainer().setAttribute('lang', spec.lang);
    if (map.zoomControl) { map.removeControl(map.zoomControl); }
    map.zoomControl = L.control.zoom({zoomInTitle: spec.zoomInTitle, zoomOutTitle: spec.zoomOutTitle}).addTo(map);
    L.control.scale({imperial: spec.imperial, metric: spec.metric}).addTo(map);
  };

  // One canvas for every interactive vector layer (see controls.SharedCanvas), and the clusters' pane.
  L.rcSharedCanvas = function (map, spec) {
    var hit = L.canvas({padding: 0.5, pane: spec.pane});
    map._paneRenderers = map._paneRenderers || {};
    map._paneRenderers[spec.pane] = hit;
    L.rcHitCanvas = hit;  // the places layer draws on it too
    // Cluster counts above the place names (which sit above the marker pane to stay readable on a
    // choropleth): a count under a town's name cannot be read.
    map.createPane(spec.clusterPane).style.zIndex = spec.clusterZ;
    L.rcClusterPane = spec.clusterPane;
  };
})();
