// The administrator's page: tabs for the settings editor (settings.js), the accounts
// (accounts.js), the procedure catalogue import and the audit log.
'use strict';
(function () {
  const { t, el, clear, $, api, say, sayError } = App;
  const TABS = ['settings', 'accounts', 'catalogue', 'audit'];
  const started = {};
  const AUDIT_PAGE = 50;
  let auditBefore = [];

  function showTab() {
    const want = location.hash.slice(1);
    const tab = TABS.includes(want) ? want : 'settings';
    for (const name of TABS) {
      $('tab-' + name).hidden = name !== tab;
      $('tab-link-' + name).setAttribute('aria-current', name === tab ? 'true' : 'false');
    }
    if (!started[tab]) {
      started[tab] = true;
      if (tab === 'settings') SettingsEditor.start();
      if (tab === 'accounts') Accounts.start();
      if (tab === 'audit') loadAudit(null);
    } else if (tab === 'accounts') {
      Accounts.load();
    }
  }

  // ---- catalogue ----
  function size(bytes) {
    return bytes >= 1048576 ? `${App.number(bytes / 1048576, 1)} MB` : `${App.number(bytes / 1024, 0)} KB`;
  }

  async function importCatalogue(ev) {
    ev.preventDefault();
    const file = $('catalogue-file').files[0];
    if (!file) {
      say(t('cat.pick'), 'error');
      $('catalogue-file').focus();
      return;
    }
    const button = $('catalogue-submit');
    button.disabled = true;
    say(t('cat.uploading', { size: size(file.size) }), 'info');
    try {
      const r = await api('PUT', '/admin/catalogue', { body: file });
      say(t('cat.done', { n: App.number(r.body.procedures, 0) }), 'ok');
    } catch (e) {
      sayError(e);
    } finally {
      button.disabled = false;
    }
  }

  // ---- audit log, newest first, a page at a time ----
  async function loadAudit(before) {
    try {
      const q = new URLSearchParams({ limit: String(AUDIT_PAGE) });
      if (before) q.set('before', String(before));
      const r = await api('GET', '/admin/audit?' + q.toString());
      const rows = r.body;
      const body = clear($('audit').tBodies[0]);
      for (const a of rows) {
        const key = 'audit.' + a.action;
        body.append(el('tr', { dataset: { id: String(a.id), action: a.action } },
          el('td', { text: App.dateTime(a.at) }),
          el('td', { text: a.actor }),
          el('td', { text: t(key) === key ? a.action : t(key) }),
          el('td', { text: a.target || '' }),
          el('td', { class: 'detail', text: a.detail || '' })));
      }
      $('audit-empty').hidden = rows.length > 0;
      $('audit-older').disabled = rows.length < AUDIT_PAGE;
      $('audit-older').dataset.before = rows.length ? String(rows[rows.length - 1].id) : '';
    } catch (e) {
      sayError(e);
    }
  }

  async function main() {
    const me = await App.start({ role: 'admin' });
    if (!me) return;
    try {
      const st = await api('GET', '/state');
      $('centre').textContent = ' · ' + st.body.centre;
    } catch (_) {
      /* the header works without the centre's name */
    }
    $('catalogue-form').addEventListener('submit', importCatalogue);
    $('audit-newest').addEventListener('click', () => {
      auditBefore = [];
      loadAudit(null);
    });
    $('audit-older').addEventListener('click', () => {
      const b = $('audit-older').dataset.before;
      auditBefore.push(b);
      loadAudit(b);
    });
    App.onLang(() => {
      if (started.audit) loadAudit(auditBefore[auditBefore.length - 1] || null);
    });
    window.addEventListener('hashchange', () => {
      say('', '');
      showTab();
    });
    showTab();
  }
  main();
})();
