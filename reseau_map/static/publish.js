/* The published site's list (reseau_map/contrib/publish.py): vanilla JS, no library; filters
 * the rows by text (accents ignored), type (a place may have several), status, region and the
 * partner's own columns (facets: folded values joined by "|"), and says how many are shown. */
(function () {
  function norm(s) { return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  var q = document.getElementById("rm-q"), t = document.getElementById("rm-type"),
      s = document.getElementById("rm-status"), g = document.getElementById("rm-region"),
      count = document.getElementById("rm-count"),
      rows = Array.prototype.slice.call(document.querySelectorAll("#rm-places tbody tr")),
      facets = Array.prototype.slice.call(document.querySelectorAll("select.rm-facet"));
  function holds(list, value, sep) { return (sep + list + sep).indexOf(sep + value + sep) >= 0; }
  function apply() {
    var text = norm(q.value.trim()), n = 0;
    rows.forEach(function (r) {
      var ok = (!t.value || holds(r.dataset.type, t.value, " ")) && (!s.value || r.dataset.status === s.value)
        && (!g.value || r.dataset.region === g.value) && norm(r.dataset.text).indexOf(text) >= 0
        && facets.every(function (f) {
          return !f.value || holds(r.getAttribute("data-facet-" + f.dataset.facet) || "", f.value, "|");
        });
      r.hidden = !ok;
      if (ok) { n += 1; }
    });
    count.textContent = n + (n > 1 ? " lieux affichés" : " lieu affiché");
  }
  [q, t, s, g].concat(facets).forEach(function (e) { e.addEventListener("input", apply); });
  apply();
})();
