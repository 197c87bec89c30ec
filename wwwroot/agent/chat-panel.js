// The live chat panel of the console: presence and connection in a bar, incoming offers as
// cards with a countdown and a chime, one tab per conversation next to the ticket view, and for
// each conversation its timeline, composer, customer card, transfer and end. State and server
// calls live in chat.js; this module only draws them. Text from people is set with textContent.
import { get, describeError } from '/shared/api.js';
import { t, label, has, language, formatTime, formatShortTime, parseTime, describeEvent, onLanguageChange } from '/shared/i18n.js';
import { h, loading, showBanner, clearBanners, setBusy } from '/shared/ui.js';
import { PRESENCES, refusalOf, isImage } from './chat.js';
import { chime, primeAudioOnGesture } from './chime.js';
import { createComposerAssist } from './wording.js';

const ACCEPTED_FILES = 'image/png,image/jpeg,image/gif,image/webp,application/pdf,.png,.jpg,.jpeg,.gif,.webp,.pdf';
const MESSAGE_CLASS = { Customer: 'msg-customer', Agent: 'msg-agent', InternalNote: 'msg-note', System: 'msg-system' };

/** A refusal code in words, in the page's language. */
export function reasonText(code, detail = null) {
  if (code && has(`chat.upload.${code}`)) return t(`chat.upload.${code}`);
  if (code && has(`chat.reason.${code}`)) return t(`chat.reason.${code}`);
  return language() === 'en' && detail ? detail : t('chat.reason.other');
}

function reasonOfError(error) {
  const refusal = refusalOf(error);
  if (refusal) return reasonText(refusal.code, refusal.reason);
  return error?.status !== undefined ? describeError(error) : t('chat.reason.network');
}

