// The agent console: who is signed in, the directory, the list and the ticket view, tied
// together by the address (#view=mine&ticket=100003) so that reload and back keep the place.
import { t } from '/shared/i18n.js';
import { describeError } from '/shared/api.js';
import { showBanner } from '/shared/ui.js';
import { openStaffPage } from '/shared/staff-page.js';
import { loadDirectory, Directory } from './directory.js';
import { createTicketList, VIEWS } from './tickets.js';
import { createTicketView } from './ticket-view.js';
import { createChatClient } from './chat.js';
import { createChatPanel } from './chat-panel.js';
import { createEscalationToasts } from './escalation-toasts.js';

const pageMessages = document.getElementById('page-messages');

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const number = Number(params.get('ticket'));
  return {
    view: VIEWS.includes(params.get('view')) ? params.get('view') : null,
    ticket: Number.isInteger(number) && number > 0 ? number : null,
  };
}

async function start() {
  const session = await openStaffPage(pageMessages);
  if (!session) return;
  document.getElementById('admin-link').hidden = !session.roles.includes('Admin');
  document.getElementById('supervisor-link').hidden = !session.roles.some(r => r === 'Supervisor' || r === 'Admin');

  let directory;
  try {
    directory = await loadDirectory();
  } catch (error) {
    // Without names the console still works: tickets carry assignee names themselves.
    directory = new Directory();
    showBanner(pageMessages, () => describeError(error), { actions: [{ key: 'common.reload', onClick: () => location.reload() }] });
  }

  let list;
  const linkFor = (view, number) => {
    const params = new URLSearchParams({ view: view ?? list?.view ?? 'mine' });
    if (number) params.set('ticket', String(number));
    return `#${params}`;
  };
  list = createTicketList({ directory, linkFor });
  const view = createTicketView({
    root: document.getElementById('ticket-view'),
    directory,
    session,
    linkFor,
    onChanged: summary => list.update(summary),
  });

  const chat = startChat({ session, directory, linkFor });
  if (chat) {
    const toasts = createEscalationToasts({ root: document.getElementById('toasts'), linkFor });
    chat.client.onChange((what, number, detail) => {
      if (what === 'escalation') {
        toasts.show(detail);
        view.heard(number, { timeline: true });
        list.noteEscalation(number, detail);
      } else if (what === 'chat' && detail?.message) {
        view.heard(number);
      }
    });
  }

  const route = () => {
    const { view: tab, ticket } = readHash();
    list.setView(tab ?? list.view);
    list.select(ticket);
    if (ticket !== view.number) view.open(ticket);
    chat?.setTicketNumber(ticket);
  };
  window.addEventListener('hashchange', () => { chat?.showTicket(); route(); });
  // A click on the ticket already open changes no address, but still means "show me the ticket".
  document.getElementById('ticket-list').addEventListener('click', event => {
    if (event.target.closest('.ticket-row')) chat?.showTicket();
  });
  route();
}

/** Live chat beside the tickets; without it (no SignalR script) the console still works. */
function startChat({ session, directory, linkFor }) {
  const bar = document.getElementById('chat-bar');
  if (!globalThis.signalR) {
    showBanner(bar, () => t('chat.view.loadFailed', { reason: t('error.network') }), { dismissible: false });
    return null;
  }
  const client = createChatClient({ session });
  const panel = createChatPanel({
    client,
    directory,
    session,
    linkFor,
    elements: {
      bar,
      tabs: document.getElementById('work-tabs'),
      ticketPane: document.getElementById('ticket-view'),
      chatPanes: document.getElementById('chat-panes'),
      offersRoot: document.getElementById('chat-offers'),
      notices: document.getElementById('chat-notices'),
    },
  });
  client.start();
  panel.client = client;
  return panel;
}

start();
