// The supervisor's interventions: reassign or take over a ticket/chat, whisper to its agent, set an
// agent's status or chat capacity, acknowledge an escalation. Each call shows its progress on the
// button and its outcome (or the server's problem) above the form; the figures themselves come
// back through the next pushed snapshot.
import { t, label } from '/shared/i18n.js';
import { post, put, describeError, newClientMessageId } from '/shared/api.js';
import { h, showBanner, setBusy } from '/shared/ui.js';

export function mountInterventions({ messages }) {
  const ticketForm = document.getElementById('sup-ticket-actions');
  const agentForm = document.getElementById('sup-agent-actions');
  let agents = [];
  let teams = [];

  async function run(button, action, done) {
    setBusy(button, true, 'common.saving');
    try {
      const result = await action();
      showBanner(messages, () => done(result), { kind: 'ok' });
      return result;
    } catch (error) {
      showBanner(messages, () => describeError(error));
      return null;
    } finally {
      setBusy(button, false);
    }
  }

  function ticketNumber() {
    const value = ticketForm.elements.number.value.trim();
    return /^\d+$/.test(value) ? value : null;
  }

  function needNumber() {
    showBanner(messages, () => t('sup.act.numberRequired'));
    ticketForm.elements.number.focus();
  }

  ticketForm.addEventListener('submit', event => event.preventDefault());
  ticketForm.addEventListener('click', async event => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const number = ticketNumber();
    if (!number) { needNumber(); return; }
    const agentId = ticketForm.elements.agentId.value || null;
    const teamId = ticketForm.elements.teamId.value ? Number(ticketForm.elements.teamId.value) : null;
    switch (button.dataset.action) {
      case 'reassign':
        await run(button, () => post(`/api/supervisor/tickets/${number}/reassign`, { assigneeId: agentId, teamId }),
          () => t('sup.act.reassigned', { number }));
        break;
      case 'takeover':
        await run(button, () => post(`/api/supervisor/chats/${number}/takeover`), () => t('sup.act.tookOver', { number }));
        break;
      case 'whisper': {
        const text = ticketForm.elements.text.value;
        if (!text.trim()) { showBanner(messages, () => t('sup.act.whisperRequired')); ticketForm.elements.text.focus(); return; }
        const sent = await run(button, () => post(`/api/supervisor/tickets/${number}/whisper`, { text, clientMessageId: newClientMessageId() }),
          () => t('sup.act.whispered', { number }));
        if (sent) ticketForm.elements.text.value = '';
        break;
      }
    }
  });

  agentForm.addEventListener('submit', event => event.preventDefault());
  agentForm.addEventListener('click', async event => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const agentId = agentForm.elements.agentId.value;
    const name = agents.find(a => a.agentId === agentId)?.name ?? '';
    if (button.dataset.action === 'presence') {
      const status = agentForm.elements.status.value;
      await run(button, () => put(`/api/supervisor/agents/${agentId}/presence`, { status }),
        () => t('sup.act.presenceSet', { name, status: label('chat.presence', status) }));
    } else if (button.dataset.action === 'capacity') {
      const raw = agentForm.elements.capacity.value.trim();
      const capacity = raw === '' ? null : Number(raw);
      await run(button, () => put(`/api/supervisor/agents/${agentId}/capacity`, { capacity }),
        r => (r.capacity === null ? t('sup.act.capacityDefault', { name }) : t('sup.act.capacitySet', { name, capacity: r.capacity })));
    }
  });

  function fillSelect(select, options, { empty = null } = {}) {
    const current = select.value;
    select.replaceChildren(...(empty ? [h('option', { value: '', text: t(empty) })] : []),
      ...options.map(o => h('option', { value: o.value, text: o.text })));
    if ([...select.options].some(o => o.value === current)) select.value = current;
  }

  function update(snapshot) {
    agents = snapshot.agents;
    teams = snapshot.teams;
    const agentOptions = agents.map(a => ({ value: a.agentId, text: a.name }));
    fillSelect(ticketForm.elements.agentId, agentOptions, { empty: 'sup.act.keepAgent' });
    fillSelect(ticketForm.elements.teamId, teams.map(team => ({ value: String(team.teamId), text: document.documentElement.lang === 'en' ? team.name : team.nameZh || team.name })), { empty: 'sup.act.keepTeam' });
    fillSelect(agentForm.elements.agentId, agentOptions);
  }

  /** The "manage" button of an agent's row: picks the agent in the agent form. */
  function agentControls(agent) {
    return h('button', { type: 'button', class: 'link', i18n: 'sup.act.manage', dataset: { agent: agent.agentId },
      onclick: () => {
        agentForm.elements.agentId.value = agent.agentId;
        agentForm.elements.status.value = agent.presence;
        agentForm.elements.capacity.value = String(agent.capacity);
        agentForm.scrollIntoView({ block: 'nearest' });
        agentForm.elements.status.focus();
      } });
  }

  function acknowledgeButton(escalation) {
    const button = h('button', { type: 'button', i18n: 'sup.esc.acknowledge', dataset: { action: 'acknowledge' } });
    button.addEventListener('click', () => run(button, () => post(`/api/supervisor/tickets/${escalation.number}/escalation/acknowledge`),
      () => t('sup.esc.acknowledged', { number: escalation.number })));
    return button;
  }

  return { update, agentControls, acknowledgeButton };
}
