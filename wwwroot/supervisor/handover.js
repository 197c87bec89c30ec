// Shift handovers for supervisors: every team's (GET /api/handovers?teamId=), newest first, with
// "mark as read". The list itself is the agents' (agent/handover-list.js).
import { t, language, onLanguageChange } from '/shared/i18n.js';
import { get, describeError } from '/shared/api.js';
import { h, loading, showBanner, clearBanners, setBusy } from '/shared/ui.js';
import { openStaffPage } from '/shared/staff-page.js';
import { renderHandovers } from '/agent/handover-list.js';

const pageMessages = document.getElementById('page-messages');
const listMessages = document.getElementById('list-messages');
const filters = document.getElementById('handover-filters');
const list = document.getElementById('handover-list');
const reloadButton = document.getElementById('handover-reload');
const state = { me: null, handovers: null, teams: [] };

function renderTeams() {
  const select = filters.elements.teamId;
  const chosen = select.value;
  select.replaceChildren(h('option', { value: '', i18n: 'reports.allTeams' }),
    ...state.teams.map(team => h('option', { value: String(team.id), text: language() === 'en' ? team.name : team.nameZh })));
  select.value = chosen;
}

function render() {
  if (state.handovers === null) return;
  renderHandovers(list, state.handovers, listMessages, updated => {
    state.handovers = state.handovers.map(x => (x.id === updated.id ? updated : x));
    render();
  }, state.me);
}

async function load() {
  clearBanners(listMessages);
  list.replaceChildren(loading());
  setBusy(reloadButton, true, 'common.loading');
  try {
    const teamId = filters.elements.teamId.value;
    state.handovers = await get(`/api/handovers${teamId ? `?teamId=${teamId}` : ''}`);
    render();
  } catch (error) {
    list.replaceChildren();
    showBanner(listMessages, () => describeError(error), { actions: [{ key: 'common.retry', onClick: load }] });
  } finally {
    setBusy(reloadButton, false);
  }
}

async function start() {
  const session = await openStaffPage(pageMessages);
  if (!session) return;
  state.me = session.id;
  if (!session.roles.some(r => r === 'Supervisor' || r === 'Admin')) {
    document.getElementById('list-panel').hidden = true;
    showBanner(pageMessages, () => t('reports.notSupervisor'), { dismissible: false });
    return;
  }
  renderTeams();
  get('/api/teams').then(teams => { state.teams = teams; renderTeams(); })
    .catch(error => showBanner(pageMessages, () => describeError(error), { kind: 'warn' }));
  filters.elements.teamId.addEventListener('change', load);
  reloadButton.addEventListener('click', load);
  filters.addEventListener('submit', event => { event.preventDefault(); load(); });
  onLanguageChange(() => { renderTeams(); render(); });
  await load();
}

start();
