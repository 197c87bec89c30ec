// The script library (/api/scripts) and the forbidden phrases (/api/forbidden-phrases): list and
// filter, edit with a live preview (sample data, unknown placeholders shown inline), save as
// draft, approve, and each item's history. Everyone on staff reads; supervisors and admins write
// (the API decides; the page only hides what would be refused).
import { t, label, formatTime, translatePage, mountLanguageSwitch, onLanguageChange, language } from '/shared/i18n.js';
import { get, post, put, loadSession, redirectToSignIn, describeError, ApiError } from '/shared/api.js';
import { h, loading, showBanner, clearBanners, setBusy, showFieldErrors, clearFieldErrors } from '/shared/ui.js';
import { mountSignOut } from '/shared/sign-out.js';

const $ = id => document.getElementById(id);
const pageMessages = $('page-messages');

const state = {
  session: null,
  canWrite: false,
  meta: { kinds: [], placeholders: [], languages: ['zh-CN', 'en'], channels: [] },
  teams: [],
  scripts: null,
  phrases: null,
  editing: null,        // the script in the editor (null: a new one)
  editingPhrase: null,
  tab: 'scripts',
};

function teamName(id) {
  const team = state.teams.find(x => x.id === id);
  if (!team) return String(id);
  return language() === 'zh-CN' ? team.nameZh || team.name : team.name || team.nameZh;
}

function options(select, items, value) {
  select.replaceChildren(...items.map(([v, text]) => h('option', { value: v, text })));
  select.value = value ?? '';
}

// ---------- tabs ----------

function showTab(tab) {
  state.tab = tab;
  for (const [name, area, panel] of [['scripts', 'scripts-area', 'script-panel'], ['phrases', 'phrases-area', 'phrase-panel']]) {
    $(`tab-${name}`).setAttribute('aria-selected', String(tab === name));
    $(area).hidden = tab !== name;
    $(panel).hidden = tab !== name || !state.canWrite && (name === 'scripts' ? !state.editing : !state.editingPhrase);
  }
  if (tab === 'phrases' && !state.phrases) loadPhrases();
}

// ---------- scripts: list ----------

let listGeneration = 0;

async function loadScripts() {
  const messages = $('scripts-messages');
  const list = $('scripts-list');
  clearBanners(messages);
  if (!state.scripts) list.replaceChildren(loading('scripts.loading'));
  const query = new URLSearchParams();
  if ($('filter-kind').value) query.set('kind', $('filter-kind').value);
  if ($('filter-lang').value) query.set('lang', $('filter-lang').value);
  if ($('filter-q').value.trim()) query.set('q', $('filter-q').value.trim());
  const generation = ++listGeneration;
  try {
    const scripts = await get(`/api/scripts?${query}`);
    if (generation !== listGeneration) return;
    state.scripts = scripts;
    renderScripts();
  } catch (error) {
    if (generation !== listGeneration) return;
    if (!state.scripts) list.replaceChildren();
    showBanner(messages, () => describeError(error), { actions: [{ key: 'common.retry', onClick: loadScripts }] });
  }
}

function statusBadge(script) {
  const pending = script.status === 'Draft' && script.approvedText;
  return h('span', {
    class: `badge ${script.status === 'Approved' ? 'status-Resolved' : 'status-New'}`,
    dataset: { status: script.status },
    title: pending ? t('scripts.draftPending') : '',
    text: label('scriptStatus', script.status) + (pending ? ' *' : ''),
  });
}

function renderScripts() {
  const list = $('scripts-list');
  if (!state.scripts) return;
  if (!state.scripts.length) {
    list.replaceChildren(h('p', { class: 'empty', i18n: 'scripts.empty' }));
    return;
  }
  list.replaceChildren(h('table', { class: 'grid', id: 'scripts-table' },
    h('thead', {}, h('tr', {},
      h('th', { i18n: 'scripts.name' }), h('th', { i18n: 'scripts.kind' }), h('th', { i18n: 'scripts.language' }),
      h('th', { i18n: 'scripts.team' }), h('th', { i18n: 'scripts.channel' }), h('th', { i18n: 'scripts.status' }),
      h('th', { i18n: 'scripts.text' }), h('th', { class: 'actions', i18n: 'admin.actions' }))),
    h('tbody', {}, ...state.scripts.map(s => h('tr', {
      dataset: { scriptId: String(s.id), name: s.name }, class: state.editing?.id === s.id ? 'is-selected' : '',
    },
      h('td', { text: s.name }),
      h('td', { text: label('scriptKind', s.kind) }),
      h('td', { text: s.language }),
      h('td', { text: s.teamId ? teamName(s.teamId) : t('scripts.anyTeam') }),
      h('td', { text: s.channel ? label('channel', s.channel) : t('scripts.anyChannel') }),
      h('td', {}, statusBadge(s)),
      h('td', { class: 'script-text-cell', text: s.text.length > 60 ? s.text.slice(0, 60) + '…' : s.text, title: s.text }),
      h('td', { class: 'actions' },
        h('button', { type: 'button', i18n: state.canWrite ? 'admin.doEdit' : 'scripts.history', dataset: { action: 'edit' }, onclick: () => editScript(s) })))))));
}

