// The supervisor's live dashboard: one snapshot from /api/supervisor/dashboard for the first paint,
// then every new snapshot the server pushes over /hubs/supervisor (computed once for all
// supervisors). Waits count up locally between pushes from the server's clock.
import { t, label, onLanguageChange, formatShortTime } from '/shared/i18n.js';
import { get, describeError } from '/shared/api.js';
import { h, showBanner, clearBanners } from '/shared/ui.js';
import { openStaffPage } from '/shared/staff-page.js';
import { mountInterventions } from './interventions.js';

const pageMessages = document.getElementById('page-messages');
const main = document.getElementById('dashboard');
const status = document.getElementById('sup-status');

const state = { snapshot: null, clockOffset: 0, connection: 'connecting', interventions: null };

/** "42 s" / "3 min 05 s" / "1 h 02 min", in the page's language. */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) return t('common.none');
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t('sup.dur.s', { s });
  if (s < 3600) return t('sup.dur.ms', { m: Math.floor(s / 60), s: String(s % 60).padStart(2, '0') });
  return t('sup.dur.hm', { h: Math.floor(s / 3600), m: String(Math.floor(s / 60) % 60).padStart(2, '0') });
}

const percent = value => (value === null || value === undefined ? t('common.none') : `${(value * 100).toFixed(1)}%`);
const serverNow = () => Date.now() + state.clockOffset;

function cell(text, attrs = {}) {
  return h('td', attrs, text);
}

function teamName(team) {
  return document.documentElement.lang === 'en' ? team.name : (team.nameZh || team.name);
}

function longestWait(team) {
  if (!team.oldestWaitingSince) return t('common.none');
  return formatDuration((serverNow() - Date.parse(team.oldestWaitingSince)) / 1000);
}

function renderTeams(snapshot) {
  const body = document.querySelector('#sup-teams tbody');
  body.replaceChildren(...snapshot.teams.map(team => h('tr', { dataset: { teamKey: team.key, teamId: String(team.teamId) } },
    h('th', { scope: 'row', text: teamName(team) }),
    cell(String(team.waitingChats), { class: 'num waiting', dataset: { field: 'waiting' } }),
    cell(longestWait(team), { class: 'num longest-wait', dataset: { field: 'longestWait' } }),
    cell(String(team.openByStatus.New ?? 0), { class: 'num' }),
    cell(String(team.openByStatus.Assigned ?? 0), { class: 'num' }),
    cell(String(team.openByStatus.WaitingOnCustomer ?? 0), { class: 'num' }),
    cell(String(team.slaAtRisk), { class: `num ${team.slaAtRisk ? 'sup-warn' : ''}`, dataset: { field: 'atRisk' } }),
    cell(String(team.slaBreached), { class: `num ${team.slaBreached ? 'sup-bad' : ''}`, dataset: { field: 'breached' } }))));
  const total = snapshot.teams.reduce((sum, team) => sum + team.waitingChats, 0);
  document.getElementById('sup-teams').dataset.totalWaiting = String(total);
}

function renderAgents(snapshot) {
  const body = document.querySelector('#sup-agents tbody');
  body.replaceChildren(...snapshot.agents.map(agent => h('tr', { dataset: { agentId: agent.agentId } },
    h('th', { scope: 'row', text: agent.name }),
    cell(label('chat.presence', agent.presence), { class: `sup-presence sup-${agent.presence.toLowerCase()}`, dataset: { field: 'presence' } }),
    cell(`${agent.currentChats} / ${agent.capacity}`, { class: 'num', dataset: { field: 'chats' } }),
    cell(String(agent.handledToday), { class: 'num', dataset: { field: 'handled' } }),
    cell(formatDuration(agent.averageFirstResponseSeconds), { class: 'num' }),
    h('td', { class: 'sup-agent-actions' }, state.interventions?.agentControls(agent) ?? null))));
}

function card(titleKey, value, attrs = {}, ...rest) {
  return h('div', { class: 'sup-card', ...attrs }, h('h3', { i18n: titleKey }), h('p', { class: 'sup-figure', text: value }), ...rest);
}

function renderToday(snapshot) {
  const day = snapshot.day;
  const list = entries => h('ul', { class: 'sup-breakdown' }, ...entries.map(([text, value]) => h('li', {}, h('span', { text }), h('b', { text: String(value) }))));
  const responses = day.firstResponse.length === 0
    ? h('p', { class: 'muted', i18n: 'sup.today.noResponses' })
    : list(day.firstResponse.map(r => [label('channel', r.channel),
        t('sup.today.p50p90', { p50: formatDuration(r.firstResponse.p50Seconds), p90: formatDuration(r.firstResponse.p90Seconds) })]));
  const csat = day.csat;
  const csatClass = csat.meetsTarget === false ? 'sup-bad' : csat.meetsTarget ? 'sup-good' : '';
  document.getElementById('sup-today').replaceChildren(
    card('sup.today.created', String(day.created), { dataset: { field: 'created' } },
      list(Object.entries(day.byChannel).filter(([, n]) => n > 0).map(([c, n]) => [label('channel', c), n])),
      list(Object.entries(day.byType).map(([k, n]) => [label('type', k), n]))),
    card('sup.today.firstResponse', '', {}, responses),
    card('sup.today.resolution', percent(day.resolutionRate), { dataset: { field: 'resolution' } },
      h('p', { class: 'muted', text: t('sup.today.resolvedOf', { resolved: day.resolved, created: day.created }) })),
    card('sup.today.csat', percent(csat.csat), { class: `sup-card ${csatClass}`, dataset: { field: 'csat' } },
      h('p', { class: 'muted', text: t('sup.today.csatTarget', { target: percent(day.csatTarget), answered: csat.answered }) })),
    card('sup.today.complaints', String(day.complaints), { dataset: { field: 'complaints' } }),
    card('sup.today.escalations', String(day.escalations), { dataset: { field: 'escalations' } },
      h('p', { class: 'muted', text: t('sup.today.escalatedNow', { n: day.escalatedNow }) })));
}

