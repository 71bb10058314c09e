/* What the map page does in the visitor's browser (reseau_map/app/browser.py): French document,
 * map sized to the screen, the presentation's keys, idle controls. Injected once per run with
 * its settings in window.rcPageConfig; it installs itself once and refits on later runs. */
(() => {
  const cfg = window.rcPageConfig;  // app/browser.py: the page's settings, as JSON
  const w = window, d = document;
  d.documentElement.lang = 'fr';
  w.rcMode = cfg.mode;
  if (w.rcInstalled) { w.rcFit && w.rcFit(); return; }
  w.rcInstalled = true;

  // The map fills the screen below it (presentation), or most of a phone's screen.
  const fit = () => {
    for (const frame of d.querySelectorAll(cfg.iframe)) {
      let want = null;
      if (w.rcMode === 'presentation' || w.rcMode === 'embed') {  // embed: the map alone fills its frame
        const top = frame.getBoundingClientRect().top + w.scrollY;
        want = Math.max(240, w.innerHeight - top - 6);
      } else if (w.innerWidth < cfg.phone) {
        want = Math.round(w.innerHeight * 0.72);
      }
      if (want === null) { frame.style.removeProperty('height'); }
      else if (frame.style.height !== want + 'px') { frame.style.setProperty('height', want + 'px', 'important'); }
      let inner;
      try { inner = frame.contentDocument; } catch (e) { continue; }
      if (!inner || !inner.body) continue;
      if (!inner.getElementById('rc-fill')) {
        const style = inner.createElement('style');
        style.id = 'rc-fill';
        inner.head.appendChild(style);
        listen(inner);
      }
      const css = want === null ? ''
        : '#map_div, #map_div2 {height: ' + want + 'px !important; width: 100% !important;}'
        + (w.rcMode === 'presentation' ? cfg.captionCss : '');
      const style = inner.getElementById('rc-fill');
      const m = frame.contentWindow.map;
      if (style.textContent !== css) {
        style.textContent = css;
        if (m && m.invalidateSize) setTimeout(() => m.invalidateSize({pan: false}), 50);
      }
      // A slide of the whole network: fit its bounds here, where the map's real size is known.
      const target = inner.querySelector('.rc-caption [data-rc-fit]');
      const key = target ? target.textContent + w.innerWidth + 'x' + w.innerHeight : '';
      if (target && m && frame.rcFitted !== key) {
        frame.rcFitted = key;
        setTimeout(() => m.flyToBounds(JSON.parse(target.dataset.rcFit), {padding: [20, 20], duration: 0.8}), 300);
      }
    }
  };
  w.rcFit = fit;

  // Presentation controls fade after a few seconds without the mouse, and come back on movement.
  let idle = null;
  const wake = () => {
    d.body.classList.remove('rc-idle');
    clearTimeout(idle);
    idle = setTimeout(() => d.body.classList.add('rc-idle'), cfg.idle);
  };
  const button = (labels) => {
    const all = [...d.querySelectorAll('button')];
    for (const label of labels) {
      const b = all.find(x => x.innerText.trim() === label);
      if (b) return b;
    }
    return null;
  };
  const key = (e) => {
    if (w.rcMode !== 'presentation' || e.ctrlKey || e.altKey || e.metaKey) return;
    const t = e.target;
    if (t && (t.closest && t.closest('input, textarea, select, [role="slider"]'))) return;
    const labels = cfg.keys[e.key];
    const b = labels && button(labels);
    if (b) { e.preventDefault(); b.click(); }
    wake();
  };
  const listen = (doc) => {
    for (const ev of ['mousemove', 'pointerdown', 'touchstart']) doc.addEventListener(ev, wake, {passive: true});
    doc.addEventListener('keydown', key);
  };
  listen(d);
  wake();
  w.addEventListener('resize', fit);
  setInterval(fit, 700);  // new iframes (a rerun, a mode change) are fitted too
  fit();
})();