// ---------- scripts: editor ----------

const form = $('script-form');
const textArea = $('script-text');
const preview = $('script-preview');

function fillEditorChoices() {
  options($('script-kind'), state.meta.kinds.map(k => [k, label('scriptKind', k)]), form.kind.value || 'Canned');
  options($('script-language'), state.meta.languages.map(l => [l, t(`lang.${l}`)]), form.language.value || language());
  options($('script-team'), [['', t('scripts.anyTeam')], ...state.teams.map(x => [String(x.id), teamName(x.id)])], form.teamId.value);
  options($('script-channel'), [['', t('scripts.anyChannel')], ...state.meta.channels.map(c => [c, label('channel', c)])], form.channel.value);
  $('placeholder-list').replaceChildren(...state.meta.placeholders.map(p => h('button', {
    type: 'button', text: `{${p}}`, disabled: !state.canWrite, onclick: () => insertPlaceholder(p),
  })));
}

function renderEditorHead() {
  $('script-form-title').textContent = state.editing ? t('scripts.edit', { id: state.editing.id }) : t('scripts.new');
  const inUse = $('script-in-use');
  const s = state.editing;
  inUse.hidden = !(s && s.approvedText && s.approvedText !== s.text);
  inUse.textContent = inUse.hidden ? '' : `${t('scripts.inUse')} ${s.approvedText}`;
  $('script-approve').hidden = !state.canWrite || !s || (s.status === 'Approved' && s.approvedText === s.text);
}

function startNewScript() {
  state.editing = null;
  form.reset();
  clearFieldErrors(form);
  clearBanners($('script-messages'));
  fillEditorChoices();
  form.language.value = language();
  renderEditorHead();
  $('script-history').replaceChildren();
  $('script-panel').hidden = !state.canWrite;
  renderPreview();
  renderScripts();
}

function editScript(script) {
  state.editing = script;
  clearFieldErrors(form);
  clearBanners($('script-messages'));
  fillEditorChoices();
  form.kind.value = script.kind;
  form.name.value = script.name;
  form.language.value = script.language;
  form.teamId.value = script.teamId ? String(script.teamId) : '';
  form.channel.value = script.channel ?? '';
  textArea.value = script.text;
  renderEditorHead();
  $('script-panel').hidden = false;
  renderPreview();
  loadHistory(`/api/scripts/${script.id}/history`, $('script-history'), renderScriptRevision);
  renderScripts();
  form.name.focus();
}

function insertPlaceholder(name) {
  const start = textArea.selectionStart ?? textArea.value.length;
  const end = textArea.selectionEnd ?? start;
  const token = `{${name}}`;
  textArea.value = textArea.value.slice(0, start) + token + textArea.value.slice(end);
  textArea.focus();
  textArea.setSelectionRange(start + token.length, start + token.length);
  schedulePreview();
}

let previewTimer = null;
let previewGeneration = 0;

function schedulePreview() {
  clearTimeout(previewTimer);
  previewTimer = setTimeout(renderPreview, 300);
}

/** The text as customers would read it, with sample data; an unknown placeholder is named inline. */
async function renderPreview() {
  const text = textArea.value;
  const generation = ++previewGeneration;
  preview.classList.remove('is-invalid');
  if (!text.trim()) { preview.textContent = ''; return; }
  preview.dataset.state = 'loading';
  preview.replaceChildren(h('span', { class: 'hint', text: t('scripts.previewing') }));
  try {
    const result = await post('/api/scripts/preview', { text, language: form.language.value });
    if (generation !== previewGeneration) return;
    preview.dataset.state = 'ok';
    preview.textContent = result.text;
    clearFieldErrors(form);
  } catch (error) {
    if (generation !== previewGeneration) return;
    preview.dataset.state = 'invalid';
    preview.classList.add('is-invalid');
    const unknown = error?.problem?.unknownPlaceholders;
    if (unknown?.length) {
      const say = () => t('scripts.unknownPlaceholder', { names: unknown.map(n => `{${n}}`).join(', ') });
      preview.textContent = say();
      showFieldErrors(form, { text: say });
    } else {
      preview.textContent = describeError(error);
    }
  }
}

