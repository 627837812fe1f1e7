// The settings editor: the centre's editable settings (GET/PUT /api/v1/admin/settings) as a
// form with rows to add and remove. Every input carries the path the server names a problem
// by (`services[2].letter`), so a refusal is shown next to the field it is about.
'use strict';
window.SettingsEditor = (function () {
  const { t, el, clear, $, api, say, sayError } = App;
  const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const HOURS = /^([01]\d|2[0-4]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/;
  let model = null;
  let version = 0;
  let dirty = false;
  let saving = false;

  // ---- reading and writing the model by path ----
  function get(path) {
    return path.reduce((o, k) => (o == null ? undefined : o[k]), model);
  }
  function put(path, value) {
    const last = path[path.length - 1];
    get(path.slice(0, -1))[last] = value;
  }
  function markDirty() {
    dirty = true;
    $('settings-dirty').hidden = false;
  }

  let uid = 0;
  // One labelled input. `at` is the server's name for the value; `bind` its place in the model.
  function field(o) {
    const id = 'f' + ++uid;
    const errId = id + '-err';
    const hintId = o.hint ? id + '-hint' : null;
    const value = get(o.bind);
    const attrs = { id, dataset: { at: o.at }, 'aria-describedby': [hintId, errId].filter(Boolean).join(' ') };
    let input;
    if (o.type === 'lines') {
      input = el('textarea', Object.assign(attrs, { rows: 3, value: (value || []).join('\n') }));
    } else if (o.type === 'select') {
      input = el('select', attrs);
      for (const opt of o.options) {
        input.append(el('option', { value: String(opt.value), selected: String(opt.value) === String(value), text: opt.label }));
      }
    } else {
      const text = o.type === 'hours' ? (value || []).join(', ') : value === null || value === undefined ? '' : String(value);
      input = el('input', Object.assign(attrs, { value: text, inputmode: /int/.test(o.type) ? 'numeric' : null, maxlength: o.max || null, autocomplete: 'off', spellcheck: o.type === 'text' ? null : 'false' }));
    }
    input.addEventListener(o.type === 'select' ? 'change' : 'input', () => {
      const v = input.value;
      let out = v;
      if (o.type === 'select') out = o.numeric ? Number(v) : v;
      if (o.type === 'int') out = /^\d+$/.test(v.trim()) ? Number(v.trim()) : v;
      else if (o.type === 'optint') out = v.trim() === '' ? null : /^\d+$/.test(v.trim()) ? Number(v.trim()) : v;
      else if (o.type === 'opttext') out = v.trim() === '' ? null : v;
      else if (o.type === 'hours') out = v.split(',').map((s) => s.trim()).filter(Boolean);
      else if (o.type === 'lines') out = v.split('\n').map((s) => s.trim()).filter(Boolean);
      put(o.bind, out);
      markDirty();
    });
    if (o.onchange) {
      input.dataset.was = input.value;
      input.addEventListener('change', o.onchange);
    }
    input.dataset.kind = o.type;
    return el('div', { class: 'field' + (o.span ? ' ' + o.span : '') },
      el('label', { for: id, text: t(o.label) }),
      input,
      o.hint ? el('span', { class: 'hint', id: hintId, text: t(o.hint) }) : null,
      el('p', { class: 'field-error', id: errId }));
  }

  // A group of checkboxes whose ticked values make a list (days, priority classes, services).
  function checks(o) {
    const chosen = get(o.bind) || [];
    const errId = 'f' + ++uid + '-err';
    const box = el('div', { class: 'checks' });
    for (const opt of o.options) {
      box.append(el('label', {},
        el('input', { type: 'checkbox', value: opt.value, checked: chosen.includes(opt.value), onchange: () => {
          const now = [...box.querySelectorAll('input:checked')].map((i) => i.value);
          put(o.bind, o.options.map((x) => x.value).filter((v) => now.includes(v)));
          markDirty();
        } }),
        opt.label));
    }
    return el('fieldset', { class: o.span || '', dataset: { at: o.at }, 'aria-describedby': errId },
      el('legend', { text: t(o.label) }), box, el('p', { class: 'field-error', id: errId }));
  }

  function removeButton(name, onclick) {
    return el('button', { type: 'button', class: 'small danger', 'aria-label': t('set.remove.named', { name: name || '' }), text: t('set.remove'), onclick });
  }

  // When an id is renamed, what refers to it follows.
  function renamed(kind, i) {
    return (ev) => {
      const old = ev.target.dataset.was;
      const now = ev.target.value.trim();
      ev.target.dataset.was = now;
      if (!old || old === now) return;
      if (kind === 'priority') model.services.forEach((s) => { s.priorities = s.priorities.map((p) => (p === old ? now : p)); });
      if (kind === 'service') model.counters.forEach((c) => { c.services = c.services.map((s) => (s === old ? now : s)); });
      render();
      focusAt(`${kind === 'priority' ? 'priority' : 'services'}[${i}].id`);
    };
  }

  function card(titleKey, ...kids) {
    return el('section', { class: 'card' }, el('h2', { text: t(titleKey) }), kids);
  }

  function render() {
    const body = clear($('settings-body'));
    $('settings-version').textContent = version ? t('set.version', { v: version }) : t('set.version0');
    body.append(el('div', { id: 'problems' }));
    body.append(card('set.centre', el('div', { class: 'grid-form' },
      field({ label: 'set.centre_name', at: 'centre.name', bind: ['centre_name'], type: 'text', span: 'span-all', max: 200 }))));
    const q = ['priority_ratio', 'max_wait_min', 'no_show_grace_min', 'number_digits', 'rating_window_min'];
    body.append(card('set.queue', el('div', { class: 'grid-form' },
      q.map((k) => field({ label: 'set.' + k, at: 'queue.' + k, bind: ['queue', k], type: 'int' })))));

    const prio = model.priority.map((p, i) => el('div', { class: 'row-card', dataset: { row: `priority[${i}]` } },
      el('div', { class: 'row-card-head' }, el('h3', { text: p.name || p.id || '—' }),
        removeButton(p.name || p.id, () => {
          const gone = model.priority[i].id;
          model.priority.splice(i, 1);
          model.services.forEach((s) => { s.priorities = s.priorities.filter((x) => x !== gone); });
          markDirty();
          render();
        })),
      el('div', { class: 'grid-form' },
        field({ label: 'set.id', at: `priority[${i}].id`, bind: ['priority', i, 'id'], type: 'text', max: 40, onchange: renamed('priority', i) }),
        field({ label: 'set.name', at: `priority[${i}].name`, bind: ['priority', i, 'name'], type: 'text', max: 120 }),
        field({ label: 'set.name_en', at: `priority[${i}].name_en`, bind: ['priority', i, 'name_en'], type: 'opttext', max: 120 }))));
    body.append(card('set.priority', el('div', { id: 'priority-rows' }, prio),
      el('button', { type: 'button', id: 'add-priority', text: t('set.add_priority'), onclick: () => {
        model.priority.push({ id: '', name: '', name_en: null });
        markDirty();
        render();
        focusAt(`priority[${model.priority.length - 1}].id`);
      } })));

    const prioOptions = model.priority.filter((p) => p.id).map((p) => ({ value: p.id, label: p.name || p.id }));
    const services = model.services.map((s, i) => el('div', { class: 'row-card', dataset: { row: `services[${i}]` } },
      el('div', { class: 'row-card-head' }, el('h3', {}, `${s.letter || '?'} · `, s.name || s.id || '—'),
        removeButton(s.name || s.id, () => {
          const gone = model.services[i].id;
          model.services.splice(i, 1);
          model.counters.forEach((c) => { c.services = c.services.filter((x) => x !== gone); });
          markDirty();
          render();
        })),
      el('div', { class: 'grid-form' },
        field({ label: 'set.id', at: `services[${i}].id`, bind: ['services', i, 'id'], type: 'text', max: 40, onchange: renamed('service', i) }),
        field({ label: 'set.name', at: `services[${i}].name`, bind: ['services', i, 'name'], type: 'text', span: 'span2', max: 120 }),
        field({ label: 'set.name_en', at: `services[${i}].name_en`, bind: ['services', i, 'name_en'], type: 'opttext', max: 120 }),
        field({ label: 'set.letter', at: `services[${i}].letter`, bind: ['services', i, 'letter'], type: 'text', max: 1 }),
        field({ label: 'set.start', at: `services[${i}].start`, bind: ['services', i, 'start'], type: 'int' }),
        field({ label: 'set.daily_cap', at: `services[${i}].daily_cap`, bind: ['services', i, 'daily_cap'], type: 'optint', hint: 'set.daily_cap.hint' }),
        field({ label: 'set.service_time_s', at: `services[${i}].service_time_s`, bind: ['services', i, 'service_time_s'], type: 'int' }),
        field({ label: 'set.group', at: `services[${i}].group`, bind: ['services', i, 'group'], type: 'opttext', max: 80 }),
        field({ label: 'set.hours', at: `services[${i}].hours`, bind: ['services', i, 'hours'], type: 'hours', hint: 'set.hours.hint', span: 'span2' }),
        checks({ label: 'set.days', at: `services[${i}].days`, bind: ['services', i, 'days'], span: 'span2', options: DAYS.map((d) => ({ value: d, label: t('day.' + d) })) }),
        checks({ label: 'set.priorities', at: `services[${i}].priorities`, bind: ['services', i, 'priorities'], span: 'span-all', options: prioOptions }))));
    body.append(card('set.services', el('div', { id: 'service-rows' }, services),
      el('button', { type: 'button', id: 'add-service', text: t('set.add_service'), onclick: addService })));

    const serviceOptions = model.services.filter((s) => s.id).map((s) => ({ value: s.id, label: `${s.letter} · ${s.name || s.id}` }));
    const counters = model.counters.map((c, i) => el('div', { class: 'row-card', dataset: { row: `counters[${i}]` } },
      el('div', { class: 'row-card-head' }, el('h3', { text: c.name || c.id || '—' }),
        removeButton(c.name || c.id, () => {
          model.counters.splice(i, 1);
          markDirty();
          render();
        })),
      el('div', { class: 'grid-form' },
        field({ label: 'set.id', at: `counters[${i}].id`, bind: ['counters', i, 'id'], type: 'text', max: 40 }),
        field({ label: 'set.name', at: `counters[${i}].name`, bind: ['counters', i, 'name'], type: 'text', max: 60 }),
        field({ label: 'set.number', at: `counters[${i}].number`, bind: ['counters', i, 'number'], type: 'int' }),
        checks({ label: 'set.counter_services', at: `counters[${i}].services`, bind: ['counters', i, 'services'], span: 'span-all', options: serviceOptions }))));
    body.append(card('set.counters', el('div', { id: 'counter-rows' }, counters),
      el('button', { type: 'button', id: 'add-counter', text: t('set.add_counter'), onclick: addCounter })));

    body.append(card('set.ticket', el('div', { class: 'grid-form' },
      field({ label: 'set.qr_url', at: 'printer.qr_url', bind: ['ticket', 'qr_url'], type: 'opttext', hint: 'set.qr_url.hint', span: 'span-all', max: 300 }),
      field({ label: 'set.footer', at: 'printer.footer', bind: ['ticket', 'footer'], type: 'lines', hint: 'set.footer.hint', span: 'span-all' }))));

    // How the printer prints; where it is (USB, network, serial) stays in the file.
    body.append(card('set.printer', el('div', { class: 'grid-form' },
      field({ label: 'set.paper', at: 'printer.paper', bind: ['printer', 'paper'], type: 'select', numeric: true,
        options: [{ value: 80, label: '80 mm' }, { value: 58, label: '58 mm' }] }),
      field({ label: 'set.profile', at: 'printer.profile', bind: ['printer', 'profile'], type: 'select',
        options: [{ value: 'generic', label: t('set.profile.generic') }, { value: 'epson', label: t('set.profile.epson') }] }),
      field({ label: 'set.text', at: 'printer.text', bind: ['printer', 'text'], type: 'select', hint: 'set.text.hint', span: 'span-all',
        options: [{ value: 'raster', label: t('set.text.raster') }, { value: 'tcvn3', label: 'TCVN-3' }, { value: 'cp1258', label: 'Windows-1258' }] }))));
  }

  function addService() {
    const used = new Set(model.services.map((s) => s.letter));
    const letter = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').find((l) => !used.has(l)) || '';
    model.services.push({ id: '', name: '', name_en: null, letter, start: 1, daily_cap: null, hours: ['00:00-24:00'], days: DAYS.slice(), priorities: [], service_time_s: 300, group: null });
    markDirty();
    render();
    focusAt(`services[${model.services.length - 1}].id`);
  }

  function addCounter() {
    const n = model.counters.reduce((m, c) => Math.max(m, Number(c.number) || 0), 0) + 1;
    model.counters.push({ id: String(n), name: `${t('set.new_counter')} ${n}`, number: n, services: [] });
    markDirty();
    render();
    focusAt(`counters[${model.counters.length - 1}].name`);
  }

  function focusAt(at) {
    const e = document.querySelector(`[data-at="${CSS.escape(at)}"]`);
    if (!e) return;
    const target = e.matches('input, textarea, select') ? e : e.querySelector('input');
    if (target) target.focus();
  }

  // ---- problems next to their fields ----
  function clearProblems() {
    document.querySelectorAll('#settings-body .field-error').forEach((p) => { p.textContent = ''; });
    document.querySelectorAll('#settings-body [aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
    const box = $('problems');
    if (box) clear(box);
  }

  // `services[2].priorities[1]` is shown at `services[2].priorities`; a path with no field
  // (a token that names a removed counter) only in the list at the top.
  function fieldFor(at) {
    for (let p = at; p; p = p.replace(/(\[\d+\]|\.[^.[\]]+)$/, '')) {
      const e = document.querySelector(`#settings-body [data-at="${CSS.escape(p)}"]`);
      if (e) return e;
      if (!/(\[\d+\]|\.[^.[\]]+)$/.test(p)) break;
    }
    return null;
  }

  function showProblems(problems) {
    clearProblems();
    const box = $('problems');
    const list = el('ul', { class: 'problems' });
    let first = null;
    for (const p of problems) {
      const target = fieldFor(p.at);
      if (target) {
        const err = $(target.getAttribute('aria-describedby').split(' ').pop());
        err.textContent = err.textContent ? err.textContent + ' ' + p.message : p.message;
        target.setAttribute('aria-invalid', 'true');
        if (!first) first = target;
      }
      list.append(el('li', {}, target
        ? el('button', { type: 'button', text: `${p.at}: ${p.message}`, onclick: () => focusAt(target.dataset.at) })
        : `${p.at ? p.at + ': ' : ''}${p.message}`));
    }
    box.append(el('div', { class: 'msg msg-error', role: 'alert' }, el('p', { text: t('set.problems') }), list));
    if (first) (first.matches('fieldset') ? first.querySelector('input') : first).focus();
  }

  // What the browser can tell before asking the server: whole numbers and hour ranges.
  function localProblems() {
    const out = [];
    document.querySelectorAll('#settings-body [data-kind]').forEach((e) => {
      const v = e.value.trim();
      const kind = e.dataset.kind;
      if ((kind === 'int' && !/^\d+$/.test(v)) || (kind === 'optint' && v !== '' && !/^\d+$/.test(v))) out.push({ at: e.dataset.at, message: t('local.int') });
      if (kind === 'hours') {
        const bad = v.split(',').map((s) => s.trim()).filter(Boolean).some((r) => {
          if (!HOURS.test(r)) return true;
          const [a, b] = r.split('-').map((x) => Number(x.slice(0, 2)) * 60 + Number(x.slice(3)));
          return a >= b || a > 1440 || b > 1440;
        });
        if (bad || !v) out.push({ at: e.dataset.at, message: t('local.hours') });
      }
    });
    return out;
  }

  async function save(ev) {
    ev.preventDefault();
    if (saving) return;
    const local = localProblems();
    if (local.length) {
      say('', '');
      showProblems(local);
      return;
    }
    saving = true;
    $('settings-save').disabled = true;
    say(t('busy'), 'info');
    try {
      const r = await api('PUT', '/admin/settings', { body: { version, settings: model } });
      version = r.body.version;
      model = r.body.settings;
      dirty = false;
      $('settings-dirty').hidden = true;
      render();
      say(t('set.saved', { v: version }), 'ok');
    } catch (e) {
      if (e.code === 'invalid_settings' && e.body.problems && e.body.problems.length) {
        say('', '');
        showProblems(e.body.problems);
      } else {
        sayError(e);
        if (e.code === 'version_conflict') {
          $('msg').append(el('p', {}, el('button', { type: 'button', id: 'conflict-reload', class: 'primary', text: t('set.reload'), onclick: () => load(true) })));
        }
      }
    } finally {
      saving = false;
      $('settings-save').disabled = false;
    }
  }

  async function load(announce) {
    try {
      const r = await api('GET', '/admin/settings');
      version = r.body.version;
      model = r.body.settings;
      dirty = false;
      $('settings-dirty').hidden = true;
      render();
      if (announce) say(t('set.version', { v: version }), 'info');
    } catch (e) {
      sayError(e);
    }
  }

  function start() {
    $('settings-form').addEventListener('submit', save);
    $('settings-reload').addEventListener('click', () => load(true));
    App.onLang(() => { if (model) render(); });
    return load(false);
  }

  return { start, isDirty: () => dirty };
})();
