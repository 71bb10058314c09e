/* The map's keyboard layer (reseau_map/maps/access.py), loaded once per map frame.
 *
 * Places are drawn on a canvas and MarkerCluster's icons ignore Entrée: neither can be reached
 * nor opened with the keyboard, nor named for a screen reader. Over a cluster group, every place
 * and every cluster in view gets a button of its own, in reading order (top to bottom, left to
 * right), named by the places layer (« La Cantine, cantine, ouvert, Paris », « 3 lieux : … »).
 * Tab goes from one to the next, the arrows to the nearest one in their direction; Entrée opens
 * a place's card (its heading takes the focus) or unfolds a cluster (the focus goes to its first
 * place); Échap closes the card and the focus goes back to its place. The buttons never take the
 * mouse: the canvas and the cluster icons keep it. When the page redraws the places (a filter, a
 * selection), the focus goes back to the same place, or to the card it had.
 */
(function () {
  var ROW = 40;  // px: buttons this close vertically are on one reading line, left to right
  var MEMORY_MS = 15000;  // a lost focus goes back to the same place for this long

  function lost() {
    var a = document.activeElement;
    return document.hasFocus() && (!a || a === document.body);
  }

  function pane(map) {
    var p = map.getPane('rcKeys');
    if (!p) {
      p = map.createPane('rcKeys');
      p.style.zIndex = 645;  // above the clusters (640), below the tooltips (650) and popups (700)
      p.style.pointerEvents = 'none';
      L.DomUtil.addClass(p, 'leaflet-zoom-hide');
    }
    return p;
  }

  function heading(popup) {
    var el = popup.getElement && popup.getElement();
    var h = el && el.querySelector('h1, h2, h3, h4, h5, h6');
    if (h) { h.tabIndex = -1; }
    return h;
  }

  // Once a map: the popups of places take and give back the focus.
  function install(map) {
    if (map.rcKeys) { return map.rcKeys; }
    var K = map.rcKeys = {memo: null, byKey: {}, groups: []};
    var container = map.getContainer();
    K.remember = function (kind, key) { K.memo = {kind: kind, key: key, at: Date.now()}; };
    K.recent = function () { return K.memo && Date.now() - K.memo.at < MEMORY_MS; };
    K.focusKey = function (key) {
      var b = K.byKey[key];
      if (!b) {  // the place is in a cluster now: its cluster
        K.groups.forEach(function (g) { b = b || g.rcFindMember(key); });
      }
      if (b) { b.focus({preventScroll: true}); return true; }
      return false;
    };
    container.addEventListener('focusin', function (e) {
      var t = e.target;
      if (t.dataset && t.dataset.rcKey) { K.remember('button', t.dataset.rcKey); return; }
      var open = map._popup, el = open && open.getElement && open.getElement();
      if (el && el.contains(t) && open._source && open._source.rcKey) { K.remember('popup', open._source.rcKey); }
    });
    map.on('popupopen', function (e) {
      var src = e.popup._source, key = src && src.rcKey;
      if (!key) { return; }
      var asked = K.opening === key;
      // Its place was redrawn (a rerun): the focus was lost, or is still in the old popup fading out.
      var a = document.activeElement, fading = a && a.closest && a.closest('.leaflet-popup') &&
        !e.popup.getElement().contains(a);
      var back = K.recent() && K.memo.kind === 'popup' && K.memo.key === key && (lost() || fading);
      K.opening = null;
      if (asked || back) {
        var h = heading(e.popup);
        if (h) { h.focus({preventScroll: true}); K.remember('popup', key); }
      }
    });
    map.on('popupclose', function (e) {
      var src = e.popup._source, key = src && src.rcKey, el = e.popup.getElement && e.popup.getElement();
      var had = el && el.contains(document.activeElement);
      setTimeout(function () {
        // Closed by the visitor (Échap, ×, a click elsewhere), not by a redraw of its place (the
        // new popup takes the focus back).
        if (!key || !src._map) { return; }
        if (had || (lost() && K.recent() && K.memo.kind === 'popup' && K.memo.key === key)) { K.focusKey(key); }
      }, 0);
    });
    container.addEventListener('keydown', function (e) {
      if (e.key !== 'Escape' || e.target === container) { return; }  // the container: Leaflet's own keys
      if (map._popup && map._popup.isOpen && map._popup.isOpen()) {
        e.preventDefault();
        map.closePopup();
      }
    });
    return K;
  }

  // Spec: name(marker) and clusterName(cluster): what a screen reader says; open(marker): what
  // Entrée does on a place (the click's work: its popup, the page told).
  L.rcKeys = function (group, spec) {
    function start() {
      var map = group._map, K = install(map), p = pane(map), buttons = {}, timer = null, expanding = null;
      K.groups.push(group);

      function keyOfCluster(c) {
        var keys = c.getAllChildMarkers().map(function (m) { return m.rcKey; }).sort();
        return {key: 'c:' + keys[0] + ':' + keys.length, members: keys};
      }
      group.rcFindMember = function (key) {
        for (var k in buttons) {
          if (buttons[k].rcMembers && buttons[k].rcMembers.indexOf(key) >= 0) { return buttons[k]; }
        }
        return null;
      };

      function expand(c) {
        var b = c.getBounds(), members = keyOfCluster(c).members;
        expanding = {members: members, at: Date.now()};
        if (b.getNorthEast().equals(b.getSouthWest()) || map.getZoom() >= map.getMaxZoom()) { c.spiderfy(); }
        else { c.zoomToBounds({padding: [40, 40]}); }
      }

      function button(key, label) {
        var b = buttons[key];
        if (!b) {
          b = buttons[key] = L.DomUtil.create('button', 'rc-key', p);
          b.type = 'button';
          b.dataset.rcKey = key;
          L.DomEvent.on(b, 'click', function (e) {
            L.DomEvent.stop(e);
            if (b.rcCluster) { expand(b.rcCluster); return; }
            K.opening = b.rcMarker.rcKey;
            spec.open(b.rcMarker);
          });
          L.DomEvent.on(b, 'keydown', function (e) { arrow(e, b); });
          L.DomEvent.disableClickPropagation(b);
        }
        if (b.getAttribute('aria-label') !== label) { b.setAttribute('aria-label', label); }
        return b;
      }

      // The arrows go to the nearest button in their direction (a keyboard mode between places).
      function arrow(e, from) {
        var dirs = {ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1]};
        var dir = dirs[e.key];
        if (!dir) { return; }
        e.preventDefault();
        var best = null, score = Infinity;
        for (var k in buttons) {
          var b = buttons[k];
          if (b === from) { continue; }
          var dx = b.rcPoint.x - from.rcPoint.x, dy = b.rcPoint.y - from.rcPoint.y;
          var along = dx * dir[0] + dy * dir[1], across = Math.abs(dx * dir[1] - dy * dir[0]);
          if (along <= 0 || across > along * 2) { continue; }
          var s = along + 2 * across;
          if (s < score) { score = s; best = b; }
        }
        if (best) { best.focus({preventScroll: true}); }
      }

      function rebuild() {
        timer = null;
        if (!group._map) { return; }
        var size = map.getSize(), items = [], seen = {};
        map.eachLayer(function (l) {
          var cluster = l instanceof L.MarkerCluster && l._group === group;
          var place = !cluster && l.rcKey && group.hasLayer(l);
          if (!cluster && !place) { return; }
          var pt = map.latLngToContainerPoint(l.getLatLng());
          if (pt.x < 0 || pt.y < 0 || pt.x > size.x || pt.y > size.y) { return; }
          items.push({layer: l, cluster: cluster, point: pt});
        });
        items.sort(function (a, b) {
          var ra = Math.round(a.point.y / ROW), rb = Math.round(b.point.y / ROW);
          return ra - rb || a.point.x - b.point.x;
        });
        var had = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.rcKey : null;
        var order = [];
        items.forEach(function (it) {
          var key, b;
          if (it.cluster) {
            var id = keyOfCluster(it.layer);
            key = id.key;
            b = button(key, spec.clusterName(it.layer));
            b.rcCluster = it.layer;
            b.rcMembers = id.members;
            if (it.layer._icon) {  // the icon keeps the mouse; the button is the one that is read
              it.layer._icon.tabIndex = -1;
              it.layer._icon.setAttribute('aria-hidden', 'true');
            }
          } else {
            key = it.layer.rcKey;
            b = button(key, spec.name(it.layer));
            b.rcMarker = it.layer;
            b.rcMembers = null;
          }
          seen[key] = true;
          b.rcPoint = it.point;
          L.DomUtil.setPosition(b, map.containerPointToLayerPoint(it.point));
          order.push(b);
        });
        for (var k in buttons) {
          if (!seen[k]) { L.DomUtil.remove(buttons[k]); delete buttons[k]; delete K.byKey[k]; }
        }
        // Reading order in the document, moving only what is out of place (a moved node loses the focus).
        var next = p.firstChild;
        order.forEach(function (b) {
          if (b !== next) { p.insertBefore(b, next); } else { next = next.nextSibling; }
          K.byKey[b.dataset.rcKey] = b;
        });
        if (had && buttons[had] && document.activeElement !== buttons[had]) { buttons[had].focus({preventScroll: true}); }
        // A cluster just unfolded: the focus goes to its first place (or part) now in view.
        if (expanding && Date.now() - expanding.at < MEMORY_MS) {
          var first = order.filter(function (b) {
            return expanding.members.indexOf(b.dataset.rcKey) >= 0 || (b.rcMembers || []).some(function (m) {
              return expanding.members.indexOf(m) >= 0;
            });
          })[0];
          if (first) { expanding = null; first.focus({preventScroll: true}); }
        } else if (lost() && K.recent() && K.memo.kind === 'button') {
          K.focusKey(K.memo.key);  // the places were redrawn under the focus
        }
      }
      function later() { if (!timer) { timer = setTimeout(rebuild, 60); } }
      map.on('moveend zoomend', later);
      group.on('animationend spiderfied unspiderfied layeradd layerremove', later);
      group.on('remove', function () {
        map.off('moveend zoomend', later);
        for (var k in buttons) { L.DomUtil.remove(buttons[k]); if (K.byKey[k] === buttons[k]) { delete K.byKey[k]; } }
        buttons = {};
        K.groups = K.groups.filter(function (g) { return g !== group; });
      });
      later();
    }
    if (group._map) { start(); } else { group.once('add', start); }
  };
})();
