/*!
 * Helpdesk chat widget. Embed it on any site with one tag:
 *
 *   <script src="https://helpdesk.example/widget/helpdesk-widget.js" data-site-key="demo"
 *           data-lang="zh-CN|en" data-color="#0a7cff" async></script>
 *
 * Optional: data-user-id + data-user-hash (HMAC-SHA256 of the id with the site's identity secret,
 * hex) for a signed-in user of the host site; data-prechat="true" for a name/email form first.
 *
 * It stands alone on a foreign page: everything renders in a shadow root, all strings are in the
 * dictionary below, and the only library it loads is the SignalR client from its own server.
 * User text is only ever put in the page with textContent.
 *
 * Delivery: every message gets a client id and waits in an outbox kept in localStorage until the
 * server acknowledges it with a sequence number. On every (re)connect the outbox is resent in
 * order with the same ids (the server deduplicates them), then everything after the last
 * sequence seen is fetched and merged by sequence, so a message shows exactly once and in order.
 *
 * Files (attach button, paste of an image, drag and drop; images and PDF up to 10 MB) are checked
 * in the page, then uploaded over HTTP with their own client id; the answer and the hub's push of
 * the same message are merged by that id. They wait in memory, not in the outbox: a reload drops a
 * file not yet sent. Stored files are fetched with the visitor's token and shown from blob URLs.
 */
