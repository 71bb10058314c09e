/* The URL contract, honest (reseau_map/app/urlnotice.py): Streamlit drops a query string past its
 * limits (1,000 parameters, 512 Ki characters) without a word, and the page then shows the default
 * view. The address is still in window.location when the page opens: this says so, in French, and
 * stays (the map's first report soon rewrites the address) until the visitor closes it. */
(() => {
  const cfg = window.rcUrlConfig;  // app/urlnotice.py: the limits and the sentence
  const w = window, d = document;
  if (w.rcUrlChecked) return;  // once per page load: what was dropped is the address it opened with
  w.rcUrlChecked = true;
  const q = w.location.search.replace(/^\?/, '');
  const fields = q ? q.split('&').length : 0;
  if (fields <= cfg.maxFields && q.length <= cfg.maxChars) return;
  const box = d.createElement('div');
  box.id = 'rc-url-notice';
  box.setAttribute('role', 'alert');
  box.style.cssText = 'position:fixed;top:0;left:0;right:0;z-index:2147483000;padding:.6rem 3rem .6rem 1rem;' +
    'background:#fff3cd;color:#3d2c00;border-bottom:2px solid #b38600;font:15px/1.4 sans-serif';
  const text = d.createElement('span');
  // Text, never HTML: the counts and the sentence are ours.
  text.textContent = (fields > cfg.maxFields ? cfg.tooMany : cfg.tooLong)
    .replace('{n}', fields.toLocaleString('fr-FR')).replace('{chars}', q.length.toLocaleString('fr-FR'));
  const close = d.createElement('button');
  close.type = 'button';
  close.textContent = 'Fermer';
  close.style.cssText = 'position:absolute;right:.6rem;top:.45rem;font:inherit;cursor:pointer';
  close.addEventListener('click', () => box.remove());
  box.append(text, close);
  const show = () => d.body.appendChild(box);
  if (d.body) show(); else d.addEventListener('DOMContentLoaded', show);
})();
