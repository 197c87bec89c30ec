// The list of submitted shift handovers (交班日记), shared by the agent's handover page and the
// supervisors' one: who handed over to which team, the shift, the text as written, the items as
// they were at submission, who has read it, and a "mark as read" button.
import { t, label, language, formatTime, formatShortTime } from '/shared/i18n.js';
import { post, describeError } from '/shared/api.js';
import { h, setBusy, showBanner } from '/shared/ui.js';

export function itemLine(item) {
  return h('li', { dataset: { number: String(item.ticketNumber), kind: item.kind } },
    h('span', { class: 'badge', text: t(`handover.kind.${item.kind}`) }),
    h('a', { href: `/agent/#view=mine&ticket=${item.ticketNumber}`, text: `#${item.ticketNumber}` }),
    h('span', { text: item.subject }),
    h('span', { class: 'badge', text: label('status', item.status) }),
    item.priority === 'High' || item.priority === 'Urgent' ? h('span', { class: 'badge', text: label('priority', item.priority) }) : null,
    item.dueAt ? h('span', { class: 'hint', text: t('handover.due', { time: formatShortTime(item.dueAt) }) }) : null,
    item.escalationLevel > 0 ? h('span', { class: `badge escalation-${Math.min(item.escalationLevel, 3)}`, text: t('handover.escalated', { level: item.escalationLevel }) }) : null,
    item.note ? h('span', { class: 'hint', text: item.note }) : null);
}

/**
 * Renders handovers into container; onChange(updated) is called after a "read" was recorded.
 * The author's own handovers have no "mark as read" (me: the signed-in staff id).
 */
export function renderHandovers(container, handovers, messages, onChange, me = null) {
  if (!handovers.length) {
    container.replaceChildren(h('p', { class: 'hint', i18n: 'handover.listEmpty' }));
    return;
  }
  container.replaceChildren(h('ul', { class: 'handover-list' }, ...handovers.map(handover => {
    const team = language() === 'en' ? handover.teamName : handover.teamNameZh;
    const own = me !== null && handover.authorId === me;
    const readButton = own ? null : handover.readByMe
      ? h('span', { class: 'badge sla-Met', i18n: 'handover.read' })
      : h('button', { type: 'button', class: 'mark-read', i18n: 'handover.markRead' });
    if (readButton && !handover.readByMe) {
      readButton.addEventListener('click', async () => {
        setBusy(readButton, true);
        try {
          onChange(await post(`/api/handovers/${handover.id}/read`));
        } catch (error) {
          setBusy(readButton, false);
          showBanner(messages, () => describeError(error));
        }
      });
    }
    return h('li', { class: 'handover-entry', dataset: { id: String(handover.id), read: String(handover.readByMe) } },
      h('div', { class: 'handover-head' },
        h('strong', { text: t('handover.by', { author: handover.authorName, team }) }),
        h('span', { class: 'hint', text: t('handover.shift', { start: formatShortTime(handover.shiftStart), end: formatShortTime(handover.shiftEnd) }) }),
        h('span', { class: 'hint', text: formatTime(handover.submittedAt) }),
        readButton),
      h('pre', { class: 'handover-text', text: handover.text }),
      handover.items.length ? h('details', {}, h('summary', { text: t('handover.items', { count: handover.items.length }) }),
        h('ul', { class: 'handover-items' }, ...handover.items.map(itemLine))) : null,
      h('div', { class: 'hint read-by', text: handover.readBy.length ? t('handover.readBy', { names: handover.readBy.map(r => r.name).join('、') }) : t('handover.unread') }));
  })));
}
