"""What the page does in the visitor's browser: French document, map sized to the screen, keys, idle controls.

Streamlit cannot size a component from the viewport, nor listen to keys: one small script, injected
once with `st.html(..., unsafe_allow_javascript=True)`, does it. It finds Streamlit's own elements
by stable hooks (the map's iframe title, `st-key-…` classes, button labels), so a Streamlit update
that renames them breaks only these conveniences, never the page.
"""

from __future__ import annotations

from jinja2.utils import htmlsafe_json_dumps

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
PHONE_MAX_PX = 700  # below this width the page is laid out for a phone
IDLE_MS = 3000  # presentation controls fade after this long without the mouse
# The presentation's buttons, by label, for the keyboard: key -> labels (the first found is clicked).
KEYS: dict[str, list[str]] = {"ArrowLeft": ["◀ Précédent"], "ArrowRight": ["Suivant ▶"],
                              " ": ["Pause", "Lecture"], "Escape": ["Quitter"]}

_SCRIPT = """
<script>
(() => {
  const cfg = __CFG__;
  const w = window, d = document;
  d.documentElement.lang = 'fr';
  w.rcMode = cfg.mode;
  if (w.rcInstalled) { w.rcFit && w.rcFit(); return; }
  w.rcInstalled = true;

  // The map fills the screen below it (presentation), or most of a phone's screen.
  const fit = () => {
    for (const frame of d.querySelectorAll(cfg.iframe)) {
      let want = null;
      if (w.rcMode === 'presentation') {
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
</script>
"""

# The caption card and the legend, read from the back of a room (≥ 24 px at 1080p, scaled with the
# screen's height); injected into the map's frame, since the card is drawn by the map.
CAPTION_CSS = (".rc-caption {font-size: clamp(15px, 2.3vh, 60px) !important; max-width: min(46vw, 1400px)"
               " !important; line-height: 1.25;}"
               " .rc-caption .n {font-size: clamp(20px, 3.3vh, 90px) !important;}"
               " .rc-caption blockquote {font-size: clamp(14px, 2.25vh, 58px) !important;}"
               " .rc-legend {font-size: clamp(13px, 2.2vh, 58px) !important;}"
               " @media (max-width: 700px) {.rc-caption {font-size: 12px !important; max-width: 62vw !important;"
               " padding: 4px 8px !important;} .rc-caption .n {font-size: 15px !important;}"
               " .rc-caption blockquote {display: none;} .rc-legend {font-size: 11px !important;}"
               " .leaflet-control-attribution {max-width: 34vw; font-size: 8px !important;}}")


def script(mode: str = "") -> str:
    """The page's browser script for this mode ("" or "presentation")."""
    cfg = {"mode": mode, "iframe": MAP_IFRAME, "phone": PHONE_MAX_PX, "idle": IDLE_MS, "keys": KEYS,
           "captionCss": CAPTION_CSS}
    return _SCRIPT.replace("__CFG__", str(htmlsafe_json_dumps(cfg)))


# Phones: the map first and whole; the header on one line; no sideways scroll.
PAGE_CSS = f"""
<style>
html, body {{overflow-x: hidden;}}
:focus-visible {{outline: 3px solid #0b3d5c !important; outline-offset: 2px;}}
[data-testid="InputInstructions"] {{display: none;}}
.st-key-rc_near button p {{white-space: normal; text-align: left;}}
.st-key-rc_near button {{justify-content: flex-start;}}  /* « Press Enter to apply »: said in French beside */
[data-testid="stMainBlockContainer"] {{padding-top: 3rem;}}
.st-key-rc_header h1 {{font-size: clamp(1.4rem, 2.4vw, 2.6rem); padding-top: 0;}}
@media (max-width: {PHONE_MAX_PX}px) {{
  [data-testid="stMainBlockContainer"] {{padding: 3.2rem .6rem 1rem .6rem !important;}}
  .st-key-rc_header h1 {{font-size: 1.1rem !important; line-height: 1.4 !important; margin: 0 !important;
       padding: 0 !important; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}}
  .st-key-rc_header [data-testid="stCaptionContainer"] {{font-size: .75rem; line-height: 1.3; margin-top: .35rem;}}
  .st-key-rc_header [data-testid="stCaptionContainer"] p {{margin: 0; white-space: nowrap; overflow: hidden;
       text-overflow: ellipsis;}}
  .st-key-rc_header {{gap: .25rem;}}
}}
</style>
"""