function renderEscalations(snapshot) {
  const body = document.querySelector('#sup-escalations tbody');
  if (snapshot.escalations.length === 0) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: '4', class: 'muted', i18n: 'sup.esc.none' })));
    return;
  }
  body.replaceChildren(...snapshot.escalations.map(e => h('tr', { dataset: { ticket: String(e.number) } },
    h('td', {}, h('a', { href: `/agent/#view=open&ticket=${e.number}`, text: `#${e.number} ${e.subject}` })),
    cell(String(e.level), { class: 'num' }),
    cell(e.since ? formatShortTime(e.since) : t('common.none')),
    h('td', {}, e.acknowledgedAt
      ? t('sup.esc.acknowledgedBy', { name: e.acknowledgedBy ?? '', time: formatShortTime(e.acknowledgedAt) })
      : state.interventions?.acknowledgeButton(e) ?? ''))));
}

function renderStatus() {
  const snapshot = state.snapshot;
  const key = `sup.conn.${state.connection}`;
  status.dataset.connection = state.connection;
  status.textContent = snapshot
    ? t('sup.status', { connection: t(key), time: formatShortTime(snapshot.serverTime) })
    : t(key);
}

function render() {
  const snapshot = state.snapshot;
  renderStatus();
  if (!snapshot) return;
  renderTeams(snapshot);
  renderAgents(snapshot);
  renderToday(snapshot);
  renderEscalations(snapshot);
  main.setAttribute('aria-busy', 'false');
  main.dataset.sequence = String(snapshot.sequence);
}

function accept(snapshot) {
  // Pushes and the first GET may cross: the newest computation wins. Sequences count per node, so
  // the computation time decides first (behind a backplane another node's push may arrive).
  const current = state.snapshot;
  if (current) {
    const [at, seen] = [Date.parse(snapshot.serverTime), Date.parse(current.serverTime)];
    if (at < seen || (at === seen && snapshot.sequence <= current.sequence)) return;
  }
  state.snapshot = snapshot;
  state.clockOffset = Date.parse(snapshot.serverTime) - Date.now();
  state.interventions?.update(snapshot);
  render();
}

function connect() {
  const hub = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/supervisor')
    .withAutomaticReconnect()
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  hub.on('Snapshot', accept);
  const set = value => { state.connection = value; renderStatus(); };
  hub.onreconnecting(() => set('reconnecting'));
  hub.onreconnected(async () => {
    set('live');
    try { accept(await hub.invoke('Current')); } catch (error) { console.warn(error); }
  });
  hub.onclose(() => {
    set('offline');
    setTimeout(start, 5000);
  });
  async function start() {
    set('connecting');
    try {
      await hub.start();
      set('live');
    } catch (error) {
      set('offline');
      showBanner(pageMessages, () => t('sup.conn.failed', { reason: describeError(error) }), { actions: [{ key: 'common.reload', onClick: () => location.reload() }] });
      setTimeout(start, 5000);
    }
  }
  return start();
}

async function boot() {
  renderStatus();
  const session = await openStaffPage(pageMessages, { onFail: () => main.setAttribute('aria-busy', 'false') });
  if (!session) return;
  if (!session.roles.some(r => r === 'Supervisor' || r === 'Admin')) {
    main.setAttribute('aria-busy', 'false');
    showBanner(pageMessages, () => t('sup.forbidden'), { dismissible: false });
    return;
  }
  state.interventions = mountInterventions({ messages: document.getElementById('sup-act-messages') });
  try {
    accept(await get('/api/supervisor/dashboard'));
    clearBanners(pageMessages);
  } catch (error) {
    showBanner(pageMessages, () => describeError(error), { actions: [{ key: 'common.reload', onClick: () => location.reload() }] });
  }
  onLanguageChange(render);
  // The longest waits grow by themselves; only their cells change.
  setInterval(() => {
    if (!state.snapshot) return;
    for (const team of state.snapshot.teams) {
      const el = document.querySelector(`#sup-teams tr[data-team-id="${team.teamId}"] .longest-wait`);
      if (el) el.textContent = longestWait(team);
    }
  }, 1000);
  await connect();
}

boot();
