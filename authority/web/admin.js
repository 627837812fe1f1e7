// The administrator's page: tabs for the settings editor (settings.js), the accounts
// (accounts.js), the procedure catalogue import with the centre's search words (synonyms.js)
// and the audit log; above them, the province link's status when the centre has one.
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
      if (tab === 'catalogue') Synonyms.start();
      if (tab === 'audit') loadAudit(null);
    } else if (tab === 'accounts') {
      Accounts.load();
    }
  }

  // ---- catalogue ----
  function size(bytes) {
    return bytes >= 1048576 ? `${App.number(bytes / 1048576, 1)} MB` : `${App.number(bytes / 1024, 0)} KB`;
  }

  // The files of a folder that can hold records; a folder also carries PDFs, forms, notes.
  const RECORD_FILE = /\.(json|jsonl|ndjson|txt)$/i;

  function showSkipped(skipped) {
    const list = $('catalogue-skipped-list');
    list.replaceChildren();
    $('catalogue-skipped').hidden = skipped.length === 0;
    $('catalogue-skipped-title').textContent = t('cat.skipped', { n: App.number(skipped.length, 0) });
    for (const s of skipped) {
      const li = document.createElement('li');
      const where = s.line > 0 ? `${s.file}:${s.line}` : s.file;
      li.textContent = s.code ? `${where} (${s.code}): ${s.reason}` : `${where}: ${s.reason}`;
      list.append(li);
    }
  }

  async function importCatalogue(ev) {
    ev.preventDefault();
    const picked = [...$('catalogue-file').files, ...[...$('catalogue-folder').files].filter((f) => RECORD_FILE.test(f.name))];
    if (picked.length === 0) {
      say(t($('catalogue-folder').files.length ? 'cat.nofiles' : 'cat.pick'), 'error');
      $('catalogue-file').focus();
      return;
    }
    const form = new FormData();
    for (const f of picked) form.append('files', f, f.webkitRelativePath || f.name);
    const button = $('catalogue-submit');
    button.disabled = true;
    showSkipped([]);
    say(t('cat.uploading', { size: size(picked.reduce((n, f) => n + f.size, 0)) }), 'info');
    try {
      const r = await api('PUT', '/admin/catalogue', { body: form });
      say(t('cat.done', { n: App.number(r.body.procedures, 0) }), 'ok');
      showSkipped(r.body.skipped || []);
    } catch (e) {
      sayError(e);
    } finally {
      // The next import starts from an empty choice, not this one's files plus the next.
      $('catalogue-form').reset();
      button.disabled = false;
    }
  }

  // ---- the province link (GET /state's uplink), shown when the centre has one ----
  let uplink = null;
  function showUplink() {
    const u = uplink;
    $('uplink').hidden = !u;
    if (!u) return;
    $('up-hub').textContent = u.hub;
    $('up-backlog').textContent = App.number(u.backlog, 0);
    $('up-last-ack').textContent = u.last_ack_at ? App.dateTime(u.last_ack_at) : t('up.never');
    $('up-last-error').textContent = u.last_error ? `${App.dateTime(u.last_error_at)}: ${u.last_error}` : t('up.none');
    $('up-dropped').textContent = App.number(u.dropped, 0);
    $('up-dropped').classList.toggle('error', u.dropped > 0);
    $('up-catalogue').textContent = u.catalogue_etag || t('up.none');
  }

  async function loadState() {
    try {
      const st = await api('GET', '/state');
      $('centre').textContent = ' · ' + st.body.centre;
      uplink = st.body.uplink || null;
      showUplink();
      // A clock behind the log (a Pi that booted before NTP answered): numbers stay right,
      // but the administrator should know, and look at the network's time source.
      const c = st.body.clock;
      $('clock').hidden = !c;
      if (c) $('clock').textContent = t('clock.behind', { system: App.dateTime(c.system), kept: App.dateTime(c.kept) });
    } catch (_) {
      /* the header works without the centre's name, the page without the link's status */
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
    await loadState();
    setInterval(loadState, 30000);
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
      showUplink();
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
