// Mail quarantine (GET /api/admin/mail/quarantine), for admins: every mail intake could not turn
// into a ticket, with the reason and the folder it now sits in on the mail server.
import { t, formatTime, onLanguageChange } from '/shared/i18n.js';
import { get, describeError } from '/shared/api.js';
import { h, loading, showBanner, clearBanners, setBusy } from '/shared/ui.js';
import { openStaffPage } from '/shared/staff-page.js';

const pageMessages = document.getElementById('page-messages');
const list = document.getElementById('quarantine-list');
const reload = document.getElementById('quarantine-reload');
const state = { rows: null };

function render() {
  if (state.rows === null) return;
  if (!state.rows.length) {
    list.replaceChildren(h('p', { class: 'empty', i18n: 'admin.mail.empty' }));
    return;
  }
  const head = ['when', 'mailbox', 'from', 'subject', 'reason', 'where'].map(k => h('th', { scope: 'col', i18n: `admin.mail.${k}` }));
  const rows = state.rows.map(q => h('tr', { dataset: { id: String(q.id) } },
    h('td', { text: formatTime(q.quarantinedAt) }),
    h('td', { text: q.mailbox }),
    h('td', { text: q.fromAddress ?? '—' }),
    h('td', { text: q.subject ?? '—' }),
    h('td', { class: 'reason', text: q.reason }),
    h('td', { text: `${q.folder} · UID ${q.uid}` })));
  list.replaceChildren(h('table', { class: 'quarantine-table' }, h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...rows)));
}

async function load() {
  clearBanners(pageMessages);
  if (state.rows === null) list.replaceChildren(loading('admin.loading'));
  setBusy(reload, true, 'admin.loading');
  try {
    state.rows = await get('/api/admin/mail/quarantine');
    render();
  } catch (error) {
    if (state.rows === null) list.replaceChildren();
    showBanner(pageMessages, () => describeError(error), { actions: [{ key: 'common.retry', onClick: load }] });
  } finally {
    setBusy(reload, false);
  }
}

async function start() {
  const session = await openStaffPage(pageMessages);
  if (!session) return;
  onLanguageChange(render);
  if (!session.roles.includes('Admin')) {
    document.getElementById('quarantine-panel').hidden = true;
    showBanner(pageMessages, () => t('admin.notAdmin'), { dismissible: false });
    return;
  }
  reload.addEventListener('click', load);
  await load();
}

start();
