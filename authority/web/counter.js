// The counter page: choose a counter, then serve at it with buttons or keys. The state comes
// from GET /api/v1/state and is fetched again whenever the event stream says something
// changed: the page never guesses the queue's order (the authority decides it), it shows it.
'use strict';
(function () {
  const { t, el, clear, $, api, press, say, sayError } = App;
  let me = null;
  let state = null;
  let offset = 0; // the server's clock minus the browser's, in ms
  let counterId = null;
  let busy = false;
  let online = true;
  let stream = null;

  // Keys: F1–F4, F6–F8 (F5 reloads the page and is left alone) and a letter for each, which
  // works only while no text field has the focus.
  const FKEYS = { F1: 'call_next', F2: 'recall', F3: 'no_show', F4: 'finish', F6: 'transfer', F7: 'pause', F8: 'bring_back' };
  const LETTERS = { n: 'call_next', r: 'recall', m: 'no_show', f: 'finish', t: 'transfer', p: 'pause', b: 'bring_back' };

  const serviceName = (id) => {
    const s = state && state.services.find((x) => x.id === id);
    return s ? (App.lang === 'en' && s.name_en) || s.name : id;
  };
  const priorityName = (id) => {
    const p = state && state.priority.find((x) => x.id === id);
    return p ? (App.lang === 'en' && p.name_en) || p.name : id;
  };
  const counter = () => (state && counterId ? state.counters.find((c) => c.id === counterId) : null);
  const serverNow = () => Date.now() + offset;

  // ---- the state, fetched again whenever something changes (coalesced) ----
  let inFlight = null;
  let again = false;
  function refresh() {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      try {
        do {
          again = false;
          const r = await api('GET', '/state', { background: true });
          state = r.body;
          if (state.now) offset = Date.parse(state.now) - Date.now();
          render();
        } while (again);
      } catch (e) {
        if (e.code !== 'network') sayError(e);
      } finally {
        inFlight = null;
      }
    })();
    return inFlight;
  }

  // ---- the event stream: the cookie authenticates; the browser resumes with Last-Event-ID ----
  function connect() {
    if (stream) stream.close();
    stream = new EventSource('/api/v1/events?after=' + encodeURIComponent(state ? state.last_event_id : 0));
    stream.onopen = () => {
      if (!online) {
        online = true;
        refresh();
      }
      renderBanners();
    };
    stream.onmessage = (m) => {
      let ev;
      try {
        ev = JSON.parse(m.data);
      } catch (_) {
        return;
      }
      if (ev.type === 'catalogue_replaced') return;
      refresh();
    };
    stream.onerror = () => {
      online = false;
      renderBanners();
      // A refused stream (the session ended, the server restarted) is closed for good by the
      // browser: ask who we are (a 401 goes back to sign-in), then open a new one.
      if (stream.readyState === EventSource.CLOSED) {
        setTimeout(async () => {
          try {
            await api('GET', '/session', { background: true });
            await refresh();
          } catch (_) {
            /* still down: try again */
          }
          connect();
        }, 3000);
      }
    };
  }

  // ---- rendering ----
  function render() {
    if (!state) return;
    $('loading').hidden = true;
    HelpCalls.render(state);
    $('centre').textContent = state.centre ? ' · ' + state.centre : '';
    const c = counter();
    if (counterId && (!c || (c.staff && c.staff !== me.login))) {
      // The counter was removed, or someone else took it over.
      const taker = c && c.staff_name;
      counterId = null;
      say(taker ? t('counter.taken_by', { name: taker }) : t('err.unknown_counter'), 'error');
    }
    $('choose').hidden = !!counterId;
    $('serve').hidden = !counterId;
    if (counterId) renderServe(counter());
    else renderChooser();
  }

  function allowed() {
    return state.counters.filter((c) => !me.counters.length || me.counters.includes(c.id));
  }

  function renderChooser() {
    const list = clear($('counters'));
    const cs = allowed();
    $('choose-lead').textContent = cs.length ? t('counter.choose.lead') : t('counter.none_allowed');
    for (const c of cs) {
      const who = c.staff ? t('counter.taken_by', { name: c.staff_name || c.staff }) : t('counter.free');
      list.append(
        el('li', {},
          el('button', { type: 'button', class: c.staff ? '' : 'primary', dataset: { counter: c.id }, onclick: () => take(c.id) },
            el('span', { text: t('counter.at', { name: c.name, number: c.number }) }),
            el('span', { class: 'sub', text: t('counter.serves', { services: c.services.map(serviceName).join(', ') }) }),
            el('span', { class: 'sub', text: who })))
      );
    }
  }

  function renderBanners() {
    $('offline').hidden = online;
    const c = counter();
    $('paused').hidden = !(c && c.paused);
    const bad = state ? (state.devices || []).filter((d) => !d.ok) : [];
    const box = clear($('devices'));
    box.hidden = bad.length === 0;
    if (bad.length) {
      box.append(el('span', { text: t('counter.devices') + ': ' }));
      box.append(bad.map((d) => [d.device, d.message || d.problem].filter(Boolean).join(': ')).join(' · '));
    }
  }

  // The visit a receipt code is linked to: the one being served, else the last one this page saw
  // being served (officers often type the code once the citizen has gone).
  let lastVisit = null;
  let linked = null;

  function renderDossier(c) {
    if (c.current) lastVisit = { id: c.current.id, number: c.current.number, counter: c.id };
    const visit = lastVisit && lastVisit.counter === c.id ? lastVisit : null;
    $('dossier-for').textContent = visit ? t('counter.dossier.for', { number: visit.number }) : '';
    $('dossier-submit').disabled = !visit || busy;
    $('dossier-linked').textContent = linked && visit && linked.ticket === visit.id
      ? t('counter.dossier.linked', { number: linked.number, dossier: linked.dossier }) : '';
  }

  async function linkDossier(ev) {
    ev.preventDefault();
    const c = counter();
    const visit = c && lastVisit && lastVisit.counter === c.id ? lastVisit : null;
    const code = $('dossier-code').value.trim();
    if (!visit) return say(t('counter.dossier.none'), 'error');
    if (!code) {
      $('dossier-code').focus();
      return say(t('counter.dossier.empty'), 'error');
    }
    try {
      const r = await press(c.id + ':dossier:' + visit.id + ':' + code,
        (key) => api('POST', '/tickets/' + visit.id + '/dossier', { body: { dossier: code }, key }));
      linked = r.body;
      $('dossier-code').value = '';
      say(t('counter.dossier.done', { dossier: linked.dossier, number: linked.number }), 'ok');
    } catch (e) {
      sayError(e, e.code === 'network' ? t('retry_hint') : '');
    }
    renderDossier(c);
  }

  function renderServe(c) {
    $('counter-title').textContent = t('counter.at', { name: c.name, number: c.number });
    renderBanners();
    renderDossier(c);
    const cur = c.current;
    $('now').className = cur ? 'now' : 'now idle';
    $('now-number').textContent = cur ? cur.number : '—';
    $('now-service').textContent = cur ? serviceName(cur.service) : t('counter.idle');
    const meta = clear($('now-meta'));
    if (cur) {
      if (cur.priority) meta.append(el('span', { class: 'badge badge-priority', text: priorityName(cur.priority) }), ' ');
      meta.append(t('counter.called_at', { time: App.time(cur.called_at) }));
    } else {
      meta.append(t('counter.idle.hint'));
    }
    $('pause-label').dataset.i18n = c.paused ? 'act.resume' : 'act.pause';
    $('pause-label').textContent = t($('pause-label').dataset.i18n);
    renderButtons();

    const mine = (tk) => c.services.includes(tk.service);
    // People waiting per service of this counter.
    const ps = clear($('per-service'));
    for (const id of c.services) {
      const s = state.services.find((x) => x.id === id);
      if (!s) continue;
      ps.append(el('li', {},
        el('span', {}, serviceName(id), ' ', s.open ? null : el('span', { class: 'badge badge-closed', text: t('counter.closed') })),
        el('span', { class: 'count', dataset: { service: id }, text: String(s.waiting) })));
    }
    // The waiting list, in the order the tickets were taken; priority tickets marked.
    const waiting = state.waiting.filter(mine);
    $('waiting-count').textContent = t('counter.waiting.count', { n: waiting.length });
    $('waiting-empty').hidden = waiting.length > 0;
    $('waiting').hidden = waiting.length === 0;
    const shown = waiting.slice(0, 40);
    const body = clear($('waiting').tBodies[0]);
    for (const tk of shown) {
      body.append(el('tr', { dataset: { ticket: String(tk.id), number: tk.number } },
        el('th', { scope: 'row' }, tk.number, tk.priority ? [' ', el('span', { class: 'badge badge-priority', title: t('priority.mark'), text: priorityName(tk.priority) })] : null),
        el('td', { text: serviceName(tk.service) }),
        el('td', { text: App.time(tk.issued_at) }),
        el('td', { class: 'num', dataset: { since: tk.issued_at } }),
        el('td', {}, el('button', { type: 'button', class: 'small', disabled: busy || c.paused, dataset: { call: String(tk.id) },
          'aria-label': t('act.call_this') + ' ' + tk.number, text: t('act.call_this'), onclick: () => callTicket(tk) }))));
    }
    $('waiting-more').hidden = waiting.length <= shown.length;
    $('waiting-more').textContent = t('counter.waiting.more', { n: waiting.length - shown.length });

    // No-shows that can still be called back, newest first.
    const ns = noShows();
    $('no-shows-empty').hidden = ns.length > 0;
    $('no-shows').hidden = ns.length === 0;
    const nb = clear($('no-shows').tBodies[0]);
    ns.forEach((tk, i) => {
      const at = state.counters.find((x) => x.id === tk.counter);
      nb.append(el('tr', { dataset: { ticket: String(tk.id), number: tk.number } },
        el('th', { scope: 'row', text: tk.number }),
        el('td', { text: serviceName(tk.service) }),
        el('td', { class: 'muted', text: at ? t('counter.missed_at', { counter: at.name, time: App.time(tk.called_at) }) : t('counter.missed', { time: App.time(tk.called_at) }) }),
        el('td', { class: 'acc-actions' },
          el('button', { type: 'button', class: 'small primary', disabled: busy || c.paused, dataset: { bringBack: String(tk.id) },
            'aria-keyshortcuts': i === 0 ? 'F8 B' : null, 'aria-label': t('act.bring_back') + ' ' + tk.number, onclick: () => bringBack(tk) },
            t('act.bring_back'), i === 0 ? [' ', el('kbd', { text: 'F8' }), ' ', el('kbd', { text: 'B' })] : null),
          el('button', { type: 'button', class: 'small', disabled: busy, dataset: { requeue: String(tk.id) },
            'aria-label': t('act.requeue') + ' ' + tk.number, text: t('act.requeue'), onclick: () => requeue(tk) }))));
    });
    tick();
  }

  function noShows() {
    const c = counter();
    if (!c) return [];
    return state.no_show
      .filter((tk) => c.services.includes(tk.service))
      .sort((a, b) => Date.parse(b.called_at || b.issued_at) - Date.parse(a.called_at || a.issued_at));
  }

  function renderButtons() {
    const c = counter();
    if (!c) return;
    const has = !!c.current;
    const can = { call_next: !c.paused, recall: has, no_show: has, finish: has, transfer: has, pause: true };
    for (const b of document.querySelectorAll('.actions button')) b.disabled = busy || !can[b.dataset.action];
    document.querySelectorAll('#waiting button, #no-shows button').forEach((b) => {
      b.disabled = busy || (c.paused && !b.dataset.requeue);
    });
    $('change-counter').disabled = busy;
  }

  // Elapsed times, by the server's clock (the browser's may be off by minutes).
  function tick() {
    const c = counter();
    if (!c) return;
    const cur = c.current;
    $('now-elapsed').textContent = cur && cur.called_at ? App.clockText((serverNow() - Date.parse(cur.called_at)) / 1000) : '';
    $('now-elapsed-label').parentElement.hidden = !cur;
    document.querySelectorAll('[data-since]').forEach((td) => {
      td.textContent = t('minutes', { n: Math.max(0, Math.floor((serverNow() - Date.parse(td.dataset.since)) / 60000)) });
    });
  }

  // ---- presses ----
  async function act(action, run, doneText) {
    if (busy) return;
    busy = true;
    renderButtons();
    say(t('busy'), 'info');
    try {
      const r = await press(counterId + ':' + action, run, { retrying: (n) => say(t('retrying', { n }), 'info') });
      say(doneText(r), 'ok');
    } catch (e) {
      sayError(e, e.code === 'network' ? t('retry_hint') : '');
    } finally {
      busy = false;
      renderButtons();
      await refresh();
    }
  }

  const post = (path, body) => (key) => api('POST', path, { body: body || {}, key });

  function trigger(action) {
    const c = counter();
    if (!c || busy) return;
    const path = `/counters/${encodeURIComponent(c.id)}`;
    const needCurrent = ['recall', 'no_show', 'finish', 'transfer'];
    if (needCurrent.includes(action) && !c.current) {
      say(t('err.no_current_ticket'), 'error');
      return;
    }
    const n = c.current && c.current.number;
    switch (action) {
      case 'call_next':
        if (c.paused) return say(t('err.counter_paused'), 'error');
        return act(action, post(path + '/call-next'), (r) => (r.status === 204 ? t('done.nobody') : t('done.call_next', { number: r.body.number })));
      case 'recall':
        return act(action, post(path + '/recall'), () => t('done.recall', { number: n }));
      case 'no_show':
        return act(action, post(path + '/no-show'), () => t('done.no_show', { number: n }));
      case 'finish':
        return act(action, post(path + '/finish'), () => t('done.finish', { number: n }));
      case 'transfer':
        return openTransfer();
      case 'pause':
        return c.paused
          ? act('resume', post(path + '/resume'), () => t('done.resume'))
          : act('pause', post(path + '/pause'), () => t('done.pause'));
      case 'bring_back': {
        const first = noShows()[0];
        if (!first) return say(t('counter.no_shows.empty'), 'info');
        return bringBack(first);
      }
    }
  }

  function callTicket(tk) {
    const path = `/counters/${encodeURIComponent(counterId)}/call`;
    act('call:' + tk.id, post(path, { ticket: tk.id }), () => t('done.call_next', { number: tk.number }));
  }

  // A no-show came back: back in line in the old place, then called here. Two requests, each
  // with its own key derived from the press's one, so a retry repeats neither.
  function bringBack(tk) {
    if (counter().paused) return say(t('err.counter_paused'), 'error');
    act('bring:' + tk.id, async (key) => {
      await api('POST', `/tickets/${tk.id}/restore`, { body: {}, key: key + ':r' });
      return api('POST', `/counters/${encodeURIComponent(counterId)}/call`, { body: { ticket: tk.id }, key: key + ':c' });
    }, () => t('done.call_next', { number: tk.number }));
  }

  function requeue(tk) {
    act('requeue:' + tk.id, post(`/tickets/${tk.id}/restore`), () => t('done.requeue', { number: tk.number }));
  }

  async function take(id) {
    if (busy) return;
    busy = true;
    try {
      await api('POST', `/counters/${encodeURIComponent(id)}/staff`, { body: {} });
      counterId = id;
      say('', '');
      await refresh();
      $('act-call_next').focus();
    } catch (e) {
      sayError(e);
    } finally {
      busy = false;
      renderButtons();
    }
  }

  async function leave() {
    if (busy || !counterId) return;
    busy = true;
    try {
      await api('DELETE', `/counters/${encodeURIComponent(counterId)}/staff`);
      counterId = null;
      say('', '');
    } catch (e) {
      sayError(e);
    } finally {
      busy = false;
      await refresh();
    }
  }

  // ---- the transfer dialog ----
  function openTransfer() {
    const c = counter();
    if (!c || !c.current) return;
    const cur = c.current;
    $('transfer-title').textContent = t('transfer.title', { number: cur.number });
    clear($('transfer-msg'));
    const box = clear($('transfer-services'));
    const radio = (value, label, checked) =>
      el('label', {}, el('input', { type: 'radio', name: 'transfer-service', value, checked, onchange: fillCounters }), label);
    box.append(radio('', t('transfer.same'), true));
    for (const s of state.services) if (s.id !== cur.service) box.append(radio(s.id, `${s.letter} · ${serviceName(s.id)}`, false));
    fillCounters();
    $('transfer-dialog').showModal();
    box.querySelector('input').focus();
  }

  function fillCounters() {
    const c = counter();
    const chosen = document.querySelector('input[name="transfer-service"]:checked');
    const service = (chosen && chosen.value) || (c.current && c.current.service);
    const sel = clear($('transfer-counter'));
    sel.append(el('option', { value: '', text: t('transfer.any') }));
    for (const k of state.counters) {
      if (k.id !== c.id && k.services.includes(service)) sel.append(el('option', { value: k.id, text: t('counter.at', { name: k.name, number: k.number }) }));
    }
  }

  async function submitTransfer(ev) {
    ev.preventDefault();
    const c = counter();
    if (!c || !c.current || busy) return;
    const chosen = document.querySelector('input[name="transfer-service"]:checked');
    const body = {};
    if (chosen && chosen.value) body.service = chosen.value;
    if ($('transfer-counter').value) body.counter = $('transfer-counter').value;
    const box = $('transfer-msg');
    clear(box);
    if (!body.service && !body.counter) {
      box.className = 'msg msg-error';
      box.append(el('p', { text: t('err.empty_transfer') }));
      return;
    }
    const n = c.current.number;
    $('transfer-submit').disabled = true;
    try {
      busy = true;
      await press(c.id + ':transfer:' + c.current.id + ':' + JSON.stringify(body),
        post(`/counters/${encodeURIComponent(c.id)}/transfer`, body));
      $('transfer-dialog').close();
      say(t('done.transfer', { number: n }), 'ok');
    } catch (e) {
      box.className = 'msg msg-error';
      box.append(el('p', { text: App.errorText(e) }));
    } finally {
      busy = false;
      $('transfer-submit').disabled = false;
      await refresh();
    }
  }

  function onKey(e) {
    if (!counterId || e.ctrlKey || e.altKey || e.metaKey) return;
    if ($('transfer-dialog').open) return;
    const tag = e.target && e.target.tagName;
    const typing = tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (e.target && e.target.isContentEditable);
    const action = FKEYS[e.key] || (!typing && e.key.length === 1 && LETTERS[e.key.toLowerCase()]);
    if (!action) return;
    e.preventDefault();
    if (e.repeat) return; // a key held down is one press
    trigger(action);
  }

  async function main() {
    me = await App.start({});
    if (!me) return;
    App.onLang(render);
    document.querySelectorAll('.actions button').forEach((b) => b.addEventListener('click', () => trigger(b.dataset.action)));
    $('change-counter').addEventListener('click', leave);
    $('transfer-form').addEventListener('submit', submitTransfer);
    $('dossier-form').addEventListener('submit', linkDossier);
    $('transfer-cancel').addEventListener('click', () => $('transfer-dialog').close());
    $('transfer-dialog').addEventListener('close', () => {
      const b = $('act-transfer');
      if (b && !b.disabled) b.focus();
    });
    document.addEventListener('keydown', onKey);
    HelpCalls.init(refresh);
    await refresh();
    if (!state) return;
    if (me.counter && state.counters.some((c) => c.id === me.counter)) counterId = me.counter;
    render();
    connect();
    setInterval(tick, 1000);
  }
  main();
})();
