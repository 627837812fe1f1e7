// Satisfaction per dossier (GET /api/v1/reports/dossiers): each dossier with its visit,
// officer, rating and evaluation points, or rolled up by officer, unit or quarter; the same
// rows as a CSV file.
'use strict';
(function () {
  const { t, el, clear, $, api, say, sayError } = App;
  let today = null;
  let last = null;
  const BYS = ['dossier', 'officer', 'unit', 'quarter'];

  const num = (x, digits) => (x === null || x === undefined ? t('dash') : App.number(x, digits));
  const date = (d) => (d ? d.split('-').reverse().join('/') : t('dash'));

  function query() {
    return new URLSearchParams({ from: $('dos-from').value, to: $('dos-to').value, by: $('dos-by').value });
  }

  // Each column: its key (the cell's data-col), its heading, its text for a row.
  function columns(by) {
    if (by === 'dossier') {
      return [
        ['dossier', t('dos.col.dossier'), (d) => d.dossier],
        ['unit', t('dos.col.unit'), (d) => d.unit],
        ['received', t('dos.col.received'), (d) => date(d.received)],
        ['ticket', t('dos.col.ticket'), (d) => (d.ticket ? `${d.ticket} (${date(d.day)})` : t('dash'))],
        ['officer', t('dos.col.officer'), (d) => d.officer || t('dash')],
        ['rating', t('rep.ratings'), (d) => (d.rating ? t('dos.rating.' + d.rating) : t('dash'))],
        ['points', t('dos.col.points'), (d) => (d.scores ? `${d.scores.reduce((a, b) => a + b, 0)}/18` : t('dash'))],
      ];
    }
    return [
      ['dossiers', t('dos.col.dossiers'), (r) => String(r.dossiers)],
      ['very_satisfied', t('rep.very'), (r) => String(r.ratings.very_satisfied)],
      ['satisfied', t('rep.sat'), (r) => String(r.ratings.satisfied)],
      ['unsatisfied', t('rep.unsat'), (r) => String(r.ratings.unsatisfied)],
      ['pct', t('rep.pct'), (r) => (r.satisfied_pct === null ? t('dash') : `${num(r.satisfied_pct, 1)} %`)],
      ['evaluated', t('dos.col.evaluated'), (r) => String(r.evaluated)],
      ['mean_points', t('dos.col.mean'), (r) => num(r.mean_points, 1)],
    ];
  }

  function render() {
    const r = last;
    if (!r) return;
    $('dossiers').hidden = false;
    $('dossiers').dataset.by = r.by;
    $('dos-caption').textContent = t('dos.caption', { from: date(r.from), to: date(r.to), by: t('dos.by.' + r.by).toLowerCase() });
    const cols = columns(r.by);
    const head = clear($('dos-table').tHead.rows[0]);
    if (r.by !== 'dossier') head.append(el('th', { scope: 'col', text: t('rep.group') }));
    for (const [, title] of cols) head.append(el('th', { scope: 'col', text: title }));
    const cells = (x) => cols.map(([col, , text]) => el('td', { dataset: { col }, text: text(x) }));
    const body = clear($('dos-table').tBodies[0]);
    if (r.by === 'dossier') {
      for (const d of r.dossiers) body.append(el('tr', { dataset: { key: d.dossier } }, cells(d)));
    } else {
      for (const row of r.rows) body.append(el('tr', { dataset: { key: row.key } }, el('th', { scope: 'row', text: row.name }), cells(row)));
    }
    const foot = clear($('dos-table').tFoot);
    const x = r.total;
    if (r.by === 'dossier') {
      // The dossiers' columns are not the totals': one line says them.
      const text = t('dos.total_line', {
        dossiers: x.dossiers,
        rated: x.ratings.very_satisfied + x.ratings.satisfied + x.ratings.unsatisfied,
        pct: x.satisfied_pct === null ? t('dash') : num(x.satisfied_pct, 1),
        evaluated: x.evaluated,
        mean: num(x.mean_points, 1),
      });
      foot.append(el('tr', { dataset: { key: 'total' } }, el('th', { scope: 'row', colspan: String(cols.length), text })));
    } else {
      foot.append(el('tr', { dataset: { key: 'total' } }, el('th', { scope: 'row', text: t('rep.total') }), cells(x)));
    }
    $('dos-empty').hidden = r.rows.length > 0;
  }

  async function show(ev) {
    if (ev) ev.preventDefault();
    if (!$('dos-from').value || !$('dos-to').value || $('dos-to').value < $('dos-from').value) {
      say(t('rep.bad_range'), 'error');
      $('dos-to').focus();
      return;
    }
    const q = query();
    $('dos-csv').href = '/api/v1/reports/dossiers.csv?' + q.toString();
    history.replaceState(null, '', '#' + q.toString());
    say(t('loading'), 'info');
    try {
      last = (await api('GET', '/reports/dossiers?' + q.toString())).body;
      say('', '');
      render();
    } catch (e) {
      sayError(e);
    }
  }

  function fromAddress() {
    const h = new URLSearchParams(location.hash.slice(1));
    const ok = (d) => /^\d{4}-\d{2}-\d{2}$/.test(d || '');
    // A quarter's report is the usual one: from the first day of this quarter.
    const quarter = today.slice(0, 5) + String(Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0') + '-01';
    $('dos-from').value = ok(h.get('from')) ? h.get('from') : quarter;
    $('dos-to').value = ok(h.get('to')) ? h.get('to') : today;
    $('dos-by').value = BYS.includes(h.get('by')) ? h.get('by') : 'dossier';
  }

  async function main() {
    const me = await App.start({ role: 'admin' });
    if (!me) return;
    today = await App.serviceDay();
    if (!today) return;
    fromAddress();
    $('dos-form').addEventListener('submit', show);
    $('dos-by').addEventListener('change', () => show());
    App.onLang(render);
    window.addEventListener('hashchange', () => {
      fromAddress();
      show();
    });
    show();
  }
  main();
})();
