// Reports (issue 10): one Chart.js chart per daily series of /api/reports/{kind}, filtered by
// period (calendar days of the server's report zone, Asia/Shanghai by default) and team, each
// with its CSV download (the same series through the server's CsvHelper, headings in the page's
// language). Chart.js comes from npm (window.Chart, loaded before this module).
import { t, label, language, onLanguageChange } from '/shared/i18n.js';
import { get, describeError, ApiError } from '/shared/api.js';
import { h, loading, showBanner, clearBanners, setBusy, showFieldErrors, clearFieldErrors } from '/shared/ui.js';
import { openStaffPage } from '/shared/staff-page.js';

const pageMessages = document.getElementById('page-messages');
const form = document.getElementById('report-filters');
const grid = document.getElementById('report-grid');
const applyButton = document.getElementById('report-apply');
const daysNote = document.getElementById('report-days');

const GREENS = ['#1a7f37', '#2da44e', '#4ac26b'];
const REDS = ['#a40e26', '#cf222e', '#fa4549'];
const PALETTE = ['#0969da', '#8250df', '#bf3989', '#bc4c00', '#1a7f37', '#9a6700', '#57606a'];

/** How each report becomes a chart: its type, which columns are drawn, and how values are scaled. */
const REPORTS = [
  { kind: 'volume', type: 'bar', stacked: true, series: cols => cols.filter(c => c !== 'total'), name: c => label('channel', c) },
  { kind: 'first-response', type: 'line', series: () => ['p50Seconds', 'p90Seconds'], scale: v => v / 60, name: c => t(`reports.series.${c.slice(0, 3)}`) },
  { kind: 'resolution', type: 'line', series: () => ['p50Seconds', 'p90Seconds'], scale: v => v / 3600, name: c => t(`reports.series.${c.slice(0, 3)}`) },
  { kind: 'csat-daily', type: 'line', series: () => ['csat', 'target'], scale: v => v * 100, percent: true, name: c => t(`reports.series.${c}`) },
  { kind: 'complaints', type: 'bar', stacked: true, series: cols => cols.filter(c => c !== 'total'), name: c => label('category', c) },
  { kind: 'sla', type: 'bar', stacked: true, series: cols => cols.filter(c => c !== 'compliance'), name: c => t(`reports.series.${c}`),
    stack: c => c.replace(/(Met|Breached)$/, '') },
];

const state = { filters: null, results: new Map(), charts: new Map(), cards: new Map(), teams: [], zone: 'Asia/Shanghai', loadId: 0 };

function query(filters, extra = {}) {
  const params = new URLSearchParams();
  if (filters?.from) params.set('from', filters.from);
  if (filters?.to) params.set('to', filters.to);
  if (filters?.teamId) params.set('teamId', filters.teamId);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

function buildCards() {
  grid.replaceChildren(...REPORTS.map(report => {
    const status = h('div', { class: 'report-status', 'aria-live': 'polite' });
    const canvas = h('canvas', { 'aria-label': t(`reports.${report.kind}.title`), role: 'img' });
    const csv = h('a', { class: 'button csv-link', download: '', i18n: 'reports.csv', href: '#' });
    const card = h('section', { class: 'report-card', dataset: { report: report.kind, state: 'loading' } },
      h('header', { class: 'report-card-head' }, h('h2', { i18n: `reports.${report.kind}.title` }), csv),
      status, h('div', { class: 'report-canvas' }, canvas));
    state.cards.set(report.kind, { card, status, canvas, csv });
    return card;
  }));
}

function color(report, column, index) {
  if (report.kind === 'sla') return column.endsWith('Met') ? GREENS[index / 2 | 0] : REDS[index / 2 | 0];
  if (report.kind === 'csat-daily' && column === 'target') return '#cf222e';
  return PALETTE[index % PALETTE.length];
}

function chartConfig(report, data) {
  const columns = report.series(data.columns);
  const datasets = columns.map((column, index) => {
    const at = data.columns.indexOf(column);
    const values = data.rows.map(r => (r.values[at] === null ? null : (report.scale ? Math.round(report.scale(r.values[at]) * 100) / 100 : r.values[at])));
    const c = color(report, column, index);
    return {
      label: report.name(column), data: values, backgroundColor: c, borderColor: c, spanGaps: true,
      borderDash: column === 'target' ? [6, 4] : undefined, pointRadius: column === 'target' ? 0 : 3,
      stack: report.stack ? report.stack(column) : undefined,
    };
  });
  return {
    type: report.type,
    data: { labels: data.rows.map(r => r.date), datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: !!report.stacked },
        y: { stacked: !!report.stacked, beginAtZero: true, ...(report.percent ? { max: 100, ticks: { callback: v => `${v}%` } } : {}) },
      },
      plugins: { legend: { position: 'bottom' } },
    },
  };
}

