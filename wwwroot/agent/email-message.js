// The mail behind a timeline entry: sender and subject, the HTML (already sanitised by the server
// with HtmlSanitizer; DOMPurify here is the second line of defence) in a sandboxed frame where no
// script can run, the quoted history folded away, the files, and for our own mail its delivery.
import DOMPurify from '/lib/dompurify/purify.es.js';
import { t, formatTime } from '/shared/i18n.js';
import { h } from '/shared/ui.js';

// Even if both sanitisers missed something, the frame runs no script and loads nothing from
// elsewhere: only our own attachment URLs (same origin) are pictures, links open outside.
const FRAME_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; font-src 'self'";

function purify(html) {
  return DOMPurify.sanitize(html ?? '', { FORBID_TAGS: ['form', 'input', 'button', 'style'], ADD_ATTR: ['target'] });
}

/** A frame showing mail HTML: sandboxed (no scripts, no forms), sized to its content. */
function mailFrame(html, title) {
  const doc = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${FRAME_CSP}">`
    + '<base target="_blank"><style>body{margin:0;font:14px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;'
    + 'color:#1f2933;overflow-wrap:anywhere}img{max-width:100%;height:auto}blockquote{margin:0 0 0 .8em;padding-left:.8em;border-left:3px solid #d0d7de;color:#57606a}</style>'
    + `</head><body>${purify(html)}</body></html>`;
  // allow-same-origin (without allow-scripts) lets the frame load our attachment pictures with
  // the agent's cookie and lets this page read its height; no script can run inside it.
  const frame = h('iframe', { class: 'mail-frame', title, sandbox: 'allow-same-origin allow-popups allow-popups-to-escape-sandbox', referrerpolicy: 'no-referrer' });
  frame.srcdoc = doc;
  frame.addEventListener('load', () => {
    const body = frame.contentDocument?.documentElement;
    if (body) frame.style.height = `${Math.min(Math.max(body.scrollHeight, 40), 2000)}px`;
  });
  return frame;
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function deliveryBadge(mail) {
  if (mail.direction !== 'Outbound') return null;
  const status = mail.deliveryStatus;
  const text = status === 'Failed' ? t('email.delivery.Failed', { error: mail.deliveryError ?? '' })
    : status === 'Retrying' ? t('email.delivery.Retrying', { attempts: mail.deliveryAttempts, error: mail.deliveryError ?? '' })
    : status === 'Sent' ? t('email.delivery.Sent', { time: formatTime(mail.deliveredAt) })
    : t('email.delivery.Pending');
  return h('span', { class: `badge delivery delivery-${status.toLowerCase()}`, role: status === 'Failed' ? 'alert' : null, dataset: { delivery: status }, text });
}

/** The mail part of a timeline entry; the caller puts it where the plain body would go. */
export function renderEmail(mail, fallbackText) {
  const files = mail.files.filter(f => !f.inline || !mail.html);
  const quoted = mail.quotedHtml || mail.quotedText;
  return h('div', { class: 'mail', dataset: { direction: mail.direction } },
    h('div', { class: 'mail-head' },
      h('span', { class: 'mail-from', text: mail.fromName ? `${mail.fromName} <${mail.fromAddress}>` : mail.fromAddress }),
      h('span', { class: 'mail-subject', text: mail.subject }),
      mail.isAutomatic && h('span', { class: 'badge automatic', title: mail.automaticReason ?? '',
        text: mail.automaticReason === 'rate_limited' ? t('email.held') : t('email.automatic') }),
      deliveryBadge(mail)),
    mail.html ? mailFrame(mail.html, t('email.frameTitle')) : h('div', { class: 'body', text: fallbackText }),
    quoted && h('details', { class: 'mail-quoted' },
      h('summary', { text: t('email.quoted') }),
      mail.quotedHtml ? mailFrame(mail.quotedHtml, t('email.quoted')) : h('pre', { class: 'quoted-text', text: mail.quotedText })),
    files.length > 0 && h('ul', { class: 'mail-files', 'aria-label': t('email.files') },
      ...files.map(f => h('li', {},
        h('a', { href: f.url, target: '_blank', rel: 'noopener', download: f.contentType.startsWith('image/') || f.contentType === 'application/pdf' ? null : f.fileName, text: f.fileName }),
        h('span', { class: 'size', text: ` ${formatSize(f.size)}` })))));
}
