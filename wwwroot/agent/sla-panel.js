// The SLA side panel of a ticket (GET /api/tickets/{number}/sla): a live countdown per target,
// the escalation badge with its level and reasons, and the supervisor's "clear escalation".
// Countdowns tick in the browser against the server's clock (the answer carries serverTime; the
// difference to this machine's clock is kept), and the panel reads the server again when a
// deadline passes, when the console hears of the ticket, and after every write in the view.
import { get, post, describeError } from '/shared/api.js';
import { t, language, formatTime, parseTime, describeReason, onLanguageChange } from '/shared/i18n.js';
import { h, showBanner, clearBanners, setBusy } from '/shared/ui.js';

const TARGET_ORDER = ['FirstResponse', 'NextResponse', 'Resolution'];
// After a deadline passes locally, the server's timer has a moment to act before we look again.
const RECHECK_AFTER_DUE_MS = 1500;

export function createSlaPanel({ session, onCleared }) {
  const state = {
    number: null,
    data: null,
    offset: 0,          // server clock minus this clock, in ms
    loading: false,
    error: null,
    clearing: false,
    note: '',
    generation: 0,
    recheckFor: null,   // the due time a re-read was already asked for
  };
  const root = h('section', { class: 'panel sla-panel', id: 'ticket-sla', 'aria-live': 'polite' });
  const banners = h('div', { class: 'sla-messages' });
  const canClear = (session?.roles ?? []).some(role => role === 'Supervisor' || role === 'Admin');
  let timer = null;

  const serverNow = () => Date.now() + state.offset;

  async function load(number) {
    if (number !== state.number) {
      state.data = null;
      state.note = '';
      state.recheckFor = null;
    }
    state.number = number;
    stopTicking();
    if (number === null) { render(); return; }
    const generation = ++state.generation;
    state.loading = true;
    state.error = null;
    render();
    const sentAt = Date.now();
    try {
      const data = await get(`/api/tickets/${encodeURIComponent(number)}/sla`);
      if (generation !== state.generation) return;
      accept(data, sentAt);
    } catch (error) {
      if (generation !== state.generation) return;
      state.error = error;
    } finally {
      if (generation === state.generation) {
        state.loading = false;
        render();
        startTicking();
      }
    }
  }

  /** Keeps the answer and the clock difference (the server answered somewhere between sending and now). */
  function accept(data, sentAt) {
    const receivedAt = Date.now();
    const server = parseTime(data.serverTime)?.getTime();
    if (Number.isFinite(server)) state.offset = server - (sentAt + receivedAt) / 2;
    state.data = data;
  }

  const refresh = () => (state.number === null ? Promise.resolve() : load(state.number));

  async function clearEscalation(button) {
    if (state.clearing || !state.data) return;
    state.clearing = true;
    clearBanners(banners);
    setBusy(button, true, 'sla.clear.working');
    const sentAt = Date.now();
    try {
      const data = await post(`/api/tickets/${encodeURIComponent(state.number)}/escalation/clear`, { note: state.note.trim() || null });
      accept(data, sentAt);
      state.note = '';
      state.clearing = false;
      render();
      showBanner(banners, () => t('sla.clear.done'), { kind: 'ok' });
      onCleared?.();
    } catch (error) {
      state.clearing = false;
      render();
      showBanner(banners, () => describeError(error));
    }
  }

  // ---------- ticking ----------

  function startTicking() {
    stopTicking();
    if (!state.data) return;
    timer = setInterval(tick, 1000);
  }

  function stopTicking() {
    clearInterval(timer);
    timer = null;
  }

  function tick() {
    if (!root.isConnected) return;
    for (const el of root.querySelectorAll('[data-countdown]')) {
      const target = state.data?.targets.find(x => x.target === el.dataset.countdown);
      if (target) fillClock(el.closest('.sla-target'), target);
    }
    // A running deadline passed here: the server's timer acts about now; read what it did.
    const due = nextPassedDue();
    if (due && state.recheckFor !== due && !state.loading) {
      state.recheckFor = due;
      setTimeout(refresh, RECHECK_AFTER_DUE_MS);
    }
  }

  function nextPassedDue() {
    const now = serverNow();
    for (const target of state.data?.targets ?? []) {
      if (target.state !== 'Running') continue;
      for (const at of [target.warningAt, target.dueAt]) {
        const time = parseTime(at)?.getTime();
        if (Number.isFinite(time) && time <= now && !(target.warningReached && at === target.warningAt)) return `${target.target}:${at}`;
      }
    }
    return null;
  }

  // ---------- rendering ----------

  function render() {
    if (state.number === null) { root.replaceChildren(); return; }
    const head = h('div', { class: 'sla-head' },
      h('h3', { i18n: 'sla.title' }),
      state.loading && h('span', { class: 'spinner', role: 'status', 'aria-label': t('sla.loading') }),
      h('button', { type: 'button', class: 'link', id: 'sla-reload', i18n: 'common.reload', onclick: refresh }));
    if (!state.data) {
      fill(head, banners,
        state.loading ? h('p', { class: 'hint', i18n: 'sla.loading' }) : null,
        state.error ? h('div', { class: 'banner banner-error', role: 'alert' },
          h('span', { class: 'banner-text', text: t('sla.failed', { reason: describeError(state.error) }) }),
          h('button', { type: 'button', class: 'link', i18n: 'common.retry', onclick: refresh })) : null);
      return;
    }
    const d = state.data;
    const policy = language() === 'zh-CN' && d.policyNameZh ? d.policyNameZh : d.policyName;
    const targets = [...d.targets].sort((a, b) => TARGET_ORDER.indexOf(a.target) - TARGET_ORDER.indexOf(b.target));
    fill(
      head,
      banners,
      state.error && h('p', { class: 'hint error', text: t('sla.failed', { reason: describeError(state.error) }) }),
      escalationBadge(d.escalation),
      h('p', { class: 'hint sla-policy', text: t('sla.policy', { name: policy || d.policyKey }) }),
      targets.length
        ? h('ul', { class: 'sla-targets' }, ...targets.map(renderTarget))
        : h('p', { class: 'hint', i18n: 'sla.none' }),
      canClear && d.escalation.level > 0 && renderClear());
  }

  /** replaceChildren would print a skipped (null or false) part as text. */
  function fill(...parts) {
    root.replaceChildren(...parts.filter(part => part !== null && part !== undefined && part !== false));
  }

  function escalationBadge(e) {
    if (!e || e.level === 0) {
      return h('p', { class: 'sla-escalation' },
        h('span', { class: 'badge escalation-0', id: 'escalation-badge', dataset: { level: '0' }, i18n: 'sla.escalation.none' }));
    }
    const text = e.level === 1 ? t('sla.escalation.warned') : t('sla.escalation.level', { level: e.level });
    return h('div', { class: 'sla-escalation' },
      h('span', { class: `badge escalation-${Math.min(e.level, 3)}`, id: 'escalation-badge', dataset: { level: String(e.level) }, text }),
      e.since && h('span', { class: 'hint', text: ` ${t('sla.escalation.since', { time: formatTime(e.since) })}` }),
      e.reasons?.length > 0 && h('p', { class: 'hint', id: 'escalation-reasons',
        text: t('sla.escalation.reasons', { reasons: e.reasons.map(describeReason).join(language() === 'zh-CN' ? '、' : '; ') }) }));
  }

  function renderTarget(target) {
    const li = h('li', { class: 'sla-target', dataset: { target: target.target } },
      h('span', { class: 'sla-name', text: t(`sla.target.${target.target}`) }),
      h('span', { class: 'badge sla-state', dataset: { role: 'state' } }),
      h('span', { class: 'sla-clock', dataset: { countdown: target.target } }),
      h('span', { class: 'hint sla-due' }));
    fillClock(li, target);
    return li;
  }

  /** The state badge and the clock text of one target, as of now on the server's clock. */
  function fillClock(li, target) {
    if (!li) return;
    const now = serverNow();
    const due = parseTime(target.dueAt)?.getTime();
    const warning = parseTime(target.warningAt)?.getTime();
    let shown = target.state;
    let clock;
    if (target.state === 'Running' && Number.isFinite(due)) {
      if (due <= now) {
        shown = 'Breached';
        clock = t('sla.overdue', { time: duration(now - due) });
      } else {
        if (target.warningReached || (Number.isFinite(warning) && warning <= now)) shown = 'DueSoon';
        clock = t('sla.left', { time: duration(due - now) });
      }
    } else if (target.state === 'Breached' && target.stoppedAt == null && Number.isFinite(due)) {
      clock = t('sla.overdue', { time: duration(now - due) });
    } else if (target.state === 'Paused') {
      clock = t('sla.pausedLeft', { time: duration(target.remainingSeconds * 1000) });
    } else if (target.state === 'Met') {
      clock = t('sla.metIn', { time: duration(target.takenSeconds * 1000) });
    } else {
      clock = t('sla.breachedIn', { time: duration(target.takenSeconds * 1000) });
    }
    li.dataset.state = shown;
    const badge = li.querySelector('.sla-state');
    badge.className = `badge sla-state sla-${shown}`;
    badge.textContent = t(`sla.state.${shown}`);
    li.querySelector('.sla-clock').textContent = clock;
    li.querySelector('.sla-due').textContent = target.dueAt && !target.stoppedAt
      ? `${t('sla.dueAt', { time: formatTime(target.dueAt) })} · ${t(`sla.mode.${target.mode}`)}`
      : t(`sla.mode.${target.mode}`);
  }

  function renderClear() {
    const button = h('button', { type: 'button', id: 'escalation-clear', class: 'primary', i18n: 'sla.clear.do', disabled: state.clearing,
      onclick: () => clearEscalation(button) });
    const note = h('input', { type: 'text', id: 'escalation-note', maxlength: 500, value: state.note,
      placeholder: t('sla.clear.notePlaceholder'), 'aria-label': t('sla.clear.note'), oninput: e => { state.note = e.target.value; } });
    return h('div', { class: 'action-block sla-clear' },
      h('h4', { i18n: 'sla.clear.title' }),
      h('div', { class: 'action-row' }, note, button));
  }

  onLanguageChange(() => render());

  return {
    element: root,
    load,
    refresh,
    get number() { return state.number; },
  };
}

/** 1:02:03, 4:05, or 2 d 03:04:05 for long ones. */
export function duration(ms) {
  let seconds = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(seconds / 86400);
  seconds -= days * 86400;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const secs = seconds % 60;
  const pad = n => String(n).padStart(2, '0');
  const clock = hours > 0 || days > 0 ? `${hours}:${pad(minutes)}:${pad(secs)}` : `${minutes}:${pad(secs)}`;
  return days > 0 ? `${days} d ${clock}` : clock;
}
