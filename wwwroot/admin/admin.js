// Staff administration (/api/admin/staff), for admins: list, create, edit roles, teams and
// display name, disable and enable. The API is the judge of what is allowed (an admin cannot
// disable themself); this page explains its answers.
import { t, label, formatTime, onLanguageChange, language } from '/shared/i18n.js';
import { get, post, put, describeError, ApiError } from '/shared/api.js';
import { h, loading, showBanner, clearBanners, setBusy, showFieldErrors, clearFieldErrors } from '/shared/ui.js';
import { openStaffPage } from '/shared/staff-page.js';
import { mountTriageRules } from './triage-rules.js';

const ROLES = ['Agent', 'Supervisor', 'Admin'];

const pageMessages = document.getElementById('page-messages');
const staffMessages = document.getElementById('staff-messages');
const formMessages = document.getElementById('form-messages');
const staffList = document.getElementById('staff-list');
const formPanel = document.getElementById('form-panel');
const form = document.getElementById('staff-form');
const submit = document.getElementById('staff-submit');
const cancel = document.getElementById('staff-cancel');

const state = {
  session: null,
  teams: [],
  staff: [],
  loaded: false,
  editing: null, // the account being edited, or null when the form creates one
};

function teamName(id) {
  const team = state.teams.find(x => x.id === id);
  if (!team) return String(id);
  return language() === 'zh-CN' ? team.nameZh || team.name : team.name || team.nameZh;
}

// ---------- list ----------

async function loadStaff() {
  clearBanners(staffMessages);
  if (!state.loaded) staffList.replaceChildren(loading('admin.loading'));
  try {
    state.staff = await get('/api/admin/staff');
    state.loaded = true;
    renderStaff();
  } catch (error) {
    if (!state.loaded) staffList.replaceChildren();
    showBanner(staffMessages, () => describeError(error), { actions: [{ key: 'common.retry', onClick: loadStaff }] });
  }
}

function renderStaff() {
  if (!state.loaded) return;
  if (!state.staff.length) {
    staffList.replaceChildren(h('p', { class: 'empty', i18n: 'admin.empty' }));
    return;
  }
  const rows = state.staff.map(account => {
    const isMe = account.id === state.session.id;
    const toggle = h('button', {
      type: 'button',
      class: account.isDisabled ? '' : 'danger',
      i18n: account.isDisabled ? 'admin.doEnable' : 'admin.doDisable',
      disabled: isMe,
      dataset: { action: account.isDisabled ? 'enable' : 'disable' },
      onclick: () => setDisabled(account, !account.isDisabled, toggle),
    });
    const stateText = account.isDisabled
      ? t('admin.disabled')
      : account.lockedOutUntil ? t('admin.lockedUntil', { time: formatTime(account.lockedOutUntil) }) : t('admin.active');
    return h('tr', { class: account.isDisabled ? 'is-disabled' : '', dataset: { email: account.email } },
      h('td', {}, account.displayName, isMe && h('span', { class: 'hint', text: ` ${t('admin.you')}` })),
      h('td', { text: account.email }),
      h('td', { text: account.roles.map(r => label('role', r)).join(', ') }),
      h('td', { text: account.teamIds.length ? account.teamIds.map(teamName).join(', ') : t('admin.noTeams') }),
      h('td', {}, h('span', { class: `badge ${account.isDisabled ? 'status-Archived' : 'status-Resolved'}`, text: stateText })),
      h('td', { class: 'actions' },
        h('button', { type: 'button', i18n: 'admin.doEdit', dataset: { action: 'edit' }, onclick: () => edit(account) }),
        toggle));
  });
  staffList.replaceChildren(h('table', { class: 'grid', id: 'staff-table' },
    h('thead', {}, h('tr', {},
      h('th', { i18n: 'admin.displayName' }), h('th', { i18n: 'admin.email' }), h('th', { i18n: 'admin.roles' }),
      h('th', { i18n: 'admin.teams' }), h('th', { i18n: 'admin.state' }), h('th', { class: 'actions', i18n: 'admin.actions' }))),
    h('tbody', {}, ...rows)));
}

async function setDisabled(account, disabled, button) {
  clearBanners(staffMessages);
  setBusy(button, true, 'common.saving');
  try {
    await put(`/api/admin/staff/${account.id}`, { disabled });
    await loadStaff();
    showBanner(staffMessages, () => t(disabled ? 'admin.disabledDone' : 'admin.enabledDone', { email: account.email }), { kind: 'ok' });
  } catch (error) {
    setBusy(button, false);
    showBanner(staffMessages, () => describeError(error));
  }
}

// ---------- form ----------

function renderChecks() {
  const chosenRoles = new Set(checked('roles'));
  const chosenTeams = new Set(checked('teamIds'));
  document.getElementById('role-checks').replaceChildren(...ROLES.map(role =>
    h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'roles', value: role, checked: chosenRoles.has(role) }),
      h('span', { text: label('role', role) }))));
  document.getElementById('team-checks').replaceChildren(...state.teams.map(team =>
    h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'teamIds', value: String(team.id), checked: chosenTeams.has(String(team.id)) }),
      h('span', { text: teamName(team.id) }))));
}

function checked(name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(input => input.value);
}