function scriptBody() {
  return {
    kind: form.kind.value,
    name: form.name.value.trim(),
    language: form.language.value,
    teamId: form.teamId.value ? Number(form.teamId.value) : null,
    channel: form.channel.value || null,
    text: textArea.value,
    expectedVersion: state.editing?.version,
  };
}

async function saveScript(event) {
  event.preventDefault();
  const messages = $('script-messages');
  clearBanners(messages);
  clearFieldErrors(form);
  const body = scriptBody();
  const local = {};
  if (!body.name) local.name = () => t('admin.required');
  if (!body.text.trim()) local.text = () => t('admin.required');
  if (Object.keys(local).length) { showFieldErrors(form, local); form.querySelector('[aria-invalid="true"]')?.focus(); return; }
  const button = $('script-save');
  setBusy(button, true, 'common.saving');
  try {
    const saved = state.editing ? await put(`/api/scripts/${state.editing.id}`, body) : await post('/api/scripts', body);
    setBusy(button, false);
    await loadScripts();
    editScript(saved);
    showBanner(messages, () => t('scripts.saved'), { kind: 'ok' });
  } catch (error) {
    setBusy(button, false);
    scriptRefused(error, messages);
  }
}

async function approveScript() {
  const messages = $('script-messages');
  clearBanners(messages);
  const button = $('script-approve');
  setBusy(button, true, 'scripts.approving');
  try {
    const approved = await post(`/api/scripts/${state.editing.id}/approve`, { expectedVersion: state.editing.version });
    setBusy(button, false);
    await loadScripts();
    editScript(approved);
    showBanner(messages, () => t('scripts.approved'), { kind: 'ok' });
  } catch (error) {
    setBusy(button, false);
    scriptRefused(error, messages);
  }
}

function scriptRefused(error, messages) {
  if (error instanceof ApiError && error.status === 400 && Object.keys(error.errors).length) {
    const rest = showFieldErrors(form, error.errors);
    showBanner(messages, () => (rest.length ? rest.join(' ') : t('error.validation')));
    form.querySelector('[aria-invalid="true"]')?.focus();
  } else {
    showBanner(messages, () => describeError(error), {
      actions: error?.isStale ? [{ key: 'common.reload', onClick: reloadEditing }] : [],
    });
  }
}

async function reloadEditing() {
  if (!state.editing) return;
  try {
    editScript(await get(`/api/scripts/${state.editing.id}`));
  } catch (error) {
    showBanner($('script-messages'), () => describeError(error));
  }
}

// ---------- history (both kinds) ----------

async function loadHistory(path, container, render) {
  container.replaceChildren(loading());
  try {
    const revisions = await get(path);
    container.replaceChildren(...(revisions.length ? revisions.map(render) : [h('p', { class: 'empty', i18n: 'scripts.historyEmpty' })]));
  } catch (error) {
    container.replaceChildren();
    showBanner(container, () => describeError(error), { actions: [{ key: 'common.retry', onClick: () => loadHistory(path, container, render) }] });
  }
}

function revisionHead(r) {
  return h('div', { class: 'revision-head' },
    h('strong', { text: label('scripts.action', r.action) }), ' · v', String(r.version), ' · ', r.byName, ' · ', formatTime(r.at),
    r.changes ? h('span', { class: 'hint', text: ` (${r.changes})` }) : null);
}

function renderScriptRevision(r) {
  return h('div', { class: 'revision', dataset: { action: r.action, version: String(r.version) } },
    revisionHead(r),
    (r.oldStatus || r.newStatus) && h('div', { class: 'hint', text: `${r.oldStatus ? label('scriptStatus', r.oldStatus) + ' → ' : ''}${label('scriptStatus', r.newStatus)}` }),
    (r.oldText !== r.newText) && h('div', { class: 'diff' },
      h('div', { class: 'old', title: t('scripts.old'), text: r.oldText ?? '—' }),
      h('div', { class: 'new', title: t('scripts.new2'), text: r.newText ?? '—' })));
}

function renderPhraseRevision(r) {
  return h('div', { class: 'revision', dataset: { action: r.action, version: String(r.version) } },
    revisionHead(r),
    (r.oldPhrase !== r.newPhrase) && h('div', { class: 'diff' }, h('div', { text: r.oldPhrase ?? '—' }), h('div', { text: r.newPhrase ?? '—' })),
    (r.oldSuggestion !== r.newSuggestion) && h('div', { class: 'diff' }, h('div', { text: r.oldSuggestion ?? '—' }), h('div', { text: r.newSuggestion ?? '—' })));
}

