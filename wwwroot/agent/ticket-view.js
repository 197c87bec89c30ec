// One ticket (GET /api/tickets/{number}): facts, links, timeline, history, and the writes an
// agent makes on it. Every write carries the version the agent was looking at, so acting on an
// outdated screen is refused (409 stale_version) instead of silently undoing a colleague's work.
import { get, post, describeError, newClientMessageId } from '/shared/api.js';
import { t, label, formatTime, formatShortTime, describeEvent, onLanguageChange } from '/shared/i18n.js';
import { h, loading, showBanner, clearBanners, setBusy } from '/shared/ui.js';
import { createComposerAssist } from './wording.js';
import { createTriagePanel } from './triage-panel.js';
import { renderEmail } from './email-message.js';
import { createSlaPanel } from './sla-panel.js';

// The lifecycle lets these statuses become Merged (TicketLifecycle); the API's allowedStatuses
// leaves Merged out because only the merge action reaches it.
const MERGEABLE = ['New', 'Assigned', 'WaitingOnCustomer', 'Resolved'];
// The server refuses replies and reassignment once the customer's feedback is in or the ticket is filed.
const CLOSED = ['FeedbackReceived', 'Archived', 'Merged'];

const MESSAGE_CLASS = { Customer: 'msg-customer', Agent: 'msg-agent', InternalNote: 'msg-note', System: 'msg-system' };

