/* What every map of ours does for people without a mouse, with a screen reader, or wanting calm
 * (reseau_map/maps/access.py: the spec). Loaded once per map frame, before the map is made.
 */
(function () {
  // Motion on request only: with prefers-reduced-motion, Leaflet moves without animating.
  var calm = !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
  L.rcCalm = calm;
  if (calm) { L.Map.mergeOptions({zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false}); }

  // Leaflet focuses the map on mousedown (for its keys), then scrolls its own window back; in a
  // frame that focus also scrolls the page around the frame so that the map shows whole: at
  // 1366×768 the page moved 40 px between mousedown and click, and the click opened the place
  // 40 px lower (Rennes opened Nantes). Focus without scrolling anything.
  L.Map.Keyboard.prototype._onMouseDown = function () {
    if (!this._focused) { this._map._container.focus({preventScroll: true}); }
  };

  // A click whose pointer did not move on the screen, but that lands elsewhere on the map
  // because the page under it moved (a scroll between mousedown and click), goes back to where
  // the button went down: the place under the pointer is the place that opens, whatever scrolls.
  function keepClicks(container) {
    var down = null;
    container.addEventListener('pointerdown', function (e) {
      down = {cx: e.clientX, cy: e.clientY, sx: e.screenX, sy: e.screenY};
    }, true);
    container.addEventListener('click', function (e) {
      var was = down;
      down = null;
      if (!was || e.rcMoved || !e.isTrusted) { return; }
      var still = Math.abs(e.screenX - was.sx) + Math.abs(e.screenY - was.sy) <= 2;
      var shifted = Math.abs(e.clientX - was.cx) + Math.abs(e.clientY - was.cy) > 2;
      if (!still || !shifted) { return; }
      var target = document.elementFromPoint(was.cx, was.cy);
      if (!target || !container.contains(target)) { return; }
      e.stopPropagation();
      e.preventDefault();
      var again = new MouseEvent('click', {bubbles: true, cancelable: true, view: window, clientX: was.cx,
        clientY: was.cy, screenX: e.screenX, screenY: e.screenY, button: 0});
      again.rcMoved = true;
      target.dispatchEvent(again);
    }, true);
  }

  // An element becomes a labelled region (the legend, the credits, the caption…), once.
  function region(el, label) {
    if (!el || el.getAttribute('aria-label')) { return; }
    el.setAttribute('role', 'region');
    el.setAttribute('aria-label', label);
  }

  L.rcAccess = function (map, spec) {
    var doc = document, container = map.getContainer(), S = spec.strings, R = spec.regions;
    doc.documentElement.lang = spec.lang;
    doc.title = spec.title;
    // folium's page forbids zooming it (maximum-scale=1, user-scalable=no): people who need to
    // enlarge the text must be able to (WCAG 1.4.4).
    var meta = doc.querySelector('meta[name="viewport"]');
    if (meta) { meta.setAttribute('content', 'width=device-width, initial-scale=1'); }
    container.setAttribute('role', 'region');
    container.setAttribute('aria-label', spec.label);
    var help = L.DomUtil.create('p', 'rc-sr-only', container);
    help.id = 'rc-map-help';
    help.textContent = spec.help;
    container.setAttribute('aria-describedby', help.id);
    keepClicks(container);

    // Leaflet's English words, and the map's parts as labelled regions; controls come and go
    // (a choropleth's legend, a slide's caption): look again whenever one is added.
    function label() {
      var toggle = container.querySelector('.leaflet-control-layers-toggle');
      if (toggle) { toggle.title = S.layers; toggle.setAttribute('aria-label', S.layers); }
      region(container.querySelector('.leaflet-control-layers'), R.layers);
      region(container.querySelector('.leaflet-control-attribution'), R.attribution);
      region(container.querySelector('.leaflet-top.leaflet-left'), R.controls);
      container.querySelectorAll('.rc-legend').forEach(function (el) {
        var title = el.querySelector('b');
        region(el, el.classList.contains('rc-types') || !title ? R.legend : R.legend + '\u00a0: ' + title.textContent);
      });
      container.querySelectorAll('.rc-caption').forEach(function (el) { region(el, R.caption); });
    }
    new MutationObserver(label).observe(container.querySelector('.leaflet-control-container'), {childList: true,
      subtree: true});
    label();

    map.on('popupopen', function (e) {
      var close = e.popup._closeButton;
      if (close) { close.setAttribute('aria-label', S.closePopup); close.title = S.closePopup; }
    });
  };
})();
