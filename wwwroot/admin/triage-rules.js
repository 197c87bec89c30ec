// Triage rules (/api/triage/rules), for admins: the versions, a draft to edit as JSON, a check
// that names the rule of every error, publishing, and a try-out on a sample message. Published
// versions are read-only: the API refuses to change them, and this page says so first.
import { t, label, formatTime, onLanguageChange } from '/shared/i18n.js';
import { get, post, put, describeError, ApiError } from '/shared/api.js';
import { h, loading, showBanner, clearBanners, setBusy } from '/shared/ui.js';

export function mountTriageRules(root) {
  const messages = h('div', { id: 'triage-admin-messages' });
  const state = { versions: [], selected: null, detail: null, text: '', tryText: '', tryResult: null, busy: false };

  async function loadVersions(select) {
    root.replaceChildren(h('h2', { i18n: 'admin.triage.title' }), loading('admin.triage.loading'));
    try {
      state.versions = await get('/api/triage/rules/versions');
      await open(select ?? state.versions.find(v => v.status === 'Draft')?.version ?? state.versions[0]?.version);
    } catch (error) {
      render();
      showBanner(messages, () => describeError(error), { actions: [{ key: 'common.retry', onClick: () => loadVersions(select) }] });
    }
  }

  async function open(version) {
    state.selected = version;
    state.detail = await get(`/api/triage/rules/versions/${version}`);
    state.text = JSON.stringify(state.detail.rules, null, 2);
    state.tryResult = null;
    render();
  }

  function parsed() {
    try {
      return JSON.parse(state.text);
    } catch (error) {
      showBanner(messages, () => t('admin.triage.badJson', { message: error.message }));
      return null;
    }
  }

  // Problem details from the API name each error "ruleId.field"; shown one per line.
  function showProblem(error) {
    if (error instanceof ApiError && Object.keys(error.errors).length) {
      const lines = Object.entries(error.errors).map(([key, list]) => `${key}: ${list.join(' ')}`);
      showBanner(messages, () => lines.join('\n'));
    } else {
      showBanner(messages, () => describeError(error));
    }
  }

  async function act(button, work) {
    if (state.busy) return;
    state.busy = true;
    clearBanners(messages);
    setBusy(button, true, 'admin.triage.working');
    try {
      await work();
    } catch (error) {
      showProblem(error);
    } finally {
      state.busy = false;
      setBusy(button, false);
    }
  }

  const check = button => act(button, async () => {
    const rules = parsed();
    if (!rules) return;
    const result = await post('/api/triage/rules/validate', { rules });
    showBanner(messages, () => t('admin.triage.valid', { count: result.ruleCount }), { kind: 'ok' });
  });

  const save = button => act(button, async () => {
    const rules = parsed();
    if (!rules) return;
    await put(`/api/triage/rules/versions/${state.selected}`, { rules });
    showBanner(messages, () => t('admin.triage.saved'), { kind: 'ok' });
  });

  const publish = button => act(button, async () => {
    const rules = parsed();
    if (!rules) return;
    await put(`/api/triage/rules/versions/${state.selected}`, { rules });
    const version = state.selected;
    await post(`/api/triage/rules/versions/${version}/publish`, {});
    await loadVersions(version);
    showBanner(messages, () => t('admin.triage.published', { version }), { kind: 'ok' });
  });

  const newDraft = button => act(button, async () => {
    const draft = await post('/api/triage/rules/drafts', {});
    await loadVersions(draft.summary.version);
  });

  const tryIt = button => act(button, async () => {
    state.tryResult = await post(`/api/triage/rules/versions/${state.selected}/try`, { text: state.tryText });
    render();
  });

  function render() {
    const d = state.detail;
    const draft = d?.summary.status === 'Draft';
    const versionList = h('ul', { class: 'triage-versions', id: 'triage-versions' }, ...state.versions.map(v => h('li', {},
      h('button', { type: 'button', class: 'link', dataset: { version: String(v.version) }, onclick: () => open(v.version).catch(showProblem),
        text: `${t('admin.triage.version', { version: v.version })} · ${t(`admin.triage.status.${v.status}`)} · ${t('admin.triage.rulesCount', { count: v.ruleCount })} · ${formatTime(v.updatedAt)}` }),
      v.note && h('span', { class: 'hint', text: ` — ${v.note}` }))));
    const newButton = h('button', { type: 'button', id: 'triage-new-draft', onclick: () => newDraft(newButton), i18n: 'admin.triage.newDraft' });
    const editor = d && h('div', {},
      h('h3', { id: 'triage-editing', text: t('admin.triage.editing', { version: d.summary.version, status: t(`admin.triage.status.${d.summary.status}`) }) }),
      !draft && h('p', { class: 'hint', i18n: 'admin.triage.readOnly' }),
      h('label', { for: 'triage-json', i18n: 'admin.triage.json' }),
      (() => {
        const area = h('textarea', { id: 'triage-json', spellcheck: 'false', readOnly: !draft, oninput: e => { state.text = e.target.value; } });
        area.value = state.text;
        return area;
      })());
    const checkButton = h('button', { type: 'button', id: 'triage-check', i18n: 'admin.triage.validate', onclick: () => check(checkButton) });
    const saveButton = h('button', { type: 'button', id: 'triage-save', i18n: 'admin.triage.save', disabled: !draft, onclick: () => save(saveButton) });
    const publishButton = h('button', { type: 'button', id: 'triage-publish', class: 'primary', i18n: 'admin.triage.publish', disabled: !draft, onclick: () => publish(publishButton) });
    const tryInput = h('input', { type: 'text', id: 'triage-try-text', style: 'width:100%', placeholder: t('admin.triage.tryPlaceholder'), value: state.tryText,
      oninput: e => { state.tryText = e.target.value; } });
    const tryButton = h('button', { type: 'button', id: 'triage-try', i18n: 'admin.triage.try', onclick: () => tryIt(tryButton) });
    const r = state.tryResult;
    root.replaceChildren(
      h('h2', { i18n: 'admin.triage.title' }),
      h('p', { class: 'hint', i18n: 'admin.triage.intro' }),
      messages,
      h('h3', { i18n: 'admin.triage.versions' }), versionList, newButton,
      editor,
      d && h('div', { class: 'form-actions' }, checkButton, saveButton, publishButton),
      d && h('div', { class: 'field', style: 'margin-top:12px' }, tryInput, tryButton,
        r && h('p', { id: 'triage-try-result', text: t('admin.triage.tryResult', {
          type: label('type', r.type), category: label('category', r.category), severity: label('severity', r.severity), handling: label('handling', r.handling),
        }) }),
        r && h('ul', { class: 'triage-rules' }, ...r.fired.map(f => h('li', { text: `${f.ruleId} ${f.weight}${f.negated ? ` (${t('triage.negated')})` : ''}: ${f.spans.map(s => s.text).join(', ')}` })))));
  }

  onLanguageChange(() => { if (state.detail) render(); });
  loadVersions();
  return { reload: loadVersions };
}
