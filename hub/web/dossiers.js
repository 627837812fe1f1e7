// The dashboard's dossier section: satisfaction as the province counts it, one rating and one
// nine-criteria evaluation per dossier, rolled up per centre, receiving unit or quarter, or
// listed one by one (GET /api/v1/province/dossiers). It follows the range and the language
// province.js announces ('province:range', 'province:lang'); nothing is computed here.
'use strict';
(function () {
  const { el, clear } = App;
  const WORDS = {
    vi: {
      title: 'Hài lòng theo hồ sơ', by: 'Gộp theo', 'by.centre': 'Trung tâm', 'by.unit': 'Đơn vị tiếp nhận', 'by.quarter': 'Quý',
      'by.dossier': 'Từng hồ sơ', csv: 'Tải tệp CSV (Excel)', dossiers: 'Số hồ sơ', very: 'Rất hài lòng', sat: 'Hài lòng',
      unsat: 'Không hài lòng', pct: '% hài lòng', evaluated: 'Phiếu đánh giá', points: 'Điểm trung bình (trên 18)',
      lead: 'Mỗi hồ sơ một lần đánh giá tại quầy (lần sau cùng) và một phiếu đánh giá 9 tiêu chí (tối đa 18 điểm).',
      total: 'Toàn tỉnh', none: 'Chưa có hồ sơ nào trong khoảng này.', failed: 'Không tải được số liệu hồ sơ: {why}',
    },
    en: {
      title: 'Satisfaction per dossier', by: 'Group by', 'by.centre': 'Centre', 'by.unit': 'Receiving unit', 'by.quarter': 'Quarter',
      'by.dossier': 'Each dossier', csv: 'Download CSV (Excel)', dossiers: 'Dossiers', very: 'Very satisfied', sat: 'Satisfied',
      unsat: 'Unsatisfied', pct: '% satisfied', evaluated: 'Evaluations', points: 'Mean points (of 18)',
      lead: 'One counter rating per dossier (its last) and one nine-criteria evaluation (at most 18 points).',
      total: 'Province', none: 'No dossier in this range.', failed: 'Could not load the dossier figures: {why}',
    },
  };
  const $ = (id) => document.getElementById(id);
  let lang = 'vi';
  let range = null;
  let last = null;
  const t = (k, vars) => (WORDS[lang][k] || k).replace(/\{(\w+)\}/g, (m, v) => (vars && v in vars ? String(vars[v]) : m));
  const number = (n, digits) => (n === null || n === undefined ? '–' : n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits }));

  function applyWords() {
    document.querySelectorAll('[data-dos]').forEach((e) => (e.textContent = t(e.dataset.dos)));
    if (last) render(last);
  }

  async function load() {
    if (!range) return;
    const q = new URLSearchParams({ from: range.from, to: range.to, by: $('dos-by').value }).toString();
    $('dos-csv').href = '/api/v1/province/dossiers.csv?' + q;
    try {
      const res = await fetch('/api/v1/province/dossiers?' + q, { credentials: 'same-origin' });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(body.message || res.statusText);
      last = body;
      render(body);
    } catch (e) {
      last = null;
      clear($('dos-table').tBodies[0]).append(el('tr', {}, el('td', { colspan: 8, class: 'error', text: t('failed', { why: e.message }) })));
    }
  }

  function cells(name, r) {
    return [
      el('th', { scope: 'row', text: name }),
      el('td', { class: 'num', text: number(r.dossiers, 0) }),
      el('td', { class: 'num', text: number(r.ratings.very_satisfied, 0) }),
      el('td', { class: 'num', text: number(r.ratings.satisfied, 0) }),
      el('td', { class: 'num', text: number(r.ratings.unsatisfied, 0) }),
      el('td', { class: 'num', text: r.satisfied_pct === null ? '–' : number(r.satisfied_pct, 1) + '%' }),
      el('td', { class: 'num', text: number(r.evaluated, 0) }),
      el('td', { class: 'num', text: number(r.mean_points, 1) }),
    ];
  }

  function render(r) {
    $('dos-key').textContent = t('by.' + r.by);
    const body = clear($('dos-table').tBodies[0]);
    body.append(...r.rows.map((row) => el('tr', { 'data-key': row.key }, cells(row.name, row))));
    if (r.rows.length === 0) body.append(el('tr', {}, el('td', { colspan: 8, class: 'muted', text: t('none') })));
    clear($('dos-table').tFoot).append(el('tr', {}, cells(t('total'), r.total)));
  }

  document.addEventListener('province:range', (e) => {
    range = e.detail;
    load();
  });
  document.addEventListener('province:lang', (e) => {
    lang = e.detail.lang;
    applyWords();
  });
  document.addEventListener('DOMContentLoaded', () => $('dos-by').addEventListener('change', load));
})();
