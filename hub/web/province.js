// The province's dashboard: sign in, pick a range, see every centre's figures and the
// province's total (tiles, charts, a table), the centres that went quiet, and the CSV.
// Figures come from GET /api/v1/province/report; nothing is computed here but display units.
'use strict';
(function () {
  const { el, clear } = App;
  const WORDS = {
    vi: {
      title: 'Bảng số liệu tỉnh', skip: 'Bỏ qua, đến nội dung chính', sign_out: 'Đăng xuất', 'sign_in.title': 'Đăng nhập',
      login: 'Tên đăng nhập', password: 'Mật khẩu', sign_in: 'Đăng nhập', from: 'Từ ngày', to: 'Đến ngày', show: 'Xem',
      today: 'Hôm nay', week: '7 ngày', month: 'Tháng này', csv: 'Tải tệp CSV (Excel)',
      'chart.days': 'Số đã cấp và đã phục vụ theo ngày', 'chart.hours': 'Giờ đông nhất: số đã cấp theo giờ',
      'chart.wait': 'Thời gian chờ theo trung tâm: trung vị và P90 (phút)', 'chart.centres': 'Đã phục vụ và vắng mặt theo trung tâm', issued: 'Số đã cấp', served: 'Đã phục vụ',
      no_show: 'Vắng mặt', p50: 'Trung vị', p90: 'P90', centre: 'Trung tâm', wait_p50: 'Chờ, trung vị (phút)',
      wait_p90: 'Chờ, P90 (phút)', service_p50: 'Phục vụ, trung vị (phút)', satisfied: '% hài lòng',
      last_heard: 'Lần cuối nhận dữ liệu', total: 'Toàn tỉnh', never: 'chưa bao giờ', lang: 'English',
      lang_label: 'Switch to English', caption: 'Các trung tâm từ {from} đến {to}', quiet: 'Không nhận được dữ liệu hơn một giờ trong giờ làm việc: {names}',
      bad_login: 'Sai tên đăng nhập hoặc mật khẩu.', locked: 'Tài khoản tạm khoá sau nhiều lần nhập sai. Thử lại sau ít phút.',
      failed: 'Không tải được số liệu: {why}', tiles: 'Tổng toàn tỉnh', 'tile.wait': 'Chờ, trung vị', 'tile.wait90': 'Chờ, P90',
      'tile.service': 'Phục vụ, trung vị', 'tile.sat': 'Hài lòng', min: '{n} phút',
    },
    en: {
      title: 'Province figures', skip: 'Skip to the main content', sign_out: 'Sign out', 'sign_in.title': 'Sign in',
      login: 'Login', password: 'Password', sign_in: 'Sign in', from: 'From', to: 'To', show: 'Show',
      today: 'Today', week: '7 days', month: 'This month', csv: 'Download CSV (Excel)',
      'chart.days': 'Tickets issued and served per day', 'chart.hours': 'Busiest hours: tickets issued per hour',
      'chart.wait': 'Waiting time per centre: median and P90 (minutes)', 'chart.centres': 'Served and no-shows per centre', issued: 'Issued', served: 'Served',
      no_show: 'No-shows', p50: 'Median', p90: 'P90', centre: 'Centre', wait_p50: 'Wait, median (min)',
      wait_p90: 'Wait, P90 (min)', service_p50: 'Service, median (min)', satisfied: '% satisfied',
      last_heard: 'Last heard from', total: 'Province', never: 'never', lang: 'Tiếng Việt',
      lang_label: 'Chuyển sang tiếng Việt', caption: 'Centres from {from} to {to}', quiet: 'Nothing received for over an hour in opening time: {names}',
      bad_login: 'Wrong login or password.', locked: 'Locked for a while after too many wrong tries. Try again in a few minutes.',
      failed: 'Could not load the figures: {why}', tiles: 'Province totals', 'tile.wait': 'Wait, median', 'tile.wait90': 'Wait, P90',
      'tile.service': 'Service, median', 'tile.sat': 'Satisfied', min: '{n} min',
    },
  };
  let lang = localStorage.getItem('mc.province.lang') === 'en' ? 'en' : 'vi';
  let last = null;
  const $ = (id) => document.getElementById(id);
  const t = (k, vars) => (WORDS[lang][k] || k).replace(/\{(\w+)\}/g, (m, v) => (vars && v in vars ? String(vars[v]) : m));
  const minutes = (s) => (s === null || s === undefined ? '–' : (s / 60).toLocaleString(locale(), { maximumFractionDigits: 1 }));
  const count = (n) => n.toLocaleString(locale());
  function locale() {
    return lang === 'vi' ? 'vi-VN' : 'en-GB';
  }
  function satisfied(r) {
    const all = r.very_satisfied + r.satisfied + r.unsatisfied;
    return all ? Math.round(((r.very_satisfied + r.satisfied) * 100) / all) + '%' : '–';
  }
  function say(text, kind) {
    const box = clear($('msg'));
    box.className = 'msg' + (kind ? ' msg-' + kind : '');
    if (text) box.append(el('p', { text }));
  }

  function applyWords() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-i18n]').forEach((e) => (e.textContent = t(e.dataset.i18n)));
    $('lang').textContent = t('lang');
    $('lang').setAttribute('aria-label', t('lang_label'));
    $('tiles').setAttribute('aria-label', t('tiles'));
    document.dispatchEvent(new CustomEvent('province:lang', { detail: { lang } }));
    if (last) render(last);
  }

  async function api(path, init) {
    const res = await fetch(path, Object.assign({ credentials: 'same-origin', headers: { 'Content-Type': 'application/json' } }, init || {}));
    const body = res.status === 204 ? {} : await res.json().catch(() => ({}));
    if (!res.ok) throw Object.assign(new Error(body.message || res.statusText), { status: res.status, code: body.error });
    return body;
  }

  function iso(d) {
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }
  function setRange(from, to) {
    $('from').value = iso(from);
    $('to').value = iso(to);
    load();
  }

  async function load() {
    const q = `from=${encodeURIComponent($('from').value)}&to=${encodeURIComponent($('to').value)}`;
    $('csv').href = '/api/v1/province/report.csv?' + q;
    // The dossier section (dossiers.js) follows the same range.
    document.dispatchEvent(new CustomEvent('province:range', { detail: { from: $('from').value, to: $('to').value } }));
    try {
      last = await api('/api/v1/province/report?' + q);
      say('');
      render(last);
    } catch (e) {
      if (e.status === 401) return signedOut();
      say(t('failed', { why: e.message }), 'error');
    }
  }

  function tile(label, value) {
    return el('li', {}, el('span', { class: 'value', text: value }), el('span', { class: 'label', text: label }));
  }

  function render(r) {
    const tot = r.total;
    clear($('tiles')).append(
      tile(t('issued'), count(tot.tickets_issued)),
      tile(t('served'), count(tot.tickets_served)),
      tile(t('no_show'), count(tot.no_shows)),
      tile(t('tile.wait'), t('min', { n: minutes(tot.wait_p50_s) })),
      tile(t('tile.wait90'), t('min', { n: minutes(tot.wait_p90_s) })),
      tile(t('tile.service'), t('min', { n: minutes(tot.service_p50_s) })),
      tile(t('tile.sat'), satisfied(tot.ratings)),
    );
    const quiet = r.centres.filter((c) => c.quiet).map((c) => c.name);
    $('quiet').hidden = quiet.length === 0;
    clear($('quiet')).append(el('p', { text: t('quiet', { names: quiet.join(', ') }) }));

    const days = r.days.map((d) => ({ key: d.day, label: new Date(d.day + 'T00:00').toLocaleDateString(locale(), { day: 'numeric', month: 'numeric' }) }));
    Charts.bars($('chart-days').querySelector('.plot'), days, [
      { name: t('issued'), cls: 'bar-issued', values: r.days.map((d) => d.tickets_issued) },
      { name: t('served'), cls: 'bar-served', values: r.days.map((d) => d.tickets_served) },
    ], (v) => count(Math.round(v)), t('chart.days'));
    const hours = tot.busiest_hours.map((n, h) => ({ h, n })).filter(({ h, n }) => n > 0 || (h >= 7 && h <= 17));
    Charts.bars($('chart-hours').querySelector('.plot'), hours.map(({ h }) => ({ key: String(h), label: h + 'h' })),
      [{ name: t('issued'), cls: 'bar-issued', values: hours.map(({ n }) => n) }], (v) => count(Math.round(v)), t('chart.hours'));
    const busiest = [...r.centres].sort((a, b) => b.tickets_issued - a.tickets_issued).slice(0, 24);
    Charts.bars($('chart-centres').querySelector('.plot'), busiest.map((c) => ({ key: c.id, label: c.name })), [
      { name: t('served'), cls: 'bar-served', values: busiest.map((c) => c.tickets_served) },
      { name: t('no_show'), cls: 'bar-noshow', values: busiest.map((c) => c.no_shows) },
    ], (v) => count(Math.round(v)), t('chart.centres'));
    const waits = r.centres.filter((c) => c.wait_p50_s !== null).sort((a, b) => b.wait_p90_s - a.wait_p90_s).slice(0, 24);
    Charts.bars($('chart-wait').querySelector('.plot'), waits.map((c) => ({ key: c.id, label: c.name })), [
      { name: t('p50'), cls: 'bar-median', values: waits.map((c) => c.wait_p50_s / 60) },
      { name: t('p90'), cls: 'bar-p90', values: waits.map((c) => c.wait_p90_s / 60) },
    ], (v) => minutes(v * 60), t('chart.wait'));

    $('caption').textContent = t('caption', { from: r.from, to: r.to });
    const row = (name, f, extra) => [
      el('th', { scope: 'row', text: name }),
      el('td', { class: 'num', text: count(f.tickets_issued) }),
      el('td', { class: 'num', text: count(f.tickets_served) }),
      el('td', { class: 'num', text: count(f.no_shows) }),
      el('td', { class: 'num', text: minutes(f.wait_p50_s) }),
      el('td', { class: 'num', text: minutes(f.wait_p90_s) }),
      el('td', { class: 'num', text: minutes(f.service_p50_s) }),
      el('td', { class: 'num', text: satisfied(f.ratings) }),
      el('td', { text: extra }),
    ];
    const heard = (c) => (c.last_received_at ? new Date(c.last_received_at).toLocaleString(locale(), { dateStyle: 'short', timeStyle: 'short' }) : t('never'));
    clear($('centres').querySelector('tbody')).append(...r.centres.map((c) => el('tr', { class: c.quiet ? 'quiet' : null, 'data-centre': c.id }, row(c.name, c, heard(c)))));
    clear($('centres').querySelector('tfoot')).append(el('tr', {}, row(t('total'), tot, '')));
  }

  function signedOut() {
    last = null;
    $('dashboard').hidden = true;
    $('sign-out').hidden = true;
    $('who').textContent = '';
    $('sign-in').hidden = false;
    $('login').focus();
  }
  function signedIn(who) {
    $('who').textContent = who.name || who.login || '';
    $('sign-in').hidden = true;
    $('sign-out').hidden = false;
    $('dashboard').hidden = false;
    const now = new Date();
    setRange(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 6), now);
  }

  document.addEventListener('DOMContentLoaded', async () => {
    applyWords();
    $('lang').addEventListener('click', () => {
      lang = lang === 'vi' ? 'en' : 'vi';
      localStorage.setItem('mc.province.lang', lang);
      applyWords();
    });
    $('sign-in-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const who = await api('/api/v1/session', { method: 'POST', body: JSON.stringify({ login: $('login').value, password: $('password').value }) });
        $('password').value = '';
        say('');
        signedIn(who);
      } catch (e) {
        say(e.status === 429 || e.code === 'locked' ? t('locked') : t('bad_login'), 'error');
      }
    });
    $('sign-out').addEventListener('click', async () => {
      await api('/api/v1/session', { method: 'DELETE' }).catch(() => {});
      signedOut();
    });
    $('range').addEventListener('submit', (ev) => {
      ev.preventDefault();
      load();
    });
    const now = new Date();
    $('today').addEventListener('click', () => setRange(now, now));
    $('week').addEventListener('click', () => setRange(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 6), now));
    $('month').addEventListener('click', () => setRange(new Date(now.getFullYear(), now.getMonth(), 1), now));
    try {
      signedIn(await api('/api/v1/session'));
    } catch (e) {
      signedOut();
    }
  });
})();
