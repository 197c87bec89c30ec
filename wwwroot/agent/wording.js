// The composer's help with wording (规范用语), shared by the chat panel and the ticket reply box:
// the forbidden-phrase guard (checked with the server as the agent types and again on send;
// blocks sending, names the phrase and offers the approved wording with one click) and the `/`
// picker of approved scripts, rendered for the ticket (agent name, customer salutation, ticket
// number), searchable by name and text in both languages, usable with the keyboard alone.
// The server enforces the guard too; this only makes the right wording the easy one.
import { get, post } from '/shared/api.js';
import { t, label, onLanguageChange } from '/shared/i18n.js';
import { h } from '/shared/ui.js';

const CHECK_DELAY = 350;
const SCRIPTS_FRESH_MS = 60_000;
const MAX_ITEMS = 8;
let pickerIds = 0;

const scriptsCache = new Map(); // ticket number → { at, promise }

/** Approved scripts for a ticket, rendered by the server; kept for a minute. */
function scriptsFor(number) {
  const cached = scriptsCache.get(number);
  if (cached && Date.now() - cached.at < SCRIPTS_FRESH_MS) return cached.promise;
  const promise = get(`/api/scripts/for-ticket/${encodeURIComponent(number)}`);
  scriptsCache.set(number, { at: Date.now(), promise });
  promise.catch(() => scriptsCache.delete(number));
  return promise;
}

/** Where a `/` query starts: at the start of the text or after whitespace, with no line break after it. */
export function slashQuery(text, caret) {
  const before = text.slice(0, caret);
  const slash = before.lastIndexOf('/');
  if (slash < 0) return null;
  if (slash > 0 && !/\s/.test(before[slash - 1])) return null;
  const query = before.slice(slash + 1);
  if (query.includes('\n') || query.length > 40) return null;
  return { start: slash, query };
}

/** Scripts whose name or text holds every word of the query, names that start with it first. */
export function filterScripts(scripts, query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const scored = [];
  for (const s of scripts) {
    const name = s.name.toLowerCase();
    const haystack = `${name} ${s.text.toLowerCase()} ${label('scriptKind', s.kind).toLowerCase()}`;
    if (!words.every(w => haystack.includes(w))) continue;
    const score = !words.length ? 0 : name.startsWith(words[0]) ? 0 : name.includes(words[0]) ? 1 : 2;
    scored.push({ s, score });
  }
  return scored.sort((a, b) => a.score - b.score).map(x => x.s);
}

/**
 * Helps one composer. The composer's element may be rebuilt (a re-render); call attach() with
 * the new textarea each time and put the returned element next to it. The composer calls
 * handleKeydown() first in its own keydown handler, and beforeSend() before it sends.
 * ticket(): the ticket number; guarded(): whether the text goes to the customer (not a note);
 * onText(text): the text changed by the assist (a replacement, an insert).
 */
