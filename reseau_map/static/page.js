/* What every page does in the visitor's browser (reseau_map/app/browser.py): a French document with
 * its own title, Streamlit's English words in French, named map frames; on the map page the map
 * sized to the screen, the card that takes the keyboard's focus and gives it back, the list's rows
 * opened by Entrée; in presentation mode the keys, controls that fade (never while focused) and a
 * tour that starts paused for who asks for less motion. Injected once per run with its settings
 * in window.rcPageConfig; it installs itself once and refits on later runs.
 */
(() => {
  const cfg = window.rcPageConfig;  // app/browser.py: the page's settings, as JSON
  const w = window, d = document;
  d.documentElement.lang = 'fr';
  w.rcCfg = cfg;
  if (w.rcInstalled) { w.rcFit && w.rcFit(); return; }
  w.rcInstalled = true;
  const now = () => w.rcCfg;  // the latest run's settings (the mode, the page, the title)
  const calm = !!(w.matchMedia && w.matchMedia('(prefers-reduced-motion: reduce)').matches);

  // Streamlit's English words in French: texts and attributes equal to a known phrase, or
  // matching a known pattern (« Remove Bretagne »). Streamlit redraws them: watch the page.
  const patterns = cfg.patterns.map(([re, to]) => [new RegExp(re), to]);
  const french = (text) => {
    const t = text.trim();
    if (!t) return null;
    if (Object.prototype.hasOwnProperty.call(cfg.words, t)) return text.replace(t, cfg.words[t]);
    for (const [re, to] of patterns) { if (re.test(t)) return text.replace(t, t.replace(re, to)); }
    return null;
  };
  const ATTRS = ['aria-label', 'title', 'placeholder', 'aria-description', 'aria-roledescription'];
  const translate = (node) => {
    if (node.nodeType === 3) {
      const to = french(node.nodeValue);
      if (to !== null && to !== node.nodeValue) node.nodeValue = to;
      return;
    }
    if (node.nodeType !== 1) return;
    const all = [node, ...node.querySelectorAll('*')];
    for (const el of all) {
      for (const a of ATTRS) {
        const v = el.getAttribute(a);
        const to = v && french(v);
        if (to && to !== v) el.setAttribute(a, to);
      }
    }
    const walker = d.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    let t;
    while ((t = walker.nextNode())) translate(t);
  };
  // Links to a view of this map (the region panel's places) open in the same tab: Streamlit opens
  // every Markdown link in a new one, a new session each time.
  const sameTab = (node) => {
    if (node.nodeType !== 1) return;
    const links = node.matches('a[target="_blank"]') ? [node] : node.querySelectorAll('a[target="_blank"]');
    for (const a of links) {
      const href = a.getAttribute('href') || '';
      if (href.startsWith('?') || a.origin === location.origin) { a.removeAttribute('target'); }
    }
  };
  const watch = (doc) => {
    new MutationObserver((changes) => {
      for (const c of changes) {
        if (c.type === 'childList') c.addedNodes.forEach((n) => { translate(n); sameTab(n); });
        else if (c.type === 'characterData') translate(c.target);
        else translate(c.target.nodeType === 1 ? c.target : c.target.parentNode);
      }
    }).observe(doc.body, {childList: true, subtree: true, characterData: true, attributes: true,
                          attributeFilter: ATTRS});
    translate(doc.body);
    sameTab(doc.body);
  };
  watch(d);

  // Each page its own title; each map frame its name (Streamlit names it after the component).
  const name = () => {
    const c = now();
    // French on every run, whatever set the document's language since the script was installed.
    if (d.documentElement.lang !== 'fr') d.documentElement.lang = 'fr';
    if (c.title && d.title !== c.title) d.title = c.title;
    for (const frame of d.querySelectorAll(cfg.iframe)) {
      if (frame.title !== c.frameTitle) frame.title = c.frameTitle;
      frame.setAttribute('data-rc-map', '');
    }
  };

  // The map fills the screen below it (presentation), or most of a phone's screen, never less
  // than a usable height (at 400 % zoom a laptop's screen is 192 px tall: the page scrolls).
  const fit = () => {
    name();
    const mode = now().mode;
    for (const frame of d.querySelectorAll(cfg.iframe)) {
      if (now().page !== 'map') continue;
      let want = null;
      if (mode === 'presentation' || mode === 'embed') {  // embed: the map alone fills its frame
        const top = frame.getBoundingClientRect().top + w.scrollY;
        want = Math.max(240, w.innerHeight - top - 6);
      } else if (w.innerWidth < cfg.phone) {
        want = Math.max(cfg.minMap, Math.round(w.innerHeight * 0.72));
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
      // The frame's text is sized from the window, not from the frame (its vh is the frame's).
      inner.documentElement.style.setProperty('--rc-vh', (w.innerHeight / 100) + 'px');
      const css = (want === null ? '' : '#map_div, #map_div2 {height: ' + want + 'px !important; width: 100% !important;}')
        + (mode === 'presentation' ? cfg.captionCss : '');
      const style = inner.getElementById('rc-fill');
      const m = frame.contentWindow.map;
      // Names grow with a projector's height (caption.css): the atlas shows fewer of them (atlas.js).
      const scale = String(mode === 'presentation' ? Math.max(1, Math.round(w.innerHeight / 108) / 10) : 1);
      if (inner.documentElement.getAttribute('data-rc-label-scale') !== scale) {
        inner.documentElement.setAttribute('data-rc-label-scale', scale);
        if (m && m.fire) m.fire('moveend');
      }
      if (style.textContent !== css) {
        style.textContent = css;
        if (m && m.invalidateSize) setTimeout(() => m.invalidateSize({pan: false}), 50);
      }
      // A slide of the whole network: fit its bounds here, where the map's real size is known.
      const target = inner.querySelector('.rc-caption [data-rc-fit]');
      const key = target ? target.textContent + w.innerWidth + 'x' + w.innerHeight : '';
      if (target && m && frame.rcFitted !== key) {
        frame.rcFitted = key;
        setTimeout(() => m.flyToBounds(JSON.parse(target.dataset.rcFit),
                                       {padding: [20, 20], duration: 0.8, animate: !calm}), 300);
      }
    }
  };
  w.rcFit = fit;

  // The card of the place chosen with the keyboard takes the focus (its heading), and gives it
  // back where it came from when it closes, even when Streamlit has redrawn that element.
  let keyed = 0;  // when a key was last pressed on the page: a card opened by it takes the focus
  let opener = null, shownCard = '';
  const keyOf = (el) => {
    const box = el.closest('[class*="st-key-"]');
    // A list or a picker gets a new key (« table_2 ») when the card closes: its prefix names it.
    return box ? [...box.classList].find(c => c.startsWith('st-key-')).replace(/(_\d+)+$/, '') : '';
  };
  const labelOf = (el) => el.getAttribute('aria-label') || (el.innerText || '').trim().slice(0, 80);
  const describe = (el) => {
    if (!el || el === d.body) return null;
    const grid = el.closest('[data-testid="stDataFrameResizable"]');
    if (grid) el = grid.querySelector('canvas[data-testid="data-grid-canvas"]') || el;  // a row: the grid
    return {key: keyOf(el), tag: el.tagName, label: labelOf(el)};
  };
  const find = (what) => {
    if (!what) return null;
    const all = [...d.querySelectorAll(what.tag)].filter(el => keyOf(el) === what.key);
    return all.find(el => labelOf(el) === what.label) || all[0] || null;
  };
  const cardWatch = () => {
    if (now().page !== 'map' || now().mode === 'presentation') return;
    const card = d.querySelector('.' + cfg.card);
    const heading = card && card.querySelector('h1, h2, h3');
    const text = heading ? heading.textContent.trim() : '';
    const recent = Date.now() - keyed < cfg.keyedMs;
    const inMap = d.activeElement && d.activeElement.matches && d.activeElement.matches(cfg.iframe);
    if (text && text !== shownCard) {
      shownCard = text;
      if (recent && !inMap) {
        heading.tabIndex = -1;
        heading.focus({preventScroll: true});
        heading.scrollIntoView({block: 'nearest', behavior: calm ? 'auto' : 'smooth'});
      }
    } else if (!text && shownCard) {
      shownCard = '';
      const lost = !d.activeElement || d.activeElement === d.body;
      if (recent && lost && opener) {
        const back = find(opener);
        if (back) { back.focus({preventScroll: true}); back.scrollIntoView({block: 'nearest'}); }
      }
    }
  };
  d.addEventListener('keydown', (e) => {
    keyed = Date.now();
    const t = e.target;
    if (!t || !t.closest) return;
    // Keep where a card was opened from (not the card itself, nor its close button).
    if (!t.closest('.' + cfg.card) && (e.key === 'Enter' || e.key === ' ')) opener = describe(t);
    // The list's rows open with Entrée (or Espace): the grid itself selects a row with Maj+Espace.
    const grid = t.closest(cfg.list + ' [data-testid="stDataFrameResizable"]');
    if (grid && (e.key === 'Enter' || (e.key === ' ' && !e.shiftKey)) && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      e.stopPropagation();
      t.dispatchEvent(new KeyboardEvent('keydown', {key: ' ', code: 'Space', keyCode: 32, shiftKey: true,
                                                    bubbles: true, cancelable: true}));
      return;
    }
    // Échap closes the card.
    if (e.key === 'Escape' && t.closest('.' + cfg.card)) {
      const close = [...t.closest('.' + cfg.card).querySelectorAll('button')].pop();
      if (close) { e.preventDefault(); close.click(); }
    }
  }, true);

  // Presentation controls fade after a few seconds without the mouse, and come back on movement;
  // never while one of them has the keyboard's focus.
  let idle = null;
  const controls = () => d.querySelector('.' + cfg.controls);
  const focused = () => { const c = controls(); return !!(c && c.contains(d.activeElement)); };
  const sleep = () => { if (!focused()) d.body.classList.add('rc-idle'); };
  const wake = () => {
    d.body.classList.remove('rc-idle');
    clearTimeout(idle);
    idle = setTimeout(sleep, cfg.idle);
  };
  d.addEventListener('focusin', wake);
  const button = (labels) => {
    const all = [...d.querySelectorAll('button')];
    for (const label of labels) {
      const b = all.find(x => x.innerText.trim() === label);
      if (b) return b;
    }
    return null;
  };
  const key = (e) => {
    if (now().mode !== 'presentation' || e.ctrlKey || e.altKey || e.metaKey) return;
    wake();
    const t = e.target;
    if (t && (t.closest && t.closest('input, textarea, select, [role="slider"]'))) return;
    // A focused button or link answers Espace and Entrée itself.
    if ((e.key === ' ' || e.key === 'Enter') && t && t.closest && t.closest('button, a')) return;
    const labels = cfg.keys[e.key];
    const b = labels && button(labels);
    if (b) { e.preventDefault(); b.click(); }
  };
  const listen = (doc) => {
    for (const ev of ['mousemove', 'pointerdown', 'touchstart']) doc.addEventListener(ev, wake, {passive: true});
    doc.addEventListener('keydown', key);
  };
  // Less motion asked: the tour starts paused (once a page: « Lecture » starts it again).
  let paused = false;
  const still = () => {
    if (!calm || paused || now().mode !== 'presentation') return;
    const b = button([cfg.pause]);
    if (b) { paused = true; b.click(); }
  };
  listen(d);
  wake();
  w.addEventListener('resize', fit);
  const tick = () => { fit(); cardWatch(); still(); };
  setInterval(tick, 700);  // new iframes (a rerun, a mode change) are fitted too
  new MutationObserver(() => { cardWatch(); still(); }).observe(d.body, {childList: true, subtree: true});
  tick();
})();
