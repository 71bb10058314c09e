/* The published site (reseau_map/contrib/publish.py): vanilla JS, no library. Its filters choose the
 * places of the map and of the list together: text (accents ignored), type (a place may have several),
 * status, region and the partner's own columns (facets: folded values joined by "|"). The map redraws
 * its places and its legend through static/places.js (L.rcPlaces.select); a name in the list opens the
 * place's card on the map (L.rcPlaces.open). */
(function () {
  function norm(s) { return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  var form = document.querySelector(".rm-filters"), q = document.getElementById("rm-q"),
      t = document.getElementById("rm-type"), s = document.getElementById("rm-status"),
      g = document.getElementById("rm-region"), count = document.getElementById("rm-count"),
      rows = Array.prototype.slice.call(document.querySelectorAll("#rm-places tbody tr")),
      facets = Array.prototype.slice.call(document.querySelectorAll("select.rm-facet")),
      places = window.L && L.rcPlaces;
  function holds(list, value, sep) { return (sep + list + sep).indexOf(sep + value + sep) >= 0; }
  function apply() {
    var text = norm(q.value.trim()), shown = [], every = true;
    rows.forEach(function (r) {
      var ok = (!t.value || holds(r.dataset.type, t.value, " ")) && (!s.value || r.dataset.status === s.value)
        && (!g.value || r.dataset.region === g.value) && norm(r.dataset.text).indexOf(text) >= 0
        && facets.every(function (f) {
          return !f.value || holds(r.getAttribute("data-facet-" + f.dataset.facet) || "", f.value, "|");
        });
      r.hidden = !ok;
      if (ok) { shown.push(r.dataset.id); } else { every = false; }
    });
    var n = shown.length;
    count.textContent = n + (n > 1 ? " lieux affichés" : " lieu affiché");
    if (places && places.select) { places.select(every ? null : shown); }
  }
  [q, t, s, g].concat(facets).forEach(function (e) { e.addEventListener("input", apply); });
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  // Enter in the search box filters, it never reloads the page (no inline handler: the CSP forbids them).
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.rm-show");
    if (!a || !places || !places.open) { return; }
    e.preventDefault();
    var map = document.querySelector(".folium-map");
    if (map) { map.scrollIntoView({block: "start"}); }
    places.open(a.dataset.id);
  });
  apply();
})();
