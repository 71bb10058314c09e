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

  // Every marker of a canvas outlined, whatever its shape: a dark line then a light halo around
  // it, so that a marker reads (≥ 3:1) on the light atlas, the dark choropleth and any tiles.
  L.rcHalo = function (renderer) {
    if (renderer.rcHalo) { return; }
    renderer.rcHalo = true;
    var fillStroke = renderer._fillStroke;
    renderer._fillStroke = function (ctx, layer) {
      var o = layer.options, H = L.rcHaloColours;
      if (o.rcHalo && H && o.stroke !== false) {
        var w = o.weight || 0;
        ctx.save();
        if (ctx.setLineDash) { ctx.setLineDash([]); }
        ctx.globalAlpha = o.opacity === undefined ? 1 : o.opacity;
        ctx.lineJoin = ctx.lineCap = 'round';
        ctx.strokeStyle = H.light;
        ctx.lineWidth = w + 2 * (H.darkPx + H.lightPx);
        ctx.stroke();
        ctx.strokeStyle = H.dark;
        ctx.lineWidth = w + 2 * H.darkPx;
        ctx.stroke();
        ctx.restore();
      }
      fillStroke.call(this, ctx, layer);
    };
  };

  // A map is compact on a phone, or when the page is zoomed in (200 % of a laptop: 683×384):
  // its legends and layer list fold into buttons, one legend open at a time.
  function compact(map) {
    var size = map.getSize();
    return size.x < 600 || size.y < 420;
  }
  L.rcFold = function (div, map) {
    var title = div.querySelector('b');
    if (!title || div.querySelector('details')) { return; }
    var details = document.createElement('details'), summary = document.createElement('summary');
    details.className = 'rc-fold';
    summary.textContent = title.textContent;
    if (title.nextSibling && title.nextSibling.nodeName === 'BR') { title.nextSibling.remove(); }
    title.remove();
    while (div.firstChild) { details.appendChild(div.firstChild); }
    details.insertBefore(summary, details.firstChild);
    div.appendChild(details);
    details.open = !compact(map);
    details.addEventListener('toggle', function () {
      if (!details.open || !compact(map)) { return; }
      map.getContainer().querySelectorAll('details.rc-fold').forEach(function (other) {
        if (other !== details) { other.open = false; }
      });
    });
  };

  // Room for a popup inside the map, clear of the controls in its corners (a phone's zoom and
  // layer buttons, the layer list over a popup's close button): its width, and how far to pan.
  function room(map) {
    var c = map.getContainer(), size = map.getSize();
    function height(corner) {
      var el = c.querySelector('.leaflet-' + corner);
      return el && el.children.length ? el.getBoundingClientRect().height : 0;
    }
    var top = Math.max(height('top.leaflet-left'), height('top.leaflet-right')) + 8;
    var bottom = Math.min(Math.max(height('bottom.leaflet-left'), height('bottom.leaflet-right')) + 8, size.y * 0.3);
    var left = compact(map) ? 8 : 16;
    // The width is the content's: the popup adds its margins (20 + 24 px) and borders around it.
    return {width: Math.max(160, size.x - 2 * left - 56), height: Math.max(140, size.y - top - bottom - 30),
            topLeft: [left, top], bottomRight: [left, bottom]};
  }
  // A popup's content that changes (its long texts arrive) keeps the keyboard's focus on its heading.
  // (Leaflet hides the popup while it redraws it: focus it once it shows again.)
  var update = L.Popup.prototype.update;
  L.Popup.prototype.update = function () {
    var box = this._container, had = !!(box && box.contains(document.activeElement));
    var done = update.apply(this, arguments);
    var h = had && box.querySelector('h1, h2, h3, h4, h5, h6');
    if (h) { h.tabIndex = -1; h.focus({preventScroll: true}); }
    return done;
  };
  var layout = L.Popup.prototype._updateLayout, pan = L.Popup.prototype._adjustPan;
  L.Popup.prototype._updateLayout = function () {
    if (this._map && this._map.rcAccess) {
      var r = room(this._map);
      if (this.rcWidth === undefined) { this.rcWidth = this.options.maxWidth; }
      this.options.maxWidth = Math.min(this.rcWidth, r.width);
      this.options.maxHeight = r.height < 420 ? r.height : null;
    }
    return layout.apply(this, arguments);
  };
  L.Popup.prototype._adjustPan = function () {
    if (this._map && this._map.rcAccess) {
      var r = room(this._map);
      this.options.autoPanPaddingTopLeft = r.topLeft;
      this.options.autoPanPaddingBottomRight = r.bottomRight;
    }
    return pan.apply(this, arguments);
  };

  // An element becomes a labelled region (the legend, the credits, the caption…), once.
  function region(el, label) {
    if (!el || el.getAttribute('aria-label')) { return; }
    el.setAttribute('role', 'region');
    el.setAttribute('aria-label', label);
  }

  L.rcAccess = function (map, spec) {
    var doc = document, container = map.getContainer(), S = spec.strings, R = spec.regions;
    map.rcAccess = spec;
    L.rcHaloColours = spec.halo;
    // Colours of the clusters and of the focus (static/map.css reads them).
    Object.keys(spec.colours).forEach(function (name) { container.style.setProperty(name, spec.colours[name]); });
    doc.documentElement.lang = spec.lang;
    doc.title = spec.title;
    // folium's page forbids zooming it (maximum-scale=1, user-scalable=no): people who need to
    // enlarge the text must be able to (WCAG 1.4.4).
    doc.querySelectorAll('meta[name="viewport"]').forEach(function (meta) {  // folium writes two
      meta.setAttribute('content', 'width=device-width, initial-scale=1');
    });
    // In a frame the map is the whole document: its main part, under a heading that says what it
    // is; on a page of its own (a standalone map, the published site) one region of the page.
    var framed = window.parent !== window;
    container.setAttribute('role', framed ? 'main' : 'region');
    container.setAttribute('aria-label', spec.label);
    if (framed && !doc.querySelector('h1')) {
      var h1 = L.DomUtil.create('h1', 'rc-sr-only', container);
      h1.textContent = spec.title;
    }
    function resized() { L.DomUtil[compact(map) ? 'addClass' : 'removeClass'](container, 'rc-compact'); }
    map.on('resize', resized);
    resized();
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