function formatClock(value) {
  const date = parseTime(value);
  if (!date || Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(language(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

function formatSize(bytes) {
  if (!(bytes > 0)) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const ICONS = {
  chat: ['M21 11.5a8.4 8.4 0 0 1-.9 3.8 8.5 8.5 0 0 1-7.6 4.7 8.4 8.4 0 0 1-3.8-.9L3 21l1.9-5.7a8.4 8.4 0 0 1-.9-3.8 8.5 8.5 0 0 1 4.7-7.6 8.4 8.4 0 0 1 3.8-.9h.5a8.5 8.5 0 0 1 8 8v.5z'],
  clip: ['M21.4 11.1l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5'],
  clock: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M12 6v6l4 2'],
};

/** A small line icon (SVG built node by node: no markup from strings). */
function icon(name, size = 16) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: size, height: size, fill: 'none', stroke: 'currentColor',
    'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true', class: 'icon' })) svg.setAttribute(k, String(v));
  for (const d of ICONS[name]) {
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** Only our own download address is ever put in a link or an image. */
function attachmentUrl(attachment) {
  const url = String(attachment?.url ?? '');
  if (/^\/api\/attachments\/[0-9a-fA-F-]{32,36}$/.test(url)) return url;
  return `/api/attachments/${encodeURIComponent(String(attachment?.id ?? ''))}`;
}

const shownSignatures = new WeakMap();

function focusKeyOf(el) {
  return [el.tagName, el.id, el.dataset?.presence ?? '', el.dataset?.action ?? '', el.className].join('|');
}

/**
 * Rebuilds a part of the panel only when what it shows has changed (a typing notice must not
 * replace the select an agent is choosing from), and gives focus back to the same control.
 */
function patch(container, signature, build) {
  if (shownSignatures.get(container) === signature) return;
  shownSignatures.set(container, signature);
  const focused = document.activeElement;
  const key = focused && focused !== document.body && container.contains(focused) ? focusKeyOf(focused) : null;
  build();
  if (key) [...container.querySelectorAll('button, select, input, a, textarea')].find(el => focusKeyOf(el) === key)?.focus();
}

export function createChatPanel({ client, directory, session, linkFor, elements }) {
  const { bar, tabs, ticketPane, chatPanes, offersRoot, notices } = elements;
  const views = new Map();      // ticket number → view
  const customers = new Map();  // customer id → { loading, card, tickets, error }
  const transferring = new Map(); // ticket number → name it goes to (our own transfer, for the notice)
  let active = 'ticket';
  let ticketNumber = null;
  let renderQueued = false;
  let barTimer = null;
  const dirty = { bar: false, tabs: false, offers: false, chats: new Set(), all: false };

  primeAudioOnGesture();

  // ---------- scheduling ----------

  function queue(part, number = null) {
    if (part === 'chat') dirty.chats.add(number);
    else dirty[part] = true;
    if (renderQueued) return;
    renderQueued = true;
    setTimeout(flushRender, 0);
  }

  function flushRender() {
    renderQueued = false;
    const all = dirty.all;
    if (all || dirty.bar) renderBar();
    if (all || dirty.tabs) renderTabs();
    if (all || dirty.offers) renderOffers();
    const chats = all ? [...views.keys()] : [...dirty.chats];
    dirty.all = dirty.bar = dirty.tabs = dirty.offers = false;
    dirty.chats.clear();
    for (const number of chats) {
      const view = views.get(number);
      if (view) renderView(view, { full: all });
    }
    maybeMarkRead();
  }

  client.onChange((what, number, detail) => {
    switch (what) {
      case 'connection':
      case 'presence':
        queue('bar');
        break;
      case 'offers':
        if (detail?.chime) chime();
        queue('offers');
        break;
      case 'tabs':
        if (detail?.removed) removeView(number);
        else if (number !== null && client.state.chats.has(number)) ensureView(number);
        if (detail?.select) select(number, { focus: true });
        queue('tabs');
        queue('bar');
        break;
      case 'chat':
        if (!views.has(number) && client.state.chats.has(number)) ensureView(number);
        if (detail?.scroll) views.get(number) && (views.get(number).forceScroll = true);
        queue('chat', number);
        queue('tabs');
        queue('bar');
        break;
      case 'notice':
        showNotice(number, detail);
        break;
    }
  });

  // ---------- the bar: presence, connection, unread ----------

  function renderBar() {
    const s = client.state;
    const total = client.totalUnread();
    const seconds = Math.max(1, Math.ceil(((s.retryAt ?? Date.now()) - Date.now()) / 1000));
    document.title = total > 0 ? `(${total}) ${t('agent.title')}` : t('agent.title');
    if (s.connection === 'waiting' && !barTimer) barTimer = setTimeout(() => { barTimer = null; queue('bar'); }, 1000); // the countdown
    patch(bar, [language(), s.presence, s.presenceError, s.connection, s.connection === 'waiting' ? seconds : '', total].join('|'),
      () => buildBar(s, total, seconds));
  }

  function buildBar(s, total, seconds) {
    const presence = h('div', { class: 'presence', role: 'radiogroup', 'aria-label': t('chat.presence.label') },
      ...PRESENCES.map(value => h('button', {
        type: 'button', role: 'radio', class: `presence-${value}`, dataset: { presence: value },
        'aria-checked': String(s.presence === value),
        onclick: () => client.setPresence(value),
      }, h('span', { class: 'dot', 'aria-hidden': 'true' }), t(`chat.presence.${value}`))));

    const connectionText = {
      connecting: t('chat.conn.connecting'),
      connected: t('chat.conn.connected'),
      reconnecting: t('chat.conn.reconnecting'),
      waiting: t('chat.conn.waiting', { seconds }),
      offline: t('chat.conn.offline'),
    }[s.connection];
    const busy = s.connection === 'connecting' || s.connection === 'reconnecting';
    const connection = h('span', { class: `conn conn-${s.connection}`, id: 'chat-conn', role: 'status', dataset: { state: s.connection } },
      busy && h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      h('span', { class: 'dot', 'aria-hidden': 'true' }),
      h('span', { class: 'conn-text', text: connectionText }),
      (s.connection === 'waiting' || s.connection === 'offline')
        && h('button', { type: 'button', class: 'link', i18n: 'chat.conn.retryNow', onclick: () => client.retryNow() }));

    // (replaceChildren would write a null out as the text "null")
    bar.replaceChildren(...[
      h('span', { class: 'chat-bar-title', i18n: 'chat.title' }),
      h('span', {
        class: 'badge unread-total', id: 'chat-unread-total', hidden: total === 0, dataset: { count: String(total) },
        title: t('chat.unreadTitle', { count: total }), text: t('chat.unreadTotal', { count: total }),
      }),
      presence,
      s.presenceError && h('span', { class: 'presence-error', role: 'alert', text: t('chat.presence.failed', { reason: reasonText(s.presenceError) }) }),
      connection,
    ].filter(Boolean));
  }

  // ---------- tabs ----------

  function renderTabs() {
    const chats = [...client.state.chats.values()];
    const signature = [language(), active, ticketNumber,
      ...chats.map(chat => [chat.number, chat.customerName, chat.ended, client.unread(chat)].join(':'))].join('|');
    patch(tabs, signature, () => buildTabs(chats));
  }

  function buildTabs(chats) {
    const chatTabs = chats.map(chat => {
      const count = client.unread(chat);
      const name = chat.customerName || `#${chat.number}`;
      const selected = active === chat.number;
      return h('div', { class: `work-tab chat-tab ${chat.ended ? 'ended' : ''}`, dataset: { chat: String(chat.number) } },
        h('button', {
          type: 'button', role: 'tab', id: `chat-tab-${chat.number}`, 'aria-controls': `chat-view-${chat.number}`,
          'aria-selected': String(selected), tabIndex: selected ? 0 : -1,
          title: `${name} · #${chat.number}`,
          onclick: () => select(chat.number, { focus: true }),
        },
          h('span', { class: 'dot', 'aria-hidden': 'true' }),
          h('span', { class: 'tab-name', text: name }),
          h('span', { class: 'tab-number', text: `#${chat.number}` }),
          chat.ended && h('span', { class: 'tab-ended', text: t('chat.tabs.ended') }),
          h('span', {
            class: 'unread', hidden: count === 0, dataset: { count: String(count) },
            'aria-label': t('chat.tabs.unread', { count }), text: String(count),
          })),
        chat.ended && h('button', {
          type: 'button', class: 'tab-close', 'aria-label': t('chat.tabs.close', { name }), title: t('chat.view.closeTab'), text: '×',
          onclick: () => client.closeTab(chat.number),
        }));
    });
    const ticketSelected = active === 'ticket';
    tabs.replaceChildren(
      h('div', { class: 'work-tab' },
        h('button', {
          type: 'button', role: 'tab', id: 'ticket-tab', 'aria-controls': 'ticket-view',
          'aria-selected': String(ticketSelected), tabIndex: ticketSelected ? 0 : -1,
          onclick: () => select('ticket'),
          text: ticketNumber ? t('chat.tabs.ticketNumber', { number: ticketNumber }) : t('chat.tabs.ticket'),
        })),
      ...chatTabs);
    tabs.hidden = chatTabs.length === 0;
  }

  tabs.addEventListener('keydown', event => {
    if (!['ArrowLeft', 'ArrowRight'].includes(event.key)) return;
    const order = ['ticket', ...client.state.chats.keys()];
    const index = order.indexOf(active) + (event.key === 'ArrowRight' ? 1 : -1);
    const next = order[(index + order.length) % order.length];
    select(next);
    (next === 'ticket' ? tabs.querySelector('#ticket-tab') : tabs.querySelector(`#chat-tab-${next}`))?.focus();
  });

  function select(target, { focus = false } = {}) {
    if (target !== 'ticket' && !client.state.chats.has(target)) target = 'ticket';
    active = target;
    ticketPane.hidden = active !== 'ticket';
    for (const [number, view] of views) {
      view.root.hidden = number !== active;
      if (number === active) view.forceScroll = true;
    }
    queue('tabs');
    if (active !== 'ticket') {
      queue('chat', active);
      if (focus) setTimeout(() => views.get(active)?.input?.focus(), 0);
    }
  }

  // ---------- offers ----------

  let countdown = null;

  function renderOffers() {
    const offers = [...client.state.offers.values()];
    offersRoot.replaceChildren(...offers.map(offer => {
      const accept = h('button', { type: 'button', class: 'primary', dataset: { action: 'accept' }, i18n: 'chat.offer.accept',
        onclick: () => acceptOffer(offer.ticketNumber, accept) });
      const decline = h('button', { type: 'button', dataset: { action: 'decline' }, i18n: 'chat.offer.decline',
        onclick: () => declineOffer(offer.ticketNumber, decline) });
      const card = h('section', {
        class: 'offer-card', role: 'alert', dataset: { ticket: String(offer.ticketNumber) },
        'aria-label': `${t('chat.offer.title')}: ${offer.customerName}`,
      },
        h('header', {},
          icon('chat', 15),
          h('span', { class: 'offer-title', i18n: 'chat.offer.title' }),
          h('span', { class: 'offer-number', text: `#${offer.ticketNumber}` })),
        h('div', { class: 'offer-customer', text: offer.customerName }),
        h('div', { class: 'offer-first', text: firstLine(offer.subject), title: offer.subject }),
        h('div', { class: 'offer-timer', 'aria-hidden': 'true' }, h('span', { class: 'offer-bar' })),
        h('div', { class: 'offer-countdown' }),
        offer.error && h('div', { class: 'offer-error', text: t('chat.offer.failed', { number: offer.ticketNumber, reason: reasonText(offer.error) }) }),
        h('div', { class: 'offer-actions' }, accept, decline));
      if (offer.busy === 'accept') setBusy(accept, true, 'chat.offer.accepting');
      if (offer.busy) { accept.disabled = true; decline.disabled = true; }
      return card;
    }));
    tick();
    if (offers.length && !countdown) countdown = setInterval(tick, 250);
    if (!offers.length && countdown) { clearInterval(countdown); countdown = null; }
  }

  /** Counts each card down to its expiresAt, by the server's clock. */
  function tick() {
    for (const card of offersRoot.querySelectorAll('.offer-card')) {
      const offer = client.state.offers.get(Number(card.dataset.ticket));
      if (!offer) continue;
      if (offer.total === undefined) offer.total = Math.max(1000, client.offerRemaining(offer));
      const left = client.offerRemaining(offer);
      const seconds = Math.max(0, Math.ceil(left / 1000));
      const text = left > 0 ? t('chat.offer.expires', { seconds }) : t('chat.offer.expired');
      const line = card.querySelector('.offer-countdown');
      if (line.textContent !== text) line.textContent = text;
      card.dataset.seconds = String(seconds);
      card.classList.toggle('urgent', left <= 10_000);
      card.querySelector('.offer-bar').style.width = `${Math.max(0, Math.min(100, (left / offer.total) * 100))}%`;
      // The server withdraws an expired offer; should that push be lost, the card still goes.
      if (left < -5000 && !offer.busy) client.dismissOffer(offer.ticketNumber);
    }
  }

  function firstLine(text) {
    return String(text ?? '').split(/\r?\n/)[0];
  }

  async function acceptOffer(number, button) {
    try {
      await client.accept(number);
    } catch (error) {
      button.isConnected && queue('offers');
      if (!refusalOf(error)) showBanner(notices, () => t('chat.offer.failed', { number, reason: reasonOfError(error) }));
    }
  }

  async function declineOffer(number) {
    try {
      await client.decline(number);
    } catch (error) {
      showBanner(notices, () => t('chat.offer.failed', { number, reason: reasonOfError(error) }));
    }
  }

  // ---------- notices ----------

  function showNotice(number, detail) {
    if (detail?.reason !== 'transferredAway') return;
    const to = transferring.get(number);
    transferring.delete(number);
    const name = detail.customerName || `#${number}`;
    showBanner(notices, () => (to ? t('chat.transfer.done', { number, name: to }) : t('chat.view.transferredAway', { number, name })),
      { kind: 'info' });
  }

  // ---------- one conversation ----------

  function ensureView(number) {
    if (views.has(number)) return views.get(number);
    const view = createView(number);
    views.set(number, view);
    chatPanes.append(view.root);
    view.root.hidden = active !== number;
    renderView(view, { full: true });
    return view;
  }

  function removeView(number) {
    const view = views.get(number);
    if (!view) return;
    view.root.remove();
    views.delete(number);
    if (active === number) {
      const next = [...client.state.chats.keys()][0];
      select(next ?? 'ticket');
    }
  }

  function createView(number) {
    const view = {
      number,
      root: h('section', { class: 'chat-view', id: `chat-view-${number}`, role: 'tabpanel', 'aria-labelledby': `chat-tab-${number}`, dataset: { ticket: String(number) } }),
      head: h('div', { class: 'chat-head' }),
      banners: h('div', { class: 'chat-banners' }),
      tools: h('div', { class: 'chat-tools' }),
      log: h('div', { class: 'timeline chat-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' }),
      status: h('div', { class: 'chat-log-status' }),
      typing: h('div', { class: 'chat-typing', 'aria-live': 'polite' }),
      composer: null,
      input: null,
      side: h('aside', { class: 'chat-side' }),
      elements: new Map(), // entry → { el, signature }
      forceScroll: true,
      tool: null,          // null | 'transfer' | 'end'
      transfer: { agentId: '', teamId: '', busy: false },
      sideFor: undefined,
    };
    buildComposer(view);
    view.root.append(
      view.head,
      view.banners,
      view.tools,
      h('div', { class: 'chat-body' },
        h('div', { class: 'chat-main' }, view.status, view.log, view.typing, view.composer),
        view.side));
    return view;
  }

  function buildComposer(view) {
    const number = view.number;
    const input = h('textarea', {
      class: 'chat-input', id: `chat-input-${number}`, rows: 3, maxlength: 20000,
      oninput: event => {
        const chat = client.state.chats.get(number);
        if (chat) chat.draft = event.target.value;
        if (event.target.value.trim()) client.typing(number);
        else client.stopTyping(number);
      },
      onkeydown: event => {
        // The / picker takes arrows, Enter and Escape while it is open.
        if (view.assist.handleKeydown(event)) return;
        // Enter sends; Shift+Enter breaks the line; Enter that ends an IME composition (拼音) does neither.
        if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
        event.preventDefault();
        sendFromComposer(view);
      },
      onblur: () => client.stopTyping(number),
      onfocus: () => maybeMarkRead(),
    });
    const file = h('input', {
      type: 'file', class: 'chat-file', accept: ACCEPTED_FILES, multiple: true, hidden: true, tabIndex: -1,
      onchange: event => {
        for (const picked of event.target.files) client.sendFile(number, picked);
        event.target.value = '';
      },
    });
    const attach = h('button', { type: 'button', class: 'chat-attach', onclick: () => file.click() }, icon('clip', 18));
    const send = h('button', { type: 'submit', class: 'primary chat-send' });
    const hint = h('span', { class: 'hint chat-hint' });
    view.input = input;
    view.file = file;
    view.attach = attach;
    view.send = send;
    view.hint = hint;
    view.assist = createComposerAssist({
      ticket: () => number,
      onText: text => {
        const chat = client.state.chats.get(number);
        if (chat) chat.draft = text;
      },
    });
    view.composer = h('form', {
      class: 'chat-composer panel',
      onsubmit: event => { event.preventDefault(); sendFromComposer(view); },
    }, input, view.assist.attach(input), h('div', { class: 'row' }, attach, file, hint, send));
  }

  /** Forbidden wording is stopped here (with the approved wording offered); the server checks again. */
  async function sendFromComposer(view) {
    const chat = client.state.chats.get(view.number);
    if (!chat || chat.ended || view.checking) return;
    const text = view.input.value;
    view.checking = true;
    let allowed;
    try {
      allowed = await view.assist.beforeSend(text);
    } finally {
      view.checking = false;
    }
    if (!allowed || view.input.value !== text) { view.input.focus(); return; }
    if (client.send(view.number, text)) {
      view.input.value = '';
      chat.draft = '';
      view.forceScroll = true;
      view.assist.reset();
    }
    view.input.focus();
  }

  function renderView(view, { full = false } = {}) {
    const chat = client.state.chats.get(view.number);
    if (!chat) return;
    if (full) view.elements.clear();
    renderHead(view, chat);
    renderTools(view, chat);
    renderLog(view, chat);
    renderTyping(view, chat);
    renderComposerState(view, chat);
    renderSide(view, chat, { full });
  }

  function renderHead(view, chat) {
    const name = chat.customerName || t('kind.Customer');
    patch(view.head, [language(), name, chat.status, chat.ended, chat.subject, view.tool].join('|'), () => view.head.replaceChildren(
      h('div', { class: 'chat-title' },
        h('h2', { class: 'chat-customer-name', text: name }),
        h('span', { class: 'chat-meta' },
          h('a', { href: linkFor(null, chat.number), class: 'chat-ticket-link', text: t('agent.view.number', { number: chat.number }),
            title: t('chat.view.openTicket'), onclick: () => select('ticket') }),
          chat.status && h('span', { class: `badge status-${chat.status}`, dataset: { role: 'chat-status' }, text: label('status', chat.status) }),
          chat.ended && h('span', { class: 'badge chat-ended-badge', text: t('chat.tabs.ended') }),
          chat.subject && h('span', { class: 'chat-subject', text: chat.subject, title: chat.subject }))),
      h('div', { class: 'chat-actions' },
        !chat.ended && h('button', {
          type: 'button', class: 'chat-transfer-open', 'aria-expanded': String(view.tool === 'transfer'), i18n: 'chat.view.transfer',
          onclick: () => { view.tool = view.tool === 'transfer' ? null : 'transfer'; renderView(view); },
        }),
        !chat.ended && h('button', {
          type: 'button', class: 'danger chat-end', i18n: 'chat.view.end',
          onclick: () => { view.tool = view.tool === 'end' ? null : 'end'; renderView(view); },
        }),
        chat.ended && h('button', { type: 'button', class: 'chat-close', i18n: 'chat.view.closeTab', onclick: () => client.closeTab(chat.number) }))));
    view.root.classList.toggle('is-ended', chat.ended);
    view.root.dataset.ended = String(chat.ended);
    if (chat.ended) {
      view.tool = null;
      if (!view.endedShown) {
        view.endedShown = true;
        showBanner(view.banners, () => t(chat.endedBy === 'Customer' ? 'chat.view.endedByCustomer' : 'chat.view.endedByStaff'),
          { kind: 'info', dismissible: false });
      }
    }
  }

  function renderTools(view, chat) {
    const signature = [language(), view.tool, chat.ended, view.transfer.busy, chat.customerName, directory.staff.length].join('|');
    patch(view.tools, signature, () => buildTools(view, chat));
  }

  function buildTools(view, chat) {
    if (view.tool === 'transfer' && !chat.ended) {
      const tr = view.transfer;
      const agents = directory.staff.filter(member => String(member.id).toLowerCase() !== String(session.id).toLowerCase());
      const agentSelect = h('select', { class: 'chat-transfer-agent', 'aria-label': t('chat.transfer.agent'),
        onchange: e => { tr.agentId = e.target.value; } },
        h('option', { value: '', text: t('chat.transfer.pickAgent') }),
        ...agents.map(member => h('option', { value: member.id, text: directory.staffLabel(member) })));
      agentSelect.value = tr.agentId;
      const teamSelect = h('select', { class: 'chat-transfer-team', 'aria-label': t('chat.transfer.team'),
        onchange: e => { tr.teamId = e.target.value; } },
        h('option', { value: '', text: t('chat.transfer.pickTeam') }),
        ...directory.teams.map(team => h('option', { value: String(team.id), text: directory.teamName(team.id) })));
      teamSelect.value = tr.teamId;
      const submit = h('button', { type: 'submit', class: 'primary chat-transfer-submit', i18n: 'chat.transfer.submit' });
      const form = h('form', { class: 'chat-tool panel chat-transfer', onsubmit: event => { event.preventDefault(); doTransfer(view, submit); } },
        h('h3', { i18n: 'chat.transfer.title' }),
        h('div', { class: 'chat-tool-fields' },
          h('div', { class: 'field' }, h('label', { i18n: 'chat.transfer.agent' }), agentSelect),
          h('div', { class: 'field' }, h('label', { i18n: 'chat.transfer.team' }), teamSelect)),
        h('div', { class: 'action-row' },
          submit,
          h('button', { type: 'button', i18n: 'common.cancel', onclick: () => { view.tool = null; renderView(view); } })));
      if (tr.busy) setBusy(submit, true, 'chat.transfer.working');
      view.tools.replaceChildren(form);
    } else if (view.tool === 'end' && !chat.ended) {
      // The approved closing question (结束语) first; ending at once stays one click away.
      const closing = h('button', { type: 'button', class: 'primary chat-end-closing', i18n: 'chat.view.endWithClosing',
        onclick: () => doEnd(view, closing, { withClosing: true }) });
      const confirm = h('button', { type: 'button', class: 'chat-end-confirm', i18n: 'chat.view.endNow', onclick: () => doEnd(view, confirm) });
      view.tools.replaceChildren(h('div', { class: 'confirm chat-tool', role: 'alert' },
        h('span', { text: t('chat.view.endConfirm', { name: chat.customerName || `#${chat.number}` }) }),
        h('div', { class: 'action-row' },
          closing,
          confirm,
          h('button', { type: 'button', i18n: 'common.cancel', onclick: () => { view.tool = null; renderView(view); } }))));
      closing.focus();
    } else {
      view.tools.replaceChildren();
    }
  }

  async function doTransfer(view, button) {
    const tr = view.transfer;
    if (!tr.agentId && !tr.teamId) {
      showBanner(view.banners, () => t('chat.transfer.pickOne'), { kind: 'warn' });
      return;
    }
    const to = tr.agentId ? directory.staffName(tr.agentId) : directory.teamName(tr.teamId);
    tr.busy = true;
    setBusy(button, true, 'chat.transfer.working');
    clearBanners(view.banners);
    transferring.set(view.number, to ?? '');
    try {
      await client.transfer(view.number, tr.agentId || null, tr.teamId || null);
      // The tab goes when the server says the chat is no longer ours (ChatUnassigned).
    } catch (error) {
      transferring.delete(view.number);
      tr.busy = false;
      if (views.get(view.number) === view) {
        renderView(view);
        showBanner(view.banners, () => reasonOfError(error));
      }
    }
  }

  async function doEnd(view, button, { withClosing = false } = {}) {
    setBusy(button, true, 'chat.view.ending');
    try {
      if (withClosing) await client.endChatWithClosing(view.number);
      else await client.endChat(view.number);
      view.tool = null;
    } catch (error) {
      setBusy(button, false);
      showBanner(view.banners, () => reasonOfError(error));
    }
  }

  function renderLog(view, chat) {
    const log = view.log;
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    const entries = client.entries(chat.number);
    const lookups = directory.lookups();
    // Only what changed is rebuilt or moved: a reader's selection and the scroll place survive.
    const els = entries.map(entry => renderEntry(view, chat, entry, lookups));
    const keep = new Set(els);
    for (const child of [...log.children]) if (!keep.has(child)) child.remove();
    for (const [entry, cached] of view.elements) if (!keep.has(cached.el)) view.elements.delete(entry);
    let cursor = log.firstElementChild;
    for (const el of els) {
      if (el === cursor) cursor = cursor.nextElementSibling;
      else log.insertBefore(el, cursor);
    }

    if (chat.loading && !chat.loaded) view.status.replaceChildren(loading('chat.view.loading'));
    else if (chat.error) {
      view.status.replaceChildren(h('div', { class: 'banner banner-error', role: 'alert' },
        h('span', { class: 'banner-text', text: t('chat.view.loadFailed', { reason: reasonText(chat.error) }) }),
        h('button', { type: 'button', class: 'link', i18n: 'common.retry', onclick: () => client.retryOpen(chat.number) })));
    } else if (chat.loaded && entries.length === 0) view.status.replaceChildren(h('p', { class: 'empty', i18n: 'chat.view.empty' }));
    else view.status.replaceChildren();

    if (view.forceScroll || atBottom) {
      log.scrollTop = log.scrollHeight;
      view.forceScroll = false;
    }
  }

  function renderEntry(view, chat, entry, lookups) {
    const read = entry.kind === 'Agent' && entry.seq != null && entry.seq <= chat.customerRead;
    const status = entry.kind !== 'Agent' ? null : entry.status === 'sent' && read ? 'read' : entry.status;
    const signature = [language(), entry.seq, status, entry.error, entry.body, entry.createdAt, entry.authorName,
      entry.attachment?.id, entry.upload ? Math.round(entry.upload.progress * 100) : '', entry.file ? 'file' : ''].join('|');
    const cached = view.elements.get(entry);
    if (cached?.signature === signature) return cached.el;

    const data = { kind: entry.kind };
    if (entry.seq != null) data.seq = String(entry.seq);
    if (entry.clientId) data.clientId = entry.clientId;
    if (status) data.status = status;
    let el;
    if (entry.kind === 'System') {
      const text = entry.eventCode === 'chat_ended'
        ? t(`chat.event.chat_ended.${entry.eventTo === 'Customer' || entry.authorKind === 'Customer' ? 'Customer' : 'Staff'}`)
        : describeEvent(entry, lookups);
      el = h('div', { class: 'msg msg-system', dataset: data },
        h('span', { class: 'body', text }),
        h('time', { datetime: entry.createdAt, title: formatTime(entry.createdAt), text: formatClock(entry.createdAt) }));
    } else {
      const mine = entry.kind === 'Agent' && entry.mine;
      el = h('article', { class: `msg ${MESSAGE_CLASS[entry.kind] ?? ''} ${status === 'pending' || status === 'uploading' ? 'pending' : ''} ${status === 'failed' ? 'failed' : ''}`, dataset: data },
        h('header', {},
          h('span', { class: 'author', text: entry.authorName || label('kind', entry.kind) }),
          entry.kind === 'InternalNote' && h('span', { class: 'kind', text: label('kind', entry.kind) }),
          h('time', { datetime: entry.createdAt, title: formatTime(entry.createdAt), text: formatClock(entry.createdAt) })),
        entry.body && h('div', { class: 'body', text: entry.body }),
        entry.attachment && renderAttachment(view, entry.attachment),
        entry.upload && status === 'uploading' && h('div', { class: 'upload-progress' },
          h('span', { text: t('chat.msg.uploading', { name: entry.upload.name, percent: Math.round(entry.upload.progress * 100) }) }),
          h('progress', { max: 100, value: Math.round(entry.upload.progress * 100) })),
        entry.kind === 'Agent' && renderReceipt(chat, entry, status, mine));
    }
    view.elements.set(entry, { el, signature });
    return el;
  }

  function renderAttachment(view, attachment) {
    const url = attachmentUrl(attachment);
    const name = String(attachment.fileName ?? '');
    if (isImage(attachment)) {
      const img = h('img', { class: 'thumb', src: url, alt: t('chat.msg.imageAlt', { name }), loading: 'lazy' });
      // A picture that grows the log keeps a reader who was at the bottom at the bottom.
      img.addEventListener('load', () => {
        const log = view.log;
        if (!view.root.hidden && log.scrollHeight - log.scrollTop - log.clientHeight < 48 + img.offsetHeight) log.scrollTop = log.scrollHeight;
      }, { once: true });
      return h('a', { class: 'attachment attachment-image', href: url, target: '_blank', rel: 'noopener noreferrer', title: name }, img);
    }
    return h('a', { class: 'attachment attachment-file', href: url, download: name, rel: 'noopener noreferrer' },
      h('span', { class: 'file-icon', 'aria-hidden': 'true', text: 'PDF' }),
      h('span', { text: t('chat.msg.download', { name, size: formatSize(attachment.size) }) }));
  }

  function renderReceipt(chat, entry, status, mine) {
    const parts = [];
    if (status === 'pending' || status === 'uploading') parts.push(h('span', { class: 'tick pending', title: t('chat.msg.pending') }, icon('clock', 12)), h('span', { class: 'tick-text', text: t('chat.msg.pending') }));
    else if (status === 'sent') parts.push(h('span', { class: 'tick sent', title: t('chat.msg.sent'), 'aria-label': t('chat.msg.sent'), text: '✓' }));
    else if (status === 'read') parts.push(h('span', { class: 'tick read', title: t('chat.msg.read'), 'aria-label': t('chat.msg.read'), text: '✓✓' }));
    else if (status === 'failed') {
      const reason = reasonText(entry.error, entry.errorDetail);
      const name = entry.upload?.name;
      parts.push(h('span', { class: 'reason', role: 'alert', text: name ? t('chat.msg.uploadFailed', { name, reason }) : t('chat.msg.failed', { reason }) }));
      if (mine && (!entry.upload || entry.file)) {
        parts.push(h('button', { type: 'button', class: 'link retry', i18n: 'chat.msg.retry', onclick: () => client.retry(chat.number, entry.clientId) }));
      }
      if (mine) parts.push(h('button', { type: 'button', class: 'link discard', i18n: 'chat.msg.discard', onclick: () => client.discard(chat.number, entry.clientId) }));
    }
    return h('footer', { class: 'receipt' }, ...parts);
  }

  function renderTyping(view, chat) {
    const text = chat.typing && !chat.ended ? t('chat.view.typing', { name: chat.typing.name || chat.customerName }) : '';
    if (view.typing.textContent !== text) view.typing.textContent = text;
    view.typing.hidden = !text;
  }

  function renderComposerState(view, chat) {
    const ended = chat.ended;
    view.input.disabled = ended;
    view.attach.disabled = ended;
    view.send.disabled = ended;
    view.input.setAttribute('aria-label', t('chat.compose.label'));
    view.input.placeholder = ended ? t('chat.compose.ended') : t('chat.compose.placeholder');
    if (document.activeElement !== view.input && view.input.value !== chat.draft) view.input.value = chat.draft;
    view.attach.title = t('chat.compose.attach');
    view.attach.setAttribute('aria-label', t('chat.compose.attach'));
    view.send.textContent = t('chat.compose.send');
    view.hint.textContent = ended ? '' : t('chat.compose.hint');
    view.composer.classList.toggle('is-disabled', ended);
  }

  // ---------- the customer card ----------

  function renderSide(view, chat, { full }) {
    const id = chat.customerId;
    if (id && !customers.has(id)) loadCustomer(id);
    const entry = id ? customers.get(id) : null;
    const signature = [language(), id, entry?.loading, entry?.error, entry?.card?.id, entry?.tickets?.length, chat.number, chat.status].join('|');
    if (!full && view.sideFor === signature) return;
    view.sideFor = signature;
    if (!id) {
      view.side.replaceChildren(h('section', { class: 'panel chat-customer' },
        h('h3', { i18n: 'chat.customer.title' }),
        chat.loading || !chat.loaded ? loading('chat.customer.loading') : h('p', { class: 'hint', i18n: 'chat.customer.none' })));
      return;
    }
    if (entry.loading && !entry.card) {
      view.side.replaceChildren(h('section', { class: 'panel chat-customer' }, h('h3', { i18n: 'chat.customer.title' }), loading('chat.customer.loading')));
      return;
    }
    if (entry.error && !entry.card) {
      view.side.replaceChildren(h('section', { class: 'panel chat-customer' },
        h('h3', { i18n: 'chat.customer.title' }),
        h('div', { class: 'banner banner-error', role: 'alert' },
          h('span', { class: 'banner-text', text: describeError(entry.error) }),
          h('button', { type: 'button', class: 'link', i18n: 'common.retry', onclick: () => { customers.delete(id); renderSide(view, chat, { full: true }); } }))));
      return;
    }
    view.side.replaceChildren(renderCard(entry.card), renderPastTickets(entry, chat));
  }

  async function loadCustomer(id) {
    const entry = { loading: true, card: null, tickets: null, error: null };
    customers.set(id, entry);
    try {
      const [card, page] = await Promise.all([
        get(`/api/customers/${encodeURIComponent(id)}`),
        get(`/api/tickets?${new URLSearchParams({ customerId: String(id), sort: 'Newest', limit: '20' })}`),
      ]);
      entry.card = card;
      entry.tickets = page.items;
    } catch (error) {
      entry.error = error;
    } finally {
      entry.loading = false;
      for (const [number, view] of views) {
        if (client.state.chats.get(number)?.customerId === id) renderSide(view, client.state.chats.get(number), { full: true });
      }
    }
  }

  function renderCard(card) {
    const fact = (key, value, cls) => value !== null && value !== undefined && value !== ''
      ? [h('dt', { i18n: key }), h('dd', { class: cls, text: value })]
      : [];
    const credit = Math.max(0, Math.min(5, Number(card.credit) || 0));
    return h('section', { class: 'panel chat-customer', dataset: { customer: String(card.id) } },
      h('h3', { i18n: 'chat.customer.title' }),
      h('div', { class: 'customer-name' },
        h('strong', { class: 'customer-display-name', text: card.name }),
        h('span', { class: `badge ${card.identified ? 'identified' : 'anonymous'}`, dataset: { identified: String(card.identified) },
          i18n: card.identified ? 'chat.customer.identified' : 'chat.customer.anonymous' }),
        card.churnRisk === 'High' && h('span', { class: 'badge churn-risk', title: card.churnReason ?? '', i18n: 'customer.churnHigh' })),
      h('a', { class: 'customer-record-link', href: `/agent/customer.html?id=${encodeURIComponent(card.id)}`, target: '_blank', rel: 'noopener', i18n: 'customer.open' }),
      h('dl', { class: 'facts' },
        ...fact('chat.customer.email', card.email, 'customer-email'),
        ...fact('chat.customer.phone', card.phone, 'customer-phone'),
        ...fact('chat.customer.mobile', card.mobile, 'customer-mobile'),
        ...fact('chat.customer.region', card.region ? label('region', card.region) : null, 'customer-region'),
        ...fact('chat.customer.tier', label('tier', card.tier), 'customer-tier'),
        h('dt', { i18n: 'chat.customer.credit' }),
        h('dd', { class: 'customer-credit', title: t('chat.customer.creditValue', { credit }) },
          h('span', { class: 'stars', 'aria-hidden': 'true', text: '★'.repeat(credit) + '☆'.repeat(5 - credit) }),
          h('span', { class: 'hint', text: ` ${t('chat.customer.creditValue', { credit })}` })),
        ...fact('chat.customer.manager', card.accountManager),
        ...fact('chat.customer.company', card.companyGroup)));
  }

  function renderPastTickets(entry, chat) {
    const tickets = entry.tickets ?? [];
    const card = entry.card;
    return h('section', { class: 'panel chat-past' },
      h('h3', {}, t('chat.customer.tickets'),
        card && h('span', { class: 'hint', text: ` · ${t('chat.customer.ticketCount', { open: card.openTickets, total: card.totalTickets })}` })),
      tickets.length
        ? h('ul', { class: 'past-tickets' }, ...tickets.map(ticket => ticket.number === chat.number && chat.status ? { ...ticket, status: chat.status } : ticket).map(ticket => h('li', {},
          h('a', { href: linkFor(null, ticket.number), class: 'past-ticket', dataset: { number: String(ticket.number) }, onclick: () => select('ticket') },
            h('span', { class: 'past-subject', text: ticket.subject, title: ticket.subject }),
            h('span', { class: 'past-meta' },
              h('span', { text: `#${ticket.number}` }),
              ticket.number === chat.number && h('span', { class: 'hint', text: `(${t('chat.customer.thisChat')})` }),
              h('span', { class: `badge status-${ticket.status}`, text: label('status', ticket.status) }),
              h('time', { datetime: ticket.createdAt, text: formatShortTime(ticket.createdAt) }))))))
        : h('p', { class: 'hint', i18n: 'chat.customer.noTickets' }));
  }

  // ---------- read marks ----------

  function maybeMarkRead() {
    if (active === 'ticket' || document.visibilityState !== 'visible' || !document.hasFocus()) return;
    client.markRead(active);
  }

  document.addEventListener('visibilitychange', maybeMarkRead);
  window.addEventListener('focus', maybeMarkRead);

  onLanguageChange(() => {
    dirty.all = true;
    for (const view of views.values()) view.sideFor = undefined;
    queue('bar');
  });

  queue('bar');
  queue('tabs');

  return {
    /** The ticket view is showing ticket n (or none): its tab is named after it. */
    setTicketNumber(number) {
      ticketNumber = number;
      queue('tabs');
    },
    showTicket() {
      if (active !== 'ticket') select('ticket');
    },
    select,
    get active() { return active; },
  };
}
