// Live escalation notices (hub method Escalation) as toasts in the corner of the console, worded
// in the reader's language from the notice's codes, each with a link to the ticket. The same
// escalation can reach a person twice (as assignee and as supervisor): it is shown once.
import { t, describeReason, onLanguageChange } from '/shared/i18n.js';
import { h } from '/shared/ui.js';

const SHOWN_MS = 20000;
const MAX_TOASTS = 5;

export function createEscalationToasts({ root, linkFor }) {
  const seen = new Set();
  const live = new Set();

  function text(notice) {
    const kind = ['escalated', 'escalation_noted', 'deescalated'].includes(notice.kind) ? notice.kind : 'escalated';
    return t(`toast.${kind}`, { number: notice.ticketNumber, subject: notice.subject, level: notice.toLevel, reason: describeReason(notice.reason) })
      + (notice.detail ? ` — ${notice.detail}` : '');
  }

  function show(notice) {
    if (!notice) return;
    const key = `${notice.ticketNumber}|${notice.kind}|${notice.toLevel}|${notice.reason}|${notice.at}`;
    if (seen.has(key)) return;
    seen.add(key);
    const body = h('span', { class: 'toast-text', text: text(notice) });
    const toast = h('div', { class: 'toast', role: 'status', dataset: { kind: notice.kind, ticket: String(notice.ticketNumber), level: String(notice.toLevel) } },
      body,
      h('a', { href: linkFor(null, notice.ticketNumber), i18n: 'toast.open', onclick: () => remove() }),
      h('button', { type: 'button', class: 'banner-close', 'aria-label': t('common.dismiss'), text: '×', onclick: () => remove() }));
    const entry = { toast, render: () => { body.textContent = text(notice); } };
    live.add(entry);
    root.append(toast);
    while (root.children.length > MAX_TOASTS) root.firstElementChild.remove();
    const timer = setTimeout(() => remove(), SHOWN_MS);
    function remove() {
      clearTimeout(timer);
      live.delete(entry);
      toast.remove();
    }
  }

  onLanguageChange(() => { for (const entry of live) entry.render(); });
  return { show };
}
