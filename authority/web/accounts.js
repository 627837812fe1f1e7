// Staff and administrator accounts: list, create, edit (name, role, counters), reset the
// password, disable or enable, unlock (GET/POST /api/v1/admin/accounts, PATCH .../{login}).
'use strict';
window.Accounts = (function () {
  const { t, el, clear, $, api, say, sayError } = App;
  const LOGIN = /^[a-z][a-z0-9._-]{2,31}$/;
  let accounts = [];
  let counters = [];
  let editing = null;
  let busy = false;

  function counterBoxes(box, chosen) {
    clear(box);
    for (const c of counters) {
      box.append(el('label', {}, el('input', { type: 'checkbox', value: c.id, checked: chosen.includes(c.id) }), c.name));
    }
  }
  const ticked = (box) => [...box.querySelectorAll('input:checked')].map((i) => i.value);
  const counterName = (id) => {
    const c = counters.find((x) => x.id === id);
    return c ? c.name : id;
  };
  const roleText = (r) => t(r === 'admin' ? 'acc.role.admin' : 'acc.role.staff');

  function status(a) {
    if (a.disabled) return t('acc.disabled');
    if (a.locked_until && Date.parse(a.locked_until) > Date.now()) return t('acc.locked', { time: App.time(a.locked_until) });
    return t('acc.active');
  }

  function render() {
    const body = clear($('accounts').tBodies[0]);
    for (const a of accounts) {
      const locked = a.locked_until && Date.parse(a.locked_until) > Date.now();
      body.append(el('tr', { dataset: { login: a.login } },
        el('th', { scope: 'row', text: a.login }),
        el('td', { class: 'name', text: a.name }),
        el('td', { text: roleText(a.role) }),
        el('td', { text: a.counters.length ? a.counters.map(counterName).join(', ') : t('acc.counters.any') }),
        el('td', { class: 'status', text: status(a) }),
        el('td', {}, el('div', { class: 'acc-actions' },
          el('button', { type: 'button', class: 'small', dataset: { edit: a.login }, 'aria-label': `${t('acc.edit')} ${a.login}`, text: t('acc.edit'), onclick: () => openEdit(a) }),
          el('button', { type: 'button', class: 'small', dataset: { reset: a.login }, 'aria-label': `${t('acc.reset')} ${a.login}`, text: t('acc.reset'), onclick: () => openPassword(a) }),
          el('button', { type: 'button', class: 'small' + (a.disabled ? '' : ' danger'), dataset: { toggle: a.login }, 'aria-label': `${t(a.disabled ? 'acc.enable' : 'acc.disable')} ${a.login}`,
            text: t(a.disabled ? 'acc.enable' : 'acc.disable'), onclick: () => patch(a.login, { disabled: !a.disabled }, t('acc.updated', { login: a.login })) }),
          locked ? el('button', { type: 'button', class: 'small', dataset: { unlock: a.login }, text: t('acc.unlock'), onclick: () => patch(a.login, { unlock: true }, t('acc.updated', { login: a.login })) }) : null))));
    }
  }

  async function load() {
    try {
      const [list, state] = await Promise.all([api('GET', '/admin/accounts'), api('GET', '/state')]);
      accounts = list.body;
      counters = state.body.counters;
      const keep = ticked($('new-counters'));
      counterBoxes($('new-counters'), keep);
      render();
    } catch (e) {
      sayError(e);
    }
  }

  function fieldError(id, key) {
    $(id + '-error').textContent = key ? t(key) : '';
    if (key) $(id).setAttribute('aria-invalid', 'true');
    else $(id).removeAttribute('aria-invalid');
    return !key;
  }

  async function create(ev) {
    ev.preventDefault();
    if (busy) return;
    const login = $('new-login').value.trim();
    const name = $('new-name').value.trim();
    const password = $('new-password').value;
    const ok = [
      fieldError('new-login', LOGIN.test(login) ? null : 'acc.bad_login'),
      fieldError('new-name', name && name.length <= 80 ? null : 'acc.bad_name'),
      fieldError('new-password', [...password].length >= 10 ? null : 'acc.bad_password'),
    ];
    if (ok.includes(false)) {
      $(['new-login', 'new-name', 'new-password'][ok.indexOf(false)]).focus();
      return;
    }
    busy = true;
    $('account-create').disabled = true;
    try {
      await api('POST', '/admin/accounts', { body: { login, name, role: $('new-role').value, counters: ticked($('new-counters')), password } });
      $('account-form').reset();
      counterBoxes($('new-counters'), []);
      say(t('acc.created', { login }), 'ok');
      await load();
    } catch (e) {
      sayError(e);
      if (e.code === 'account_exists') fieldError('new-login', 'err.account_exists');
    } finally {
      busy = false;
      $('account-create').disabled = false;
    }
  }

  async function patch(login, body, done, dialogMsg) {
    if (busy) return false;
    busy = true;
    try {
      await api('PATCH', '/admin/accounts/' + encodeURIComponent(login), { body });
      say(done, 'ok');
      await load();
      return true;
    } catch (e) {
      if (dialogMsg) {
        const box = clear($(dialogMsg));
        box.className = 'msg msg-error';
        box.append(el('p', { text: App.errorText(e) }));
        const d = App.errorDetail(e);
        if (d) box.append(el('p', { class: 'detail', text: d }));
      } else {
        sayError(e);
      }
      return false;
    } finally {
      busy = false;
    }
  }

  function openEdit(a) {
    editing = a;
    $('account-dialog-h').textContent = t('acc.edit.title', { login: a.login });
    clear($('account-dialog-msg'));
    $('edit-name').value = a.name;
    $('edit-role').value = a.role;
    counterBoxes($('edit-counters'), a.counters);
    $('account-dialog').showModal();
    $('edit-name').focus();
  }

  async function saveEdit(ev) {
    ev.preventDefault();
    const name = $('edit-name').value.trim();
    if (!name || name.length > 80) {
      const box = clear($('account-dialog-msg'));
      box.className = 'msg msg-error';
      box.append(el('p', { text: t('acc.bad_name') }));
      return;
    }
    const body = { name, role: $('edit-role').value, counters: ticked($('edit-counters')) };
    if (await patch(editing.login, body, t('acc.updated', { login: editing.login }), 'account-dialog-msg')) $('account-dialog').close();
  }

  function openPassword(a) {
    editing = a;
    $('password-dialog-h').textContent = t('acc.reset.title', { login: a.login });
    clear($('password-dialog-msg'));
    $('reset-password').value = '';
    $('password-dialog').showModal();
    $('reset-password').focus();
  }

  async function savePassword(ev) {
    ev.preventDefault();
    const password = $('reset-password').value;
    if ([...password].length < 10) {
      const box = clear($('password-dialog-msg'));
      box.className = 'msg msg-error';
      box.append(el('p', { text: t('acc.bad_password') }));
      return;
    }
    if (await patch(editing.login, { password }, t('acc.password_set', { login: editing.login }), 'password-dialog-msg')) $('password-dialog').close();
  }

  function start() {
    $('account-form').addEventListener('submit', create);
    $('account-edit').addEventListener('submit', saveEdit);
    $('account-edit-cancel').addEventListener('click', () => $('account-dialog').close());
    $('password-form').addEventListener('submit', savePassword);
    $('password-cancel').addEventListener('click', () => $('password-dialog').close());
    App.onLang(render);
    return load();
  }

  return { start, load };
})();
