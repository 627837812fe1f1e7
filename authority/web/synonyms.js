// The centre's own everyday words for search (GET/PUT /admin/synonyms), in the catalogue tab
// of admin.html: a row per pair to edit, add or remove, saved whole with the version read; a
// query to try against the search as the kiosk runs it; the shipped table to look at.
'use strict';
const Synonyms = (function () {
  const { t, el, clear, $, api, say, sayError } = App;
  let version = null;
  let shipped = [];

  function row(pair) {
    const input = (side, label) => el('input', {
      type: 'text', maxlength: 200, autocomplete: 'off', value: pair[side] || '', dataset: { side },
      'aria-label': label,
    });
    const tr = el('tr', {},
      el('td', {}, input('everyday', t('syn.everyday'))),
      el('td', {}, input('official', t('syn.official'))),
      el('td', {}, el('button', {
        type: 'button', class: 'small danger', text: t('set.remove'),
        'aria-label': t('syn.remove', { words: pair.everyday || '' }),
        onclick: () => { tr.remove(); showEmpty(); },
      })));
    return tr;
  }

  function showEmpty() {
    $('syn-empty').hidden = $('syn-table').tBodies[0].rows.length > 0;
  }

  function pairs() {
    return [...$('syn-table').tBodies[0].rows].map((tr) => ({
      everyday: tr.querySelector('[data-side=everyday]').value.trim(),
      official: tr.querySelector('[data-side=official]').value.trim(),
    })).filter((p) => p.everyday || p.official);
  }

  function show(table) {
    version = table.version;
    shipped = table.shipped;
    const body = clear($('syn-table').tBodies[0]);
    for (const p of table.centre) body.append(row(p));
    showEmpty();
    $('syn-problem').hidden = !table.problem;
    $('syn-problem').textContent = table.problem ? t('syn.problem', { problem: table.problem }) : '';
    $('syn-readonly').hidden = table.editable;
    for (const b of [$('syn-add'), $('syn-save')]) b.disabled = !table.editable;
    showShipped();
  }

  function showShipped() {
    $('syn-shipped-title').textContent = t('syn.shipped', { n: App.number(shipped.length, 0) });
    const body = clear($('syn-shipped-table').tBodies[0]);
    for (const p of shipped) body.append(el('tr', {}, el('td', { text: p.everyday }), el('td', { text: p.official })));
  }

  async function load() {
    try {
      show((await api('GET', '/admin/synonyms')).body);
    } catch (e) {
      sayError(e);
    }
  }

  async function save(ev) {
    ev.preventDefault();
    const button = $('syn-save');
    button.disabled = true;
    try {
      const r = await api('PUT', '/admin/synonyms', { body: { version, pairs: pairs() } });
      show(r.body);
      say(t('syn.saved', { n: App.number(r.body.centre.length, 0) }), 'ok');
    } catch (e) {
      if (e.code === 'version_conflict') {
        // Saved meanwhile from another page: show that table; this one's rows would undo it.
        say(t('syn.conflict'), 'error');
        await load();
        return;
      }
      sayError(e);
      // The row named by the refusal ("row 3: …"), to mend.
      const m = /^row (\d+)/.exec((e && e.message) || '');
      const tr = m && $('syn-table').tBodies[0].rows[Number(m[1]) - 1];
      if (tr) tr.querySelector('input').focus();
    } finally {
      button.disabled = false;
    }
  }

  async function tryQuery(ev) {
    ev.preventDefault();
    const q = $('syn-try').value.trim();
    const list = clear($('syn-found'));
    if (!q) return;
    try {
      const r = await api('GET', '/procedures?' + new URLSearchParams({ q, limit: '5' }).toString());
      for (const hit of r.body.results) list.append(el('li', { text: `${hit.name} (${hit.code})` }));
      if (r.body.results.length === 0) list.append(el('li', { class: 'muted', text: t('syn.none') }));
    } catch (e) {
      sayError(e);
    }
  }

  function start() {
    $('syn-add').addEventListener('click', () => {
      const tr = row({});
      $('syn-table').tBodies[0].append(tr);
      showEmpty();
      tr.querySelector('input').focus();
    });
    $('syn-form').addEventListener('submit', save);
    $('syn-try-form').addEventListener('submit', tryQuery);
    App.onLang(showShipped);
    load();
  }

  return { start };
})();
