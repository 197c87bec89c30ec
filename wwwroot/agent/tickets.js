// Ticket lists of the console (GET /api/tickets): the three views as tabs, the filters, and
// keyset paging with "load more". Rows are links (#view=..&ticket=N), so the browser's
// back button and a reload keep the person's place.
import { get, describeError } from '/shared/api.js';
import { t, label, formatTime, formatShortTime, parseTime, onLanguageChange } from '/shared/i18n.js';
import { h, loading, showBanner, clearBanners, setBusy } from '/shared/ui.js';

export const VIEWS = ['mine', 'team', 'open'];
const PAGE_SIZE = 30;

const ENUMS = {
  status: ['New', 'Assigned', 'WaitingOnCustomer', 'Resolved', 'FeedbackReceived', 'Archived', 'Merged'],
  type: ['Inquiry', 'Complaint', 'Suggestion'],
  category: ['None', 'ReturnExchange', 'Repair', 'Refund', 'OrderException', 'TechnicalSupport', 'ServiceAttitude'],
  priority: ['Urgent', 'High', 'Normal', 'Low'],
};

export function createTicketList({ directory, linkFor }) {
  const tabs = document.getElementById('view-tabs');
  const filters = document.getElementById('filters');
  const list = document.getElementById('ticket-list');
  const footer = document.getElementById('list-footer');
  const count = document.getElementById('list-count');
  const messages = document.getElementById('list-messages');

  const state = {
    view: 'mine',
    items: [],
    nextCursor: null,
    offset: 0, // the server's clock minus this one (pages carry serverTime), for "due soon" and "breached"
    loading: false,
    loaded: false,
    selected: null,
    // Each load gets a number; an answer to an older one (filters changed meanwhile) is dropped.
    generation: 0,
  };

  function currentFilters() {
    const data = new FormData(filters);
    const result = {};
    for (const name of ['status', 'type', 'category', 'priority', 'teamId', 'q']) {
      const value = String(data.get(name) ?? '').trim();
      if (value) result[name] = value;
    }
    return result;
  }

  function fillFilterOptions() {
    for (const [name, values] of Object.entries(ENUMS)) {
      fillSelect(filters.elements[name], `agent.filter.${name}`, values.map(v => [v, label(name, v)]));
    }
    fillSelect(filters.elements.teamId, 'agent.filter.team',
      directory.teams.map(team => [String(team.id), directory.teamName(team.id)]));
  }

  /** The empty option names the filter ("状态：全部"), so the row of selects needs no labels. */
  function fillSelect(select, nameKey, options) {
    const keep = select.value;
    select.replaceChildren(
      h('option', { value: '', text: t('agent.filter.option', { name: t(nameKey), value: t('agent.filter.any') }) }),
      ...options.map(([value, text]) => h('option', { value, text })));
    select.value = keep;
  }

  async function load({ more = false } = {}) {
    const generation = ++state.generation;
    const params = new URLSearchParams({ view: state.view, limit: String(PAGE_SIZE), ...currentFilters() });
    if (more && state.nextCursor) params.set('cursor', state.nextCursor);
    state.loading = true;
    list.setAttribute('aria-busy', 'true');
    clearBanners(messages);
    if (more) {
      setBusy(footer.querySelector('button'), true, 'agent.list.loadingMore');
    } else {
      state.items = [];
      state.nextCursor = null;
      list.replaceChildren(h('li', {}, loading()));
      footer.replaceChildren();
      count.textContent = '';
    }
    try {
      const sentAt = Date.now();
      const page = await get(`/api/tickets?${params}`);
      if (generation !== state.generation) return;
      const server = parseTime(page.serverTime)?.getTime();
      if (Number.isFinite(server)) state.offset = server - (sentAt + Date.now()) / 2;
      state.items = more ? [...state.items, ...page.items] : page.items;
      state.nextCursor = page.nextCursor;
      state.loaded = true;
    } catch (error) {
      if (generation !== state.generation) return;
      showBanner(messages, () => describeError(error), {
        actions: [{ key: 'common.retry', onClick: () => load({ more }) }],
      });
      if (!more) list.replaceChildren();
    } finally {
      if (generation === state.generation) {
        state.loading = false;
        list.removeAttribute('aria-busy');
        render();
      }
    }
  }

  function render() {
    for (const tab of tabs.querySelectorAll('[data-view]')) {
      tab.setAttribute('aria-selected', String(tab.dataset.view === state.view));
      tab.tabIndex = tab.dataset.view === state.view ? 0 : -1;
    }
    if (state.loading && !state.items.length) return;
    if (state.loaded && !state.items.length) {
      list.replaceChildren(h('li', { class: 'empty', i18n: 'agent.list.empty' }));
    } else {
      list.replaceChildren(...state.items.map(row));
    }
    count.textContent = state.loaded ? t('agent.list.count', { count: state.items.length }) : '';
    footer.replaceChildren(...(state.nextCursor
      ? [h('button', { type: 'button', id: 'load-more', i18n: 'agent.list.loadMore', onclick: () => load({ more: true }) })]
      : []));
  }

  function row(ticket) {
    const assignee = ticket.assigneeName ?? t('agent.list.unassigned');
    const team = directory.teamName(ticket.teamId);
    return h('li', {},
      h('a', {
        class: 'ticket-row',
        href: linkFor(state.view, ticket.number),
        'aria-current': String(ticket.number === state.selected),
        dataset: { number: String(ticket.number), status: ticket.status },
      },
        h('span', { class: 'subject', text: ticket.subject, title: ticket.subject }),
        h('span', { class: 'number', text: `#${ticket.number}` }),
        h('span', { class: 'meta' },
          h('span', { class: `badge status-${ticket.status}`, dataset: { role: 'status' }, text: label('status', ticket.status) }),
          h('span', { class: `badge priority-${ticket.priority}`, text: label('priority', ticket.priority) }),
          slaBadge(ticket),
          h('span', { text: label('type', ticket.type) }),
          ticket.category !== 'None' && h('span', { class: 'sep', text: label('category', ticket.category) }),
          team && h('span', { class: 'sep', text: team }),
          h('span', { class: 'sep', text: assignee })),
        h('time', { class: 'when', datetime: ticket.updatedAt, title: formatTime(ticket.updatedAt), text: formatShortTime(ticket.updatedAt) })));
  }

  /** Escalated, breached or due soon, from the list's SLA summary; nothing when all is well. */
  function slaBadge(ticket) {
    const sla = ticket.sla;
    if (!sla) return null;
    if (sla.isEscalated) {
      return h('span', { class: 'badge escalation-2', dataset: { role: 'sla', sla: 'escalated' }, text: t('sla.list.escalated', { level: sla.escalationLevel }) });
    }
    const now = Date.now() + state.offset;
    const due = parseTime(sla.nextDueAt)?.getTime();
    const warning = parseTime(sla.warningAt)?.getTime();
    if (Number.isFinite(due) && due <= now) {
      return h('span', { class: 'badge sla-Breached', dataset: { role: 'sla', sla: 'breached' }, title: formatTime(sla.nextDueAt), text: t('sla.list.breached') });
    }
    if (Number.isFinite(warning) && warning <= now) {
      return h('span', { class: 'badge sla-DueSoon', dataset: { role: 'sla', sla: 'dueSoon' }, title: formatTime(sla.nextDueAt), text: t('sla.list.dueSoon') });
    }
    return null;
  }

  tabs.addEventListener('click', event => {
    const view = event.target.closest('[data-view]')?.dataset.view;
    if (view && view !== state.view) location.hash = linkFor(view, state.selected).slice(1);
  });
  // Arrow keys move between tabs, as in any tab list.
  tabs.addEventListener('keydown', event => {
    if (!['ArrowLeft', 'ArrowRight'].includes(event.key)) return;
    const index = VIEWS.indexOf(state.view) + (event.key === 'ArrowRight' ? 1 : -1);
    const view = VIEWS[(index + VIEWS.length) % VIEWS.length];
    location.hash = linkFor(view, state.selected).slice(1);
    requestAnimationFrame(() => tabs.querySelector(`[data-view="${view}"]`)?.focus());
  });

  let searchTimer = null;
  filters.addEventListener('change', event => { if (event.target.name !== 'q') load(); });
  filters.addEventListener('input', event => {
    if (event.target.name !== 'q') return;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => load(), 350);
  });
  filters.addEventListener('submit', event => { event.preventDefault(); clearTimeout(searchTimer); load(); });
  // reset fires before the fields are cleared.
  filters.addEventListener('reset', () => setTimeout(() => load(), 0));
  document.getElementById('list-refresh').addEventListener('click', () => load());

  onLanguageChange(() => { fillFilterOptions(); render(); });
  fillFilterOptions();

  return {
    get view() { return state.view; },
    setView(view) {
      const next = VIEWS.includes(view) ? view : 'mine';
      if (next === state.view && state.loaded) return;
      state.view = next;
      render();
      load();
    },
    select(number) {
      state.selected = number;
      for (const link of list.querySelectorAll('.ticket-row')) {
        link.setAttribute('aria-current', String(Number(link.dataset.number) === number));
        link.href = linkFor(state.view, Number(link.dataset.number));
      }
    },
    /** After a write in the ticket view: show the new state without losing the loaded pages. */
    update(summary) {
      const index = state.items.findIndex(item => item.number === summary.number);
      if (index >= 0) {
        state.items[index] = summary;
        render();
      }
    },
    /** An escalation notice arrived: the row shows it without reloading the pages. */
    noteEscalation(number, notice) {
      const item = state.items.find(x => x.number === number);
      if (!item) return;
      const escalated = notice.kind === 'deescalated' ? false : notice.toLevel >= 2;
      item.sla = { ...(item.sla ?? {}), escalationLevel: notice.kind === 'deescalated' ? 0 : notice.toLevel, isEscalated: escalated };
      render();
    },
    reload: () => load(),
  };
}
