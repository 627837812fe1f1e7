// Reports: a day or a range, grouped by service, counter, staff member or day
// (GET /api/v1/reports), as a table (times in minutes) and two bar charts, with the same rows
// as a CSV file for spreadsheets.
'use strict';
(function () {
  const { t, el, clear, $, api, say, sayError } = App;
  let today = null;
  let last = null;

  // Numbers rounded the same way everywhere (and by the tests): half up, then the
  // language's decimal mark.
  function fixed(x, digits) {
    const m = 10 ** digits;
    const s = (Math.round(x * m) / m).toFixed(digits);
    return App.lang === 'vi' ? s.replace('.', ',') : s;
  }
  const minutes = (s) => (s === null || s === undefined ? t('dash') : fixed(s / 60, 1));
  function pct(r) {
    const total = r.very_satisfied + r.satisfied + r.unsatisfied;
    return total ? `${Math.round((100 * (r.very_satisfied + r.satisfied)) / total)} %` : t('dash');
  }

  // Dates as YYYY-MM-DD strings, computed in UTC so no time zone moves them.
  function addDays(day, n) {
    const d = new Date(day + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function query() {
    return new URLSearchParams({ from: $('rep-from').value, to: $('rep-to').value, by: $('rep-by').value });
  }

  function cells(r) {
    const w = r.wait_s || {};
    const s = r.service_s || {};
    const v = [
      ['issued', r.issued === null || r.issued === undefined ? t('dash') : String(r.issued)],
      ['served', String(r.served)],
      ['no_show', String(r.no_show)],
      ['transferred', String(r.transferred)],
      ['wait_mean', minutes(w.mean)],
      ['wait_median', minutes(w.median)],
      ['wait_p90', minutes(w.p90)],
      ['service_mean', minutes(s.mean)],
      ['service_median', minutes(s.median)],
      ['service_p90', minutes(s.p90)],
      ['very_satisfied', String(r.ratings.very_satisfied)],
      ['satisfied', String(r.ratings.satisfied)],
      ['unsatisfied', String(r.ratings.unsatisfied)],
      ['pct', pct(r.ratings)],
    ];
    return v.map(([col, text]) => el('td', { class: 'num', dataset: { col }, text }));
  }

  function label(r) {
    if (r.key === 'total') return t('rep.total');
    if (last && last.by === 'day' && /^\d{4}-\d{2}-\d{2}$/.test(r.key)) return r.key.split('-').reverse().join('/');
    return r.name;
  }

  function render() {
    const r = last;
    if (!r) return;
    $('report').hidden = false;
    $('report').dataset.by = r.by;
    const date = (d) => d.split('-').reverse().join('/');
    $('rep-caption').textContent = t('rep.caption', { from: date(r.from), to: date(r.to), by: t('rep.by.' + r.by).toLowerCase() });
    const body = clear($('report-table').tBodies[0]);
    for (const row of r.rows) body.append(el('tr', { dataset: { key: row.key } }, el('th', { scope: 'row', text: label(row) }), cells(row)));
    const foot = clear($('report-table').tFoot);
    foot.append(el('tr', { dataset: { key: 'total' } }, el('th', { scope: 'row', text: t('rep.total') }), cells(r.total)));
    $('rep-empty').hidden = r.rows.length > 0;
    const groups = r.rows.map((row) => ({ key: row.key, label: label(row) }));
    Charts.bars($('chart-served').querySelector('.plot'), groups, [
      { name: t('rep.served'), cls: 'bar-served', values: r.rows.map((x) => x.served) },
      { name: t('rep.no_show'), cls: 'bar-noshow', values: r.rows.map((x) => x.no_show) },
    ], (v) => String(Math.round(v * 100) / 100), t('rep.chart.served'));
    Charts.bars($('chart-wait').querySelector('.plot'), groups, [
      { name: t('rep.median'), cls: 'bar-median', values: r.rows.map((x) => (x.wait_s ? x.wait_s.median / 60 : null)) },
      { name: t('rep.p90'), cls: 'bar-p90', values: r.rows.map((x) => (x.wait_s ? x.wait_s.p90 / 60 : null)) },
    ], (v) => fixed(v, 1), t('rep.chart.wait'));
  }

  async function show(ev) {
    if (ev) ev.preventDefault();
    const from = $('rep-from').value;
    const to = $('rep-to').value;
    if (!from || !to || to < from) {
      say(t('rep.bad_range'), 'error');
      $('rep-to').focus();
      return;
    }
    const q = query();
    $('rep-csv').href = '/api/v1/reports.csv?' + q.toString();
    history.replaceState(null, '', '#' + q.toString());
    $('rep-show').disabled = true;
    say(t('loading'), 'info');
    try {
      last = (await api('GET', '/reports?' + q.toString())).body;
      say('', '');
      render();
    } catch (e) {
      sayError(e);
    } finally {
      $('rep-show').disabled = false;
    }
  }

  function range(from, to) {
    $('rep-from').value = from;
    $('rep-to').value = to;
    show();
  }

  async function main() {
    const me = await App.start({ role: 'admin' });
    if (!me) return;
    today = await App.serviceDay();
    if (!today) return;
    fromAddress();
    $('report-form').addEventListener('submit', show);
    $('rep-by').addEventListener('change', () => show());
    $('rep-today').addEventListener('click', () => range(today, today));
    $('rep-week').addEventListener('click', () => range(addDays(today, -6), today));
    $('rep-month').addEventListener('click', () => range(today.slice(0, 8) + '01', today));
    App.onLang(render);
    // A report's address (#from=…&to=…&by=…) can be bookmarked, shared, or typed.
    window.addEventListener('hashchange', () => {
      fromAddress();
      show();
    });
    show();
  }

  function fromAddress() {
    const h = new URLSearchParams(location.hash.slice(1));
    const ok = (d) => /^\d{4}-\d{2}-\d{2}$/.test(d || '');
    $('rep-from').value = ok(h.get('from')) ? h.get('from') : today;
    $('rep-to').value = ok(h.get('to')) ? h.get('to') : today;
    $('rep-by').value = ['service', 'counter', 'staff', 'day'].includes(h.get('by')) ? h.get('by') : 'service';
  }
  main();
})();