// ---------- forbidden phrases ----------

const phraseForm = $('phrase-form');

async function loadPhrases() {
  const messages = $('phrases-messages');
  const list = $('phrases-list');
  clearBanners(messages);
  if (!state.phrases) list.replaceChildren(loading('phrases.loading'));
  try {
    state.phrases = await get('/api/forbidden-phrases');
    if (!state.scripts) await loadScripts();
    renderPhrases();
  } catch (error) {
    if (!state.phrases) list.replaceChildren();
    showBanner(messages, () => describeError(error), { actions: [{ key: 'common.retry', onClick: loadPhrases }] });
  }
}

function scriptName(id) {
  const script = state.scripts?.find(s => s.id === id);
  return script ? `${script.name} (${script.language})` : `#${id}`;
}

function renderPhrases() {
  const list = $('phrases-list');
  if (!state.phrases) return;
  if (!state.phrases.length) { list.replaceChildren(h('p', { class: 'empty', i18n: 'phrases.empty' })); return; }
  list.replaceChildren(h('table', { class: 'grid', id: 'phrases-table' },
    h('thead', {}, h('tr', {},
      h('th', { i18n: 'phrases.phrase' }), h('th', { i18n: 'scripts.language' }), h('th', { i18n: 'phrases.suggestion' }),
      h('th', { i18n: 'scripts.status' }), h('th', { class: 'actions', i18n: 'admin.actions' }))),
    h('tbody', {}, ...state.phrases.map(p => h('tr', { dataset: { phraseId: String(p.id), phrase: p.phrase }, class: p.isActive ? '' : 'is-disabled' },
      h('td', { text: p.phrase }),
      h('td', { text: p.language }),
      h('td', { text: p.suggestion ?? (p.suggestedScriptId ? scriptName(p.suggestedScriptId) : '—') }),
      h('td', {}, h('span', { class: `badge ${p.isActive ? 'status-Resolved' : 'status-Archived'}`, text: t(p.isActive ? 'phrases.active' : 'phrases.inactive') })),
      h('td', { class: 'actions' },
        h('button', { type: 'button', i18n: state.canWrite ? 'admin.doEdit' : 'scripts.history', onclick: () => editPhrase(p) })))))));
}

function fillPhraseChoices() {
  options($('phrase-language'), state.meta.languages.map(l => [l, t(`lang.${l}`)]), phraseForm.language.value || language());
  options($('phrase-script'), [['', t('phrases.noScript')], ...(state.scripts ?? []).filter(s => s.approvedText).map(s => [String(s.id), `${s.name} (${s.language})`])],
    phraseForm.suggestedScriptId.value);
}

function startNewPhrase() {
  state.editingPhrase = null;
  phraseForm.reset();
  clearFieldErrors(phraseForm);
  clearBanners($('phrase-messages'));
  fillPhraseChoices();
  phraseForm.language.value = language();
  $('phrase-form-title').textContent = t('phrases.new');
  $('phrase-history').replaceChildren();
  $('phrase-panel').hidden = !state.canWrite;
}

function editPhrase(p) {
  state.editingPhrase = p;
  clearFieldErrors(phraseForm);
  clearBanners($('phrase-messages'));
  fillPhraseChoices();
  phraseForm.phrase.value = p.phrase;
  phraseForm.language.value = p.language;
  phraseForm.suggestion.value = p.suggestion ?? '';
  phraseForm.suggestedScriptId.value = p.suggestedScriptId ? String(p.suggestedScriptId) : '';
  phraseForm.isActive.checked = p.isActive;
  $('phrase-form-title').textContent = t('phrases.edit', { id: p.id });
  $('phrase-panel').hidden = false;
  loadHistory(`/api/forbidden-phrases/${p.id}/history`, $('phrase-history'), renderPhraseRevision);
  phraseForm.phrase.focus();
}

