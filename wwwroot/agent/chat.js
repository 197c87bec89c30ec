// The console's side of /hubs/chat (Chat/ChatHub.cs): one SignalR connection, the agent's presence,
// offers, the open conversations and an outbox. It holds state and talks to the server; the panel
// (chat-panel.js) draws it and calls the actions below. Delivery follows design §3.2: every message
// gets a client id, stays pending until the server's ChatAck, is resent with the same id after a
// reconnect (the server deduplicates), and what was missed is merged by sequence, once.
import { newClientMessageId, upload, loadSession, redirectToSignIn, ApiError } from '/shared/api.js';
import { parseTime } from '/shared/i18n.js';

export const PRESENCES = ['Online', 'Away', 'Offline'];

// The browser client's own retries after a drop; when they run out the connection is closed for
// good (a server restart can take longer) and our restart loop takes over, with backoff. Never at
// once and never all consoles together: an instant retry reaches a server that is just stopping.
const RECONNECT_DELAYS = [1000, 2000, 4000, 8000, 15_000];
const jitter = ms => Math.round(ms * (0.8 + Math.random() * 0.4));
const RESTART_MAX_DELAY = 30_000;
const TYPING_REPEAT = 3000;   // a "still typing" notice at most this often
const TYPING_IDLE = 4000;     // silence after which we say we stopped
const CUSTOMER_TYPING_SHOWN = 7000;
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** "[code] reason" from a HubException; null for transport trouble and unexpected server errors. */
export function refusalOf(error) {
  const match = /\[([a-z_]+)\]\s*([\s\S]*)$/.exec(String(error?.message ?? ''));
  return match ? { code: match[1], reason: match[2].trim() } : null;
}

export function isImage(attachment) {
  return IMAGE_TYPES.includes(attachment?.contentType);
}