(function () {
  'use strict';

  // ---- where we come from, what the host page asked for -----------------------------------------

  var script = document.currentScript;
  if (!script) {
    var candidates = document.querySelectorAll('script[src*="helpdesk-widget.js"]');
    script = candidates[candidates.length - 1];
  }
  if (!script || !script.src) return;

  var data = script.dataset || {};
  var siteKey = (data.siteKey || '').trim();
  if (!siteKey) {
    console.warn('[helpdesk] data-site-key is missing on the widget script tag.');
    return;
  }
  window.HelpdeskWidgets = window.HelpdeskWidgets || {};
  if (window.HelpdeskWidgets[siteKey]) return; // embedded twice: one widget is enough
  window.HelpdeskWidgets[siteKey] = true;

  var BASE = new URL('../', script.src).href; // https://helpdesk.example/ (keeps a path base)
  // What the server takes (it judges the bytes; the page checks the declared type and size first).
  var FILE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'];
  var FILE_EXTENSIONS = /\.(png|jpe?g|gif|webp|pdf)$/i;
  var FILE_MAX_BYTES = 10 * 1024 * 1024;
  var DEFAULT_COLOR = '#0a7cff';
  var config = {
    siteKey: siteKey,
    lang: data.lang || '',
    color: data.color && window.CSS && CSS.supports && CSS.supports('color', data.color) ? data.color : DEFAULT_COLOR,
    userId: (data.userId || '').trim() || null,
    userHash: (data.userHash || '').trim() || null,
    prechat: data.prechat === 'true',
    debug: data.debug === 'true',
  };

  // ---- strings ----------------------------------------------------------------------------------

  var STRINGS = {
    zh: {
      openChat: '打开在线客服',
      closeChat: '关闭在线客服',
      close: '关闭',
      chatTitle: '在线客服',
      switchLang: 'Switch to English',
      langButton: 'EN',
      welcome: '您好！欢迎咨询{site}，请问有什么可以帮您？',
      placeholder: '请输入消息…',
      composerHint: 'Enter 发送，Shift+Enter 换行',
      message: '消息',
      send: '发送',
      connecting: '连接中…',
      reconnecting: '连接中…',
      unavailable: '在线客服暂时无法使用，请稍后再试。',
      waiting: '正在为您接通客服…',
      queueNext: '您是下一位，预计等待约 {m} 分钟',
      queueAhead: '您前面还有 {ahead} 位，预计等待约 {m} 分钟',
      queueNoEstimate: '您前面还有 {ahead} 位',
      queueNextNoEstimate: '您是下一位',
      noAgentsQueue: '目前没有客服在线，客服上线后会按顺序接待。',
      agentJoined: '客服 {name} 已加入会话',
      agentTyping: '{name} 正在输入…',
      agent: '客服',
      you: '我',
      pending: '发送中',
      sent: '已送达',
      read: '已读',
      failed: '未发送：{reason}',
      retry: '重新发送',
      endChat: '结束会话',
      askSupervisor: '找主管',
      askingSupervisor: '正在联系主管…',
      supervisorAsked: '已通知主管，主管会尽快为您处理。',
      supervisorFailed: '暂时无法联系主管，请稍后再试。',
      ended: '会话已结束',
      endedPrompt: '还有其他问题吗？',
      newChat: '开始新的会话',
      surveyTitle: '请评价本次服务',
      surveyStar: '{n} 星',
      surveySolved: '您的问题解决了吗？',
      surveyYes: '已解决',
      surveyNo: '未解决',
      surveyComment: '意见或建议（选填）',
      surveySubmit: '提交评价',
      surveySending: '正在提交…',
      surveyThanks: '感谢您的评价！24 小时内可以修改。',
      surveyChange: '修改评价',
      surveyScoreError: '请选择 1 到 5 星。',
      surveySolvedError: '请选择问题是否已解决。',
      surveyError: '提交失败：{reason}',
      unread: '{n} 条未读消息',
      attach: '发送图片或文件',
      attachHint: '图片（PNG、JPEG、GIF、WebP）或 PDF，最大 10 MB',
      dropHere: '松开即可发送图片或 PDF',
      openImage: '查看原图：{name}',
      download: '下载 {name}（{size}）',
      uploading: '上传中 {p}%',
      fileNotSent: '“{name}”无法发送：{reason}',
      dismiss: '知道了',
      'file.empty': '文件是空的',
      'file.too_large': '文件超过 10 MB',
      'file.unsupported_type': '只能发送图片（PNG、JPEG、GIF、WebP）或 PDF 文件',
      'file.network': '网络连接中断',
      'file.server': '服务器暂时出错',
      'reason.too_long': '消息太长，请分几条发送',
      'reason.rate_limited': '发送太快了，请稍后再发',
      'reason.chat_ended': '会话已结束',
      'reason.ticket_closed': '会话已关闭',
      'reason.empty': '消息为空',
      'reason.not_found': '找不到此会话',
      'reason.invalid': '消息无效',
      'reason.other': '服务器拒绝了这条消息',
      prechatTitle: '开始咨询前，请留下您的称呼和邮箱，方便我们联系您。',
      name: '姓名',
      email: '邮箱',
      startChat: '开始咨询',
      nameRequired: '请填写姓名',
      nameTooLong: '姓名不能超过 100 个字',
      emailRequired: '请填写邮箱',
      emailInvalid: '请填写有效的邮箱地址',
      textRequired: '请填写留言内容',
      textTooLong: '留言太长了',
      outsideHours: '现在不在服务时间。',
      noAgents: '暂时没有客服在线。',
      leaveMessage: '留言',
      leaveTitle: '请留言，我们会通过邮件尽快回复您。',
      leaveText: '留言内容',
      leaveSubmit: '提交留言',
      back: '返回',
      submitting: '提交中…',
      leaveDone: '留言已收到，工单号 #{n}。我们会尽快通过邮件回复您。',
      leaveFailed: '提交失败，请稍后再试。',
      tooManyRequests: '提交太频繁，请稍后再试。',
    },
    en: {
      openChat: 'Open chat',
      closeChat: 'Close chat',
      close: 'Close',
      chatTitle: 'Live chat',
      switchLang: '切换到中文',
      langButton: '中文',
      welcome: 'Hello! Welcome to {site}. How can we help you?',
      placeholder: 'Type a message…',
      composerHint: 'Enter sends, Shift+Enter starts a new line',
      message: 'Message',
      send: 'Send',
      connecting: 'Connecting…',
      reconnecting: 'Reconnecting…',
      unavailable: 'The chat is not available right now. Please try again later.',
      waiting: 'Connecting you to an agent…',
      queueNext: 'You are number 1 in the queue, about {m} min',
      queueAhead: 'You are number {n} in the queue, about {m} min',
      queueNoEstimate: 'You are number {n} in the queue',
      queueNextNoEstimate: 'You are number 1 in the queue',
      noAgentsQueue: 'No agent is online right now; you will be answered in turn as soon as one is.',
      agentJoined: '{name} joined the chat',
      agentTyping: '{name} is typing…',
      agent: 'Agent',
      you: 'You',
      pending: 'Sending',
      sent: 'Sent',
      read: 'Read',
      failed: 'Not sent: {reason}',
      retry: 'Send again',
      endChat: 'End chat',
      askSupervisor: 'Ask for a supervisor',
      askingSupervisor: 'Contacting a supervisor…',
      supervisorAsked: 'A supervisor has been told and will look at your conversation as soon as possible.',
      supervisorFailed: 'We could not reach a supervisor just now. Please try again.',
      ended: 'This chat has ended',
      endedPrompt: 'Anything else we can help with?',
      newChat: 'Start a new chat',
      surveyTitle: 'How did we do?',
      surveyStar: '{n} stars',
      surveySolved: 'Was your problem solved?',
      surveyYes: 'Yes',
      surveyNo: 'No',
      surveyComment: 'Comment (optional)',
      surveySubmit: 'Send rating',
      surveySending: 'Sending…',
      surveyThanks: 'Thank you for your feedback! You can change it within 24 hours.',
      surveyChange: 'Change my rating',
      surveyScoreError: 'Choose 1 to 5 stars.',
      surveySolvedError: 'Say whether your problem was solved.',
      surveyError: 'Could not send: {reason}',
      unread: '{n} unread messages',
      attach: 'Send an image or a file',
      attachHint: 'An image (PNG, JPEG, GIF, WebP) or a PDF, up to 10 MB',
      dropHere: 'Drop an image or a PDF to send it',
      openImage: 'Open the full image: {name}',
      download: 'Download {name} ({size})',
      uploading: 'Uploading {p}%',
      fileNotSent: '"{name}" cannot be sent: {reason}',
      dismiss: 'OK',
      'file.empty': 'the file is empty',
      'file.too_large': 'the file is larger than 10 MB',
      'file.unsupported_type': 'only images (PNG, JPEG, GIF, WebP) and PDF files can be sent',
      'file.network': 'the connection was lost',
      'file.server': 'the server had a problem',
      'reason.too_long': 'the message is too long; split it up',
      'reason.rate_limited': 'you are sending too fast; wait a moment',
      'reason.chat_ended': 'this chat has ended',
      'reason.ticket_closed': 'this chat is closed',
      'reason.empty': 'the message is empty',
      'reason.not_found': 'this chat was not found',
      'reason.invalid': 'the message is not valid',
      'reason.other': 'the server refused it',
      prechatTitle: 'Before we start, please tell us your name and email so we can reach you.',
      name: 'Name',
      email: 'Email',
      startChat: 'Start chat',
      nameRequired: 'Please enter your name',
      nameTooLong: 'The name is too long (100 characters at most)',
      emailRequired: 'Please enter your email',
      emailInvalid: 'Please enter a valid email address',
      textRequired: 'Please write your message',
      textTooLong: 'The message is too long',
      outsideHours: 'We are outside service hours right now.',
      noAgents: 'No agent is online right now.',
      leaveMessage: 'Leave a message',
      leaveTitle: 'Leave us a message and we will answer by email soon.',
      leaveText: 'Message',
      leaveSubmit: 'Send message',
      back: 'Back',
      submitting: 'Sending…',
      leaveDone: 'Message received — ticket #{n}. We will answer by email soon.',
      leaveFailed: 'Could not send. Please try again later.',
      tooManyRequests: 'Too many attempts. Please try again in a minute.',
    },
  };

  function pickLang(value) {
    var v = String(value || '').toLowerCase();
    if (v.indexOf('zh') === 0) return 'zh';
    if (v.indexOf('en') === 0) return 'en';
    return null;
  }

  function t(key, vars) {
    var table = STRINGS[state.lang] || STRINGS.zh;
    var text = table[key] != null ? table[key] : STRINGS.en[key] != null ? STRINGS.en[key] : key;
    if (vars) text = text.replace(/\{(\w+)\}/g, function (_, k) { return vars[k] != null ? String(vars[k]) : ''; });
    return text;
  }

  // ---- storage (per site, and per identified user) ------------------------------------------------

  var PREFIX = 'helpdesk:' + siteKey + (config.userId ? ':user:' + config.userId : '');
  var KEYS = {
    token: PREFIX + ':visitor-token',
    outbox: PREFIX + ':outbox',
    profile: PREFIX + ':profile',
    lang: 'helpdesk:' + siteKey + ':lang',
    open: PREFIX + ':panel-open',
  };

  function read(store, key) {
    try { return window[store].getItem(key); } catch (e) { return null; }
  }
  function write(store, key, value) {
    try {
      if (value == null) window[store].removeItem(key);
      else window[store].setItem(key, value);
    } catch (e) { /* storage full or blocked: the widget still works for this page */ }
  }
  function readJson(key, fallback) {
    try { var v = JSON.parse(read('localStorage', key)); return v == null ? fallback : v; } catch (e) { return fallback; }
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) {
      try { return crypto.randomUUID(); } catch (e) { /* not a secure context */ }
    }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // ---- state ----------------------------------------------------------------------------------------

  var state = {
    lang: pickLang(read('localStorage', KEYS.lang)) || pickLang(config.lang) || pickLang(navigator.language) || 'en',
    open: false,
    token: read('localStorage', KEYS.token),
    session: null,
    availability: null, // {open, agentsOnline, offerOfflineMessage}
    conn: 'idle', // idle | connecting | connected | reconnecting | unavailable
    everConnected: false,
    ticket: null,
    ticketStatus: null,
    supervisor: null, // null | asking | asked | failed: the supervisor button of this conversation
    agentName: null,
    ended: false,
    lastSeq: 0, // everything up to here has been seen (only History and pushes after it move it)
    staffRead: 0,
    customerReadSent: 0,
    queue: null,
    typing: null,
    view: 'chat', // chat | prechat | leave | leaveDone
    leaveReceipt: null,
    profile: readJson(KEYS.profile, null),
    outbox: readJson(KEYS.outbox, []),
    notice: null, // a file the page refused before sending: { name, code }
  };
  if (!Array.isArray(state.outbox)) state.outbox = [];

  /** The timeline: entries keyed by sequence (stored) and by client id (ours, before the ack). */
  var entries = [];
  var bySeq = new Map();
  var byClient = new Map();
  var localOrder = 0;
  var atBottom = true; // the reader is at the end of the timeline (a loading image keeps them there)

  /**
   * Another tab of the same shop shares the outbox: merge with what is stored before writing, so
   * that neither tab drops the other's unsent messages (sending one twice is harmless: same id).
   */
  function saveOutbox(dropped) {
    var stored = readJson(KEYS.outbox, []);
    var seen = {};
    var merged = [];
    state.outbox.concat(Array.isArray(stored) ? stored : []).forEach(function (item) {
      if (!item || !item.id || seen[item.id] || (dropped && dropped[item.id])) return;
      seen[item.id] = true;
      merged.push(item);
    });
    merged.sort(function (a, b) { return (a.at || 0) - (b.at || 0); });
    state.outbox = merged;
    write('localStorage', KEYS.outbox, merged.length ? JSON.stringify(merged) : null);
  }

  // ---- DOM helpers (text only through textContent) ---------------------------------------------------

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v == null || v === false) return;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k.indexOf('on') === 0) el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : v);
      });
    }
    (children || []).forEach(function (c) { if (c) el.appendChild(c); });
    return el;
  }

  var SVG_NS = 'http://www.w3.org/2000/svg';
  function icon(pathData, size) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', String(size || 24));
    svg.setAttribute('height', String(size || 24));
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', pathData);
    path.setAttribute('fill', 'currentColor');
    svg.appendChild(path);
    return svg;
  }
  var ICON_CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8.5L4 21.5V18a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.25a1.25 1.25 0 1 0 0 2.5 1.25 1.25 0 0 0 0-2.5zm5 0a1.25 1.25 0 1 0 0 2.5 1.25 1.25 0 0 0 0-2.5zm5 0a1.25 1.25 0 1 0 0 2.5 1.25 1.25 0 0 0 0-2.5z';
  var ICON_CLOSE = 'M18.3 5.71 12 12.01l-6.3-6.3-1.41 1.41 6.3 6.3-6.3 6.29 1.41 1.42 6.3-6.3 6.29 6.3 1.42-1.42-6.3-6.29 6.3-6.3z';
  var ICON_CLOCK = 'M11.99 2C6.47 2 2 6.48 2 12s4.47 10 9.99 10C17.52 22 22 17.52 22 12S17.52 2 11.99 2zM12 20c-4.42 0-8-3.58-8-8s3.58-8 8-8 8 3.58 8 8-3.58 8-8 8zm.5-13H11v6l5.25 3.15.75-1.23-4.5-2.67z';
  var ICON_CHECK = 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4L9 16.2z';
  var ICON_CHECKS = 'M18 7l-1.41-1.41-6.34 6.34 1.41 1.41L18 7zm4.24-1.41L11.66 16.17 7.48 12l-1.41 1.41L11.66 19l12-12-1.42-1.41zM.41 13.41 6 19l1.41-1.41L1.83 12 .41 13.41z';
  var ICON_WARN = 'M11 15h2v2h-2zm0-8h2v6h-2zm.99-5C6.47 2 2 6.48 2 12s4.47 10 9.99 10C17.52 22 22 17.52 22 12S17.52 2 11.99 2zM12 20c-4.42 0-8-3.58-8-8s3.58-8 8-8 8 3.58 8 8-3.58 8-8 8z';
  var ICON_CLIP = 'M16.5 6v11.5c0 2.21-1.79 4-4 4s-4-1.79-4-4V5c0-1.38 1.12-2.5 2.5-2.5s2.5 1.12 2.5 2.5v10.5c0 .55-.45 1-1 1s-1-.45-1-1V6H10v9.5c0 1.38 1.12 2.5 2.5 2.5s2.5-1.12 2.5-2.5V5c0-2.21-1.79-4-4-4S7 2.79 7 5v12.5c0 3.04 2.46 5.5 5.5 5.5s5.5-2.46 5.5-5.5V6h-1.5z';
  var ICON_PDF = 'M20 2H8c-1.1 0-2 .9-2 2v12c0 1.1.9 2 2 2h12c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2zm-8.5 7.5c0 .83-.67 1.5-1.5 1.5H9v2H7.5V7H10c.83 0 1.5.67 1.5 1.5v1zm5 2c0 .83-.67 1.5-1.5 1.5h-2.5V7H15c.83 0 1.5.67 1.5 1.5v3zm4-3H19v1h1.5V11H19v2h-1.5V7h3v1.5zM9 9.5h1v-1H9v1zM4 6H2v14c0 1.1.9 2 2 2h14v-2H4V6zm10 5.5h1v-3h-1v3z';
  var ICON_FILE = 'M14 2H6c-1.1 0-1.99.9-1.99 2L4 20c0 1.1.89 2 1.99 2H18c1.1 0 2-.9 2-2V8l-6-6zm2 16H8v-2h8v2zm0-4H8v-2h8v2zm-3-5V3.5L18.5 9H13z';
  var ICON_SEND = 'M3.4 20.4 21.85 12.5a.55.55 0 0 0 0-1L3.4 3.6a.55.55 0 0 0-.77.63L4.6 11 14 12 4.6 13l-1.97 6.77a.55.55 0 0 0 .77.63z';

  // ---- the shadow root and its styles ------------------------------------------------------------------

  var CSS_TEXT = [
    // The host page's rules must not reach in or move us: !important in the shadow beats the page's !important.
    ':host{all:initial !important;display:block !important;position:fixed !important;right:0 !important;bottom:0 !important;',
    'width:0 !important;height:0 !important;margin:0 !important;padding:0 !important;border:0 !important;z-index:2147483000 !important;',
    'visibility:visible !important;opacity:1 !important;transform:none !important;filter:none !important;overflow:visible !important;contain:none !important}',
    '*,*::before,*::after{box-sizing:border-box}',
    '.root{--hd-color:' + DEFAULT_COLOR + ';--hd-on-color:#fff;font:14px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;',
    'color:#1f2329;-webkit-font-smoothing:antialiased;text-align:left;direction:ltr;letter-spacing:normal;text-transform:none}',
    'button,input,textarea{font:inherit;color:inherit;letter-spacing:inherit;text-transform:none;margin:0}',
    'button{cursor:pointer}',
    '[hidden]{display:none !important}',
    '.launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;padding:0;background:var(--hd-color);',
    'color:var(--hd-on-color);display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(0,0,0,.22);transition:transform .15s ease}',
    '.launcher:hover{transform:scale(1.05)}',
    '.launcher:focus-visible,.panel button:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}',
    '.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#e5484d;color:#fff;',
    'font-size:12px;font-weight:600;line-height:20px;text-align:center;box-shadow:0 0 0 2px #fff}',
    '.panel{position:fixed;right:20px;bottom:88px;width:370px;height:min(580px,calc(100vh - 108px));display:flex;flex-direction:column;',
    'background:#fff;border-radius:14px;overflow:hidden;box-shadow:0 12px 40px rgba(0,0,0,.25);border:1px solid rgba(0,0,0,.06)}',
    '@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;height:100vh;border-radius:0}.launcher.open{display:none}}',
    '.head{display:flex;align-items:center;gap:8px;padding:12px 10px 12px 16px;background:var(--hd-color);color:var(--hd-on-color)}',
    '.titles{flex:1;min-width:0}',
    '.title{margin:0;font-size:16px;font-weight:600;line-height:1.3;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}',
    '.subtitle{margin:2px 0 0;font-size:12px;opacity:.9;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}',
    '.head button{background:transparent;border:0;color:inherit;border-radius:8px;height:32px;display:flex;align-items:center;justify-content:center}',
    '.head button:hover{background:rgba(255,255,255,.18)}',
    '.lang{padding:0 8px;font-size:13px;font-weight:600;border:1px solid currentColor !important;opacity:.95}',
    '.close{width:32px;padding:0}',
    '.bar{padding:6px 14px;font-size:12.5px;border-bottom:1px solid #eceef1}',
    '.conn{background:#fff4e5;color:#8a4b00}',
    '.conn.down{background:#fdecec;color:#9b1c1c}',
    '.offline{background:#f2f6ff;color:#233a6b;display:flex;align-items:center;gap:8px}',
    '.offline span{flex:1}',
    '.linkbtn{background:none;border:0;padding:0;color:var(--hd-color);font-weight:600;text-decoration:underline;text-underline-offset:2px}',
    '.offline .linkbtn{color:#1849a9}',
    '.queue{background:#f6f7f9;color:#3b4350}',
    '.supervisor{background:#eef4ff;color:#1849a9}',
    '.supervisor.failed{background:#fdecec;color:#8c1d1d}',
    '.queue small{display:block;color:#6b7280}',
    '.body{flex:1;min-height:0;display:flex;flex-direction:column;background:#f5f6f8}',
    '.messages{flex:1;overflow-y:auto;padding:14px 12px 6px;display:flex;flex-direction:column;gap:8px;overscroll-behavior:contain}',
    '.msg{display:flex;flex-direction:column;max-width:82%}',
    '.msg.customer{align-self:flex-end;align-items:flex-end}',
    '.msg.agent,.msg.welcome{align-self:flex-start;align-items:flex-start}',
    '.msg.system{align-self:center;align-items:center;max-width:92%}',
    '.author{font-size:12px;color:#6b7280;margin:0 4px 2px}',
    '.bubble{padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:normal}',
    '.customer .bubble{background:var(--hd-color);color:var(--hd-on-color);border-bottom-right-radius:4px}',
    '.agent .bubble,.welcome .bubble{background:#fff;border:1px solid #e3e6ea;border-bottom-left-radius:4px}',
    '.system .bubble{background:transparent;color:#6b7280;font-size:12px;padding:2px 8px}',
    '.customer.pending .bubble{opacity:.55}',
    '.customer.failed .bubble{background:#fff;color:#1f2329;border:1px solid #e5484d}',
    '.meta{font-size:11px;color:#8a919c;margin:2px 4px 0;display:flex;gap:6px;align-items:center}',
    '.meta .tick{color:#8a919c;display:inline-flex}',
    '.meta .tick.read{color:var(--hd-color)}',
    '.failed .meta{color:#c62828}',
    '.failed .meta button{background:none;border:0;padding:0;color:#c62828;text-decoration:underline;font-size:11px;white-space:nowrap}',
    // Files in messages: images as thumbnails, other files (PDF) as a card with name and size.
    '.bubble .text{display:block}',
    '.bubble.has-file{padding:4px}',
    '.bubble.has-file .text{padding:4px 8px 6px}',
    // A picture alone is shown as the picture, without a bubble around it.
    '.bubble.image-only,.customer .bubble.image-only{padding:0;background:transparent;border:0}',
    '.thumb{display:block;width:fit-content;border-radius:12px;overflow:hidden;background:#e9ecf0;min-width:72px;min-height:54px;line-height:0;cursor:zoom-in;border:1px solid rgba(0,0,0,.08)}',
    '.thumb img{display:block;max-width:240px;max-height:240px;width:auto;height:auto}',
    '.thumb:focus-visible,.filecard:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}',
    '.filecard{display:flex;align-items:center;gap:10px;padding:8px 12px 8px 8px;width:240px;max-width:100%;border-radius:10px;color:inherit;text-decoration:none;white-space:normal}',
    '.agent .filecard{background:#f3f5f8}',
    '.customer .filecard{background:rgba(255,255,255,.16)}',
    '.customer.failed .filecard{background:#f3f5f8}',
    'a.filecard:hover .fname{text-decoration:underline}',
    '.fileicon{flex:none;display:flex;width:36px;height:36px;align-items:center;justify-content:center;border-radius:8px;background:#e5484d;color:#fff}',
    '.fileicon.other{background:#6b7280}',
    '.fileinfo{display:flex;flex-direction:column;min-width:0;line-height:1.35}',
    '.fname{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}',
    '.fsize{font-size:12px;opacity:.8}',
    '.fcaption{font-size:12px;padding:4px 6px 0;max-width:240px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}',
    '.image-only .fcaption{color:#3b4350;text-align:right}',
    '.image-only .progress span{background:var(--hd-color)}',
    '.progress{height:4px;border-radius:2px;background:rgba(127,127,127,.3);margin:6px 4px 2px;overflow:hidden}',
    '.progress span{display:block;height:100%;width:0;background:currentColor;transition:width .2s ease}',
    '.customer.pending .bubble.has-file{opacity:.8}',
    '.notice{display:flex;gap:8px;align-items:flex-start;padding:8px 12px;background:#fdecec;color:#9b1c1c;font-size:12.5px;border-top:1px solid #f6cccc}',
    '.notice svg{flex:none;margin-top:1px}',
    '.notice span{flex:1}',
    '.notice button{background:none;border:0;padding:0;color:inherit;font-weight:600;text-decoration:underline;font-size:12.5px}',
    '.dropzone{position:absolute;inset:8px;z-index:5;display:flex;align-items:center;justify-content:center;padding:24px;text-align:center;',
    'background:rgba(255,255,255,.94);border:2px dashed var(--hd-color);border-radius:12px;color:#1f2329;font-size:15px;font-weight:600;pointer-events:none}',
    '.typing{padding:0 16px 6px;font-size:12px;color:#6b7280;font-style:italic;min-height:0}',
    '.ended{padding:12px 14px;border-top:1px solid #eceef1;background:#fff;text-align:center;color:#3b4350}',
    '.ended p{margin:0 0 8px}',
    '.primary{background:var(--hd-color);color:var(--hd-on-color);border:0;border-radius:8px;padding:8px 16px;font-weight:600}',
    '.primary:disabled{opacity:.6;cursor:default}',
    '.secondary{background:#fff;color:#3b4350;border:1px solid #d0d5dc;border-radius:8px;padding:7px 14px}',
    '.survey{margin:8px 12px;padding:12px;border:1px solid #d0d5dc;border-radius:10px;background:#fff;display:flex;flex-direction:column;gap:8px}',
    '.survey .stars{display:flex;gap:2px}',
    '.survey .star{background:none;border:0;font-size:28px;line-height:1;color:#c8ced6;padding:2px;min-width:36px;min-height:36px;cursor:pointer}',
    '.survey .star.on{color:#f5a623}',
    '.survey .choices{display:flex;gap:8px}',
    '.survey .choice[aria-pressed="true"]{border-color:var(--hd-color);color:var(--hd-color);font-weight:600}',
    '.survey textarea{width:100%;box-sizing:border-box;font:inherit;border:1px solid #d0d5dc;border-radius:8px;padding:6px}',
    '.survey .err{color:#b42318;margin:0}',
    '.composer{display:flex;align-items:flex-end;gap:6px;padding:10px 10px 10px 6px;border-top:1px solid #eceef1;background:#fff}',
    '.composer textarea{flex:1;resize:none;border:1px solid #d0d5dc;border-radius:10px;padding:8px 10px;max-height:120px;min-height:38px;line-height:1.4;background:#fff;outline:none}',
    '.composer textarea:focus{border-color:var(--hd-color);box-shadow:0 0 0 3px color-mix(in srgb,var(--hd-color) 22%,transparent)}',
    '.composer .attachbtn{width:34px;height:38px;border-radius:10px;border:0;padding:0;background:transparent;color:#5b6472;display:flex;align-items:center;justify-content:center;flex:none}',
    '.composer .attachbtn:hover{background:#f0f2f5;color:#1f2329}',
    '.composer .sendbtn{width:38px;height:38px;border-radius:10px;border:0;background:var(--hd-color);color:var(--hd-on-color);display:flex;align-items:center;justify-content:center;flex:none}',
    '.foot{display:flex;justify-content:space-between;align-items:center;padding:4px 12px 8px;background:#fff;font-size:11.5px;color:#8a919c}',
    '.foot .linkbtn{color:#6b7280;font-weight:400;font-size:11.5px}',
    '.foot .linkbtn:disabled{opacity:.55;text-decoration:none;cursor:default}',
    '.form{flex:1;overflow-y:auto;padding:16px;background:#fff;display:flex;flex-direction:column;gap:12px}',
    '.form p.intro{margin:0;color:#3b4350}',
    '.field{display:flex;flex-direction:column;gap:4px}',
    '.field label{font-size:13px;font-weight:600;color:#3b4350}',
    '.field input,.field textarea{border:1px solid #d0d5dc;border-radius:8px;padding:8px 10px;background:#fff;outline:none;width:100%}',
    '.field textarea{min-height:110px;resize:vertical}',
    '.field input:focus,.field textarea:focus{border-color:var(--hd-color);box-shadow:0 0 0 3px color-mix(in srgb,var(--hd-color) 22%,transparent)}',
    '.field [aria-invalid="true"]{border-color:#e5484d}',
    '.error{font-size:12px;color:#c62828;min-height:0}',
    '.actions{display:flex;gap:8px;justify-content:flex-end}',
    '.done{margin:0;padding:12px;border-radius:10px;background:#edf7ed;color:#1e4620}',
  ].join('\n');

  var host = document.createElement('div');
  host.setAttribute('data-helpdesk-widget', siteKey);
  var shadow = host.attachShadow({ mode: 'open' });
  var style = document.createElement('style');
  style.textContent = CSS_TEXT;
  shadow.appendChild(style);

  // ---- building the UI ---------------------------------------------------------------------------------

  var ui = {};

  ui.badge = h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' });
  ui.launcherIcon = h('span', { 'aria-hidden': 'true', style: 'display:flex' }, [icon(ICON_CHAT, 28)]);
  ui.launcher = h('button', { class: 'launcher', type: 'button', 'aria-controls': 'hd-panel', 'aria-expanded': 'false', onclick: toggle },
    [ui.launcherIcon, ui.badge]);

  ui.title = h('h2', { class: 'title', id: 'hd-title' });
  ui.subtitle = h('p', { class: 'subtitle' });
  ui.langBtn = h('button', { class: 'lang', type: 'button', onclick: toggleLanguage });
  ui.closeBtn = h('button', { class: 'close', type: 'button', onclick: function () { close(true); } }, [icon(ICON_CLOSE, 20)]);
  var head = h('div', { class: 'head' }, [h('div', { class: 'titles' }, [ui.title, ui.subtitle]), ui.langBtn, ui.closeBtn]);

  ui.conn = h('div', { class: 'bar conn', role: 'status', hidden: true });
  ui.offlineText = h('span');
  ui.offlineBtn = h('button', { class: 'linkbtn', type: 'button', onclick: function () { showView('leave'); } });
  ui.offline = h('div', { class: 'bar offline', hidden: true }, [ui.offlineText, ui.offlineBtn]);
  ui.queue = h('div', { class: 'bar queue', role: 'status', 'aria-live': 'polite', hidden: true });

  ui.messages = h('div', { class: 'messages', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' });
  ui.typing = h('div', { class: 'typing', 'aria-live': 'polite', hidden: true });
  ui.endedText = h('p');
  ui.newChatBtn = h('button', { class: 'primary', type: 'button', onclick: startNewChat });
  ui.ended = h('div', { class: 'ended', hidden: true }, [ui.endedText, ui.newChatBtn]);
  ui.input = h('textarea', { rows: '1', maxlength: '20000', oninput: onComposerInput, onkeydown: onComposerKey });
  ui.input.addEventListener('paste', onComposerPaste);
  ui.sendBtn = h('button', { class: 'sendbtn', type: 'submit' }, [icon(ICON_SEND, 20)]);
  ui.fileInput = h('input', { type: 'file', accept: FILE_TYPES.join(','), multiple: true, hidden: true, tabindex: '-1', onchange: onFilesChosen });
  ui.attachBtn = h('button', { class: 'attachbtn', type: 'button', onclick: function () { ui.fileInput.click(); } }, [icon(ICON_CLIP, 22)]);
  ui.composer = h('form', { class: 'composer', onsubmit: function (e) { e.preventDefault(); sendFromComposer(); } },
    [ui.attachBtn, ui.fileInput, ui.input, ui.sendBtn]);
  ui.noticeText = h('span');
  ui.noticeBtn = h('button', { type: 'button', onclick: function () { setNotice(null); ui.input.focus(); } });
  ui.notice = h('div', { class: 'notice', role: 'alert', hidden: true }, [icon(ICON_WARN, 16), ui.noticeText, ui.noticeBtn]);
  ui.dropzone = h('div', { class: 'dropzone', hidden: true, 'aria-hidden': 'true' });
  ui.endChatBtn = h('button', { class: 'linkbtn', type: 'button', id: 'hd-end-chat', hidden: true, onclick: endChat });
  ui.supervisorBtn = h('button', { class: 'linkbtn', type: 'button', id: 'hd-ask-supervisor', hidden: true, onclick: askForSupervisor });
  ui.supervisorBar = h('div', { class: 'bar supervisor', id: 'hd-supervisor-status', role: 'status', 'aria-live': 'polite', hidden: true });
  ui.brand = h('span', { text: 'Helpdesk' });
  ui.foot = h('div', { class: 'foot' }, [h('span', {}, [ui.endChatBtn, ui.supervisorBtn]), ui.brand]);
  ui.chatView = h('div', { class: 'body' }, [ui.messages, ui.typing, ui.ended, ui.notice, ui.composer]);

  // Pre-chat form: name and email before the first message.
  ui.pre = buildForm('pre', [
    { name: 'name', type: 'text', autocomplete: 'name', maxlength: 100 },
    { name: 'email', type: 'email', autocomplete: 'email', maxlength: 256 },
  ], submitPrechat);
  // Leave-a-message form (离线留言).
  ui.leave = buildForm('leave', [
    { name: 'name', type: 'text', autocomplete: 'name', maxlength: 100 },
    { name: 'email', type: 'email', autocomplete: 'email', maxlength: 256 },
    { name: 'text', type: 'textarea', maxlength: 20000 },
  ], submitLeaveMessage, function () { showView('chat'); });
  ui.leaveDoneText = h('p', { class: 'done', role: 'status' });
  ui.leaveDoneBack = h('button', { class: 'secondary', type: 'button', onclick: function () { showView('chat'); } });
  ui.leaveDone = h('div', { class: 'form', hidden: true }, [ui.leaveDoneText, h('div', { class: 'actions' }, [ui.leaveDoneBack])]);

  ui.panel = h('section', { class: 'panel', id: 'hd-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'hd-title', hidden: true },
    [head, ui.conn, ui.offline, ui.queue, ui.supervisorBar, ui.chatView, ui.pre.form, ui.leave.form, ui.leaveDone, ui.foot, ui.dropzone]);
  ui.panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') { e.stopPropagation(); close(true); }
  });
  ['dragenter', 'dragover', 'dragleave', 'drop'].forEach(function (type) { ui.panel.addEventListener(type, onDrag); });
  ui.messages.addEventListener('scroll', function () {
    atBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40;
  });

  ui.root = h('div', { class: 'root' }, [ui.panel, ui.launcher]);
  shadow.appendChild(ui.root);
  ui.root.style.setProperty('--hd-color', config.color);

  function buildForm(id, fields, onSubmit, onBack) {
    var f = { fields: {} };
    f.intro = h('p', { class: 'intro' });
    var children = [f.intro];
    fields.forEach(function (spec) {
      var inputId = 'hd-' + id + '-' + spec.name;
      var errorId = inputId + '-error';
      var label = h('label', { for: inputId });
      var input = spec.type === 'textarea'
        ? h('textarea', { id: inputId, name: spec.name, maxlength: String(spec.maxlength), 'aria-describedby': errorId })
        : h('input', { id: inputId, name: spec.name, type: spec.type, autocomplete: spec.autocomplete, maxlength: String(spec.maxlength), 'aria-describedby': errorId });
      var error = h('div', { class: 'error', id: errorId, 'aria-live': 'polite' });
      f.fields[spec.name] = { label: label, input: input, error: error };
      children.push(h('div', { class: 'field' }, [label, input, error]));
    });
    f.general = h('div', { class: 'error', role: 'alert' });
    f.submit = h('button', { class: 'primary', type: 'submit' });
    var actions = [];
    if (onBack) {
      f.back = h('button', { class: 'secondary', type: 'button', onclick: onBack });
      actions.push(f.back);
    }
    actions.push(f.submit);
    children.push(f.general, h('div', { class: 'actions' }, actions));
    f.form = h('form', { class: 'form', novalidate: true, hidden: true, onsubmit: function (e) { e.preventDefault(); onSubmit(); } }, children);
    return f;
  }

  function setFieldError(form, name, message) {
    var field = form.fields[name];
    if (!field) return;
    field.error.textContent = message || '';
    if (message) field.input.setAttribute('aria-invalid', 'true');
    else field.input.removeAttribute('aria-invalid');
  }

  function clearErrors(form) {
    Object.keys(form.fields).forEach(function (n) { setFieldError(form, n, null); });
    form.general.textContent = '';
  }

  var EMAIL = /^[^\s@]+@[^\s@]+$/;

  /** The page checks what the server checks, so the form rarely has to wait for a 400. */
  function validateContact(form, values, needText) {
    var errors = {};
    if (!values.name) errors.name = t('nameRequired');
    else if (values.name.length > 100) errors.name = t('nameTooLong');
    if (!values.email) errors.email = t('emailRequired');
    else if (values.email.length > 256 || !EMAIL.test(values.email)) errors.email = t('emailInvalid');
    if (needText) {
      if (!values.text) errors.text = t('textRequired');
      else if (values.text.length > 20000) errors.text = t('textTooLong');
    }
    clearErrors(form);
    var first = null;
    Object.keys(errors).forEach(function (k) {
      setFieldError(form, k, errors[k]);
      if (!first) first = form.fields[k].input;
    });
    if (first) first.focus();
    return !first;
  }

  function formValues(form) {
    var v = {};
    Object.keys(form.fields).forEach(function (k) { v[k] = form.fields[k].input.value.trim(); });
    return v;
  }

  // ---- rendering ---------------------------------------------------------------------------------------

  function readableOn(color) {
    // Pick white or near-black text for the site colour by its luminance.
    var probe = h('span', { style: 'color:' + color + ';display:none' });
    ui.root.appendChild(probe);
    var rgb = getComputedStyle(probe).color.match(/[\d.]+/g) || [10, 124, 255];
    probe.remove();
    var lum = [0, 1, 2].map(function (i) {
      var c = Number(rgb[i]) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var l = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    return l > 0.45 ? '#111' : '#fff';
  }

  function siteName() {
    return (state.session && state.session.siteName) || t('chatTitle');
  }

  function offerOffline() {
    var a = state.availability;
    if (!a || !a.offerOfflineMessage) return false;
    // Once an agent has the chat there is nothing to leave a message about.
    return !(state.ticket && !state.ended && state.ticketStatus && state.ticketStatus !== 'New');
  }

  /** Agent messages after the customer's read mark (the server's, once the chat is resumed). */
  function unreadCount() {
    var n = 0;
    entries.forEach(function (e) { if (e.kind === 'agent' && e.seq != null && e.seq > state.customerReadSent) n++; });
    return n;
  }

  function render() {
    var unread = state.open ? 0 : unreadCount();
    ui.panel.setAttribute('lang', state.lang === 'zh' ? 'zh-CN' : 'en');
    ui.launcher.setAttribute('aria-label', unread > 0
      ? t('openChat') + ' (' + t('unread', { n: unread }) + ')'
      : state.open ? t('closeChat') : t('openChat'));
    ui.launcher.setAttribute('aria-expanded', state.open ? 'true' : 'false');
    ui.launcher.classList.toggle('open', state.open);
    ui.launcherIcon.replaceChildren(icon(state.open ? ICON_CLOSE : ICON_CHAT, state.open ? 26 : 28));
    ui.badge.hidden = unread === 0;
    ui.badge.textContent = unread > 99 ? '99+' : String(unread);
    ui.panel.hidden = !state.open;
    ui.panel.setAttribute('aria-label', siteName());

    ui.title.textContent = siteName();
    ui.subtitle.textContent = state.agentName && !state.ended
      ? t('agent') + '：' + state.agentName
      : t('chatTitle');
    if (state.lang === 'en' && state.agentName && !state.ended) ui.subtitle.textContent = t('agent') + ': ' + state.agentName;
    ui.langBtn.textContent = t('langButton');
    ui.langBtn.setAttribute('aria-label', t('switchLang'));
    ui.closeBtn.setAttribute('aria-label', t('close'));
    ui.closeBtn.setAttribute('title', t('close'));

    var connText = state.conn === 'unavailable' ? t('unavailable')
      : state.conn === 'reconnecting' ? t('reconnecting')
      : state.conn === 'connecting' && (state.outbox.length || state.ticket) ? t('connecting')
      : '';
    ui.conn.hidden = !connText;
    ui.conn.textContent = connText;
    ui.conn.classList.toggle('down', state.conn === 'unavailable');

    var showOffline = offerOffline() && state.view === 'chat';
    ui.offline.hidden = !showOffline;
    ui.offlineText.textContent = state.availability && !state.availability.open ? t('outsideHours') : t('noAgents');
    ui.offlineBtn.textContent = t('leaveMessage');

    renderQueue();

    ui.typing.hidden = !(state.typing && !state.ended);
    ui.typing.textContent = state.typing ? t('agentTyping', { name: state.typing.name || t('agent') }) : '';

    ui.ended.hidden = !state.ended;
    ui.endedText.textContent = t('endedPrompt');
    ui.newChatBtn.textContent = t('newChat');
    ui.composer.hidden = state.ended;
    ui.input.setAttribute('placeholder', t('placeholder'));
    ui.input.setAttribute('aria-label', t('message'));
    ui.input.setAttribute('title', t('composerHint'));
    ui.sendBtn.setAttribute('aria-label', t('send'));
    ui.sendBtn.setAttribute('title', t('send'));
    ui.attachBtn.setAttribute('aria-label', t('attach'));
    ui.attachBtn.setAttribute('title', t('attach') + ' — ' + t('attachHint'));
    ui.notice.hidden = !state.notice || state.ended || state.view !== 'chat';
    ui.noticeText.textContent = state.notice ? t('fileNotSent', { name: state.notice.name, reason: t('file.' + state.notice.code) }) : '';
    ui.noticeBtn.textContent = t('dismiss');
    ui.dropzone.textContent = t('dropHere');
    ui.endChatBtn.hidden = !(state.ticket && !state.ended && state.view === 'chat');
    ui.endChatBtn.textContent = t('endChat');
    // One request per conversation: the button stays, disabled, once the supervisor has been asked.
    var sup = state.supervisor;
    ui.supervisorBtn.hidden = !(state.ticket && !state.ended && state.view === 'chat');
    ui.supervisorBtn.disabled = sup === 'asking' || sup === 'asked' || !hub || hub.state !== 'Connected';
    ui.supervisorBtn.textContent = t(sup === 'asking' ? 'askingSupervisor' : 'askSupervisor');
    ui.supervisorBtn.style.marginLeft = ui.endChatBtn.hidden ? '0' : '12px';
    ui.supervisorBar.hidden = !(sup === 'asked' || sup === 'failed') || state.view !== 'chat';
    ui.supervisorBar.className = 'bar supervisor' + (sup === 'failed' ? ' failed' : '');
    ui.supervisorBar.textContent = sup === 'asked' ? t('supervisorAsked') : sup === 'failed' ? t('supervisorFailed') : '';

    ui.chatView.hidden = state.view !== 'chat';
    ui.pre.form.hidden = state.view !== 'prechat';
    ui.leave.form.hidden = state.view !== 'leave';
    ui.leaveDone.hidden = state.view !== 'leaveDone';

    ui.pre.intro.textContent = t('prechatTitle');
    ui.pre.fields.name.label.textContent = t('name');
    ui.pre.fields.email.label.textContent = t('email');
    ui.pre.submit.textContent = t('startChat');
    ui.leave.intro.textContent = t('leaveTitle');
    ui.leave.fields.name.label.textContent = t('name');
    ui.leave.fields.email.label.textContent = t('email');
    ui.leave.fields.text.label.textContent = t('leaveText');
    ui.leave.submit.textContent = ui.leave.busy ? t('submitting') : t('leaveSubmit');
    ui.leave.back.textContent = t('back');
    ui.leaveDoneText.textContent = state.leaveReceipt ? t('leaveDone', { n: state.leaveReceipt.number }) : '';
    ui.leaveDoneBack.textContent = t('back');

    renderEntries();
  }

  // The scripts the server says in this chat (greeting, idle prompt) are in the shopper's language.
  function chatLanguage() {
    return state.lang === 'zh' ? 'zh-CN' : 'en';
  }

  function renderQueue() {
    var q = state.queue;
    var waiting = state.ticket && !state.ended && state.ticketStatus === 'New';
    if (!waiting) { ui.queue.hidden = true; return; }
    ui.queue.hidden = false;
    if (!q) { ui.queue.textContent = t('waiting'); return; }
    var n = q.position;
    var minutes = q.estimatedWaitSeconds != null ? Math.max(1, Math.ceil(q.estimatedWaitSeconds / 60)) : null;
    var key = minutes != null ? (n <= 1 ? 'queueNext' : 'queueAhead') : (n <= 1 ? 'queueNextNoEstimate' : 'queueNoEstimate');
    // The company's approved queue greeting (with the position in it) leads; the estimate follows, smaller.
    var greeting = q.greeting && q.greeting[chatLanguage()];
    if (greeting) {
      ui.queue.replaceChildren(h('span', { class: 'queue-greeting', text: greeting }), h('small', { text: t(key, { n: n, ahead: n - 1, m: minutes }) }));
    } else {
      ui.queue.replaceChildren(document.createTextNode(t(key, { n: n, ahead: n - 1, m: minutes })));
    }
    if (!q.agentsOnline && ui.offline.hidden) ui.queue.appendChild(h('small', { text: t('noAgentsQueue') }));
  }

  var welcomeEl = h('div', { class: 'msg welcome' }, [h('div', { class: 'bubble' })]);

  /**
   * Where an entry sits: stored messages by sequence; ours without a sequence yet at the bottom;
   * our own notes (agent joined, a refused message) just after the entry they followed when they
   * appeared, so they move with it once it gets its sequence.
   */
  function sortKey(e) {
    if (e.seq != null) return e.seq;
    if (e.anchor) return sortKey(e.anchor) + 0.5;
    return e.order;
  }

  function sortedEntries() {
    return entries.slice().sort(function (a, b) { return sortKey(a) - sortKey(b) || a.local - b.local; });
  }

  function lastEntry() {
    var sorted = sortedEntries();
    return sorted.length ? sorted[sorted.length - 1] : null;
  }

  function renderEntries() {
    var stick = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40;
    welcomeEl.firstChild.textContent = t('welcome', { site: siteName() });
    var wanted = [welcomeEl].concat(sortedEntries().map(renderEntry));
    for (var i = 0; i < wanted.length; i++) {
      if (ui.messages.children[i] !== wanted[i]) ui.messages.insertBefore(wanted[i], ui.messages.children[i] || null);
    }
    while (ui.messages.children.length > wanted.length) ui.messages.lastChild.remove();
    if (stick || renderEntries.forceScroll) ui.messages.scrollTop = ui.messages.scrollHeight;
    renderEntries.forceScroll = false;
  }

  function timeOf(iso) {
    if (!iso) return '';
    var d = new Date(iso);
    if (isNaN(d)) return '';
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  function renderEntry(e) {
    if (!e.el) {
      e.el = h('div', { class: 'msg ' + e.kind, 'data-client-id': e.clientId || null });
      if (e.kind === 'agent') { e.authorEl = h('div', { class: 'author' }); e.el.appendChild(e.authorEl); }
      e.bubble = h('div', { class: 'bubble' });
      e.el.appendChild(e.bubble);
      if (e.kind !== 'system') { e.meta = h('div', { class: 'meta' }); e.el.appendChild(e.meta); }
    }
    // Touch the DOM only when something shown changed (keeps the reader's text selection and focus).
    var signature = [state.lang, e.seq, e.status, e.error, e.at, e.author, e.attachment && e.attachment.id, !!e.upload].join('|');
    if (e.shown === signature) return e.el;
    e.shown = signature;
    if (e.seq != null) e.el.setAttribute('data-seq', String(e.seq));
    if (e.status) e.el.setAttribute('data-status', e.status);
    e.el.classList.toggle('pending', e.status === 'pending');
    e.el.classList.toggle('failed', e.status === 'failed');
    if (e.authorEl) e.authorEl.textContent = e.author || t('agent');
    // The body is the sender's text, shown as text: never parsed as HTML.
    var text = e.i18n ? t(e.i18n, e.vars) : e.body;
    if (e.attachment) {
      e.bubble.classList.add('has-file');
      e.bubble.classList.toggle('image-only', isImage(e.attachment.contentType) && !text && !e.notAnImage);
      var fileKey = [state.lang, e.attachment.id || '', e.upload ? e.status : ''].join('|');
      if (e.fileKey !== fileKey) { e.fileKey = fileKey; e.fileEl = renderFile(e); }
      e.bubble.replaceChildren();
      if (text) e.bubble.appendChild(h('span', { class: 'text', text: text }));
      e.bubble.appendChild(e.fileEl);
    } else {
      e.bubble.textContent = text;
    }
    if (e.meta) {
      var parts = [h('span', { class: 'time', text: timeOf(e.at) })];
      if (e.kind === 'customer') {
        if (e.status === 'pending') parts.push(h('span', { class: 'tick pending', role: 'img', title: t('pending'), 'aria-label': t('pending') }, [icon(ICON_CLOCK, 13)]));
        else if (e.status === 'sent') parts.push(h('span', { class: 'tick sent', role: 'img', title: t('sent'), 'aria-label': t('sent') }, [icon(ICON_CHECK, 14)]));
        else if (e.status === 'read') parts.push(h('span', { class: 'tick read', role: 'img', title: t('read'), 'aria-label': t('read') }, [icon(ICON_CHECKS, 14)]));
        else if (e.status === 'failed') {
          var reason = e.upload && STRINGS.en['file.' + e.error] ? t('file.' + e.error)
            : t('reason.' + (STRINGS.en['reason.' + e.error] ? e.error : 'other'));
          parts.push(icon(ICON_WARN, 13));
          parts.push(h('span', { class: 'reason', role: 'alert', text: t('failed', { reason: reason }) }));
          // A refused file would be refused again; one that met a broken connection is sent again as it was.
          if (!e.upload) parts.push(h('button', { type: 'button', class: 'retry', text: t('retry'), onclick: function () { retry(e); } }));
          else if (e.upload.retryable) parts.push(h('button', { type: 'button', class: 'retry', text: t('retry'), onclick: function () { retryUpload(e); } }));
        }
      }
      e.meta.replaceChildren.apply(e.meta, parts);
    }
    return e.el;
  }

  function formatSize(bytes) {
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1024 * 1024) return Math.max(1, Math.round(bytes / 1024)) + ' KB';
    return (bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '') + ' MB';
  }

  function isImage(type) {
    return /^image\//.test(String(type || ''));
  }

  /**
   * A file in a message. Images become thumbnails: <img> cannot send the visitor's Bearer token,
   * so the bytes are fetched with it and shown from a blob URL (a file we are still uploading is
   * shown from the picked file itself); clicking opens the full image in a new tab. Other files
   * (PDF) are a card with name and size that downloads them. Names only ever go in as text.
   */
  function renderFile(e) {
    var att = e.attachment;
    var wrap = h('div', { class: 'file' });
    var card = fileCard(att);
    if (isImage(att.contentType)) {
      var img = h('img', { alt: att.fileName, decoding: 'async' });
      var thumb = h('a', { class: 'thumb', target: '_blank', rel: 'noopener', title: t('openImage', { name: att.fileName }), 'aria-label': t('openImage', { name: att.fileName }) }, [img]);
      thumb.addEventListener('click', function (ev) { if (!thumb.getAttribute('href')) ev.preventDefault(); });
      // Until it is stored, the picture is named under it (the name is all the shopper had picked).
      var caption = e.upload ? h('div', { class: 'fcaption', text: att.fileName }) : null;
      var asFile = function () {
        if (!thumb.parentNode) return;
        thumb.replaceWith(card);
        if (caption) caption.remove();
        e.notAnImage = true;
        e.bubble.classList.remove('image-only');
      };
      img.addEventListener('load', function () { if (atBottom) ui.messages.scrollTop = ui.messages.scrollHeight; });
      // Not an image after all (or not allowed to load here): show it as a file instead.
      img.addEventListener('error', asFile);
      var source = e.upload ? Promise.resolve(e.upload.preview) : fileUrl(att);
      source.then(function (url) {
        if (!url) { asFile(); return; }
        img.src = url;
        thumb.href = url;
      }, asFile);
      wrap.appendChild(thumb);
      if (caption) wrap.appendChild(caption);
    } else {
      wrap.appendChild(card);
    }
    e.progressBar = null;
    if (e.upload && e.status === 'pending') {
      e.progressFill = h('span');
      e.progressBar = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' }, [e.progressFill]);
      wrap.appendChild(e.progressBar);
      showProgress(e);
    }
    return wrap;
  }

  function fileCard(att) {
    var pdf = att.contentType === 'application/pdf';
    var info = h('span', { class: 'fileinfo' }, [
      h('span', { class: 'fname', text: att.fileName }),
      h('span', { class: 'fsize', text: formatSize(att.size || 0) }),
    ]);
    var badge = h('span', { class: 'fileicon' + (pdf ? '' : ' other') }, [icon(pdf ? ICON_PDF : ICON_FILE, 22)]);
    if (!att.id) return h('span', { class: 'filecard', title: att.fileName }, [badge, info]);
    var link = h('a', { class: 'filecard', href: '#', download: att.fileName, title: t('download', { name: att.fileName, size: formatSize(att.size || 0) }) }, [badge, info]);
    link.addEventListener('click', function (ev) {
      if (link.getAttribute('data-ready')) return; // the browser follows the blob URL and saves it
      ev.preventDefault();
      fileUrl(att).then(function (url) {
        link.href = url;
        link.setAttribute('data-ready', '1');
        link.click();
      }, function (err) { log('download failed', err); });
    });
    return link;
  }

  function showProgress(e) {
    if (!e.progressBar) return;
    var p = Math.round((e.upload && e.upload.progress || 0) * 100);
    e.progressFill.style.width = p + '%';
    e.progressBar.setAttribute('aria-valuenow', String(p));
    e.progressBar.setAttribute('aria-label', t('uploading', { p: p }));
  }

  /** A stored file's bytes as a blob URL, fetched once with the visitor's token. */
  var fileUrls = new Map();
  function fileUrl(att) {
    if (!att.id || !att.url) return Promise.reject(new Error('no file'));
    var known = fileUrls.get(att.id);
    if (known) return known;
    var promise = (async function () {
      await ensureSession();
      var address = BASE + String(att.url).replace(/^\//, '');
      var get = function () {
        return fetch(address, { headers: { Authorization: 'Bearer ' + state.token }, mode: 'cors', credentials: 'omit' });
      };
      var response = await get();
      if (response.status === 401) { await ensureSession(true); response = await get(); }
      if (!response.ok) throw new Error('file ' + response.status);
      return URL.createObjectURL(await response.blob());
    })();
    fileUrls.set(att.id, promise);
    promise.catch(function () { if (fileUrls.get(att.id) === promise) fileUrls.delete(att.id); });
    return promise;
  }

  // ---- the timeline ----------------------------------------------------------------------------------

  function addEntry(e) {
    e.local = ++localOrder;
    entries.push(e);
    if (e.seq != null) bySeq.set(e.seq, e);
    if (e.clientId) byClient.set(e.clientId, e);
    return e;
  }

  function removeEntry(e) {
    entries = entries.filter(function (x) { return x !== e; });
    if (e.seq != null && bySeq.get(e.seq) === e) bySeq.delete(e.seq);
    if (e.clientId && byClient.get(e.clientId) === e) byClient.delete(e.clientId);
    if (e.el) e.el.remove();
  }

  function clearTimeline() {
    entries.forEach(function (e) { if (e.el) e.el.remove(); });
    entries = [];
    bySeq.clear();
    byClient.clear();
    // The files of the conversation left behind (those still being sent keep their previews).
    fileUrls.forEach(function (p) { p.then(URL.revokeObjectURL, function () {}); });
    fileUrls.clear();
  }

  function addPending(item) {
    // Pending messages stay at the bottom until the server gives them their place.
    return addEntry({ kind: 'customer', clientId: item.id, body: item.text, at: new Date(item.at).toISOString(), status: 'pending', order: Infinity });
  }

  /** After the timeline was cleared: what we are still sending, texts and files, at the bottom again. */
  function readdPending() {
    state.outbox.forEach(function (item) { if (!byClient.has(item.id)) addPending(item); });
    uploads.forEach(function (e) { if (!byClient.has(e.clientId)) { e.order = Infinity; e.anchor = null; addEntry(e); } });
  }

  function addLocalSystem(key, vars) {
    addEntry({ kind: 'system', i18n: key, vars: vars, anchor: lastEntry(), order: 0.5 });
  }

  function setSequence(e, seq, at) {
    if (e.seq === seq) return;
    var other = bySeq.get(seq);
    if (other && other !== e) removeEntry(other); // the same message reached us twice: keep ours
    e.seq = seq;
    e.order = seq;
    bySeq.set(seq, e);
    if (at) e.at = at;
  }

  function receiptFor(seq) {
    return seq != null && seq <= state.staffRead ? 'read' : 'sent';
  }

  /** Merges one stored message (from a push or from History); returns true if it was new. */
  function mergeMessage(m) {
    if (!m || m.ticketNumber !== state.ticket) return false;
    if (m.kind === 'InternalNote') return false;
    if (m.kind === 'System' && m.eventCode !== 'chat_ended') return false;
    if (bySeq.has(m.sequence)) return false;
    var mine = m.clientMessageId ? byClient.get(m.clientMessageId) : null;
    if (mine && mine.upload && m.kind === 'Customer') {
      // Our file, pushed (or found in History) before or after the upload's own answer: stored, so done.
      finishUpload(mine, m);
      return false;
    }
    if (mine && mine.kind === 'customer' && m.kind === 'Customer') {
      setSequence(mine, m.sequence, m.createdAt);
      if (mine.status !== 'failed') mine.status = receiptFor(m.sequence);
      dropFromOutbox(m.clientMessageId);
      return false;
    }
    if (m.kind === 'System') {
      addEntry({ kind: 'system', seq: m.sequence, order: m.sequence, i18n: 'ended', at: m.createdAt });
      setEnded();
      return true;
    }
    var kind = m.kind === 'Agent' ? 'agent' : 'customer';
    addEntry({
      kind: kind, seq: m.sequence, order: m.sequence, clientId: m.clientMessageId, body: m.body, author: m.authorName,
      at: m.createdAt, attachment: m.attachment, status: kind === 'customer' ? receiptFor(m.sequence) : null,
    });
    if (kind === 'agent') state.typing = null;
    return true;
  }

  function updateReceipts() {
    entries.forEach(function (e) {
      if (e.kind === 'customer' && e.seq != null && e.status === 'sent' && e.seq <= state.staffRead) e.status = 'read';
    });
  }

  // ---- outbox --------------------------------------------------------------------------------------

  function dropFromOutbox(id) {
    var dropped = {};
    dropped[id] = true;
    state.outbox = state.outbox.filter(function (x) { return x.id !== id; });
    saveOutbox(dropped);
  }

  function enqueue(text) {
    var item = { id: newId(), text: text, ticket: state.ended ? null : state.ticket, at: Date.now() };
    state.outbox.push(item);
    saveOutbox();
    addPending(item);
    renderEntries.forceScroll = true;
    render();
    ensureConnected();
    flush();
  }

  function retry(e) {
    var text = e.body;
    removeEntry(e);
    if (state.ended) startNewChat();
    enqueue(text);
  }

  /** "[code] reason" from a HubException; null for transport trouble and unexpected server errors. */
  function refusal(err) {
    var m = /(?:HubException: |^)\[([a-z_]+)\]\s*([\s\S]*)$/.exec(String(err && err.message || ''));
    return m ? { code: m[1], reason: m[2] } : null;
  }

  var flushing = null;
  var flushAgain = false;
  var flushRetryTimer = null;
  var flushRetryDelay = 1000;

  function flush() {
    if (flushing) { flushAgain = true; return flushing; }
    var run = (async function () {
      await null; // always asynchronous, so `flushing` is set before the run can finish
      try {
        do {
          flushAgain = false;
          while (state.outbox.length && hub && hub.state === 'Connected') {
            var item = state.outbox[0];
            var target = item.ticket != null ? item.ticket : (state.ended ? null : state.ticket);
            if (target == null && startingChat) {
              // A file is starting the chat: this message goes into that chat, not a second one.
              try { await startingChat; } catch (e) { /* then this message starts it */ }
              target = state.ended ? null : state.ticket;
            }
            log('sending', item.id, 'to', target);
            try {
              if (target == null) {
                // The first message starts the chat; a retry with the same id resumes it instead of doubling it.
                var started = await hub.invoke('StartChat', {
                  text: item.text, clientMessageId: item.id,
                  name: state.profile ? state.profile.name : null, email: state.profile ? state.profile.email : null,
                  language: chatLanguage(),
                });
                adoptChat(started);
                dropFromOutbox(item.id);
                var first = byClient.get(item.id);
                if (first && first.status === 'pending') first.status = 'sent';
                render();
                await catchUp();
              } else {
                var ack = await hub.invoke('Send', { ticketNumber: target, clientMessageId: item.id, text: item.text });
                dropFromOutbox(item.id);
                var e = byClient.get(item.id);
                if (e) {
                  setSequence(e, ack.sequence, ack.createdAt);
                  if (e.status !== 'failed') e.status = receiptFor(ack.sequence);
                }
                render();
              }
              flushRetryDelay = 1000;
            } catch (err) {
              log('send failed', err);
              var r = refusal(err);
              if (!r) {
                // Transport trouble or a passing server error: keep it, try again later (or at
                // once, if a new connection has asked for a flush meanwhile).
                scheduleFlushRetry();
                break;
              }
              dropFromOutbox(item.id);
              var failed = byClient.get(item.id);
              if (failed) markFailed(failed, r.code);
              if ((r.code === 'chat_ended' || r.code === 'ticket_closed') && target === state.ticket) setEnded();
              render();
            }
          }
        } while (flushAgain);
      } finally {
        if (flushing === run) flushing = null;
      }
    })();
    flushing = run;
    return run;
  }

  function markFailed(e, code) {
    e.status = 'failed';
    e.error = code;
    // It stays where it was written: after what was shown before it.
    var before = sortedEntries().filter(function (x) { return x !== e && x.status !== 'pending' && x.local < e.local; });
    e.anchor = before.length ? before[before.length - 1] : null;
    e.order = 0.25;
  }

  function scheduleFlushRetry() {
    if (flushRetryTimer) return;
    flushRetryTimer = setTimeout(function () {
      flushRetryTimer = null;
      if (hub && hub.state === 'Connected') flush();
    }, flushRetryDelay);
    flushRetryDelay = Math.min(flushRetryDelay * 2, 15000);
  }

  // ---- files -------------------------------------------------------------------------------------------
  //
  // A file goes over HTTP (multipart, with upload progress), not through the hub. It waits in memory
  // (a File cannot be kept in localStorage) and is sent one at a time, in order, with its own client
  // id: the answer and the hub's push of the same message are merged by that id, so it shows once,
  // and a resend after a broken connection is answered with the stored message, never a second one.

  var uploads = []; // timeline entries of files not yet stored, in the order they were picked
  var uploading = false;
  var startingChat = null;

  /** What the page refuses before sending anything; null if the server should judge it. */
  function fileProblem(file) {
    if (!file.size) return 'empty';
    if (file.size > FILE_MAX_BYTES) return 'too_large';
    var type = String(file.type || '').toLowerCase();
    if (type ? FILE_TYPES.indexOf(type) < 0 : !FILE_EXTENSIONS.test(file.name || '')) return 'unsupported_type';
    return null;
  }

  function setNotice(notice) {
    state.notice = notice;
    render();
  }

  function sendFiles(files) {
    var list = Array.prototype.slice.call(files || []);
    if (!list.length || state.ended || state.view !== 'chat') return;
    state.notice = null;
    list.forEach(function (file) {
      var problem = fileProblem(file);
      if (problem) { state.notice = { name: file.name || '', code: problem }; return; }
      var type = String(file.type || '').toLowerCase();
      var name = file.name || 'image.' + (type.split('/')[1] || 'png');
      var id = newId();
      var entry = addEntry({
        kind: 'customer', clientId: id, body: '', at: new Date().toISOString(), status: 'pending', order: Infinity,
        attachment: { fileName: name, contentType: type, size: file.size },
        upload: { file: file, name: name, ticket: state.ended ? null : state.ticket, progress: 0, retryable: false,
          preview: isImage(type) ? URL.createObjectURL(file) : null },
      });
      uploads.push(entry);
    });
    renderEntries.forceScroll = true;
    render();
    pumpUploads();
  }

  function retryUpload(e) {
    if (!e.upload || uploads.indexOf(e) >= 0) return;
    e.status = 'pending';
    e.error = null;
    e.anchor = null;
    e.order = Infinity;
    e.upload.progress = 0;
    e.upload.retryable = false;
    uploads.push(e);
    render();
    pumpUploads();
  }

  /** Stored: the entry becomes the message the server holds (its place, time and file). */
  function finishUpload(e, m) {
    var i = uploads.indexOf(e);
    if (i >= 0) uploads.splice(i, 1);
    if (e.upload && e.upload.preview && m.attachment) fileUrls.set(m.attachment.id, Promise.resolve(e.upload.preview));
    e.upload = null;
    e.progressBar = null;
    e.attachment = m.attachment || e.attachment;
    e.anchor = null;
    e.error = null;
    setSequence(e, m.sequence, m.createdAt);
    e.status = receiptFor(m.sequence);
    render();
  }

  /** The conversation a file goes into; starts one (through the hub) if there is none yet. */
  async function chatForUpload(e) {
    if (e.upload.ticket != null) return e.upload.ticket;
    if (state.ticket != null && !state.ended) return state.ticket;
    if (!hub || hub.state !== 'Connected') { ensureConnected(); return null; }
    await flush(); // a text before it may be starting the chat already
    if (state.ticket != null && !state.ended) return state.ticket;
    startingChat = hub.invoke('StartChat', {
      text: null, clientMessageId: null,
      name: state.profile ? state.profile.name : null, email: state.profile ? state.profile.email : null,
      language: chatLanguage(),
    });
    try {
      adoptChat(await startingChat);
    } finally {
      startingChat = null;
    }
    render();
    catchUp().catch(function (err) { log('catch-up failed', err); });
    return state.ticket;
  }

  function postFile(e, ticket) {
    return new Promise(function (resolve) {
      var form = new FormData();
      form.append('ticketNumber', String(ticket));
      form.append('clientMessageId', e.clientId);
      form.append('file', e.upload.file, e.upload.name);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', BASE + 'api/widget/attachments');
      xhr.setRequestHeader('Authorization', 'Bearer ' + state.token);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.onprogress = function (ev) {
        if (!ev.lengthComputable || !e.upload) return;
        e.upload.progress = ev.loaded / ev.total;
        showProgress(e);
      };
      xhr.onload = function () {
        var json = null;
        try { json = JSON.parse(xhr.responseText); } catch (err) { /* not JSON */ }
        resolve({ status: xhr.status, json: json });
      };
      xhr.onerror = xhr.onabort = xhr.ontimeout = function () { resolve({ status: 0, json: null }); };
      xhr.send(form);
    });
  }

  async function pumpUploads() {
    if (uploading) return;
    uploading = true;
    try {
      while (uploads.length) {
        var e = uploads[0];
        var ticket;
        try {
          await ensureSession();
          ticket = await chatForUpload(e);
        } catch (err) {
          var refused = refusal(err);
          uploads.shift();
          e.upload.retryable = !refused;
          markFailed(e, refused ? refused.code : 'network');
          render();
          continue;
        }
        if (ticket == null) break; // not connected yet: onConnected pumps again
        e.upload.ticket = ticket;
        var r = await postFile(e, ticket);
        if (r.status === 401) {
          try { await ensureSession(true); r = await postFile(e, ticket); } catch (err) { /* keep the 401 */ }
        }
        if (uploads[0] === e) uploads.shift();
        if (!e.upload) continue; // the hub's push of it came first and finished it
        if ((r.status === 200 || r.status === 201) && r.json && r.json.message) {
          finishUpload(e, r.json.message);
          continue;
        }
        var code = r.json && r.json.code;
        if (r.status === 400 && code && STRINGS.en['file.' + code]) e.upload.retryable = false;
        else if (r.status === 413) code = 'too_large';
        else if (r.status === 404) code = 'not_found';
        else if (r.status === 409 && code) {
          if ((code === 'chat_ended' || code === 'ticket_closed') && ticket === state.ticket) setEnded();
        } else if (r.status === 400) code = 'invalid';
        else if (r.status === 429) { code = 'rate_limited'; e.upload.retryable = true; }
        else { code = r.status === 0 ? 'network' : 'server'; e.upload.retryable = true; }
        markFailed(e, code);
        render();
      }
    } finally {
      uploading = false;
    }
  }

  // ---- the conversation ------------------------------------------------------------------------------

  function adoptChat(started) {
    if (!started) return;
    if (state.ticket !== started.ticketNumber) {
      // A different conversation than the one shown: start from its beginning.
      if (state.ticket != null) clearTimeline();
      state.ticket = started.ticketNumber;
      state.supervisor = null;
      state.lastSeq = 0;
      state.staffRead = 0;
      state.customerReadSent = 0;
      state.queue = null;
      // Our own messages still waiting for this chat keep their places.
      readdPending();
    }
    state.ended = false;
    state.ticketStatus = started.status;
    if (started.agentName) state.agentName = started.agentName;
    if (started.staffReadSequence > state.staffRead) state.staffRead = started.staffReadSequence;
    if (started.customerReadSequence > state.customerReadSent) state.customerReadSent = started.customerReadSequence;
    if (started.status !== 'New') state.queue = null;
    updateReceipts();
    var queued = early.queue.get(state.ticket);
    var joined = early.joined.get(state.ticket);
    early.queue.clear();
    early.joined.clear();
    if (joined) onAgentJoined(joined);
    else if (queued && state.ticketStatus === 'New') onQueue(queued);
  }

  var synced = false;

  /** Everything after the last sequence seen; merged by sequence, so nothing shows twice. */
  async function catchUp() {
    if (state.ticket == null || !hub || hub.state !== 'Connected') return;
    var ticket = state.ticket;
    var missed = await hub.invoke('History', ticket, state.lastSeq);
    if (ticket !== state.ticket) return;
    var top = state.lastSeq;
    (missed || []).forEach(function (m) {
      mergeMessage(m);
      if (m.sequence > top) top = m.sequence;
    });
    state.lastSeq = top;
    render();
    markRead();
  }

  async function resume() {
    var started = await hub.invoke('StartChat', {
      text: null, clientMessageId: null,
      name: state.profile ? state.profile.name : null, email: state.profile ? state.profile.email : null,
      language: chatLanguage(),
    });
    var before = state.ticket;
    adoptChat(started);
    if (before !== state.ticket) await catchUp();
    render();
  }

  var needsResume = false;

  async function onConnected() {
    synced = false;
    state.conn = 'connected';
    state.everConnected = true;
    restartDelay = 1000;
    render();
    try {
      // 1. what we typed, in order, with the same ids; 2. the open chat resumed (a reload: status,
      // agent, read marks); 3. everything after the last sequence seen; 4. a chat still waiting
      // is resumed after the catch-up, which would have shown it ended while we were away.
      await flush();
      if (uploads.length) pumpUploads();
      if (state.ticket != null) {
        var resumed = false;
        if (needsResume && !state.ended) {
          await resume();
          needsResume = false;
          resumed = true;
        }
        await catchUp();
        synced = true;
        if (!resumed && !state.ended && (state.ticketStatus === 'New' || state.ticketStatus == null)) await resume();
      }
      synced = true;
    } catch (err) {
      log('sync after connect failed', err);
    }
    render();
    markRead();
  }

  function setEnded() {
    if (state.ended) return;
    state.ended = true;
    state.typing = null;
    state.queue = null;
    if (state.open && state.view === 'chat') setTimeout(function () { ui.newChatBtn.focus(); }, 0);
    render();
  }

  function startNewChat() {
    clearTimeline();
    survey = null;
    if (ui.survey) renderSurvey();
    state.ticket = null;
    state.ticketStatus = null;
    state.agentName = null;
    state.ended = false;
    state.supervisor = null;
    state.lastSeq = 0;
    state.staffRead = 0;
    state.customerReadSent = 0;
    state.queue = null;
    state.typing = null;
    state.notice = null;
    readdPending();
    state.view = config.prechat && !state.profile ? 'prechat' : 'chat';
    render();
    refreshAvailability();
    focusView();
  }

  /** The customer asks for a supervisor (hub AskForSupervisor): the ticket enters the escalation ladder once. */
  async function askForSupervisor() {
    if (state.ticket == null || state.ended || !hub || hub.state !== 'Connected') return;
    if (state.supervisor === 'asking' || state.supervisor === 'asked') return;
    var ticket = state.ticket;
    state.supervisor = 'asking';
    render();
    try {
      await hub.invoke('AskForSupervisor', ticket);
      if (state.ticket === ticket) state.supervisor = 'asked';
    } catch (err) {
      log('ask for a supervisor failed', err);
      if (state.ticket === ticket) state.supervisor = 'failed';
    }
    render();
  }

  async function endChat() {
    if (state.ticket == null || state.ended || !hub || hub.state !== 'Connected') return;
    try {
      await hub.invoke('EndChat', state.ticket);
      setEnded();
    } catch (err) {
      var r = refusal(err);
      if (r && r.code === 'chat_ended') setEnded();
      else log('end chat failed', err);
    }
  }

  function markRead() {
    if (!state.open || document.visibilityState !== 'visible' || state.view !== 'chat') return;
    if (state.ticket == null || !hub || hub.state !== 'Connected') return;
    var top = 0;
    entries.forEach(function (e) { if (e.kind === 'agent' && e.seq != null && e.seq > top) top = e.seq; });
    if (top > state.customerReadSent) {
      state.customerReadSent = top;
      hub.invoke('MarkRead', state.ticket, top).catch(function () { state.customerReadSent = 0; });
    }
    render();
  }

  // ---- hub events ---------------------------------------------------------------------------------------

  function onMessage(m) {
    var fresh = mergeMessage(m);
    // Pushes move the watermark only once History has filled what came before them.
    if (synced && m.ticketNumber === state.ticket && m.sequence > state.lastSeq) state.lastSeq = m.sequence;
    if (fresh) renderEntries.forceScroll = m.kind === 'Customer';
    render();
    markRead();
  }

  function onTyping(n) {
    if (n.ticketNumber !== state.ticket || n.side !== 'Staff') return;
    clearTimeout(onTyping.timer);
    state.typing = n.isTyping ? { name: n.name } : null;
    if (n.isTyping) onTyping.timer = setTimeout(function () { state.typing = null; render(); }, 8000);
    render();
  }

  function onRead(n) {
    if (n.ticketNumber !== state.ticket || n.side !== 'Staff') return;
    if (n.sequence > state.staffRead) state.staffRead = n.sequence;
    updateReceipts();
    render();
  }

  // Pushes about a chat can arrive before StartChat has answered with its number: keep the latest.
  var early = { queue: new Map(), joined: new Map() };

  function onQueue(n) {
    if (state.ticket == null) { early.queue.set(n.ticketNumber, n); return; }
    if (n.ticketNumber !== state.ticket) return;
    state.queue = { position: n.position, estimatedWaitSeconds: n.estimatedWaitSeconds, agentsOnline: n.agentsOnline };
    render();
  }

  function onAgentJoined(n) {
    if (state.ticket == null) { early.joined.set(n.ticketNumber, n); return; }
    if (n.ticketNumber !== state.ticket) return;
    var changed = state.agentName !== n.agentName;
    state.agentName = n.agentName;
    state.ticketStatus = 'Assigned';
    state.queue = null;
    if (changed) addLocalSystem('agentJoined', { name: n.agentName });
    render();
  }

  function onChatEnded(n) {
    if (n.ticketNumber !== state.ticket) return;
    setEnded();
  }

  // ---- the satisfaction survey, pushed when the agent resolves the conversation --------------------

  var survey = null;

  function onSurvey(n) {
    if (state.ticket != null && n.ticketNumber !== state.ticket) return;
    survey = { ticket: n.ticketNumber, token: n.token, text: n.text, score: 0, solved: null, comment: '', sending: false, done: false, error: null };
    renderSurvey();
  }

  function renderSurvey() {
    if (!ui.survey) {
      ui.survey = h('form', { class: 'survey', novalidate: true, onsubmit: function (e) { e.preventDefault(); submitSurvey(); } });
      ui.ended.parentNode.insertBefore(ui.survey, ui.ended);
    }
    var f = ui.survey;
    while (f.firstChild) f.removeChild(f.firstChild);
    f.hidden = !survey;
    if (!survey) return;
    if (survey.done) {
      f.appendChild(h('p', { class: 'survey-thanks', text: t('surveyThanks') }));
      f.appendChild(h('button', { type: 'button', class: 'secondary', text: t('surveyChange'), onclick: function () { survey.done = false; renderSurvey(); } }));
      return;
    }
    f.appendChild(h('strong', { text: t('surveyTitle') }));
    if (survey.text) f.appendChild(h('p', { text: survey.text }));
    var stars = [];
    for (var i = 1; i <= 5; i++) {
      (function (n) {
        stars.push(h('button', { type: 'button', class: 'star' + (survey.score >= n ? ' on' : ''), 'aria-pressed': String(survey.score === n),
          'aria-label': t('surveyStar', { n: n }), 'data-score': String(n), text: '\u2605',
          onclick: function () { survey.score = n; survey.error = null; renderSurvey(); } }));
      })(i);
    }
    f.appendChild(h('div', { class: 'stars', role: 'group', 'aria-label': t('surveyTitle') }, stars));
    f.appendChild(h('span', { text: t('surveySolved') }));
    f.appendChild(h('div', { class: 'choices', role: 'group' }, [
      h('button', { type: 'button', class: 'secondary choice', 'data-solved': 'yes', 'aria-pressed': String(survey.solved === true), text: t('surveyYes'),
        onclick: function () { survey.solved = true; survey.error = null; renderSurvey(); } }),
      h('button', { type: 'button', class: 'secondary choice', 'data-solved': 'no', 'aria-pressed': String(survey.solved === false), text: t('surveyNo'),
        onclick: function () { survey.solved = false; survey.error = null; renderSurvey(); } }),
    ]));
    var comment = h('textarea', { rows: '2', maxlength: '2000', placeholder: t('surveyComment'), 'aria-label': t('surveyComment'),
      oninput: function () { survey.comment = comment.value; } });
    comment.value = survey.comment;
    f.appendChild(comment);
    if (survey.error) f.appendChild(h('p', { class: 'err', role: 'alert', text: survey.error }));
    var submit = h('button', { type: 'submit', class: 'primary', text: survey.sending ? t('surveySending') : t('surveySubmit') });
    if (survey.sending) submit.disabled = true;
    f.appendChild(submit);
  }

  async function submitSurvey() {
    if (!survey || survey.sending) return;
    if (!survey.score) { survey.error = t('surveyScoreError'); return renderSurvey(); }
    if (survey.solved === null) { survey.error = t('surveySolvedError'); return renderSurvey(); }
    survey.sending = true;
    survey.error = null;
    renderSurvey();
    try {
      var r = await api('POST', 'api/surveys/answer', { token: survey.token, score: survey.score, solved: survey.solved, comment: survey.comment });
      survey.sending = false;
      if (r.ok) survey.done = true;
      else survey.error = t('surveyError', { reason: (r.json && (r.json.detail || r.json.title)) || r.status });
    } catch (e) {
      survey.sending = false;
      survey.error = t('surveyError', { reason: e.message || 'network' });
    }
    renderSurvey();
  }

  // ---- the connection ---------------------------------------------------------------------------------

  var hub = null;
  var restartTimer = null;
  var restartDelay = 1000;
  var signalRPromise = null;
  var sessionPromise = null;

  function log() {
    if (config.debug) console.debug.apply(console, ['[helpdesk]'].concat(Array.prototype.slice.call(arguments)));
  }

  function loadSignalR() {
    if (window.signalR && window.signalR.HubConnectionBuilder) return Promise.resolve(window.signalR);
    if (signalRPromise) return signalRPromise;
    signalRPromise = new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = BASE + 'lib/signalr/signalr.min.js';
      s.async = true;
      s.onload = function () { window.signalR ? resolve(window.signalR) : reject(new Error('signalR did not load')); };
      s.onerror = function () { signalRPromise = null; s.remove(); reject(new Error('signalR did not load')); };
      (document.head || document.documentElement).appendChild(s);
    });
    return signalRPromise;
  }

  async function api(method, path, body, auth) {
    var headers = { Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json';
    if (auth) headers.Authorization = 'Bearer ' + state.token;
    var response = await fetch(BASE + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, mode: 'cors', credentials: 'omit' });
    var json = null;
    try { json = await response.json(); } catch (e) { /* empty body */ }
    return { status: response.status, ok: response.ok, json: json };
  }

  /** Who this visitor is: a signed token kept in localStorage, so a reload is the same visitor. */
  function ensureSession(force) {
    if (state.session && !force) return Promise.resolve(state.session);
    if (sessionPromise) return sessionPromise;
    sessionPromise = (async function () {
      var delay = 1000;
      for (;;) {
        try {
          var r = await api('POST', 'api/widget/sessions', {
            siteKey: config.siteKey, visitorToken: state.token, userId: config.userId, userHash: config.userHash,
          });
          if (r.ok && r.json) {
            state.session = r.json;
            state.token = r.json.visitorToken;
            write('localStorage', KEYS.token, state.token);
            state.availability = { open: r.json.open, agentsOnline: r.json.agentsOnline, offerOfflineMessage: !r.json.open || !r.json.agentsOnline };
            if (r.json.openChat != null && state.ticket == null) {
              state.ticket = r.json.openChat;
              state.ticketStatus = null;
              needsResume = true;
            }
            if (state.conn === 'unavailable') state.conn = 'idle';
            render();
            return state.session;
          }
          if (r.status === 400 || r.status === 403) {
            // Wrong site key, origin or identity: retrying will not help.
            console.warn('[helpdesk] the widget session was refused:', r.status, r.json && (r.json.detail || r.json.title));
            state.conn = 'unavailable';
            render();
            throw new Error('session refused');
          }
        } catch (err) {
          if (err && err.message === 'session refused') throw err;
          log('session failed, retrying', err);
        }
        await new Promise(function (resolve) { setTimeout(resolve, delay); });
        delay = Math.min(delay * 2, 30000);
      }
    })();
    sessionPromise.then(function () { sessionPromise = null; }, function () { sessionPromise = null; });
    return sessionPromise;
  }

  async function refreshAvailability() {
    try {
      var r = await api('GET', 'api/widget/status?siteKey=' + encodeURIComponent(config.siteKey));
      if (r.ok && r.json) { state.availability = r.json; render(); }
    } catch (e) { /* keep what the session said */ }
  }

  async function ensureConnected() {
    if (hub) return;
    try {
      await ensureSession();
      var signalR = await loadSignalR();
      if (hub) return;
      hub = new signalR.HubConnectionBuilder()
        .withUrl(BASE + 'hubs/chat', { accessTokenFactory: function () { return state.token; }, withCredentials: false })
        .withAutomaticReconnect({
          nextRetryDelayInMilliseconds: function (ctx) {
            // A few quick tries; after that our own loop keeps going (a restarted server ends this one).
            // Not at once, and not all widgets together: a server that is stopping still accepts
            // connections for a moment, and one that comes back should not meet every widget at once.
            if (ctx.previousRetryCount >= 4) return null;
            return [1000, 2000, 4000, 8000][ctx.previousRetryCount] + Math.floor(Math.random() * 1000);
          },
        })
        .configureLogging(config.debug ? signalR.LogLevel.Information : signalR.LogLevel.None)
        .build();
      hub.on('Message', onMessage);
      hub.on('Typing', onTyping);
      hub.on('Read', onRead);
      hub.on('Queue', onQueue);
      hub.on('AgentJoined', onAgentJoined);
      hub.on('ChatEnded', onChatEnded);
      hub.on('Survey', onSurvey);
      hub.onreconnecting(function () { synced = false; state.conn = 'reconnecting'; render(); });
      hub.onreconnected(function () { onConnected(); });
      hub.onclose(function () { synced = false; state.conn = 'reconnecting'; render(); scheduleRestart(); });
      state.conn = 'connecting';
      render();
      await startHub();
    } catch (err) {
      log('could not connect', err);
      if (!hub && state.conn !== 'unavailable') {
        // The session or the library failed to load: try the whole thing again later.
        state.conn = 'reconnecting';
        render();
        setTimeout(ensureConnected, restartDelay);
        restartDelay = Math.min(restartDelay * 2, 30000);
      }
    }
  }

  async function startHub() {
    if (!hub || hub.state !== 'Disconnected') return;
    try {
      await hub.start();
      await onConnected();
    } catch (err) {
      log('start failed', err);
      if (/\b401\b/.test(String(err && err.message))) {
        // The token is no longer accepted (expired, or the server's keys changed): ask for a new one.
        try { await ensureSession(true); } catch (e) { return; }
      }
      state.conn = state.everConnected ? 'reconnecting' : 'connecting';
      render();
      scheduleRestart();
    }
  }

  function scheduleRestart(delay) {
    if (restartTimer) return;
    var wait = delay != null ? delay : restartDelay + Math.floor(Math.random() * 400);
    restartDelay = Math.min(restartDelay * 2, 30000);
    restartTimer = setTimeout(function () { restartTimer = null; startHub(); }, wait);
  }

  window.addEventListener('online', function () {
    // The network is back: try at once instead of waiting out the backoff.
    restartDelay = 1000;
    if (hub && hub.state === 'Disconnected') {
      clearTimeout(restartTimer);
      restartTimer = null;
      startHub();
    }
  });

  document.addEventListener('visibilitychange', markRead);

  // ---- composer --------------------------------------------------------------------------------------

  var typingSentAt = 0;
  var typingIdle = null;

  function onComposerKey(e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      sendFromComposer();
    }
  }

  function autosize() {
    ui.input.style.height = 'auto';
    ui.input.style.height = Math.min(ui.input.scrollHeight + 2, 120) + 'px';
  }

  function onComposerInput() {
    autosize();
    if (state.ticket == null || state.ended || !hub || hub.state !== 'Connected') return;
    var now = Date.now();
    if (now - typingSentAt > 3000 && ui.input.value.trim()) {
      typingSentAt = now;
      hub.invoke('Typing', state.ticket, true).catch(function () {});
    }
    clearTimeout(typingIdle);
    typingIdle = setTimeout(stopTyping, 4000);
  }

  function stopTyping() {
    clearTimeout(typingIdle);
    if (!typingSentAt) return;
    typingSentAt = 0;
    if (state.ticket != null && hub && hub.state === 'Connected') hub.invoke('Typing', state.ticket, false).catch(function () {});
  }

  function onFilesChosen() {
    var files = ui.fileInput.files;
    sendFiles(files);
    ui.fileInput.value = '';
    ui.input.focus();
  }

  /** A pasted screenshot or copied image is sent as a file; a paste with text in it stays text. */
  function onComposerPaste(ev) {
    var data = ev.clipboardData;
    if (!data || !data.files || !data.files.length) return;
    if (Array.prototype.indexOf.call(data.types || [], 'text/plain') >= 0) return;
    var images = Array.prototype.filter.call(data.files, function (f) { return isImage(f.type); });
    if (!images.length) return;
    ev.preventDefault();
    sendFiles(images);
  }

  var dragDepth = 0;

  function onDrag(ev) {
    var types = ev.dataTransfer ? Array.prototype.slice.call(ev.dataTransfer.types || []) : [];
    if (types.indexOf('Files') < 0) return;
    ev.preventDefault();
    var accepting = state.view === 'chat' && !state.ended;
    if (ev.type === 'dragenter') dragDepth++;
    else if (ev.type === 'dragleave') dragDepth = Math.max(0, dragDepth - 1);
    else if (ev.type === 'drop') dragDepth = 0;
    if (ev.type === 'dragover') ev.dataTransfer.dropEffect = accepting ? 'copy' : 'none';
    ui.dropzone.hidden = !(accepting && dragDepth > 0);
    if (ev.type === 'drop' && accepting) sendFiles(ev.dataTransfer.files);
  }

  function sendFromComposer() {
    var text = ui.input.value.trim();
    if (!text) return;
    ui.input.value = '';
    autosize();
    stopTyping();
    enqueue(text);
    ui.input.focus();
  }

  // ---- forms ------------------------------------------------------------------------------------------

  function submitPrechat() {
    var v = formValues(ui.pre);
    if (!validateContact(ui.pre, v, false)) return;
    state.profile = { name: v.name, email: v.email };
    write('localStorage', KEYS.profile, JSON.stringify(state.profile));
    showView('chat');
  }

  async function submitLeaveMessage() {
    var form = ui.leave;
    var v = formValues(form);
    if (form.busy || !validateContact(form, v, true)) return;
    form.busy = true;
    form.submit.disabled = true;
    render();
    try {
      await ensureSession();
      var r = await api('POST', 'api/widget/offline-messages', { name: v.name, email: v.email, text: v.text }, true);
      if (r.status === 401) {
        await ensureSession(true);
        r = await api('POST', 'api/widget/offline-messages', { name: v.name, email: v.email, text: v.text }, true);
      }
      if (r.ok && r.json) {
        state.leaveReceipt = r.json;
        form.fields.text.input.value = '';
        if (!state.profile) {
          state.profile = { name: v.name, email: v.email };
          write('localStorage', KEYS.profile, JSON.stringify(state.profile));
        }
        showView('leaveDone');
      } else if (r.status === 400 && r.json && r.json.errors) {
        clearErrors(form);
        var first = null;
        Object.keys(r.json.errors).forEach(function (k) {
          var field = k.charAt(0).toLowerCase() + k.slice(1);
          var message = (r.json.errors[k] || []).join(' ');
          if (form.fields[field]) {
            setFieldError(form, field, state.lang === 'en' ? message : localFieldError(field, message));
            if (!first) first = form.fields[field].input;
          } else {
            form.general.textContent = message;
          }
        });
        if (first) first.focus();
      } else {
        form.general.textContent = r.status === 429 ? t('tooManyRequests') : t('leaveFailed');
      }
    } catch (err) {
      form.general.textContent = t('leaveFailed');
    } finally {
      form.busy = false;
      form.submit.disabled = false;
      render();
    }
  }

  function localFieldError(field, serverText) {
    var tooLong = /longer/.test(serverText);
    if (field === 'name') return tooLong ? t('nameTooLong') : t('nameRequired');
    if (field === 'email') return /required/.test(serverText) ? t('emailRequired') : t('emailInvalid');
    if (field === 'text') return tooLong ? t('textTooLong') : t('textRequired');
    return serverText;
  }

  function showView(view) {
    state.view = view;
    if (view === 'leave' && state.profile) {
      if (!ui.leave.fields.name.input.value) ui.leave.fields.name.input.value = state.profile.name || '';
      if (!ui.leave.fields.email.input.value) ui.leave.fields.email.input.value = state.profile.email || '';
    }
    render();
    focusView();
    if (view === 'chat') markRead();
  }

  function focusView() {
    setTimeout(function () {
      if (!state.open) return;
      if (state.view === 'chat') (state.ended ? ui.newChatBtn : ui.input).focus();
      else if (state.view === 'prechat') ui.pre.fields.name.input.focus();
      else if (state.view === 'leave') (ui.leave.fields.name.input.value ? ui.leave.fields.text.input : ui.leave.fields.name.input).focus();
      else if (state.view === 'leaveDone') ui.leaveDoneBack.focus();
    }, 0);
  }

  // ---- open, close, language ---------------------------------------------------------------------------

  function open() {
    if (state.open) return;
    state.open = true;
    write('sessionStorage', KEYS.open, '1');
    if (state.view === 'chat' && config.prechat && !state.profile && state.ticket == null && !state.outbox.length) state.view = 'prechat';
    renderEntries.forceScroll = true;
    render();
    focusView();
    ensureConnected();
    refreshAvailability();
    markRead();
  }

  function close(returnFocus) {
    if (!state.open) return;
    state.open = false;
    write('sessionStorage', KEYS.open, null);
    render();
    if (returnFocus) ui.launcher.focus();
  }

  function toggle() {
    if (state.open) close(false);
    else open();
  }

  function toggleLanguage() {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    write('localStorage', KEYS.lang, state.lang);
    render();
  }

  // ---- start ---------------------------------------------------------------------------------------------

  function mount() {
    (document.body || document.documentElement).appendChild(host);
    ui.root.style.setProperty('--hd-on-color', readableOn(config.color));
    state.outbox.forEach(addPending);
    render();
    // A returning visitor (token or unsent messages) reconnects at once, to resume the open chat;
    // a first-time visitor costs the server nothing until they open the panel.
    if (state.token || state.outbox.length) {
      ensureSession().then(function () {
        if (state.ticket != null || state.outbox.length) ensureConnected();
      }, function () {});
    }
    if (read('sessionStorage', KEYS.open)) open();
  }

  if (config.debug) window.HelpdeskWidgetDebug = { state: state, hub: function () { return hub; }, entries: function () { return entries; } };

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
