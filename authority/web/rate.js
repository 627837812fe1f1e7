// The counter's rating device (a tablet): follows the event stream with its counter's device
// token and, when the officer finishes a visit at this counter, asks the citizen to rate it.
// EventSource cannot send an Authorization header, so the stream is read with fetch and parsed
// here; a reconnect resumes with Last-Event-ID, so a finish is never missed by a short drop.
'use strict';
(function () {
  const { t, $ } = App;
  const TOKEN_KEY = 'mc.rate.token';
  const COUNTER_KEY = 'mc.rate.counter';
  const ASK_MS = 30000; // back to idle if nobody taps
  const THANKS_MS = 6000;
  const STALE_MS = 15 * 60 * 1000; // a finish older than this (replayed after a long drop) is not asked about
  const SILENCE_MS = 45000; // the server sends a keep-alive every 15 s: a silent link is dead

  let token = null;
  let counter = null;
  let lastId = null;
  let offset = 0;
  let visit = null;
  let timer = null;
  let sending = false;

  function screen(name) {
    for (const s of ['setup', 'idle', 'ask', 'thanks']) $(s).hidden = s !== name;
    document.body.dataset.screen = name;
  }
  function link(ok) {
    document.body.dataset.link = ok ? 'online' : 'offline';
    const p = $('link');
    p.dataset.i18n = ok ? 'rate.online' : 'rate.offline';
    p.textContent = t(p.dataset.i18n);
    p.className = 'status' + (ok ? '' : ' offline');
  }
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  // The token arrives once in the address (#counter=3&token=...), is kept on the device, and
  // is taken out of the address bar so it is not left on screen or in the history.
  function setup() {
    const h = new URLSearchParams(location.hash.slice(1));
    if (h.get('token') && h.get('counter')) {
      localStorage.setItem(TOKEN_KEY, h.get('token'));
      localStorage.setItem(COUNTER_KEY, h.get('counter'));
      history.replaceState(null, '', location.pathname + location.search);
    }
    token = localStorage.getItem(TOKEN_KEY);
    counter = localStorage.getItem(COUNTER_KEY);
    return !!(token && counter);
  }

  async function call(method, path, body, key) {
    const headers = { Authorization: 'Bearer ' + token, Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json';
    if (key) headers['Idempotency-Key'] = key;
    let res;
    let data = null;
    try {
      res = await fetch('/api/v1' + path, { method, headers, body: body ? JSON.stringify(body) : undefined, cache: 'no-store', credentials: 'omit' });
      data = await res.json().catch(() => null);
    } catch (e) {
      throw new App.ApiError(0, 'network', String(e));
    }
    if (!res.ok) throw new App.ApiError(res.status, (data && data.error) || 'http_' + res.status, (data && data.message) || '', data);
    return data;
  }

  function showCounter(state) {
    const c = state.counters.find((x) => x.id === counter);
    $('counter-label').dataset.number = c ? String(c.number) : counter;
    $('counter-label').textContent = t('rate.counter', { number: $('counter-label').dataset.number });
  }

  async function loadState() {
    for (let wait = 2000; ; wait = Math.min(wait * 2, 60000)) {
      try {
        const s = await call('GET', '/state');
        if (s.now) offset = Date.parse(s.now) - Date.now();
        showCounter(s);
        return;
      } catch (e) {
        if (e.status === 401 || e.status === 403) {
          $('counter-label').textContent = t('rate.bad_token');
        }
        await sleep(wait);
      }
    }
  }

  // ---- Server-Sent Events over fetch ----
  async function readEvents(body, onData, watchdog) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    let data = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      watchdog();
      buf += value;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        let line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (line === '') {
          if (data.length) onData(data.join('\n'));
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let v = colon < 0 ? '' : line.slice(colon + 1);
        if (v.startsWith(' ')) v = v.slice(1);
        if (field === 'data') data.push(v);
        else if (field === 'id' && /^\d+$/.test(v)) lastId = v;
      }
    }
  }

  async function follow() {
    for (let backoff = 1000; ; backoff = Math.min(backoff * 2, 30000)) {
      const abort = new AbortController();
      let silent = null;
      const watchdog = () => {
        clearTimeout(silent);
        silent = setTimeout(() => abort.abort(), SILENCE_MS);
      };
      try {
        const headers = { Authorization: 'Bearer ' + token, Accept: 'text/event-stream' };
        if (lastId !== null) headers['Last-Event-ID'] = lastId;
        const res = await fetch('/api/v1/events', { headers, cache: 'no-store', credentials: 'omit', signal: abort.signal });
        if (res.status === 401 || res.status === 403) {
          $('counter-label').textContent = t('rate.bad_token');
          link(false);
          await sleep(60000);
          continue;
        }
        if (!res.ok || !res.body) throw new Error('HTTP ' + res.status);
        link(true);
        backoff = 1000;
        watchdog();
        await readEvents(res.body, onData, watchdog);
      } catch (_) {
        /* dropped: reconnect below */
      } finally {
        clearTimeout(silent);
      }
      link(false);
      await sleep(backoff);
    }
  }

  function onData(text) {
    let ev;
    try {
      ev = JSON.parse(text);
    } catch (_) {
      return;
    }
    if (ev.type !== 'ticket_finished' || ev.counter !== counter) return;
    if (ev.at && Date.now() + offset - Date.parse(ev.at) > STALE_MS) return;
    ask({ ticket: ev.ticket, number: ev.number });
  }

  // ---- the screens ----
  function idle() {
    clearTimeout(timer);
    visit = null;
    sending = false;
    screen('idle');
  }

  function ask(v) {
    clearTimeout(timer);
    visit = v;
    sending = false;
    $('ask-ticket').textContent = t('rate.ticket', { number: v.number });
    document.querySelectorAll('.rate-buttons button').forEach((b) => { b.disabled = false; });
    screen('ask');
    timer = setTimeout(idle, ASK_MS);
  }

  function thanks(errorText) {
    clearTimeout(timer);
    $('thanks-h').textContent = errorText ? errorText : t('rate.thanks');
    $('thanks-sub').textContent = errorText ? '' : t('rate.thanks.sub');
    screen('thanks');
    timer = setTimeout(idle, THANKS_MS);
  }

  async function rate(rating) {
    if (!visit || sending) return;
    sending = true;
    const v = visit;
    document.querySelectorAll('.rate-buttons button').forEach((b) => { b.disabled = true; });
    clearTimeout(timer);
    try {
      // One key for the tap, repeated if the answer is lost: never two ratings.
      await App.press('rate:' + v.ticket, (key) => call('POST', `/tickets/${v.ticket}/rating`, { rating }, key));
      thanks('');
    } catch (e) {
      // Already rated: the citizen's opinion is in; thank them all the same.
      thanks(e.code === 'already_rated' ? '' : App.errorText(e));
    }
  }

  async function main() {
    await App.start({ public: true });
    App.onLang(() => {
      if ($('counter-label').dataset.number) $('counter-label').textContent = t('rate.counter', { number: $('counter-label').dataset.number });
      if (visit) $('ask-ticket').textContent = t('rate.ticket', { number: visit.number });
      link(document.body.dataset.link === 'online');
    });
    if (!setup()) {
      screen('setup');
      return;
    }
    document.querySelectorAll('.rate-buttons button').forEach((b) => b.addEventListener('click', () => rate(b.dataset.rating)));
    $('thanks').addEventListener('click', idle);
    screen('idle');
    await loadState();
    follow();
  }
  main();
})();
