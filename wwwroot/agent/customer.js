// The whole customer record (客户档案) at /agent/customer.html?id=N: facts, churn risk, contacts,
// the interaction log (交往记录) with a form to add to it, orders with 回款状态, and merging duplicates.
import { t, label, formatTime, mountLanguageSwitch, onLanguageChange } from '/shared/i18n.js';
import { get, post, loadSession, redirectToSignIn, describeError } from '/shared/api.js';
import { h, loading, showBanner, clearBanners, setBusy, showFieldErrors, clearFieldErrors } from '/shared/ui.js';
import { mountSignOut } from '/shared/sign-out.js';

const id = new URLSearchParams(location.search).get('id');
const pageMessages = document.getElementById('page-messages');
const root = document.getElementById('customer');
const form = document.getElementById('interaction-form');
const state = { record: null, duplicates: [] };

function facts(c) {
  const row = (key, value) => [h('dt', { i18n: key }), h('dd', { text: value ?? t('common.none') })];
  return h('dl', { class: 'facts' },
    ...row('chat.customer.email', c.email), ...row('chat.customer.phone', c.phone), ...row('chat.customer.mobile', c.mobile),
    ...row('chat.customer.region', c.region ? label('region', c.region) : null), ...row('chat.customer.tier', label('tier', c.tier)),
    ...row('chat.customer.credit', t('chat.customer.creditValue', { credit: c.credit })), ...row('chat.customer.manager', c.accountManager),
    ...row('chat.customer.company', c.companyGroup), ...row('customer.externalId', c.externalId),
    ...row('chat.customer.tickets', t('chat.customer.ticketCount', { open: c.openTickets, total: c.totalTickets })));
}

function table(keys, rows) {
  if (!rows.length) return h('p', { class: 'empty', i18n: 'customer.empty' });
  return h('table', {}, h('thead', {}, h('tr', {}, ...keys.map(k => h('th', { scope: 'col', i18n: k })))),
    h('tbody', {}, ...rows.map(cells => h('tr', {}, ...cells.map(text => h('td', { text: text ?? '' }))))));
}

function render() {
  const c = state.record;
  if (!c) return;
  document.title = `${c.name} · ${t('customer.title')}`;
  root.replaceChildren(
    h('section', { class: 'panel', dataset: { customer: String(c.id) } },
      h('h2', {}, h('span', { class: 'customer-display-name', text: c.name }),
        c.churnRisk === 'High' && h('span', { class: 'badge churn-risk', title: c.churnReason ?? '', text: ` ${t('customer.churnHigh')}` }),
        c.mergedIntoId && h('a', { href: `?id=${c.mergedIntoId}`, text: ` ${t('customer.mergedInto', { id: c.mergedIntoId })}` })),
      c.churnRisk === 'High' && h('p', { class: 'hint churn-reason', text: t('customer.churnReason', { reason: c.churnReason ?? '' }) }),
      facts(c)),
    h('section', { class: 'panel' }, h('h2', { i18n: 'customer.contacts' }),
      table(['customer.c.name', 'customer.c.position', 'chat.customer.phone', 'chat.customer.mobile', 'customer.i.notes'],
        c.contacts.map(p => [p.name, p.position, p.phone, p.mobile, p.notes]))),
    h('section', { class: 'panel' }, h('h2', { i18n: 'customer.interactions' }),
      table(['customer.i.at', 'customer.i.source', 'customer.i.place', 'customer.i.summary', 'customer.i.details', 'customer.i.author'],
        c.interactions.map(i => [formatTime(i.at), t(`customer.source.${i.source}`), i.place, i.summary, i.details, i.author]))),
    h('section', { class: 'panel' }, h('h2', { i18n: 'customer.orders' }),
      table(['customer.o.number', 'customer.o.placedAt', 'customer.o.amount', 'customer.o.payment'],
        c.orders.map(o => [o.orderNumber, formatTime(o.placedAt), `${o.amount} ${o.currency}`, t(`payment.${o.paymentStatus}`)]))));
  renderDuplicates();
}

function renderDuplicates() {
  const box = document.getElementById('duplicates');
  if (!state.duplicates.length) {
    box.replaceChildren(h('p', { class: 'empty', i18n: 'customer.noDuplicates' }));
    return;
  }
  box.replaceChildren(h('ul', {}, ...state.duplicates.map(d => h('li', {},
    h('a', { href: `?id=${d.id}`, text: `#${d.id} ${d.name}` }), ` ${d.email ?? ''} ${d.mobile ?? d.phone ?? ''} `,
    h('button', { type: 'button', class: 'merge-button', i18n: 'customer.mergeInto', onclick: event => merge(d, event.currentTarget) })))));
}

async function merge(duplicate, button) {
  if (!confirm(t('customer.mergeConfirm', { name: duplicate.name, id: duplicate.id }))) return;
  clearBanners(pageMessages);
  setBusy(button, true);
  try {
    const result = await post(`/api/customers/${id}/merge`, { duplicateId: duplicate.id });
    state.record = result.survivor;
    state.duplicates = state.duplicates.filter(d => d.id !== duplicate.id);
    showBanner(pageMessages, () => t('customer.merged', { tickets: result.tickets, interactions: result.interactions }), { kind: 'ok' });
    render();
  } catch (error) {
    showBanner(pageMessages, () => describeError(error));
  } finally {
    setBusy(button, false);
  }
}

async function addInteraction(event) {
  event.preventDefault();
  clearFieldErrors(form);
  const button = form.querySelector('button[type=submit]');
  setBusy(button, true);
  const data = Object.fromEntries(new FormData(form));
  try {
    await post(`/api/customers/${id}/interactions`, data);
    form.reset();
    await load();
  } catch (error) {
    if (error.errors) showFieldErrors(form, error.errors);
    showBanner(pageMessages, () => describeError(error));
  } finally {
    setBusy(button, false);
  }
}

async function load() {
  if (!state.record) root.replaceChildren(loading());
  try {
    [state.record, state.duplicates] = await Promise.all([get(`/api/customers/${id}/record`), get(`/api/customers/${id}/duplicates`)]);
    document.getElementById('interaction-panel').hidden = false;
    document.getElementById('merge-panel').hidden = false;
    render();
  } catch (error) {
    root.replaceChildren();
    showBanner(pageMessages, () => describeError(error), { actions: [{ key: 'common.retry', onClick: load }] });
  }
}

async function start() {
  mountLanguageSwitch(document.getElementById('lang-switch'));
  mountSignOut(document.getElementById('sign-out'), pageMessages);
  let session;
  try {
    session = await loadSession();
  } catch (error) {
    showBanner(pageMessages, () => describeError(error), { actions: [{ key: 'common.reload', onClick: () => location.reload() }] });
    return;
  }
  if (!session?.signedIn) {
    redirectToSignIn();
    return;
  }
  const who = document.getElementById('who');
  const renderWho = () => { who.textContent = t('common.signedInAs', { name: session.displayName }); };
  renderWho();
  onLanguageChange(() => { renderWho(); render(); });
  if (!/^\d+$/.test(id ?? '')) {
    showBanner(pageMessages, () => t('customer.noId'), { dismissible: false });
    return;
  }
  form.addEventListener('submit', addInteraction);
  await load();
}

start();
