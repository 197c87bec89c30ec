// The triage result of one ticket (GET /api/tickets/{number}/triage): what the rules decided, why
// (each fired rule with its weight and the words it matched), and a form to correct it. A
// correction is stored with what triage had said and counts in the accuracy report.
import { get, post, describeError } from '/shared/api.js';
import { t, label, formatTime } from '/shared/i18n.js';
import { h, loading, showBanner, clearBanners, setBusy } from '/shared/ui.js';

const TYPES = ['Inquiry', 'Complaint', 'Suggestion'];
const CATEGORIES = ['None', 'ReturnExchange', 'Repair', 'Refund', 'OrderException', 'TechnicalSupport', 'ServiceAttitude'];
const SEVERITIES = ['P1', 'P2', 'P3', 'P4'];

export function createTriagePanel({ onCorrected }) {
  const root = h('section', { class: 'panel', id: 'triage-panel' });
  const banners = h('div', { class: 'triage-messages' });
  const state = { number: null, view: null, error: null, loading: false, choice: null, busy: false, generation: 0 };

  async function load(number) {
    const generation = ++state.generation;
    state.number = number;
    state.loading = true;
    state.error = null;
    render();
    try {
      const view = await get(`/api/tickets/${encodeURIComponent(number)}/triage`);
      if (generation !== state.generation) return;
      state.view = view;
      const latest = view.latest;
      state.choice = latest ? { type: latest.type, category: latest.category, severity: latest.severity } : null;
    } catch (error) {
      if (generation !== state.generation) return;
      state.error = error;
    } finally {
      if (generation === state.generation) {
        state.loading = false;
        render();
      }
    }
  }

  async function correct(button) {
    const latest = state.view?.latest;
    if (!latest || state.busy) return;
    const body = {};
    for (const field of ['type', 'category', 'severity'])
      if (state.choice[field] !== latest[field]) body[field] = state.choice[field];
    clearBanners(banners);
    if (!Object.keys(body).length) {
      showBanner(banners, () => t('triage.noChange'), { kind: 'warn' });
      return;
    }
    state.busy = true;
    setBusy(button, true, 'triage.submitting');
    try {
      await post(`/api/tickets/${state.number}/triage/correction`, body);
      state.busy = false;
      await load(state.number);
      showBanner(banners, () => t('triage.done'), { kind: 'ok' });
      onCorrected?.();
    } catch (error) {
      state.busy = false;
      setBusy(button, false);
      showBanner(banners, () => describeError(error));
    }
  }

  function select(id, labelKey, kind, values, field) {
    return h('div', { class: 'field' },
      h('label', { for: id, i18n: labelKey }),
      h('select', { id, onchange: e => { state.choice[field] = e.target.value; } },
        ...values.map(v => h('option', { value: v, text: label(kind, v), selected: state.choice[field] === v }))));
  }

  function renderRule(f) {
    const spans = f.spans.map(s => h('mark', { class: 'triage-span', text: s.text }));
    return h('li', { class: `triage-rule${f.negated ? ' negated' : ''}`, dataset: { rule: f.ruleId } },
      h('code', { text: f.ruleId }),
      h('span', { class: 'triage-weight', title: t('triage.weight'), text: ` ${f.weight > 0 ? '+' : ''}${f.weight}` }),
      f.negated && h('span', { class: 'badge', text: t('triage.negated') }),
      f.intensified && h('span', { class: 'badge', text: t('triage.intensified') }),
      spans.length > 0 && h('span', { class: 'triage-spans' }, ' ', ...spans));
  }

  function render() {
    const children = [h('h3', { i18n: 'triage.title' }), banners];
    if (state.loading && !state.view) children.push(loading('triage.loading'));
    else if (state.error) {
      showBanner(banners, () => `${t('triage.failed')}: ${describeError(state.error)}`, { actions: [{ key: 'common.retry', onClick: () => load(state.number) }] });
    } else if (state.view && !state.view.latest) children.push(h('p', { class: 'hint', i18n: 'triage.none' }));
    else if (state.view) {
      const v = state.view;
      const r = v.latest;
      const fact = (key, value) => [h('dt', { i18n: key }), h('dd', {}, value)];
      children.push(
        h('dl', { class: 'facts', id: 'triage-facts' },
          fact('triage.type', h('span', { id: 'triage-type', text: label('type', r.type) })),
          fact('triage.category', h('span', { id: 'triage-category', text: label('category', r.category) })),
          fact('triage.severity', h('span', { id: 'triage-severity', class: `badge severity-${r.severity}`, text: label('severity', r.severity) })),
          fact('triage.handling', label('handling', v.handlingMode ?? r.handling)),
          fact('triage.flags', v.flags.length
            ? h('span', { class: 'tags', id: 'triage-flags' }, ...v.flags.map(f => h('span', { class: `badge flag flag-${f}`, text: label('flag', f) })))
            : t('common.none')),
          fact('triage.sentiment', String(r.sentiment))),
        h('p', { class: 'hint', text: t('triage.rules', { version: r.ruleSetVersion, time: formatTime(r.at) }) }),
        v.manualFields.length > 0 && h('p', { class: 'hint', text: t('triage.manual', { fields: v.manualFields.join(', ') }) }),
        h('h4', { i18n: 'triage.fired' }),
        h('ul', { class: 'triage-rules', id: 'triage-rules' }, ...r.explanation.fired.map(renderRule)));

      const submit = h('button', { type: 'button', id: 'triage-correct', class: 'primary', i18n: 'triage.submit', onclick: () => correct(submit) });
      children.push(h('details', { class: 'triage-correction' },
        h('summary', { i18n: 'triage.correct' }),
        h('p', { class: 'hint', i18n: 'triage.correctHint' }),
        select('triage-correct-type', 'triage.type', 'type', TYPES, 'type'),
        select('triage-correct-category', 'triage.category', 'category', CATEGORIES, 'category'),
        select('triage-correct-severity', 'triage.severity', 'severity', SEVERITIES, 'severity'),
        submit));
      if (v.corrections.length) {
        children.push(h('h4', { i18n: 'triage.corrections' }),
          h('ul', { class: 'triage-corrections', id: 'triage-corrections' }, ...v.corrections.map(c => h('li', {
            text: t('triage.correctionLine', {
              who: c.staffName, time: formatTime(c.at),
              from: `${label('type', c.fromType)}/${label('category', c.fromCategory)}/${c.fromSeverity}`,
              to: `${label('type', c.toType)}/${label('category', c.toCategory)}/${c.toSeverity}`,
            }),
          }))));
      }
    }
    root.replaceChildren(...children.filter(Boolean));
  }

  return { root, load, render };
}
