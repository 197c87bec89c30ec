// CRM integration for admins: API keys (the secret is shown once), webhook subscriptions with
// their delivery log, and CSV import (dry run first) and export of customers and contacts.
import { t, formatTime, mountLanguageSwitch, onLanguageChange } from '/shared/i18n.js';
import { get, post, request, upload, loadSession, redirectToSignIn, describeError } from '/shared/api.js';
import { h, loading, showBanner, clearBanners, setBusy, showFieldErrors, clearFieldErrors } from '/shared/ui.js';
import { mountSignOut } from '/shared/sign-out.js';

const EVENTS = ['customer.updated', 'ticket.created', 'ticket.resolved', 'survey.answered', 'customer.churn_risk'];
const pageMessages = document.getElementById('page-messages');
const state = { keys: null, hooks: null, deliveries: null, hookId: null, report: null };

function fail(error, retry) {
  showBanner(pageMessages, () => describeError(error), retry ? { actions: [{ key: 'common.retry', onClick: retry }] } : {});
}

function grid(keys, rows) {
  if (!rows.length) return h('p', { class: 'empty', i18n: 'customer.empty' });
  return h('table', {}, h('thead', {}, h('tr', {}, ...keys.map(k => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, ...rows.map(cells => h('tr', {}, ...cells.map(c => c instanceof Node ? h('td', {}, c) : h('td', { text: c ?? '' }))))));
}

// ---------- keys ----------
function renderKeys() {
  if (!state.keys) return;
  document.getElementById('key-list').replaceChildren(grid(['crm.key.name', 'crm.key.prefix', 'crm.key.scope', 'crm.key.created', 'crm.key.lastUsed', 'crm.key.state'],
    state.keys.map(k => [k.name, k.prefix, t(`crm.scope.${k.scope}`), formatTime(k.createdAt), k.lastUsedAt ? formatTime(k.lastUsedAt) : '—',
      k.revokedAt ? t('crm.key.revoked') : h('button', { type: 'button', i18n: 'crm.key.revoke', onclick: e => revoke(k, e.currentTarget) })])));
}

async function loadKeys() {
  if (!state.keys) document.getElementById('key-list').replaceChildren(loading());
  try { state.keys = await get('/api/admin/api-keys'); renderKeys(); } catch (error) { fail(error, loadKeys); }
}

async function revoke(key, button) {
  if (!confirm(t('crm.key.revokeConfirm', { name: key.name }))) return;
  setBusy(button, true);
  try { await request('DELETE', `/api/admin/api-keys/${key.id}`); await loadKeys(); } catch (error) { fail(error); setBusy(button, false); }
}

async function issue(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clearBanners(pageMessages);
  const button = form.querySelector('button');
  setBusy(button, true);
  try {
    const issued = await post('/api/admin/api-keys', Object.fromEntries(new FormData(form)));
    const box = document.getElementById('key-secret');
    box.hidden = false;
    box.replaceChildren(h('span', { text: t('crm.key.once') }), ' ', h('code', { class: 'api-key-secret', text: issued.secret }));
    form.reset();
    await loadKeys();
  } catch (error) {
    if (error.errors) showFieldErrors(form, error.errors);
    fail(error);
  } finally {
    setBusy(button, false);
  }
}

// ---------- webhooks ----------
function renderHooks() {
  if (!state.hooks) return;
  document.getElementById('hook-list').replaceChildren(grid(['crm.hook.url', 'crm.hook.events', 'crm.hook.counts', ''],
    state.hooks.map(s => [s.url, s.events.join(', '), t('crm.hook.countsValue', { pending: s.pending, failed: s.failed, delivered: s.delivered }),
      h('span', {}, h('button', { type: 'button', i18n: 'crm.hook.showLog', onclick: () => loadDeliveries(s.id) }), ' ',
        h('button', { type: 'button', i18n: 'crm.hook.remove', onclick: e => removeHook(s, e.currentTarget) }))])));
  renderDeliveries();
}

function renderDeliveries() {
  const box = document.getElementById('delivery-list');
  if (!state.deliveries) return;
  box.replaceChildren(grid(['crm.d.created', 'crm.d.event', 'crm.d.status', 'crm.d.attempts', 'crm.d.last', 'crm.d.next', 'crm.d.id'],
    state.deliveries.map(d => [formatTime(d.createdAt), d.event, t(`crm.status.${d.status}`), String(d.attempts),
      d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? ''), d.status === 'Pending' && d.nextAttemptAt ? formatTime(d.nextAttemptAt) : '', d.id])));
}

async function loadHooks() {
  if (!state.hooks) document.getElementById('hook-list').replaceChildren(loading());
  try { state.hooks = await get('/api/admin/webhooks'); renderHooks(); } catch (error) { fail(error, loadHooks); }
}

async function loadDeliveries(id) {
  state.hookId = id;
  document.getElementById('delivery-list').replaceChildren(loading());
  try { state.deliveries = await get(`/api/admin/webhooks/${id}/deliveries`); renderDeliveries(); } catch (error) { fail(error); }
}

async function removeHook(s, button) {
  if (!confirm(t('crm.hook.removeConfirm', { url: s.url }))) return;
  setBusy(button, true);
  try { await request('DELETE', `/api/admin/webhooks/${s.id}`); await loadHooks(); } catch (error) { fail(error); setBusy(button, false); }
}

async function subscribe(event) {
  event.preventDefault();
  const form = event.currentTarget;
  clearFieldErrors(form);
  clearBanners(pageMessages);
  const button = form.querySelector('button');
  setBusy(button, true);
  const data = new FormData(form);
  try {
    await post('/api/admin/webhooks', { url: data.get('url'), secret: data.get('secret'), events: data.getAll('events') });
    form.reset();
    await loadHooks();
  } catch (error) {
    if (error.errors) showFieldErrors(form, error.errors);
    fail(error);
  } finally {
    setBusy(button, false);
  }
}

// ---------- CSV ----------
function renderReport() {
  const r = state.report;
  if (!r) return;
  document.getElementById('csv-report').replaceChildren(
    h('p', { class: 'csv-summary', text: t(r.dryRun ? 'crm.csv.dryResult' : 'crm.csv.result', r) }),
    r.errors.length ? grid(['crm.csv.line', 'crm.csv.key', 'crm.csv.reason'], r.errors.map(e => [String(e.row), e.key ?? '', e.errors.join('; ')])) : '');
}

async function importCsv(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const button = event.submitter;
  clearBanners(pageMessages);
  const data = new FormData(form);
  const body = new FormData();
  body.append('file', data.get('file'));
  setBusy(button, true, 'crm.csv.working');
  try {
    state.report = await upload(`/api/customers/import?kind=${data.get('kind')}&dryRun=${button.value}`, body);
    renderReport();
  } catch (error) {
    fail(error);
  } finally {
    setBusy(button, false);
  }
}

function showTab(name) {
  for (const b of document.querySelectorAll('#crm-tabs [role=tab]')) b.setAttribute('aria-selected', String(b.dataset.tab === name));
  for (const p of document.querySelectorAll('[data-panel]')) p.hidden = p.dataset.panel !== name;
  if (name === 'webhooks' && !state.hooks) loadHooks();
}

async function start() {
  mountLanguageSwitch(document.getElementById('lang-switch'));
  mountSignOut(document.getElementById('sign-out'), pageMessages);
  let session;
  try { session = await loadSession(); } catch (error) { fail(error, () => location.reload()); return; }
  if (!session?.signedIn) { redirectToSignIn(); return; }
  const who = document.getElementById('who');
  const renderWho = () => { who.textContent = t('common.signedInAs', { name: session.displayName }); };
  renderWho();
  onLanguageChange(() => { renderWho(); renderKeys(); renderHooks(); renderReport(); });
  if (!session.roles.includes('Admin')) {
    for (const p of document.querySelectorAll('[data-panel], #crm-tabs')) p.hidden = true;
    showBanner(pageMessages, () => t('admin.notAdmin'), { dismissible: false });
    return;
  }
  document.getElementById('hook-events').append(...EVENTS.map(e => h('label', {}, h('input', { type: 'checkbox', name: 'events', value: e }), ` ${e}`)));
  for (const b of document.querySelectorAll('#crm-tabs [role=tab]')) b.addEventListener('click', () => showTab(b.dataset.tab));
  document.getElementById('key-form').addEventListener('submit', issue);
  document.getElementById('hook-form').addEventListener('submit', subscribe);
  document.getElementById('csv-form').addEventListener('submit', importCsv);
  showTab('keys');
  await loadKeys();
}

start();