function renderCard(report) {
  const { card, status, canvas, csv } = state.cards.get(report.kind);
  const result = state.results.get(report.kind);
  csv.href = `/api/reports/${report.kind}${query(state.filters, { format: 'csv', lang: language() })}`;
  canvas.setAttribute('aria-label', t(`reports.${report.kind}.title`));
  state.charts.get(report.kind)?.destroy();
  state.charts.delete(report.kind);
  if (!result) {
    card.dataset.state = 'loading';
    status.replaceChildren(loading('reports.loading'));
    return;
  }
  if (result.error) {
    card.dataset.state = 'error';
    status.replaceChildren(h('div', { class: 'banner banner-error', role: 'alert' },
      h('span', { text: t('reports.failed', { reason: describeError(result.error) }) }),
      h('button', { type: 'button', class: 'link', i18n: 'common.retry', onclick: () => loadOne(report, state.loadId) })));
    return;
  }
  const empty = result.data.rows.every(r => r.values.every((v, i) => v === null || v === 0 || result.data.columns[i] === 'target'));
  status.replaceChildren(empty ? h('p', { class: 'hint', i18n: 'reports.empty' }) : '');
  state.charts.set(report.kind, new window.Chart(canvas, chartConfig(report, result.data)));
  card.dataset.state = 'ready';
}

function renderAll() {
  for (const report of REPORTS) renderCard(report);
  const any = [...state.results.values()].find(r => r?.data)?.data;
  daysNote.textContent = any ? t('reports.days', { zone: any.timeZone, from: any.from, to: any.to }) : '';
}

async function loadOne(report, id) {
  state.results.delete(report.kind);
  renderCard(report);
  try {
    const data = await get(`/api/reports/${report.kind}${query(state.filters)}`);
    if (id !== state.loadId) return null;
    state.results.set(report.kind, { data });
    return data;
  } catch (error) {
    if (id !== state.loadId) return null;
    state.results.set(report.kind, { error });
    throw error;
  } finally {
    if (id === state.loadId) renderCard(report);
  }
}

async function load() {
  const id = ++state.loadId;
  clearBanners(pageMessages);
  clearFieldErrors(form);
  setBusy(applyButton, true, 'reports.applying');
  const outcomes = await Promise.allSettled(REPORTS.map(r => loadOne(r, id)));
  if (id !== state.loadId) return;
  setBusy(applyButton, false);
  const first = outcomes.find(o => o.status === 'fulfilled' && o.value)?.value;
  if (first) {
    // Without dates the server chose the period (the last 7 days of its zone): show it in the form.
    form.elements.from.value = first.from;
    form.elements.to.value = first.to;
  }
  const refused = outcomes.find(o => o.status === 'rejected' && o.reason instanceof ApiError && o.reason.status === 400)?.reason;
  if (refused) {
    const unplaced = showFieldErrors(form, refused.errors);
    showBanner(pageMessages, () => describeError(refused));
    if (unplaced.length) console.warn(unplaced);
  }
  renderAll();
}

function readFilters() {
  return { from: form.elements.from.value, to: form.elements.to.value, teamId: form.elements.teamId.value };
}

function renderTeams() {
  const select = form.elements.teamId;
  const chosen = select.value;
  select.replaceChildren(h('option', { value: '', i18n: 'reports.allTeams' }),
    ...state.teams.map(team => h('option', { value: String(team.id), text: language() === 'en' ? team.name : team.nameZh })));
  select.value = chosen;
}

async function start() {
  const session = await openStaffPage(pageMessages);
  if (!session) return;
  if (!session.roles.some(r => r === 'Supervisor' || r === 'Admin')) {
    form.hidden = true;
    showBanner(pageMessages, () => t('reports.notSupervisor'), { dismissible: false });
    return;
  }
  if (!window.Chart) {
    showBanner(pageMessages, () => t('reports.noChartLib'), { actions: [{ key: 'common.reload', onClick: () => location.reload() }] });
    return;
  }
  buildCards();
  renderTeams();
  get('/api/teams').then(teams => { state.teams = teams; renderTeams(); })
    .catch(error => showBanner(pageMessages, () => describeError(error), { kind: 'warn' }));
  form.addEventListener('submit', event => {
    event.preventDefault();
    state.filters = readFilters();
    load();
  });
  onLanguageChange(() => { renderTeams(); renderAll(); });
  state.filters = {};
  await load();
}

start();
