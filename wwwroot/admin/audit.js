// Audit log (GET /api/admin/audit), for admins: who changed what in the administration, newest
// first, filtered by dates, actor and action, a page at a time; the same filters export as CSV.
import { t, has, formatTime, onLanguageChange } from '/shared/i18n.js';
import { get, describeError } from '/shared/api.js';
import { h, loading, showBanner, clearBanners, setBusy, showFieldErrors, clearFieldErrors } from '/shared/ui.js';
import { openStaffPage } from '/shared/staff-page.js';

const PAGE_SIZE = 50;
const pageMessages = document.getElementById('page-messages');
const list = document.getElementById('audit-list');
const form = document.getElementById('audit-filters');
const search = document.getElementById('audit-search');
const exportLink = document.getElementById('audit-export');
const pager = document.getElementById('audit-pager');
const prev = document.getElementById('audit-prev');
const next = document.getElementById('audit-next');
const pageInfo = document.getElementById('audit-page-info');
const state = { result: null, page: 1 };

/** The filters as query parameters; dates are whole days (the server reads a bare 'to' as the whole day). */
function filters() {
  const params = new URLSearchParams();
  for (const name of ['from', 'to', 'actor', 'action']) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value);
  }
  return params;
}

function actionLabel(code) {
  const key = `audit.action.${code}`;
  return has(key) ? t(key) : code;
}

function target(entry) {
  const kind = has(`audit.target.${entry.targetType}`) ? t(`audit.target.${entry.targetType}`) : entry.targetType;
  return entry.targetId ? `${kind} ${entry.targetId}` : kind;
}

function render() {
  const result = state.result;
  if (result === null) return;
  pager.hidden = result.total <= result.pageSize;
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  pageInfo.textContent = t('audit.pageOf', { page: result.page, pages, total: result.total });
  prev.disabled = result.page <= 1;
  next.disabled = result.page >= pages;
  if (!result.items.length) {
    list.replaceChildren(h('p', { class: 'empty', i18n: 'audit.empty' }));
    return;
  }
  const head = ['when', 'who', 'what', 'target', 'changes', 'ip'].map(k => h('th', { scope: 'col', i18n: `audit.${k}` }));
  const rows = result.items.map(e => h('tr', { dataset: { id: String(e.id), action: e.action } },
    h('td', { text: formatTime(e.at) }),
    h('td', { text: e.actorName }),
    h('td', {}, h('span', { class: 'audit-action', text: actionLabel(e.action) }), h('br'), h('code', { text: e.action })),
    h('td', { text: target(e) }),
    h('td', {}, e.changes ? h('code', { class: 'audit-changes', text: e.changes }) : '—'),
    h('td', { text: e.remoteIp ?? '—' })));
  list.replaceChildren(h('table', { class: 'audit-table' }, h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...rows)));
}

async function load(page = 1) {
  clearBanners(pageMessages);
  clearFieldErrors(form);
  const params = filters();
  exportLink.href = `/api/admin/audit/export.csv${params.size ? `?${params}` : ''}`;
  params.set('page', String(page));
  params.set('pageSize', String(PAGE_SIZE));
  if (state.result === null) list.replaceChildren(loading('audit.loading'));
  setBusy(search, true, 'audit.loading');
  try {
    state.result = await get(`/api/admin/audit?${params}`);
    state.page = state.result.page;
    render();
  } catch (error) {
    if (state.result === null) list.replaceChildren();
    if (error.errors) showFieldErrors(form, error.errors);
    showBanner(pageMessages, () => describeError(error), { actions: [{ key: 'common.retry', onClick: () => load(page) }] });
  } finally {
    setBusy(search, false);
  }
}

async function loadActions() {
  try {
    const actions = await get('/api/admin/audit/actions');
    document.getElementById('audit-actions').replaceChildren(...actions.map(a => h('option', { value: a, text: actionLabel(a) })));
  } catch {
    // Only suggestions for the filter box: the page works without them.
  }
}

async function start() {
  const session = await openStaffPage(pageMessages);
  if (!session) return;
  onLanguageChange(render);
  if (!session.roles.includes('Admin')) {
    document.getElementById('audit-panel').hidden = true;
    showBanner(pageMessages, () => t('admin.notAdmin'), { dismissible: false });
    return;
  }
  form.addEventListener('submit', event => { event.preventDefault(); load(1); });
  prev.addEventListener('click', () => load(state.page - 1));
  next.addEventListener('click', () => load(state.page + 1));
  await Promise.all([load(1), loadActions()]);
}

start();
