// The sign-in page: signs in, explains every refusal, and goes on to the counter (staff) or
// offers the administrator's pages (admin).
'use strict';
(function () {
  const { t, $, api, say, sayError } = App;
  const params = new URLSearchParams(location.search);
  // Only one of the console's own pages may be the next one (never another site).
  const nextPage = /^(counter|admin|reports)\.html(#[A-Za-z0-9=&._-]*)?$/.test(params.get('next') || '') ? params.get('next') : '';

  function reasonText(r) {
    if (r === 'session_expired') return ['err.session_expired', 'error'];
    if (r === 'signed_out') return ['signin.signed_out', 'ok'];
    if (r === 'unauthorized') return ['err.unauthorized', 'info'];
    return null;
  }

  function goOn(s) {
    if (s.role !== 'admin') {
      location.replace(nextPage && !nextPage.startsWith('admin') && !nextPage.startsWith('reports') ? nextPage : 'counter.html');
      return;
    }
    if (nextPage) {
      location.replace(nextPage);
      return;
    }
    $('signin').hidden = true;
    $('signed-in').hidden = false;
    $('welcome').textContent = t('signin.welcome', { name: s.name });
    $('sign-out').hidden = false;
    $('go-admin').focus();
  }

  async function submit(ev) {
    ev.preventDefault();
    const login = $('login').value.trim();
    const password = $('password').value;
    if (!login || !password) {
      say(t('signin.missing'), 'error');
      (login ? $('password') : $('login')).focus();
      return;
    }
    const button = $('submit');
    button.disabled = true;
    say(t('busy'), 'info');
    try {
      const r = await api('POST', '/session', { body: { login, password }, noRedirect: true });
      await App.loadSession();
      say('', '');
      goOn(r.body);
    } catch (e) {
      sayError(e);
      $('password').value = '';
      $('password').focus();
    } finally {
      button.disabled = false;
    }
  }

  async function main() {
    await App.start({ public: true });
    const why = reasonText(params.get('reason'));
    if (why) say(t(why[0]), why[1]);
    App.onLang(() => {
      if (why) say(t(why[0]), why[1]);
      if (App.session) $('welcome').textContent = t('signin.welcome', { name: App.session.name });
    });
    $('signin').addEventListener('submit', submit);
    $('show-password').addEventListener('change', (e) => {
      $('password').type = e.target.checked ? 'text' : 'password';
    });
    let s = null;
    try {
      s = await App.loadSession();
    } catch (e) {
      sayError(e);
    }
    if (s) goOn(s);
    else $('login').focus();
  }
  main();
})();