async function savePhrase(event) {
  event.preventDefault();
  const messages = $('phrase-messages');
  clearBanners(messages);
  clearFieldErrors(phraseForm);
  const body = {
    phrase: phraseForm.phrase.value.trim(),
    language: phraseForm.language.value,
    suggestion: phraseForm.suggestion.value.trim() || null,
    suggestedScriptId: phraseForm.suggestedScriptId.value ? Number(phraseForm.suggestedScriptId.value) : null,
    isActive: phraseForm.isActive.checked,
    expectedVersion: state.editingPhrase?.version,
  };
  if (!body.phrase) { showFieldErrors(phraseForm, { phrase: () => t('admin.required') }); phraseForm.phrase.focus(); return; }
  const button = $('phrase-save');
  setBusy(button, true, 'common.saving');
  try {
    const saved = state.editingPhrase ? await put(`/api/forbidden-phrases/${state.editingPhrase.id}`, body) : await post('/api/forbidden-phrases', body);
    setBusy(button, false);
    state.phrases = null;
    await loadPhrases();
    editPhrase(saved);
    showBanner(messages, () => t('phrases.saved'), { kind: 'ok' });
  } catch (error) {
    setBusy(button, false);
    if (error instanceof ApiError && error.status === 400 && Object.keys(error.errors).length) {
      const rest = showFieldErrors(phraseForm, error.errors);
      showBanner(messages, () => (rest.length ? rest.join(' ') : t('error.validation')));
    } else {
      showBanner(messages, () => describeError(error));
    }
  }
}

// ---------- start ----------

async function start() {
  translatePage();
  mountLanguageSwitch($('lang-switch'));
  mountSignOut($('sign-out'), pageMessages);
  $('scripts-list').replaceChildren(loading('scripts.loading'));
  try {
    state.session = await loadSession();
  } catch (error) {
    $('scripts-list').replaceChildren();
    showBanner(pageMessages, () => describeError(error), { actions: [{ key: 'common.reload', onClick: () => location.reload() }] });
    return;
  }
  if (!state.session?.signedIn) { redirectToSignIn(); return; }
  const roles = state.session.roles ?? [];
  state.canWrite = roles.includes('Supervisor') || roles.includes('Admin');
  $('staff-link').hidden = !roles.includes('Admin');
  const who = $('who');
  const renderWho = () => { who.textContent = t('common.signedInAs', { name: state.session.displayName }); };
  renderWho();
  if (!state.canWrite) showBanner(pageMessages, () => t('scripts.readOnly'), { kind: 'info', dismissible: false });
  for (const el of [$('new-script'), $('new-phrase'), $('script-save'), $('phrase-save')]) el.hidden = !state.canWrite;

  try {
    [state.meta, state.teams] = await Promise.all([get('/api/scripts/meta'), get('/api/teams')]);
  } catch (error) {
    showBanner(pageMessages, () => describeError(error), { actions: [{ key: 'common.reload', onClick: () => location.reload() }] });
  }
  const fillFilters = () => {
    options($('filter-kind'), [['', t('scripts.allKinds')], ...state.meta.kinds.map(k => [k, label('scriptKind', k)])], $('filter-kind').value);
    options($('filter-lang'), [['', t('scripts.allLanguages')], ...state.meta.languages.map(l => [l, t(`lang.${l}`)])], $('filter-lang').value);
    $('filter-kind').setAttribute('aria-label', t('scripts.kind'));
    $('filter-lang').setAttribute('aria-label', t('scripts.language'));
  };
  fillFilters();
  let searchTimer = null;
  $('filter-kind').addEventListener('change', loadScripts);
  $('filter-lang').addEventListener('change', loadScripts);
  $('filter-q').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(loadScripts, 300); });
  $('new-script').addEventListener('click', startNewScript);
  $('new-phrase').addEventListener('click', startNewPhrase);
  $('script-cancel').addEventListener('click', startNewScript);
  $('phrase-cancel').addEventListener('click', startNewPhrase);
  $('script-approve').addEventListener('click', approveScript);
  form.addEventListener('submit', saveScript);
  phraseForm.addEventListener('submit', savePhrase);
  textArea.addEventListener('input', schedulePreview);
  form.language.addEventListener('change', schedulePreview);
  $('tab-scripts').addEventListener('click', () => showTab('scripts'));
  $('tab-phrases').addEventListener('click', () => showTab('phrases'));
  for (const [tab, other] of [['tab-scripts', 'tab-phrases'], ['tab-phrases', 'tab-scripts']]) {
    $(tab).addEventListener('keydown', event => {
      if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') { $(other).focus(); $(other).click(); }
    });
  }
  onLanguageChange(() => {
    renderWho(); fillFilters(); renderScripts(); renderPhrases(); fillEditorChoices(); renderEditorHead(); fillPhraseChoices();
    if (state.editing) loadHistory(`/api/scripts/${state.editing.id}/history`, $('script-history'), renderScriptRevision);
  });
  startNewScript();
  if (location.hash === '#phrases') showTab('phrases');
  await loadScripts();
}

start();