export function createChatClient({ session, hubUrl = '/hubs/chat', signalR = globalThis.signalR, storage = globalThis.localStorage }) {
  const presenceKey = `helpdesk.chat.presence.${session.id}`;
  const outboxKey = `helpdesk.chat.outbox.${session.id}`;
  const listeners = new Set();

  const state = {
    connection: 'connecting', // connecting | connected | reconnecting | waiting | offline
    retryAt: null,
    presence: readStored(presenceKey, 'Offline', value => PRESENCES.includes(value)),
    presenceError: null,
    presenceBusy: false,
    serverOffset: 0,          // the server's clock minus ours, in ms (for offer countdowns)
    offers: new Map(),        // ticket number → offer
    chats: new Map(),         // ticket number → chat, in tab order
  };
  let outbox = readStored(outboxKey, [], Array.isArray).filter(item => item?.id && item.ticket && typeof item.text === 'string');
  let localOrder = 0;

  function readStored(key, fallback, valid) {
    try {
      const raw = storage?.getItem(key);
      if (raw === null || raw === undefined) return fallback;
      const value = raw.startsWith('[') || raw.startsWith('{') ? JSON.parse(raw) : raw;
      return valid(value) ? value : fallback;
    } catch {
      return fallback;
    }
  }

  function store(key, value) {
    try {
      if (value === null || (Array.isArray(value) && value.length === 0)) storage?.removeItem(key);
      else storage?.setItem(key, typeof value === 'string' ? value : JSON.stringify(value));
    } catch { /* storage full or blocked: the outbox then lasts as long as the page */ }
  }

  /** listener(what, ticketNumber?) with what = connection | presence | offers | tabs | chat | notice | escalation. */
  function onChange(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  function emit(what, number = null, detail = null) {
    for (const listener of listeners) {
      try { listener(what, number, detail); } catch (error) { console.error(error); }
    }
  }

  // ---------- the connection ----------

  const hub = new signalR.HubConnectionBuilder()
    .withUrl(hubUrl)
    .withAutomaticReconnect({
      nextRetryDelayInMilliseconds: context =>
        context.previousRetryCount < RECONNECT_DELAYS.length ? jitter(RECONNECT_DELAYS[context.previousRetryCount]) : null,
    })
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  const connected = () => hub.state === signalR.HubConnectionState.Connected;
  let restartTimer = null;
  let restartAttempts = 0;
  let stopped = false;
  let generation = 0; // bumped on each (re)connect; work of an older one stops

  function setConnection(value, retryAt = null) {
    state.connection = value;
    state.retryAt = retryAt;
    emit('connection');
  }

  async function start() {
    clearTimeout(restartTimer);
    restartTimer = null;
    if (stopped || hub.state !== signalR.HubConnectionState.Disconnected) return;
    setConnection(restartAttempts === 0 && state.connection === 'connecting' ? 'connecting' : 'reconnecting');
    try {
      await hub.start();
    } catch (error) {
      if (error?.statusCode === 401 || /\b401\b/.test(String(error?.message))) {
        // Signed out meanwhile (or the cookie expired): the sign-in page, then back here.
        const current = await loadSession({ refresh: true }).catch(() => null);
        if (current && !current.signedIn) { redirectToSignIn(); return; }
      }
      scheduleRestart();
      return;
    }
    await onConnected();
  }

  function scheduleRestart() {
    if (stopped) return;
    clearTimeout(restartTimer);
    const base = Math.min(RESTART_MAX_DELAY, 1000 * 2 ** Math.min(restartAttempts, 5));
    const delay = jitter(base);
    restartAttempts++;
    setConnection(navigator.onLine === false ? 'offline' : 'waiting', Date.now() + delay);
    restartTimer = setTimeout(start, delay);
  }

  /** Try now instead of waiting out the backoff (the "retry now" button, the network coming back). */
  function retryNow() {
    if (hub.state === signalR.HubConnectionState.Disconnected) start();
  }

  hub.onreconnecting(() => setConnection('reconnecting'));
  hub.onreconnected(() => onConnected());
  hub.onclose(() => scheduleRestart());
  // The browser knows at once when the network is gone; the socket would only notice after the
  // server timeout (30 s), sending into the void meanwhile. Close it, keep typing into the
  // outbox, and connect again the moment the network is back.
  window.addEventListener('offline', () => {
    if (hub.state === signalR.HubConnectionState.Disconnected) setConnection('offline', state.retryAt);
    else hub.stop().catch(() => {});
  });
  window.addEventListener('online', retryNow);

  /**
   * After every (re)connect, whatever the server lost with the old connection: presence (the
   * last console gone made the agent offline), the open chats (the live group of each tab; what
   * was missed), the offers, then the outbox with the same ids.
   */
  async function onConnected() {
    const mine = ++generation;
    restartAttempts = 0;
    setConnection('connected');
    try {
      await applyPresence();
      if (mine !== generation) return;
      const active = await refreshActive({ reconnect: true });
      if (mine !== generation) return;
      await flush();
      if (mine !== generation) return;
      for (const number of [...state.chats.keys()]) {
        if (mine !== generation) return;
        const chat = state.chats.get(number);
        if (!chat) continue;
        const held = active?.chats.some(c => c.ticketNumber === number);
        await openChat(chat, { reconnect: true, held });
      }
    } catch (error) {
      // A connection that dropped mid-way is retried by the reconnect; anything else is shown.
      if (refusalOf(error)) console.warn('Chat: restoring after connect failed', error);
    }
  }

  // ---------- presence ----------

  async function applyPresence() {
    if (!connected()) return;
    state.presenceBusy = true;
    emit('presence');
    try {
      await hub.invoke('SetPresence', state.presence);
      state.presenceError = null;
    } catch (error) {
      state.presenceError = refusalOf(error)?.code ?? 'network';
    } finally {
      state.presenceBusy = false;
      emit('presence');
    }
  }

  /** The agent's choice: remembered in this browser and re-applied after every reconnect. */
  function setPresence(status) {
    if (!PRESENCES.includes(status)) return Promise.resolve();
    state.presence = status;
    state.presenceError = null;
    store(presenceKey, status);
    emit('presence');
    return applyPresence();
  }

  // ---------- offers ----------

  function serverNow() {
    return Date.now() + state.serverOffset;
  }

  function addOffer(notice, { chime = true } = {}) {
    const expiresAt = parseTime(notice.expiresAt)?.getTime() ?? serverNow();
    const known = state.offers.get(notice.ticketNumber);
    state.offers.set(notice.ticketNumber, {
      ticketNumber: notice.ticketNumber,
      subject: notice.subject,
      customerName: notice.customerName,
      expiresAt,
      busy: known?.busy ?? null,
      error: null,
    });
    emit('offers', notice.ticketNumber, { added: !known, chime: chime && !known });
  }

  function removeOffer(number) {
    if (state.offers.delete(number)) emit('offers', number);
  }

  /** Milliseconds left on an offer, by the server's clock. */
  function offerRemaining(offer) {
    return offer.expiresAt - serverNow();
  }

  async function accept(number) {
    const offer = state.offers.get(number);
    if (offer) { offer.busy = 'accept'; offer.error = null; emit('offers', number); }
    try {
      const started = await hub.invoke('Accept', number);
      removeOffer(number);
      const chat = ensureChat(number, { subject: offer?.subject, customerName: offer?.customerName, status: started?.status });
      emit('tabs', number, { select: true });
      if (!chat.loaded && !chat.loading) await openChat(chat);
      await refreshActive();
      return chat;
    } catch (error) {
      if (offer && state.offers.has(number)) {
        offer.busy = null;
        offer.error = refusalOf(error)?.code ?? 'network';
        emit('offers', number);
      }
      // Taken by somebody else or gone: the card has nothing left to offer.
      if (['taken', 'not_found', 'no_offer'].includes(refusalOf(error)?.code)) setTimeout(() => removeOffer(number), 4000);
      throw error;
    }
  }

  async function decline(number) {
    const offer = state.offers.get(number);
    if (offer) { offer.busy = 'decline'; emit('offers', number); }
    try {
      await hub.invoke('Decline', number);
      removeOffer(number);
    } catch (error) {
      if (refusalOf(error)) { removeOffer(number); return; } // no offer any more: nothing to decline
      if (offer) { offer.busy = null; offer.error = 'network'; emit('offers', number); }
      throw error;
    }
  }

  // ---------- conversations ----------

  function ensureChat(number, meta = {}) {
    let chat = state.chats.get(number);
    if (!chat) {
      chat = {
        number,
        subject: meta.subject ?? '',
        customerName: meta.customerName ?? '',
        customerId: meta.customerId ?? null,
        status: meta.status ?? null,
        ended: false,
        endedBy: null,
        loaded: false,
        loading: false,
        error: null,
        entries: [],
        bySeq: new Map(),
        byClient: new Map(),
        lastSeq: 0,
        customerRead: 0,
        staffRead: 0,
        typing: null,
        typingTimer: null,
        draft: '',
        fetchingGap: false,
      };
      updateMeta(chat, meta);
      state.chats.set(number, chat);
      // Our own messages still waiting for this chat (a reload) show as pending again.
      for (const item of outbox) if (item.ticket === number && !chat.byClient.has(item.id)) addPending(chat, item);
      emit('tabs', number);
    } else {
      updateMeta(chat, meta);
    }
    return chat;
  }

  function updateMeta(chat, meta) {
    if (meta.subject) chat.subject = meta.subject;
    if (meta.customerName) chat.customerName = meta.customerName;
    if (meta.customerId !== undefined && meta.customerId !== null) chat.customerId = meta.customerId;
    if (meta.status) chat.status = meta.status;
    if (meta.customerRead > chat.customerRead) chat.customerRead = meta.customerRead;
    if (meta.staffRead > chat.staffRead) chat.staffRead = meta.staffRead;
  }

  /**
   * ActiveChats: the chats this agent holds and the offers waiting for them, with the server's
   * clock. On a reconnect it also restores tabs (a reload) and drops tabs of chats handed away meanwhile.
   */
  async function refreshActive({ reconnect = false } = {}) {
    if (!connected()) return null;
    const before = Date.now();
    const active = await hub.invoke('ActiveChats');
    const server = parseTime(active.serverTime)?.getTime();
    if (server) state.serverOffset = server - Math.round((before + Date.now()) / 2);
    for (const c of active.chats) {
      const chat = ensureChat(c.ticketNumber, {
        subject: c.subject, customerName: c.customerName, customerId: c.customerId, status: c.status,
        customerRead: c.customerReadSequence, staffRead: c.staffReadSequence,
      });
      emit('chat', chat.number);
    }
    const offered = new Set(active.offers.map(o => o.ticketNumber));
    for (const number of [...state.offers.keys()]) {
      if (!offered.has(number) && !state.offers.get(number).busy) removeOffer(number);
    }
    for (const offer of active.offers) {
      if (!state.chats.has(offer.ticketNumber)) addOffer(offer, { chime: reconnect && !state.offers.has(offer.ticketNumber) });
    }
    emit('offers');
    return active;
  }

  /** Open: joins the chat's live group and returns its timeline, merged by sequence. */
  async function openChat(chat, { reconnect = false, held = true } = {}) {
    if (!connected()) return;
    chat.loading = true;
    chat.error = null;
    emit('chat', chat.number);
    try {
      const timeline = await hub.invoke('Open', chat.number);
      if (!state.chats.has(chat.number)) return;
      for (const m of timeline) merge(chat, m);
      chat.loaded = true;
      // Handed to someone else while we were away (and not simply ended): the tab goes.
      if (reconnect && !held && !chat.ended) {
        dropChat(chat.number, 'transferredAway');
        return;
      }
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal?.code === 'not_found' && reconnect) {
        dropChat(chat.number, 'transferredAway');
        return;
      }
      chat.error = refusal?.code ?? 'network';
    } finally {
      chat.loading = false;
      if (state.chats.has(chat.number)) emit('chat', chat.number);
    }
  }

  function retryOpen(number) {
    const chat = state.chats.get(number);
    if (chat) openChat(chat);
  }

  /** Removes a tab; the server stops sending its live messages to this connection. */
  function dropChat(number, reason = null) {
    const chat = state.chats.get(number);
    if (!chat) return;
    clearTimeout(chat.typingTimer);
    state.chats.delete(number);
    if (connected()) hub.invoke('Close', number).catch(() => { /* the group goes with the connection anyway */ });
    emit('tabs', number, { removed: true });
    if (reason) emit('notice', number, { reason, customerName: chat.customerName });
  }

  // ---------- the timeline ----------

  function sortKey(entry) {
    return entry.seq ?? entry.order;
  }

  function sorted(chat) {
    return [...chat.entries].sort((a, b) => sortKey(a) - sortKey(b) || a.local - b.local);
  }

  function addEntry(chat, entry) {
    entry.local = ++localOrder;
    chat.entries.push(entry);
    if (entry.seq != null) chat.bySeq.set(entry.seq, entry);
    if (entry.clientId) chat.byClient.set(entry.clientId, entry);
    return entry;
  }

  function removeEntry(chat, entry) {
    chat.entries = chat.entries.filter(e => e !== entry);
    if (entry.seq != null && chat.bySeq.get(entry.seq) === entry) chat.bySeq.delete(entry.seq);
    if (entry.clientId && chat.byClient.get(entry.clientId) === entry) chat.byClient.delete(entry.clientId);
  }

  function addPending(chat, item) {
    // Waiting messages stay at the bottom until the server gives them their place.
    return addEntry(chat, {
      kind: 'Agent', mine: true, clientId: item.id, body: item.text, authorName: session.displayName,
      createdAt: new Date(item.at ?? Date.now()).toISOString(), status: 'pending', order: Number.MAX_SAFE_INTEGER,
    });
  }

  function setSequence(chat, entry, seq) {
    if (entry.seq === seq) return;
    const other = chat.bySeq.get(seq);
    if (other && other !== entry) removeEntry(chat, other); // the same message reached us twice: keep ours
    entry.seq = seq;
    chat.bySeq.set(seq, entry);
    if (seq > chat.lastSeq) chat.lastSeq = seq;
  }

  /** Merges one stored message (a push, Open, History or an upload's answer); true if it was new. */
  function merge(chat, m) {
    if (!m || m.ticketNumber !== chat.number) return false;
    const known = chat.bySeq.get(m.sequence);
    if (known) {
      if (known.status === 'pending' || known.status === 'uploading') known.status = 'sent';
      return false;
    }
    const mine = m.clientMessageId ? chat.byClient.get(m.clientMessageId) : null;
    if (mine?.mine && m.kind === 'Agent') {
      setSequence(chat, mine, m.sequence);
      Object.assign(mine, { body: m.body, createdAt: m.createdAt, attachment: m.attachment ?? mine.attachment, authorName: m.authorName, upload: null });
      if (mine.status !== 'failed') mine.status = 'sent';
      dropFromOutbox(m.clientMessageId);
    } else {
      addEntry(chat, {
        seq: m.sequence, kind: m.kind, body: m.body, authorKind: m.authorKind, authorName: m.authorName,
        createdAt: m.createdAt, clientId: m.clientMessageId, eventCode: m.eventCode, eventFrom: m.eventFrom, eventTo: m.eventTo, eventReason: m.eventReason,
        attachment: m.attachment, status: m.kind === 'Agent' ? 'sent' : null,
      });
      if (m.sequence > chat.lastSeq) chat.lastSeq = m.sequence;
    }
    if (m.kind === 'Customer') clearTyping(chat);
    if (m.kind === 'System' && m.eventCode === 'chat_ended') {
      chat.ended = true;
      chat.endedBy = m.eventTo || m.authorKind;
    }
    return true;
  }

  function entries(number) {
    const chat = state.chats.get(number);
    return chat ? sorted(chat) : [];
  }

  /** Customer messages after what this agent has marked read. */
  function unread(chat) {
    let count = 0;
    for (const e of chat.entries) if (e.kind === 'Customer' && e.seq > chat.staffRead) count++;
    return count;
  }

  function totalUnread() {
    let total = 0;
    for (const chat of state.chats.values()) total += unread(chat);
    return total;
  }

  /** Tells the customer (and our unread counts) that everything shown has been read. */
  function markRead(number) {
    const chat = state.chats.get(number);
    if (!chat || chat.lastSeq <= chat.staffRead) return;
    const top = chat.lastSeq;
    const hadUnread = unread(chat) > 0;
    chat.staffRead = top;
    if (hadUnread) emit('chat', number);
    if (connected()) hub.invoke('MarkRead', number, top).catch(() => { /* sent again with the next read */ });
  }

  // ---------- sending ----------

  function saveOutbox() {
    store(outboxKey, outbox);
  }

  function dropFromOutbox(id) {
    const before = outbox.length;
    outbox = outbox.filter(item => item.id !== id);
    if (outbox.length !== before) saveOutbox();
  }

  function send(number, text) {
    const chat = state.chats.get(number);
    const body = String(text ?? '').trim();
    if (!chat || !body) return false;
    stopTyping(number);
    const item = { id: newClientMessageId(), ticket: number, text: body, at: Date.now() };
    outbox.push(item);
    saveOutbox();
    addPending(chat, item);
    emit('chat', number, { scroll: true });
    flush();
    return true;
  }

  /** A refused message, sent again: back to the end of the line, same id (it was never stored). */
  function retry(number, clientId) {
    const chat = state.chats.get(number);
    const entry = chat?.byClient.get(clientId);
    if (!entry || entry.status !== 'failed') return;
    if (entry.file) { removeEntry(chat, entry); sendFile(number, entry.file); return; }
    entry.status = 'pending';
    entry.error = null;
    entry.order = Number.MAX_SAFE_INTEGER;
    entry.local = ++localOrder;
    outbox.push({ id: clientId, ticket: number, text: entry.body, at: Date.now() });
    saveOutbox();
    emit('chat', number, { scroll: true });
    flush();
  }

  function discard(number, clientId) {
    const chat = state.chats.get(number);
    const entry = chat?.byClient.get(clientId);
    if (!entry || entry.seq != null) return;
    removeEntry(chat, entry);
    dropFromOutbox(clientId);
    emit('chat', number);
  }

  let flushing = null;
  let flushAgain = false;
  let flushRetryTimer = null;
  let flushRetryDelay = 1000;

  /** Sends the outbox in order, one at a time; transport trouble keeps the rest for later. */
  function flush() {
    if (flushing) { flushAgain = true; return flushing; }
    const run = (async () => {
      await null; // always asynchronous, so `flushing` is set before the run can finish
      try {
        do {
          flushAgain = false;
          while (outbox.length && connected()) {
            const item = outbox[0];
            try {
              const ack = await hub.invoke('Send', { ticketNumber: item.ticket, clientMessageId: item.id, text: item.text });
              dropFromOutbox(item.id);
              acknowledged(item, ack);
              flushRetryDelay = 1000;
            } catch (error) {
              const refusal = refusalOf(error);
              if (!refusal) {
                scheduleFlushRetry();
                return;
              }
              dropFromOutbox(item.id);
              refused(item, refusal.code);
            }
          }
        } while (flushAgain);
      } finally {
        if (flushing === run) flushing = null;
      }
    })();
    flushing = run;
    return run;
  }

  function scheduleFlushRetry() {
    if (flushRetryTimer) return;
    flushRetryTimer = setTimeout(() => {
      flushRetryTimer = null;
      if (connected()) flush();
    }, flushRetryDelay);
    flushRetryDelay = Math.min(flushRetryDelay * 2, 15_000);
  }

  function acknowledged(item, ack) {
    const chat = state.chats.get(item.ticket);
    const entry = chat?.byClient.get(item.id);
    if (!entry) return;
    setSequence(chat, entry, ack.sequence);
    entry.createdAt = ack.createdAt;
    if (entry.status !== 'failed') entry.status = 'sent';
    emit('chat', chat.number);
  }

  function refused(item, code) {
    const chat = state.chats.get(item.ticket);
    const entry = chat?.byClient.get(item.id);
    if (!entry) return;
    entry.status = 'failed';
    entry.error = code;
    entry.order = chat.lastSeq + 0.5; // stays after the message it followed
    if (code === 'chat_ended') chat.ended = true;
    emit('chat', chat.number);
  }

  // ---------- files ----------

  /** Pre-checks what the server will check anyway, so a 30 MB video is not uploaded to be refused. */
  function checkFile(file) {
    if (!file || file.size === 0) return 'empty';
    if (file.size > MAX_UPLOAD_BYTES) return 'too_large';
    if (file.type && ![...IMAGE_TYPES, 'application/pdf'].includes(file.type)) return 'unsupported_type';
    return null;
  }

  /** POST /api/tickets/{n}/attachments; progress and refusals show on the message itself. */
  async function sendFile(number, file) {
    const chat = state.chats.get(number);
    if (!chat || !file) return;
    const entry = addEntry(chat, {
      kind: 'Agent', mine: true, clientId: newClientMessageId(), body: '', authorName: session.displayName,
      createdAt: new Date().toISOString(), status: 'uploading', order: Number.MAX_SAFE_INTEGER,
      upload: { name: file.name, progress: 0 }, file,
    });
    emit('chat', number, { scroll: true });
    const early = checkFile(file);
    if (early) {
      fileFailed(chat, entry, early, null);
      return;
    }
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('clientMessageId', entry.clientId);
    try {
      const result = await upload(`/api/tickets/${encodeURIComponent(number)}/attachments`, form, {
        onProgress: fraction => {
          entry.upload = { name: file.name, progress: fraction };
          emit('chat', number);
        },
      });
      entry.file = null;
      merge(chat, result.message);
      entry.upload = null;
      emit('chat', number);
    } catch (error) {
      const code = error instanceof ApiError ? (error.code ?? (error.status === 0 ? 'network' : null)) : 'network';
      fileFailed(chat, entry, code, error);
    }
  }

  function fileFailed(chat, entry, code, error) {
    entry.status = 'failed';
    entry.error = code ?? 'other';
    // The server's own words where we have no translation of the code.
    entry.errorDetail = error instanceof ApiError ? (Object.values(error.errors ?? {}).flat().join(' ') || error.detail) : null;
    if (!['network', 'other'].includes(entry.error) && !(error instanceof ApiError && error.status >= 500)) entry.file = null;
    entry.order = chat.lastSeq + 0.5;
    emit('chat', chat.number);
  }

  // ---------- typing ----------

  const typingSent = new Map(); // ticket → { at, timer }

  function typing(number) {
    const chat = state.chats.get(number);
    if (!chat || chat.ended || !connected()) return;
    const now = Date.now();
    const mark = typingSent.get(number) ?? { at: 0, timer: null };
    if (now - mark.at > TYPING_REPEAT) {
      mark.at = now;
      hub.invoke('Typing', number, true).catch(() => {});
    }
    clearTimeout(mark.timer);
    mark.timer = setTimeout(() => stopTyping(number), TYPING_IDLE);
    typingSent.set(number, mark);
  }

  function stopTyping(number) {
    const mark = typingSent.get(number);
    if (!mark) return;
    clearTimeout(mark.timer);
    typingSent.delete(number);
    if (connected()) hub.invoke('Typing', number, false).catch(() => {});
  }

  function clearTyping(chat) {
    clearTimeout(chat.typingTimer);
    chat.typing = null;
  }

  // ---------- transfer and ending ----------

  async function transfer(number, agentId, teamId) {
    await hub.invoke('Transfer', number, agentId || null, teamId == null || teamId === '' ? null : Number(teamId));
  }

  async function endChat(number) {
    await hub.invoke('EndChat', number);
  }

  /** Sends the approved closing question in the agent's name, then ends the chat. */
  async function endChatWithClosing(number) {
    await hub.invoke('EndChatWithClosing', number);
  }

  function closeTab(number) {
    dropChat(number);
  }

  // ---------- what the server pushes ----------

  hub.on('Message', m => {
    const chat = state.chats.get(m.ticketNumber);
    if (!chat) return;
    const before = chat.lastSeq;
    const fresh = merge(chat, m);
    emit('chat', chat.number, { message: fresh ? m : null });
    // A push we never got (it raced our Open, or the group was rejoined late): ask for the rest.
    if (chat.loaded && m.sequence > before + 1) catchUp(chat, before);
  });

  async function catchUp(chat, after) {
    if (chat.fetchingGap || !connected()) return;
    chat.fetchingGap = true;
    try {
      const missed = await hub.invoke('History', chat.number, after);
      for (const m of missed) merge(chat, m);
      emit('chat', chat.number);
    } catch { /* the next reconnect re-opens the chat */ } finally {
      chat.fetchingGap = false;
    }
  }

  hub.on('Typing', notice => {
    const chat = state.chats.get(notice.ticketNumber);
    if (!chat || notice.side !== 'Customer') return;
    clearTimeout(chat.typingTimer);
    chat.typing = notice.isTyping ? { name: notice.name } : null;
    if (notice.isTyping) {
      chat.typingTimer = setTimeout(() => { chat.typing = null; emit('chat', chat.number); }, CUSTOMER_TYPING_SHOWN);
    }
    emit('chat', chat.number);
  });

  hub.on('Read', notice => {
    const chat = state.chats.get(notice.ticketNumber);
    if (!chat) return;
    if (notice.side === 'Customer' && notice.sequence > chat.customerRead) chat.customerRead = notice.sequence;
    if (notice.side === 'Staff' && notice.sequence > chat.staffRead) chat.staffRead = notice.sequence; // read in another console
    emit('chat', chat.number);
  });

  hub.on('Offer', notice => addOffer(notice));
  hub.on('OfferWithdrawn', number => removeOffer(number));

  hub.on('ChatAssigned', async notice => {
    if (notice.agentId && session.id && String(notice.agentId).toLowerCase() !== String(session.id).toLowerCase()) return;
    removeOffer(notice.ticketNumber);
    const isNew = !state.chats.has(notice.ticketNumber);
    const chat = ensureChat(notice.ticketNumber, { subject: notice.subject, customerName: notice.customerName, status: 'Assigned' });
    if (isNew) emit('tabs', chat.number, { assigned: true });
    if (!chat.loaded && !chat.loading) await openChat(chat);
    await refreshActive().catch(() => {});
  });

  hub.on('ChatUnassigned', number => {
    if (state.chats.has(number)) dropChat(number, 'transferredAway');
  });

  hub.on('ChatEnded', notice => {
    const chat = state.chats.get(notice.ticketNumber);
    if (!chat) return;
    chat.ended = true;
    chat.endedBy = notice.by;
    clearTyping(chat);
    emit('chat', chat.number);
  });

  hub.on('TicketStatus', notice => {
    const chat = state.chats.get(notice.ticketNumber);
    if (!chat) return;
    chat.status = notice.status;
    emit('chat', chat.number);
  });

  // The agent's own presence changed in another console of theirs: this one follows. Teammates'
  // presence and customers' queue places are not shown in the console (yet).
  hub.on('Presence', notice => {
    if (String(notice.agentId).toLowerCase() !== String(session.id).toLowerCase() || state.presenceBusy) return;
    if (!PRESENCES.includes(notice.status) || notice.status === state.presence) return;
    state.presence = notice.status;
    store(presenceKey, notice.status);
    emit('presence');
  });
  // Escalations of tickets this person is told about (assignee, supervisors, admins, or anyone with the chat open).
  hub.on('Escalation', notice => emit('escalation', notice.ticketNumber, notice));
  hub.on('Queue', () => {});
  hub.on('AgentJoined', () => {});

  return {
    state,
    onChange,
    start,
    retryNow,
    stop: async () => { stopped = true; clearTimeout(restartTimer); await hub.stop(); },
    setPresence,
    accept,
    decline,
    dismissOffer: removeOffer,
    offerRemaining,
    entries,
    unread,
    totalUnread,
    markRead,
    send,
    retry,
    discard,
    sendFile,
    typing,
    stopTyping,
    transfer,
    endChat,
    endChatWithClosing,
    closeTab,
    retryOpen,
    get outbox() { return outbox.slice(); },
    get hubState() { return hub.state; },
  };
}