export function createComposerAssist({ ticket, guarded = () => true, onText = () => {} }) {
  const id = `script-picker-${++pickerIds}`;
  const state = {
    input: null,
    checked: { text: null, matches: [] }, // the last answer of the server's check
    checkTimer: null,
    checking: null,
    picker: { open: false, start: 0, query: '', items: [], active: 0, status: null },
  };
  const guardBox = h('div', { class: 'wording-guard', role: 'alert', hidden: true });
  const list = h('ul', { class: 'script-picker', id, role: 'listbox', hidden: true, 'aria-label': t('wording.pickerLabel') });
  const root = h('div', { class: 'wording-assist' }, list, guardBox);

  onLanguageChange(() => { renderGuard(); renderPicker(); });

  function attach(input) {
    state.input = input;
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', id);
    input.setAttribute('aria-expanded', String(state.picker.open));
    input.addEventListener('input', onInput);
    input.addEventListener('click', () => updatePicker());
    input.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== state.input) closePicker(); }, 150));
    if (!input.title) input.title = t('wording.pickerHint');
    renderGuard();
    renderPicker();
    return root;
  }

  function onInput() {
    updatePicker();
    scheduleCheck();
  }

  // ---------- the guard ----------

  function scheduleCheck() {
    clearTimeout(state.checkTimer);
    const text = state.input?.value ?? '';
    if (!guarded() || !text.trim()) {
      state.checked = { text, matches: [] };
      renderGuard();
      return;
    }
    // What was found stays shown while the agent edits; it goes once a check says the text is clean.
    state.checkTimer = setTimeout(() => check(text).catch(() => { /* offline: the send path checks again, the server always */ }), CHECK_DELAY);
  }

  async function check(text) {
    if (state.checked.text === text) return state.checked.matches;
    const result = await post('/api/scripts/check', { text });
    if (state.input && state.input.value === text) {
      state.checked = { text, matches: result.matches };
      renderGuard();
    }
    return result.matches;
  }

  /**
   * True when the text may go. Forbidden wording blocks (and is shown); a check that cannot
   * reach the server lets the message go to the outbox, where the server's own guard decides.
   */
  async function beforeSend(text) {
    if (!guarded() || !text.trim()) return true;
    clearTimeout(state.checkTimer);
    try {
      const matches = await check(text);
      if (matches.length) {
        renderGuard();
        return false;
      }
    } catch (error) {
      if (error?.status && error.status !== 0) return true; // the server will say
    }
    return true;
  }

  /** The server refused a message for its wording (hub or API): show what the composer knows. */
  async function explainRefusal(text) {
    state.checked = { text: null, matches: [] };
    try { await check(text); } catch { /* the refusal banner says enough */ }
  }

  function replace(match) {
    const input = state.input;
    if (!input) return;
    const text = input.value;
    // The text may have moved since the check: replace what was found where it is now.
    let start = text.substr(match.start, match.length) === match.matched ? match.start : text.indexOf(match.matched);
    if (start < 0 || !match.suggestion) return;
    const next = text.slice(0, start) + match.suggestion + text.slice(start + match.length);
    input.value = next;
    onText(next);
    input.focus();
    const caret = start + match.suggestion.length;
    input.setSelectionRange(caret, caret);
    state.checked = { text: null, matches: [] };
    renderGuard();
    check(next).catch(() => {});
  }

  function renderGuard() {
    const current = state.input?.value ?? '';
    const matches = guarded() && current.trim() ? state.checked.matches : [];
    guardBox.hidden = matches.length === 0;
    state.input?.setAttribute('aria-invalid', String(matches.length > 0));
    guardBox.replaceChildren(...matches.map(m => h('div', { class: 'wording-match', dataset: { phrase: m.phrase } },
      h('p', { class: 'wording-blocked' },
        h('strong', { text: t('wording.blocked', { phrase: m.phrase }) }),
        m.matched !== m.phrase ? ` ${t('wording.blockedFound', { matched: m.matched })}` : ''),
      m.suggestion
        ? h('p', { class: 'wording-suggestion', text: t('wording.suggest', { suggestion: m.suggestion }) })
        : h('p', { class: 'wording-suggestion', text: t('wording.noSuggestion') }),
      m.suggestion && h('button', { type: 'button', class: 'wording-replace', text: t('wording.replace'), onclick: () => replace(m) }))));
  }

  // ---------- the / picker ----------

  function updatePicker() {
    const input = state.input;
    const number = ticket();
    const found = input && number != null ? slashQuery(input.value, input.selectionStart ?? input.value.length) : null;
    if (!found) { closePicker(); return; }
    const p = state.picker;
    const wasOpen = p.open;
    p.open = true;
    p.start = found.start;
    p.query = found.query;
    if (!wasOpen) p.active = 0;
    p.status = 'loading';
    renderPicker();
    scriptsFor(number).then(scripts => {
      if (!p.open || p.query !== found.query) return;
      p.items = filterScripts(scripts, found.query).slice(0, MAX_ITEMS);
      p.active = Math.min(p.active, Math.max(0, p.items.length - 1));
      p.status = null;
      renderPicker();
    }, () => {
      if (!p.open) return;
      p.items = [];
      p.status = 'failed';
      renderPicker();
    });
  }

  function closePicker() {
    if (!state.picker.open) return;
    state.picker.open = false;
    state.picker.items = [];
    renderPicker();
  }

  function insert(script) {
    const input = state.input;
    const p = state.picker;
    const end = input.selectionStart ?? input.value.length;
    const next = input.value.slice(0, p.start) + script.text + input.value.slice(end);
    input.value = next;
    const caret = p.start + script.text.length;
    input.setSelectionRange(caret, caret);
    closePicker();
    onText(next);
    scheduleCheck();
    input.focus();
  }

  /** Arrow keys, Enter/Tab and Escape belong to the picker while it is open. */
  function handleKeydown(event) {
    const p = state.picker;
    if (!p.open || event.isComposing || event.keyCode === 229) return false;
    if (event.key === 'Escape') {
      closePicker();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!p.items.length) return false;
      p.active = (p.active + (event.key === 'ArrowDown' ? 1 : p.items.length - 1)) % p.items.length;
      renderPicker();
    } else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
      if (!p.items.length) { if (event.key === 'Tab') return false; closePicker(); event.preventDefault(); return true; }
      insert(p.items[p.active]);
    } else {
      return false;
    }
    event.preventDefault();
    event.stopPropagation();
    return true;
  }

  function renderPicker() {
    const p = state.picker;
    list.hidden = !p.open;
    list.setAttribute('aria-label', t('wording.pickerLabel'));
    state.input?.setAttribute('aria-expanded', String(p.open));
    if (!p.open) {
      state.input?.removeAttribute('aria-activedescendant');
      list.replaceChildren();
      return;
    }
    if (!p.items.length) {
      state.input?.removeAttribute('aria-activedescendant');
      const key = p.status === 'loading' ? 'wording.pickerLoading' : p.status === 'failed' ? 'wording.pickerFailed' : 'wording.pickerEmpty';
      list.replaceChildren(h('li', { class: 'script-picker-empty', role: 'presentation', text: t(key) }));
      return;
    }
    list.replaceChildren(...p.items.map((s, i) => h('li', {
      id: `${id}-${i}`, role: 'option', class: 'script-option', 'aria-selected': String(i === p.active),
      dataset: { scriptId: String(s.scriptId), language: s.language },
      // mousedown, not click: the textarea must keep the focus (and its caret).
      onmousedown: event => { event.preventDefault(); insert(s); },
    },
      h('span', { class: 'script-option-head' },
        h('strong', { class: 'script-option-name', text: s.name }),
        h('span', { class: 'badge', text: `${label('scriptKind', s.kind)} · ${s.language}` })),
      h('span', { class: 'script-option-text', text: s.text }))));
    state.input?.setAttribute('aria-activedescendant', `${id}-${p.active}`);
    list.children[p.active]?.scrollIntoView?.({ block: 'nearest' });
  }

  return {
    attach,
    handleKeydown,
    beforeSend,
    explainRefusal,
    get pickerOpen() { return state.picker.open; },
    reset() { clearTimeout(state.checkTimer); state.checked = { text: null, matches: [] }; closePicker(); renderGuard(); },
  };
}
