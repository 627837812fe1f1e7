// What every console page shares: words in two languages, the API helper (session cookie +
// anti-forgery header, idempotent presses, plain-words refusals), the signed-in user and the
// page header. Text from the server only ever enters the page as text (textContent,
// createElement): never as HTML.
'use strict';
window.App = (function () {
  const LANG_KEY = 'mc.console.lang';
  const dict = window.I18N;
  let lang = localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
  const langListeners = [];
  let session = null;

  // ---- words ----
  function has(key) {
    return Object.prototype.hasOwnProperty.call(dict.vi, key);
  }
  function t(key, vars) {
    let s = dict[lang][key];
    if (s === undefined) s = dict.vi[key];
    if (s === undefined) s = key;
    if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (Object.prototype.hasOwnProperty.call(vars, k) ? String(vars[k]) : m));
    return s;
  }
  function applyI18n(root) {
    (root || document).querySelectorAll('[data-i18n]').forEach((e) => {
      e.textContent = t(e.dataset.i18n);
    });
    (root || document).querySelectorAll('[data-i18n-attr]').forEach((e) => {
      for (const pair of e.dataset.i18nAttr.split(',')) {
        const [attr, key] = pair.split(':').map((s) => s.trim());
        e.setAttribute(attr, t(key));
      }
    });
  }
  function setLang(l) {
    lang = l === 'en' ? 'en' : 'vi';
    localStorage.setItem(LANG_KEY, lang);
    document.documentElement.lang = lang;
    applyI18n();
    langListeners.forEach((f) => f(lang));
  }
  function onLang(f) {
    langListeners.push(f);
  }
  function locale() {
    return lang === 'vi' ? 'vi-VN' : 'en-GB';
  }

  // ---- building the page without HTML strings ----
  const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'open']);
  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') e.textContent = String(v);
      else if (k === 'class') e.className = v;
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
      else if (PROPS.has(k)) e[k] = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const k of kids.flat(Infinity)) {
      if (k === null || k === undefined || k === false) continue;
      e.append(k instanceof Node ? k : String(k));
    }
    return e;
  }
  const SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, ...kids) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === 'text') e.textContent = String(v);
      else e.setAttribute(k, String(v));
    }
    for (const k of kids.flat(Infinity)) if (k) e.append(k instanceof Node ? k : String(k));
    return e;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }
  function $(id) {
    return document.getElementById(id);
  }

  // ---- the API ----
  class ApiError extends Error {
    constructor(status, code, message, body) {
      super(message || code);
      this.status = status;
      this.code = code;
      this.body = body || {};
    }
  }

  // A random Idempotency-Key. crypto.randomUUID exists only in secure contexts (HTTPS or
  // localhost); a counter PC reaches the server by plain HTTP on the LAN, where
  // getRandomValues still works.
  function newKey() {
    if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  const PAGES = ['counter.html', 'admin.html', 'reports.html', 'dossiers.html'];
  function here() {
    const p = location.pathname.split('/').pop();
    return PAGES.includes(p) ? p : '';
  }
  // Set while signing out: the requests the sign-out itself sets off (the event stream says
  // the counter was left) find the session gone, and must not send the page elsewhere.
  let leaving = false;
  function toSignIn(reason) {
    if (leaving) return;
    const next = here();
    const q = new URLSearchParams({ reason });
    if (next) q.set('next', next + location.hash);
    location.replace('index.html?' + q.toString());
  }

  async function api(method, path, opts) {
    const o = opts || {};
    const headers = { Accept: 'application/json' };
    let body = o.body;
    if (body instanceof FormData) {
      // The browser writes the multipart boundary into the Content-Type itself.
    } else if (body !== undefined && !(body instanceof Blob) && !(body instanceof ArrayBuffer)) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(body);
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/octet-stream';
    }
    if (method !== 'GET' && session && session.csrf) headers['X-CSRF-Token'] = session.csrf;
    if (o.key) headers['Idempotency-Key'] = o.key;
    // A read the page makes by itself (an event came, a periodic check) is not someone using
    // the console: it must not keep an unattended PC's session alive.
    if (o.background) headers['X-Console-Background'] = '1';
    let res;
    let data = null;
    try {
      res = await fetch('/api/v1' + path, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
      const type = res.headers.get('content-type') || '';
      if (res.status !== 204) data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
    } catch (e) {
      // The request may or may not have reached the server: the caller may retry it with the
      // same Idempotency-Key.
      throw new ApiError(0, 'network', String(e && e.message ? e.message : e));
    }
    if (!res.ok) {
      const obj = data && typeof data === 'object' ? data : {};
      const code = obj.error || (res.status === 413 ? 'too_large' : 'http_' + res.status);
      const err = new ApiError(res.status, code, obj.message || '', obj);
      if (res.status === 401 && !o.noRedirect) toSignIn(code === 'session_expired' ? 'session_expired' : 'unauthorized');
      throw err;
    }
    if (path === '/state' && data && typeof data === 'object') learnOffset(data.utc_offset);
    return { status: res.status, body: data, headers: res.headers };
  }

  // The refusal in plain words. The lockout's end time comes from the server's message.
  function errorText(e) {
    if (!(e instanceof ApiError)) return t('err.internal');
    if (e.code === 'account_locked') {
      const m = /(\d{1,2}:\d{2})/.exec(e.message || '');
      return m ? t('err.account_locked', { time: m[1] }) : t('err.account_locked.notime');
    }
    if (has('err.' + e.code)) return t('err.' + e.code);
    return t('err.other', { code: e.code });
  }
  // Codes whose server message names what is wrong (which ticket, which line of a file).
  const DETAILED = new Set(['in_use', 'invalid_catalogue', 'invalid_synonyms', 'invalid_account', 'invalid_settings', 'bad_request', 'invalid_body', 'not_your_counter', 'internal', 'settings_unreadable']);
  function errorDetail(e) {
    if (!(e instanceof ApiError) || !e.message) return '';
    if (DETAILED.has(e.code) || !has('err.' + e.code)) return e.message;
    return '';
  }

  // ---- presses: each applied once ----
  // One press = one Idempotency-Key. After a network failure the same key is sent again
  // (automatically a few times, then on the next press of the same action), so a press
  // whose answer was lost is answered, not done twice.
  const pendingKeys = new Map();
  const RETRY_MS = [300, 1000, 2500];
  const KEEP_MS = 2 * 60 * 1000;
  async function press(action, run, hooks) {
    const h = hooks || {};
    const kept = pendingKeys.get(action);
    const key = kept && Date.now() - kept.at < KEEP_MS ? kept.key : newKey();
    pendingKeys.set(action, { key, at: Date.now() });
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await run(key);
        // Any press that went through settles the doubt: the next press of any button is new.
        pendingKeys.clear();
        return out;
      } catch (e) {
        if (!(e instanceof ApiError) || e.code !== 'network' || attempt >= RETRY_MS.length) {
          if (!(e instanceof ApiError && e.code === 'network')) pendingKeys.delete(action);
          throw e;
        }
        if (h.retrying) h.retrying(attempt + 1);
        await new Promise((r) => setTimeout(r, RETRY_MS[attempt]));
      }
    }
  }

  // ---- messages ----
  function say(text, kind, detail) {
    const box = $('msg');
    if (!box) return;
    clear(box);
    box.className = 'msg' + (kind ? ' msg-' + kind : '');
    if (!text) return;
    box.append(el('p', { text }));
    if (detail) box.append(el('p', { class: 'detail', text: detail }));
  }
  function sayError(e, extra) {
    say(errorText(e), 'error', [errorDetail(e), extra].filter(Boolean).join(' '));
  }

  // ---- time ----
  // Times are the centre's (the state's `utc_offset`, e.g. "+07:00"), whatever zone the PC is
  // set to; until a state has been read, the browser's own zone.
  let centreOffsetMin = null;
  function learnOffset(text) {
    const m = /^([+-])(\d{2}):(\d{2})$/.exec(text || '');
    if (m) centreOffsetMin = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  }
  function inCentre(iso) {
    const d = new Date(iso);
    if (centreOffsetMin === null) return { d, tz: undefined };
    return { d: new Date(d.getTime() + centreOffsetMin * 60000), tz: 'UTC' };
  }
  function time(iso) {
    if (!iso) return '';
    const { d, tz } = inCentre(iso);
    return d.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: tz });
  }
  function dateTime(iso) {
    if (!iso) return '';
    const { d, tz } = inCentre(iso);
    return d.toLocaleDateString(locale(), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: tz }) + ' ' + time(iso);
  }
  function clockText(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const hh = Math.floor(s / 3600);
    const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
  }
  function number(x, digits) {
    return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
  }

  // ---- the signed-in user and the page header ----
  // The server's clock minus the browser's (from the answer's Date header, to the second):
  // a PC whose clock is off does not end its session early or late.
  let skew = 0;
  async function loadSession() {
    try {
      const r = await api('GET', '/session', { noRedirect: true });
      session = r.body;
      const d = Date.parse(r.headers.get('date') || '');
      skew = Number.isNaN(d) ? 0 : d - Date.now();
    } catch (e) {
      if (e.status === 401) session = null;
      else throw e;
    }
    return session;
  }

  async function signOut() {
    leaving = true;
    try {
      await api('DELETE', '/session', { noRedirect: true });
    } catch (e) {
      if (e.status !== 401) {
        leaving = false;
        sayError(e);
        return;
      }
    }
    session = null;
    location.replace('index.html?reason=signed_out');
  }

  function wireHeader() {
    const lb = $('lang');
    if (lb) lb.addEventListener('click', () => setLang(lang === 'vi' ? 'en' : 'vi'));
    const so = $('sign-out');
    if (so) {
      so.hidden = !session;
      so.addEventListener('click', signOut);
    }
    const who = $('who');
    if (who && session) who.textContent = session.name;
    document.querySelectorAll('[data-needs-role]').forEach((e) => {
      e.hidden = !session || (e.dataset.needsRole === 'admin' && session.role !== 'admin');
    });
    document.querySelectorAll('nav a').forEach((a) => {
      if (a.getAttribute('href') === here()) a.setAttribute('aria-current', 'page');
    });
  }

  // Starts a page: words, header, and the signed-in user (or back to sign-in). A page for
  // administrators shows a refusal to anyone else.
  async function start(opts) {
    const o = opts || {};
    document.documentElement.lang = lang;
    applyI18n();
    if (o.public) {
      wireHeader();
      return null;
    }
    let s;
    try {
      s = await loadSession();
    } catch (e) {
      wireHeader();
      sayError(e);
      return null;
    }
    if (!s) {
      toSignIn('unauthorized');
      return null;
    }
    wireHeader();
    // The absolute end of the session: go back to sign-in then rather than fail a press.
    const left = new Date(s.expires_at).getTime() - (Date.now() + skew);
    if (left > 0 && left < 2 ** 31 - 1) setTimeout(() => toSignIn('session_expired'), left + 1000);
    // The idle end: the server decides it (by its clock, from the last request a person made);
    // asking once a minute in the background brings a left-open page back to sign-in.
    setInterval(() => {
      if (!leaving) api('GET', '/session', { background: true }).catch(() => {});
    }, 60000);
    if (o.role === 'admin' && s.role !== 'admin') {
      const main = $('main');
      clear(main);
      main.append(
        el('h1', { text: t('err.forbidden') }),
        el('p', { class: 'msg msg-error', id: 'refused', text: t('signin.refused') }),
        el('p', {}, el('a', { href: 'counter.html', class: 'button', text: t('signin.go_counter') }))
      );
      return null;
    }
    return s;
  }

  // The centre's service day (YYYY-MM-DD) from the state, its name put in the header; null,
  // with the error said, when the state cannot be read. The report pages start from it.
  async function serviceDay() {
    try {
      const st = (await api('GET', '/state')).body;
      $('centre').textContent = ' · ' + st.centre;
      return st.day;
    } catch (e) {
      sayError(e);
      return null;
    }
  }

  return {
    t, applyI18n, setLang, onLang, get lang() { return lang; }, locale,
    el, svg, clear, $,
    ApiError, api, newKey, press, errorText, errorDetail, say, sayError, toSignIn,
    time, dateTime, clockText, number,
    get session() { return session; }, loadSession, signOut, start, serviceDay
  };
})();