function setChecked(name, values) {
  const wanted = new Set(values.map(String));
  for (const input of form.querySelectorAll(`input[name="${name}"]`)) input.checked = wanted.has(input.value);
}

function renderFormHead() {
  const creating = !state.editing;
  document.getElementById('form-title').textContent = creating ? t('admin.create') : t('admin.edit', { email: state.editing.email });
  if (!submit.disabled) {
    submit.dataset.i18n = creating ? 'admin.doCreate' : 'admin.doSave';
    submit.textContent = t(submit.dataset.i18n);
  }
  document.getElementById('email-field').hidden = !creating;
  document.getElementById('password-field').hidden = !creating;
  cancel.hidden = creating;
}

function edit(account) {
  state.editing = account;
  form.reset();
  clearFieldErrors(form);
  clearBanners(formMessages);
  form.displayName.value = account.displayName;
  setChecked('roles', account.roles);
  setChecked('teamIds', account.teamIds);
  renderFormHead();
  form.displayName.focus();
}

function startCreating() {
  state.editing = null;
  form.reset();
  clearFieldErrors(form);
  setChecked('roles', ['Agent']);
  renderFormHead();
}

/** Localized checks before the round trip; the server still checks everything. */
function localErrors(body, creating) {
  const errors = {};
  const say = key => () => t(key);
  if (creating) {
    if (!body.email) errors.email = say('admin.required');
    else if (!/^[^\s@]+@[^\s@]+$/.test(body.email)) errors.email = say('admin.invalidEmail');
    if (!body.password) errors.password = say('admin.required');
  }
  if (!body.displayName) errors.displayName = say('admin.required');
  if (!body.roles.length) errors.roles = say('admin.pickRole');
  return errors;
}

async function save(event) {
  event.preventDefault();
  clearBanners(formMessages);
  clearFieldErrors(form);
  const creating = !state.editing;
  const body = {
    displayName: form.displayName.value.trim(),
    roles: checked('roles'),
    teamIds: checked('teamIds').map(Number),
  };
  if (creating) {
    body.email = form.email.value.trim();
    body.password = form.password.value;
  }
  const errors = localErrors(body, creating);
  if (Object.keys(errors).length) {
    showFieldErrors(form, errors);
    form.querySelector('[aria-invalid="true"]')?.focus();
    return;
  }

  setBusy(submit, true, 'common.saving');
  try {
    const account = creating
      ? await post('/api/admin/staff', body)
      : await put(`/api/admin/staff/${state.editing.id}`, body);
    setBusy(submit, false);
    startCreating();
    await loadStaff();
    showBanner(formMessages, () => t(creating ? 'admin.created' : 'admin.saved', { email: account.email }), { kind: 'ok' });
  } catch (error) {
    setBusy(submit, false);
    renderFormHead();
    if (error instanceof ApiError && error.status === 400 && Object.keys(error.errors).length) {
      const rest = showFieldErrors(form, error.errors);
      showBanner(formMessages, () => (rest.length ? rest.join(' ') : t('error.validation')));
    } else if (error instanceof ApiError && error.status === 409 && creating) {
      // The only conflict of a create is an email already taken.
      showFieldErrors(form, { email: () => t('admin.duplicate', { email: body.email }) });
      form.email.focus();
    } else if (error instanceof ApiError && error.status === 409) {
      showBanner(formMessages, () => (language() === 'en' ? error.detail : t('admin.selfRefused')));
    } else {
      showBanner(formMessages, () => describeError(error));
    }
  }
}

// Two tabs: staff, and the triage rules (loaded the first time the tab opens).
function mountTabs() {
  const tabs = { staff: document.getElementById('tab-staff'), triage: document.getElementById('tab-triage') };
  const panes = { staff: document.getElementById('staff-admin'), triage: document.getElementById('triage-admin') };
  let triage = null;
  tabs.triage.hidden = false;
  const show = name => {
    for (const key of Object.keys(tabs)) {
      tabs[key].setAttribute('aria-selected', String(key === name));
      panes[key].hidden = key !== name;
    }
    if (name === 'triage' && !triage) triage = mountTriageRules(panes.triage);
  };
  tabs.staff.addEventListener('click', () => show('staff'));
  tabs.triage.addEventListener('click', () => show('triage'));
  if (location.hash === '#triage') show('triage');
}

async function start() {
  form.addEventListener('submit', save);
  cancel.addEventListener('click', startCreating);
  staffList.replaceChildren(loading('admin.loading'));
  state.session = await openStaffPage(pageMessages, { onFail: () => staffList.replaceChildren() });
  if (!state.session) return;
  if (!state.session.roles.includes('Admin')) {
    document.getElementById('staff-panel').hidden = true;
    showBanner(pageMessages, () => t('admin.notAdmin'), { dismissible: false });
    return;
  }

  try {
    state.teams = await get('/api/teams');
  } catch (error) {
    showBanner(pageMessages, () => describeError(error), { actions: [{ key: 'common.reload', onClick: () => location.reload() }] });
  }
  renderChecks();
  startCreating();
  formPanel.hidden = false;
  mountTabs();
  onLanguageChange(() => { renderStaff(); renderChecks(); renderFormHead(); });
  await loadStaff();
}

start();