export function createTicketView({ root, directory, session, linkFor, onChanged }) {
  const state = {
    number: null,
    detail: null,
    loading: false,
    error: null,
    writing: false,
    generation: 0,
    // What the agent typed or picked; kept across re-renders (language switch, reload after 409).
    draft: freshDraft(),
    choices: {},
  };

  // One banner area for the view's life: a re-render (language switch) keeps what it says.
  const banners = h('div', { id: 'view-messages' });
  // The guard applies to replies (they reach the customer), the / picker to both.
  const assist = createComposerAssist({
    ticket: () => state.number,
    guarded: () => state.draft.mode === 'reply',
    onText: text => { state.draft.text = text; },
  });
  // The triage result beside the facts; a correction changes the ticket, so the view reloads.
  const triage = createTriagePanel({ onCorrected: () => open(state.number, { keepDraft: true, keepTriage: true }) });

  // The SLA panel keeps its own state (and its ticking) across the view's re-renders.
  const sla = createSlaPanel({ session, onCleared: () => reload() });

  function freshDraft(mode = 'reply') {
    return { mode, text: '', clientMessageId: newClientMessageId() };
  }

  function resetChoices() {
    const ticket = state.detail?.ticket;
    state.choices = {
      status: state.detail?.allowedStatuses?.[0] ?? '',
      reason: '',
      assigneeId: ticket?.assigneeId ?? '',
      teamId: ticket?.teamId != null ? String(ticket.teamId) : '',
      mergeTarget: '',
      confirmingMerge: false,
    };
  }

  async function open(number, { keepDraft = false, keepTriage = false } = {}) {
    if (number !== state.number) {
      state.draft = freshDraft();
      keepDraft = false;
      assist.reset();
    }
    state.number = number;
    if (number === null) {
      state.detail = null;
      clearBanners(banners);
      sla.load(null);
      render();
      return;
    }
    sla.load(number);
    const generation = ++state.generation;
    state.loading = true;
    state.error = null;
    clearBanners(banners);
    if (!keepDraft || !state.detail || state.detail.ticket.number !== number) state.detail = null;
    render();
    try {
      const detail = await get(`/api/tickets/${encodeURIComponent(number)}`);
      if (generation !== state.generation) return;
      state.detail = detail;
      resetChoices();
      if (!keepTriage) triage.load(number);
      onChanged?.(detail.ticket);
    } catch (error) {
      if (generation !== state.generation) return;
      state.error = error;
    } finally {
      if (generation === state.generation) {
        state.loading = false;
        render();
      }
    }
  }

  const reload = () => open(state.number, { keepDraft: true });

  // ---------- writes ----------

  /**
   * Runs one write at a time (a second one would carry the same, soon outdated, version).
   * On success the ticket is read again, so the view shows what the server now holds.
   */
  async function write(button, busyKey, send, doneMessage) {
    if (state.writing || !state.detail) return;
    state.writing = true;
    clearBanners(banners);
    setBusy(button, true, busyKey);
    for (const other of root.querySelectorAll('[data-write]')) if (other !== button) other.disabled = true;
    try {
      await send(state.detail.ticket);
      state.writing = false;
      await reload();
      if (doneMessage && !state.error) showBanner(banners, doneMessage, { kind: 'ok' });
    } catch (error) {
      state.writing = false;
      // A fresh render puts every button back as the ticket allows; the draft is in state.
      render();
      showBanner(banners, () => describeError(error), {
        actions: error.isStale ? [{ key: 'common.reload', onClick: reload }] : [],
      });
    }
  }

  async function sendMessage(button) {
    const { mode, text, clientMessageId } = state.draft;
    if (!text.trim()) {
      showBanner(banners, () => t('agent.compose.empty'), { kind: 'warn' });
      return;
    }
    if (state.writing) return;
    // Forbidden wording stops here, the approved wording offered beside the box (the API refuses it too).
    if (mode === 'reply' && !(await assist.beforeSend(text))) {
      root.querySelector('#composer-text')?.focus();
      return;
    }
    const path = mode === 'note' ? 'notes' : 'replies';
    write(button, 'agent.compose.sending', async ticket => {
      try {
        await post(`/api/tickets/${ticket.number}/${path}`, { body: text, clientMessageId, expectedVersion: ticket.version });
      } catch (error) {
        if (error?.code === 'forbidden_phrase') assist.explainRefusal(text);
        throw error;
      }
      state.draft = freshDraft(mode);
      assist.reset();
    }, () => t(mode === 'note' ? 'agent.done.note' : 'agent.done.reply'));
  }

  function changeStatus(button) {
    const { status, reason } = state.choices;
    if (!status) return;
    write(button, 'agent.actions.working', ticket =>
      post(`/api/tickets/${ticket.number}/status`, { status, reason: reason.trim() || null, expectedVersion: ticket.version }),
    () => t('agent.done.status'));
  }

  function assign(button, body) {
    write(button, 'agent.actions.working', ticket =>
      post(`/api/tickets/${ticket.number}/assignment`, { ...body, expectedVersion: ticket.version }),
    () => t('agent.done.assign'));
  }

  function merge(button) {
    const target = Number(state.choices.mergeTarget);
    write(button, 'agent.actions.working', async ticket => {
      await post(`/api/tickets/${ticket.number}/merge`, { targetNumber: target, expectedVersion: ticket.version });
      state.choices.confirmingMerge = false;
    }, () => t('agent.done.merge', { number: target }));
  }

  // ---------- rendering ----------

  function render() {
    if (state.number === null) {
      root.replaceChildren(banners, h('p', { class: 'empty', i18n: 'agent.view.empty' }));
      return;
    }
    if (!state.detail) {
      root.replaceChildren(banners, state.loading ? loading('agent.view.loading') : h('div'));
      if (state.error) {
        showBanner(banners, () => describeError(state.error), { actions: [{ key: 'common.retry', onClick: reload }], dismissible: false });
      }
      return;
    }

    const { ticket } = state.detail;
    const closed = CLOSED.includes(ticket.status);
    root.replaceChildren(
      banners,
      h('div', { class: 'ticket-head' },
        h('h1', {},
          h('span', { class: 'number' },
            h('span', { text: t('agent.view.number', { number: ticket.number }) }),
            h('span', { id: 'ticket-status', class: `badge status-${ticket.status}`, dataset: { status: ticket.status }, text: label('status', ticket.status) })),
          h('span', { id: 'ticket-subject', text: ticket.subject })),
        state.loading && h('span', { class: 'spinner', role: 'status', 'aria-label': t('common.loading') }),
        h('button', { type: 'button', class: 'link', i18n: 'common.reload', onclick: reload })),
      h('div', { class: 'ticket-body' },
        h('div', { class: 'ticket-main' },
          noticeFor(ticket),
          h('h3', { i18n: 'agent.view.timeline' }),
          renderTimeline(),
          ticket.status !== 'Merged' && renderComposer(ticket, closed),
          renderHistory()),
        h('aside', { class: 'ticket-side' },
          ticket.status !== 'Merged' && sla.element,
          renderFacts(ticket),
          triage.root,
          ticket.status !== 'Merged' && renderActions(ticket, closed))));
    triage.render();

    if (state.error) {
      showBanner(banners, () => describeError(state.error), { actions: [{ key: 'common.retry', onClick: reload }] });
    }
    if (state.writing) for (const button of root.querySelectorAll('[data-write]')) button.disabled = true;
  }

  function noticeFor(ticket) {
    if (ticket.status === 'Merged' && state.detail.mergedIntoNumber) {
      return h('div', { class: 'banner banner-info' },
        h('span', { class: 'banner-text', text: t('agent.view.mergedNotice', { number: state.detail.mergedIntoNumber }) }),
        h('a', { href: linkFor(null, state.detail.mergedIntoNumber), text: `#${state.detail.mergedIntoNumber}` }));
    }
    if (ticket.status === 'Archived' || ticket.status === 'FeedbackReceived') {
      return h('div', { class: 'banner banner-info' },
        h('span', { class: 'banner-text', text: t('agent.view.readOnly', { status: label('status', ticket.status) }) }));
    }
    return null;
  }

  function ticketLink(number) {
    return h('a', { href: linkFor(null, number), text: `#${number}` });
  }

  function renderFacts(ticket) {
    const d = state.detail;
    const fact = (key, value) => [h('dt', { i18n: key }), h('dd', {}, value ?? t('common.none'))];
    const tags = ticket.tags.length
      ? h('span', { class: 'tags' }, ...ticket.tags.map(tag => h('span', { class: 'badge tag', text: tag })))
      : h('span', { class: 'hint', i18n: 'agent.view.noTags' });
    return h('section', { class: 'panel', id: 'ticket-facts' },
      h('dl', { class: 'facts' },
        fact('agent.view.type', label('type', ticket.type)),
        fact('agent.view.category', label('category', ticket.category)),
        fact('agent.view.priority', h('span', { class: `badge priority-${ticket.priority}`, text: label('priority', ticket.priority) })),
        fact('agent.view.channel', label('channel', ticket.channel)),
        fact('agent.view.team', h('span', { id: 'ticket-team', text: directory.teamName(ticket.teamId) ?? t('common.none') })),
        fact('agent.view.assignee', h('span', { id: 'ticket-assignee', text: ticket.assigneeName ?? t('agent.list.unassigned') })),
        fact('agent.view.customer', ticket.customerName),
        fact('agent.view.tags', tags),
        d.mergedIntoNumber && fact('agent.view.mergedInto', ticketLink(d.mergedIntoNumber)),
        d.followUpOfNumber && fact('agent.view.followUpOf', ticketLink(d.followUpOfNumber)),
        d.followUpNumbers.length > 0 && fact('agent.view.followUps', h('span', { class: 'tags' }, ...d.followUpNumbers.map(ticketLink))),
        fact('agent.view.created', formatTime(ticket.createdAt)),
        fact('agent.view.updated', formatTime(ticket.updatedAt))));
  }

  function renderTimeline() {
    const entries = state.detail.timeline;
    if (!entries.length) return h('p', { class: 'empty', i18n: 'agent.view.timelineEmpty' });
    const lookups = directory.lookups({ followUpOfNumber: state.detail.followUpOfNumber });
    return h('div', { class: 'timeline', id: 'timeline' }, ...entries.map(m => renderMessage(m, lookups)));
  }

  function renderMessage(m, lookups) {
    const css = `msg ${MESSAGE_CLASS[m.kind] ?? ''}`;
    const time = h('time', { datetime: m.createdAt, title: formatTime(m.createdAt),
      text: m.kind === 'System' ? formatShortTime(m.createdAt) : formatTime(m.createdAt) });
    const data = { kind: m.kind, sequence: String(m.sequence) };
    if (m.kind === 'System') {
      return h('div', { class: css, dataset: data },
        h('span', { class: 'body', text: describeEvent(m, lookups) }),
        m.authorName && h('span', { class: 'by', text: ` · ${m.authorName}` }),
        time);
    }
    return h('article', { class: css, dataset: data },
      h('header', {},
        h('span', { class: 'author', text: m.authorName || label('kind', m.kind) }),
        h('span', { class: 'kind', text: label('kind', m.kind) }),
        m.mergedFromTicketId && h('span', { class: 'badge merged', i18n: 'agent.view.mergedFrom' }),
        time),
      m.email ? renderEmail(m.email, m.body) : h('div', { class: 'body', text: m.body }));
  }

  function renderComposer(ticket, closed) {
    // After feedback or archiving only colleagues can still be written to.
    if (closed && state.draft.mode === 'reply') state.draft.mode = 'note';
    const mode = state.draft.mode;
    const textarea = h('textarea', {
      id: 'composer-text',
      name: 'body',
      rows: 4,
      maxlength: 20000,
      'aria-label': t(mode === 'note' ? 'agent.compose.note' : 'agent.compose.reply'),
      placeholder: t(mode === 'note' ? 'agent.compose.notePlaceholder' : 'agent.compose.replyPlaceholder'),
      oninput: event => { state.draft.text = event.target.value; },
      onkeydown: event => {
        if (assist.handleKeydown(event)) return;
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) sendMessage(send);
      },
    });
    textarea.value = state.draft.text;
    const assistArea = assist.attach(textarea);
    const tab = (key, value, disabled) => h('button', {
      type: 'button', role: 'tab', i18n: key, disabled,
      'aria-selected': String(mode === value), dataset: { mode: value },
      onclick: () => { state.draft.mode = value; render(); root.querySelector('#composer-text')?.focus(); },
    });
    const send = h('button', {
      type: 'button', id: 'composer-send', class: 'primary', dataset: { write: '' },
      i18n: mode === 'note' ? 'agent.compose.sendNote' : 'agent.compose.sendReply',
      onclick: () => sendMessage(send),
    });
    return h('section', { class: `panel composer ${mode === 'note' ? 'note-mode' : ''}` },
      h('div', { class: 'tabs', role: 'tablist' },
        tab('agent.compose.reply', 'reply', closed),
        tab('agent.compose.note', 'note', false)),
      textarea,
      assistArea,
      h('div', { class: 'row' },
        h('span', { class: 'hint', text: mode === 'note' ? t('agent.compose.noteHint') : '' }),
        send));
  }

  function renderActions(ticket, closed) {
    const c = state.choices;
    const blocks = [];

    // Status: only what the lifecycle allows from here, as the API lists it.
    const allowed = state.detail.allowedStatuses;
    const statusButton = h('button', { type: 'button', id: 'status-apply', i18n: 'agent.actions.changeStatus', dataset: { write: '' },
      onclick: () => changeStatus(statusButton) });
    blocks.push(h('div', { class: 'action-block' },
      h('h3', { i18n: 'agent.actions.status' }),
      allowed.length
        ? [
          h('div', { class: 'action-row' },
            selectOf('status-select', 'agent.actions.statusTo', allowed.map(s => [s, label('status', s)]), c.status, v => { c.status = v; }),
            statusButton),
          h('input', { type: 'text', id: 'status-reason', maxlength: 500, value: c.reason, placeholder: t('agent.actions.reason'),
            'aria-label': t('agent.actions.reason'), style: 'width:100%;margin-top:6px', oninput: e => { c.reason = e.target.value; } }),
        ]
        : h('p', { class: 'hint', i18n: 'agent.actions.noStatus' })));

    if (!closed) {
      const staffOptions = directory.staff.map(member => [member.id, directory.staffLabel(member)]);
      const teamOptions = directory.teams.map(team => [String(team.id), directory.teamName(team.id)]);
      const assignButton = h('button', { type: 'button', id: 'assign-apply', class: 'primary', i18n: 'agent.actions.doAssign', dataset: { write: '' },
        onclick: () => assign(assignButton, {
          ...(c.assigneeId ? { assigneeId: c.assigneeId } : {}),
          ...(c.teamId ? { teamId: Number(c.teamId) } : {}),
        }) });
      const unassignButton = h('button', { type: 'button', id: 'assign-remove', i18n: 'agent.actions.unassign', dataset: { write: '' },
        disabled: !ticket.assigneeId, onclick: () => assign(unassignButton, { unassign: true }) });
      const mine = session.id && String(ticket.assigneeId).toLowerCase() === String(session.id).toLowerCase();
      const takeButton = h('button', { type: 'button', id: 'assign-me', i18n: 'agent.actions.takeIt', dataset: { write: '' },
        disabled: mine, onclick: () => assign(takeButton, { assigneeId: session.id }) });
      blocks.push(h('div', { class: 'action-block' },
        h('h3', { i18n: 'agent.actions.assign' }),
        h('div', { class: 'field' },
          h('label', { for: 'assign-agent', i18n: 'agent.actions.agent' }),
          selectOf('assign-agent', 'agent.actions.agent', staffOptions, c.assigneeId, v => { c.assigneeId = v; }, 'agent.actions.pickAgent')),
        h('div', { class: 'field' },
          h('label', { for: 'assign-team', i18n: 'agent.actions.team' }),
          selectOf('assign-team', 'agent.actions.team', teamOptions, c.teamId, v => { c.teamId = v; }, 'common.none')),
        h('div', { class: 'action-row' }, assignButton, unassignButton, takeButton)));
    }

    if (MERGEABLE.includes(ticket.status)) {
      const mergeButton = h('button', { type: 'button', id: 'merge-apply', class: 'danger', i18n: 'agent.actions.doMerge', dataset: { write: '' },
        onclick: () => {
          const target = Number(c.mergeTarget);
          if (!Number.isInteger(target) || target <= 0) {
            showBanner(banners, () => t('agent.actions.mergeNumber'), { kind: 'warn' });
            return;
          }
          c.confirmingMerge = true;
          render();
        } });
      const confirmButton = h('button', { type: 'button', id: 'merge-confirm', class: 'primary', i18n: 'common.confirm', dataset: { write: '' },
        onclick: () => merge(confirmButton) });
      blocks.push(h('div', { class: 'action-block' },
        h('h3', { i18n: 'agent.actions.merge' }),
        h('div', { class: 'action-row' },
          h('input', { type: 'number', id: 'merge-target', min: 1, inputmode: 'numeric', value: c.mergeTarget,
            placeholder: t('agent.actions.mergeTarget'), 'aria-label': t('agent.actions.mergeTarget'),
            oninput: e => { c.mergeTarget = e.target.value; c.confirmingMerge = false; } }),
          mergeButton),
        c.confirmingMerge && h('div', { class: 'confirm', role: 'alert' },
          h('span', { text: t('agent.actions.mergeConfirm', { source: ticket.number, target: c.mergeTarget }) }),
          h('div', { class: 'action-row' },
            confirmButton,
            h('button', { type: 'button', i18n: 'common.cancel', onclick: () => { c.confirmingMerge = false; render(); } })))));
    }

    return h('section', { class: 'panel', id: 'ticket-actions' }, h('h3', { i18n: 'agent.actions.title' }), ...blocks);
  }

  function selectOf(id, nameKey, options, value, onChange, emptyKey = null) {
    const select = h('select', { id, 'aria-label': t(nameKey), onchange: e => onChange(e.target.value) },
      emptyKey && h('option', { value: '', text: t(emptyKey) }),
      ...options.map(([v, text]) => h('option', { value: v, text })));
    select.value = value ?? '';
    return select;
  }

  function renderHistory() {
    const rows = state.detail.history;
    const details = h('details', { class: 'history', id: 'ticket-history', open: state.historyOpen ?? false,
      ontoggle: e => { state.historyOpen = e.target.open; } },
      h('summary', { text: `${t('agent.view.history')} (${rows.length})` }));
    if (!rows.length) {
      details.append(h('p', { class: 'hint', i18n: 'agent.view.historyEmpty' }));
      return details;
    }
    details.append(h('table', { class: 'grid' },
      h('thead', {}, h('tr', {},
        h('th', { i18n: 'agent.history.at' }), h('th', { i18n: 'agent.history.actor' }),
        h('th', { i18n: 'agent.history.field' }), h('th', { i18n: 'agent.history.change' }))),
      h('tbody', {}, ...rows.map(entry => h('tr', {},
        h('td', { text: formatTime(entry.at) }),
        h('td', { text: entry.actorName }),
        h('td', { text: label('history', entry.field) }),
        h('td', { text: describeChange(entry) }))))));
    return details;
  }

  function describeChange(entry) {
    const value = v => historyValue(entry.field, v);
    if (entry.from === null || entry.from === undefined || entry.from === '') return `→ ${value(entry.to)}`;
    return `${value(entry.from)} → ${value(entry.to)}`;
  }

  function historyValue(field, v) {
    if (v === null || v === undefined || v === '') return t('common.none');
    switch (field) {
      case 'status':
      case 'created': return label('status', v);
      case 'priority': return label('priority', v);
      case 'assignee': return directory.staffName(v) ?? v;
      case 'team': return directory.teamName(v) ?? v;
      case 'queue': return directory.queueName(v) ?? v;
      case 'merged_from': return `#${v}`;
      default: return v;
    }
  }

  onLanguageChange(() => render());
  render();

  /** The console heard something about this ticket (an escalation, a message, a status): read it again. */
  function heard(number, { timeline = false } = {}) {
    if (number !== state.number || state.number === null) return;
    sla.refresh();
    if (timeline && !state.writing && !state.loading) reload();
  }

  return {
    open,
    reload,
    heard,
    get number() { return state.number; },
  };
}
