// Small DOM helpers shared by the pages. Everything built from data goes through textContent
// (never innerHTML), so a ticket subject or a customer's message cannot inject markup.
import { t, onLanguageChange } from './i18n.js';

/**
 * Builds an element. attrs: class, text (textContent), i18n (data-i18n key), dataset, on{Event}
 * handlers, and plain attributes; children are nodes, strings, or null/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'text') el.textContent = value;
    else if (name === 'i18n') { el.dataset.i18n = value; el.textContent = t(value); }
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A spinner with a text that follows the language. */
export function loading(key = 'common.loading') {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', { i18n: key }));
}

const liveBanners = new Set();

/**
 * Shows a banner at the top of container. message is a function so that the banner can be
 * worded again when the language changes; actions are extra buttons ({ key, onClick }).
 * Returns a function that removes it.
 */
export function showBanner(container, message, { kind = 'error', actions = [], dismissible = true } = {}) {
  clearBanners(container);
  const text = h('span', { class: 'banner-text' });
  const banner = h('div', { class: `banner banner-${kind}`, role: kind === 'error' ? 'alert' : 'status', dataset: { kind } },
    text,
    ...actions.map(a => h('button', { type: 'button', class: 'link', i18n: a.key, onclick: a.onClick })),
    dismissible && h('button', { type: 'button', class: 'banner-close', 'aria-label': t('common.dismiss'), text: '×', onclick: () => remove() }));
  const render = () => { text.textContent = typeof message === 'function' ? message() : message; };
  render();
  const entry = { banner, render };
  liveBanners.add(entry);
  container.prepend(banner);
  const remove = () => { liveBanners.delete(entry); banner.remove(); };
  return remove;
}

export function clearBanners(container) {
  for (const entry of [...liveBanners]) {
    if (entry.banner.parentElement === container) { liveBanners.delete(entry); entry.banner.remove(); }
  }
}

onLanguageChange(() => {
  for (const entry of [...liveBanners]) {
    if (!entry.banner.isConnected) liveBanners.delete(entry);
    else entry.render();
  }
});

/**
 * Marks a button as working: disabled, a spinner, and its label swapped for busyKey. The label
 * is a data-i18n key, so switching language mid-request still reads right.
 */
export function setBusy(button, busy, busyKey = 'common.saving') {
  if (!button) return;
  if (busy) {
    if (!button.dataset.idleKey) button.dataset.idleKey = button.dataset.i18n ?? '';
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.dataset.i18n = busyKey;
    button.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }), document.createTextNode(t(busyKey)));
  } else {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    const key = button.dataset.idleKey;
    delete button.dataset.idleKey;
    if (key) { button.dataset.i18n = key; button.textContent = t(key); }
  }
}

const fieldMessages = new WeakMap(); // slot → function giving its text, for a language switch

/**
 * Puts each field message next to its field ([data-error-for=name]); returns the ones with no
 * place. A message may be a function (our own, localized ones) so that it follows the language;
 * the server's own messages are shown as sent.
 */
export function showFieldErrors(form, errors) {
  clearFieldErrors(form);
  const unplaced = [];
  const text = messages => [].concat(messages).map(m => (typeof m === 'function' ? m() : m)).join(' ');
  for (const [field, messages] of Object.entries(errors ?? {})) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
    if (input) input.setAttribute('aria-invalid', 'true');
    if (slot) {
      fieldMessages.set(slot, () => text(messages));
      slot.textContent = text(messages);
    } else {
      unplaced.push(text(messages));
    }
  }
  return unplaced;
}

export function clearFieldErrors(form) {
  for (const slot of form.querySelectorAll('[data-error-for]')) {
    fieldMessages.delete(slot);
    slot.textContent = '';
  }
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

onLanguageChange(() => {
  for (const slot of document.querySelectorAll('[data-error-for]')) {
    const message = fieldMessages.get(slot);
    if (message) slot.textContent = message();
  }
});
