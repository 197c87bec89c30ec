// Shift handover (交班日记) for agents: generate a draft of one's open items (GET
// /api/handovers/draft), edit it, submit it (POST /api/handovers); below, the handovers of one's
// teams with "mark as read" (the next shift reads what the last one left).
import { t, language, onLanguageChange } from '/shared/i18n.js';
import { get, post, describeError } from '/shared/api.js';
import { h, loading, showBanner, clearBanners, setBusy, showFieldErrors, clearFieldErrors } from '/shared/ui.js';
import { openStaffPage } from '/shared/staff-page.js';
import { itemLine, renderHandovers } from '/agent/handover-list.js';

const pageMessages = document.getElementById('page-messages');
const listMessages = document.getElementById('list-messages');
const form = document.getElementById('handover-form');
const teamField = document.getElementById('team-field');
const generateButton = document.getElementById('handover-generate');
const submitButton = document.getElementById('handover-submit');
const draftBox = document.getElementById('draft');
const itemsTitle = document.getElementById('draft-items-title');
const itemsList = document.getElementById('draft-items');
const text = document.getElementById('handover-text');
const count = document.getElementById('handover-count');
const list = document.getElementById('handover-list');
const reloadButton = document.getElementById('handover-reload');

const state = { me: null, draft: null, handovers: null, teams: [] };

function renderTeams() {
  const select = form.elements.teamId;
  const chosen = select.value;
  select.replaceChildren(...state.teams.map(team => h('option', { value: String(team.id), text: language() === 'en' ? team.name : team.nameZh })));
  if (chosen) select.value = chosen;
  teamField.hidden = state.teams.length < 2;
}

function renderCount() {
  const max = state.draft?.maxLength ?? 4000;
  count.textContent = t('handover.count', { count: text.value.length, max });
}

function renderDraft() {
  if (!state.draft) return;
  draftBox.hidden = false;
  itemsTitle.textContent = t('handover.items', { count: state.draft.items.length });
  itemsList.replaceChildren(...(state.draft.items.length ? state.draft.items.map(itemLine) : [h('li', { class: 'hint', i18n: 'handover.noItems' })]));
  text.maxLength = state.draft.maxLength;
  renderCount();
}

async function generate() {
  clearBanners(pageMessages);
  clearFieldErrors(form);
  setBusy(generateButton, true, 'handover.generating');
  try {
    const teamId = form.elements.teamId.value;
    const draft = await get(`/api/handovers/draft?lang=${encodeURIComponent(language())}${teamId ? `&teamId=${teamId}` : ''}`);
    state.draft = draft;
    state.teams = draft.teams;
    renderTeams();
    if (draft.teamId) form.elements.teamId.value = String(draft.teamId);
    text.value = draft.text;
    renderDraft();
    text.focus();
  } catch (error) {
    showBanner(pageMessages, () => describeError(error), { actions: [{ key: 'common.retry', onClick: generate }] });
  } finally {
    setBusy(generateButton, false);
  }
}

async function submit(event) {
  event.preventDefault();
  clearBanners(pageMessages);
  clearFieldErrors(form);
  setBusy(submitButton, true, 'handover.submitting');
  try {
    const teamId = form.elements.teamId.value;
    await post('/api/handovers', { text: text.value, teamId: teamId ? Number(teamId) : null });
    state.draft = null;
    draftBox.hidden = true;
    text.value = '';
    showBanner(pageMessages, () => t('handover.submitted'), { kind: 'ok' });
    await loadList();
  } catch (error) {
    const unplaced = showFieldErrors(form, error.errors);
    if (!Object.keys(error.errors ?? {}).length || unplaced.length) showBanner(pageMessages, () => describeError(error));
  } finally {
    setBusy(submitButton, false);
  }
}

function renderList() {
  if (state.handovers === null) return;
  renderHandovers(list, state.handovers, listMessages, updated => {
    state.handovers = state.handovers.map(x => (x.id === updated.id ? updated : x));
    renderList();
  }, state.me);
}

async function loadList() {
  clearBanners(listMessages);
  if (state.handovers === null) list.replaceChildren(loading());
  setBusy(reloadButton, true, 'common.loading');
  try {
    state.handovers = await get('/api/handovers');
    renderList();
  } catch (error) {
    if (state.handovers === null) list.replaceChildren();
    showBanner(listMessages, () => describeError(error), { actions: [{ key: 'common.retry', onClick: loadList }] });
  } finally {
    setBusy(reloadButton, false);
  }
}

async function start() {
  const session = await openStaffPage(pageMessages);
  if (!session) return;
  state.me = session.id;
  generateButton.addEventListener('click', generate);
  form.addEventListener('submit', submit);
  text.addEventListener('input', renderCount);
  reloadButton.addEventListener('click', loadList);
  onLanguageChange(() => { renderTeams(); renderDraft(); renderList(); });
  // The teams come with the first draft; before that, the session's team ids and the directory name them.
  get('/api/teams').then(teams => {
    if (!state.draft) { state.teams = teams.filter(team => session.teamIds.includes(team.id)); renderTeams(); }
  }).catch(() => { /* the draft brings the teams too */ });
  await loadList();
}

start();
