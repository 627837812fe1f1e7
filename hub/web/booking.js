// The citizen's booking page: pick a centre's service, a day, a window; confirm the phone with
// the code the gateway texts; then the booking code and its QR code to show at the kiosk.
// Vietnamese or English (`?lang=en`); server text only ever enters as text.
'use strict';
(function () {
  const { el, clear } = window.App;
  const en = new URLSearchParams(location.search).get('lang') === 'en';
  const T = en ? {
    title: 'Book a number ahead', other: 'Tiếng Việt', otherHref: '?lang=vi',
    intro: 'Choose the place, day and time; confirm your phone with the code we text you; bring the booking code to the kiosk when you come.',
    service: '1. Where', day: '2. Day', window: '3. Time', phone: '4. Your phone', phoneLabel: 'Mobile number',
    send: 'Text me a code', codeLabel: 'The 6-digit code we texted you', book: 'Book',
    left: (n) => n === 1 ? '1 place left' : `${n} places left`, full: 'Full', over: 'Over',
    sent: (p) => `A code was texted to ${p}.`, done: 'Booked',
    what: (s, d, w) => `${s} · ${d} · ${w}`,
    how: 'Show this code at the kiosk (scan it or type it) on the day, from a little before your time. Your code was also texted to you.',
    weekdays: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
    errors: {
      invalid_phone: 'That number is not right: 10 digits starting with 0.', too_soon: 'A code was just sent: wait a minute before asking again.',
      too_many_codes: 'Too many codes today for this phone.', busy: 'Many people are booking just now: try again in a minute.', wrong_code: 'That code is not the one we sent.',
      code_expired: 'The code has expired: ask for a new one.', no_code: 'Ask for a code first.',
      too_many_tries: 'Too many wrong codes: ask for a new one.', full: 'That time is full now: choose another.',
      limit_reached: 'This phone already holds the most numbers allowed for that day.', code_used: 'The code was used: ask for a new one.',
      not_bookable: 'That time cannot be booked any more: choose another.', other: 'Something went wrong; please try again.',
    },
  } : {
    title: 'Đặt lượt trước', other: 'English', otherHref: '?lang=en',
    intro: 'Chọn nơi, ngày và giờ; xác nhận số điện thoại bằng mã được nhắn tới; mang mã đặt lượt tới ki-ốt khi đến.',
    service: '1. Nơi làm thủ tục', day: '2. Ngày', window: '3. Giờ', phone: '4. Số điện thoại', phoneLabel: 'Số điện thoại di động',
    send: 'Gửi mã xác nhận', codeLabel: 'Mã gồm 6 chữ số vừa nhắn tới', book: 'Đặt lượt',
    left: (n) => `còn ${n} chỗ`, full: 'Hết chỗ', over: 'Đã qua',
    sent: (p) => `Đã nhắn mã tới số ${p}.`, done: 'Đã đặt lượt',
    what: (s, d, w) => `${s} · ${d} · ${w}`,
    how: 'Đưa mã này cho ki-ốt (quét hoặc nhập mã) vào đúng ngày, từ trước giờ hẹn một chút. Mã cũng đã được nhắn tới điện thoại của bạn.',
    weekdays: ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'],
    errors: {
      invalid_phone: 'Số điện thoại chưa đúng: 10 chữ số, bắt đầu bằng 0.', too_soon: 'Mã vừa được gửi: chờ một phút rồi hãy xin lại.',
      too_many_codes: 'Số này đã xin quá nhiều mã hôm nay.', busy: 'Đang có nhiều người đặt lượt: xin thử lại sau một phút.', wrong_code: 'Mã chưa đúng.',
      code_expired: 'Mã đã hết hạn: hãy xin mã mới.', no_code: 'Hãy xin mã trước.',
      too_many_tries: 'Nhập sai quá nhiều lần: hãy xin mã mới.', full: 'Giờ này vừa hết chỗ: hãy chọn giờ khác.',
      limit_reached: 'Số điện thoại này đã đặt đủ số lượt cho phép trong ngày.', code_used: 'Mã đã được dùng: hãy xin mã mới.',
      not_bookable: 'Giờ này không còn đặt được: hãy chọn giờ khác.', other: 'Có lỗi, xin thử lại.',
    },
  };
  const $ = (id) => document.getElementById(id);
  document.documentElement.lang = en ? 'en' : 'vi';
  document.title = T.title;
  $('title').textContent = T.title;
  $('other').textContent = T.other;
  $('other').href = T.otherHref;
  $('intro').textContent = T.intro;
  for (const [id, key] of [['h-service', 'service'], ['h-day', 'day'], ['h-window', 'window'], ['h-phone', 'phone'], ['l-phone', 'phoneLabel'],
    ['send-code', 'send'], ['l-code', 'codeLabel'], ['book', 'book'], ['h-done', 'done']]) $(id).textContent = T[key];

  let offer = null, chosen = { service: null, day: null, window: null };
  function say(text, bad) { $('msg').textContent = text || ''; $('msg').className = bad ? 'err' : ''; }
  function failed(body) { say(T.errors[body && body.error] || T.errors.other, true); }
  async function call(method, url, body) {
    const r = await fetch(url, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    let json = null;
    try { json = await r.json(); } catch (e) { /* no body */ }
    return { ok: r.ok, status: r.status, body: json };
  }
  function dayName(iso) {
    const d = new Date(iso + 'T00:00:00Z');
    return `${T.weekdays[d.getUTCDay()]} ${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  }
  function press(group, button) {
    for (const b of group.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button));
  }
  function showDays() {
    const s = offer.services[chosen.service];
    clear($('days'));
    for (const day of s.days) {
      const b = el('button', { type: 'button', 'aria-pressed': 'false', 'data-day': day, text: dayName(day) });
      b.addEventListener('click', () => { press($('days'), b); chosen.day = day; chosen.window = null; $('step-phone').hidden = true; showWindows(); });
      $('days').append(b);
    }
    $('step-day').hidden = false;
  }
  async function showWindows() {
    const s = offer.services[chosen.service];
    const q = new URLSearchParams({ centre: s.centre, service: s.service, day: chosen.day });
    const r = await call('GET', '/api/v1/public/booking/slots?' + q);
    if (!r.ok) return failed(r.body);
    clear($('windows'));
    for (const w of r.body.windows) {
      const note = !w.open ? T.over : w.left === 0 ? T.full : T.left(w.left);
      const b = el('button', { type: 'button', 'aria-pressed': 'false', 'data-window': w.window, disabled: !w.open || w.left === 0 },
        w.window.replace('-', '–'), el('small', { text: note }));
      b.addEventListener('click', () => { press($('windows'), b); chosen.window = w.window; $('step-phone').hidden = false; say(''); });
      $('windows').append(b);
    }
    $('step-window').hidden = false;
  }
  $('send-code').addEventListener('click', async () => {
    const r = await call('POST', '/api/v1/public/booking/code', { phone: $('phone').value, lang: en ? 'en' : 'vi' });
    if (!r.ok) return failed(r.body);
    say(T.sent(r.body.phone));
    $('code-box').hidden = false;
    $('code').focus();
  });
  $('book').addEventListener('click', async () => {
    const s = offer.services[chosen.service];
    const r = await call('POST', '/api/v1/public/bookings', {
      phone: $('phone').value, code: $('code').value, centre: s.centre, service: s.service, day: chosen.day, window: chosen.window, lang: en ? 'en' : 'vi',
    });
    if (!r.ok) {
      failed(r.body);
      if (r.body && (r.body.error === 'full' || r.body.error === 'not_bookable')) showWindows();
      return;
    }
    say('');
    for (const id of ['intro', 'step-service', 'step-day', 'step-window', 'step-phone']) $(id).hidden = true;
    const name = en && s.name_en ? s.name_en : s.name;
    $('done-what').textContent = T.what(`${s.centre_name} – ${name}`, dayName(r.body.day), r.body.window.replace('-', '–'));
    $('done-code').textContent = r.body.display;
    $('done-qr').src = `/api/v1/public/bookings/${encodeURIComponent(s.centre)}/${encodeURIComponent(r.body.code)}.svg`;
    $('done-qr').alt = r.body.display;
    $('done-how').textContent = T.how;
    $('done').hidden = false;
  });
  $('service').addEventListener('change', () => {
    chosen = { service: Number($('service').value), day: null, window: null };
    $('step-window').hidden = true;
    $('step-phone').hidden = true;
    showDays();
  });
  (async function start() {
    const r = await call('GET', '/api/v1/public/booking');
    if (!r.ok) return failed(r.body);
    offer = r.body;
    offer.services.forEach((s, i) => $('service').append(el('option', { value: i, text: `${s.centre_name} – ${en && s.name_en ? s.name_en : s.name}` })));
    if (offer.services.length) { chosen.service = 0; showDays(); }
  })();
})();
