// The only way pages talk to /api. It speaks the server's conventions once, here:
// cookie sign-in with the antiforgery token echoed in a header on writes, RFC 9457 problem
// details turned into ApiError, and 401 sending the person to the sign-in page.
import { t, has, language } from './i18n.js';

const XSRF_COOKIE = 'XSRF-TOKEN';
const XSRF_HEADER = 'X-XSRF-TOKEN';

/** A refused or failed call, with what the page needs to explain it. */
export class ApiError extends Error {
  constructor({ status, code = null, title = null, detail = null, errors = null, problem = null }) {
    super(detail || title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;       // 0 when the server was not reached at all
    this.code = code;           // the problem's `code` extension (stale_version, locked_out...)
    this.title = title;
    this.detail = detail;
    this.errors = errors ?? {}; // field name → messages, for 400 validation problems
    this.problem = problem;
  }

  get isStale() {
    return this.status === 409 && this.code === 'stale_version';
  }
}

function readCookie(name) {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

let sessionRequest = null;

/**
 * GET /api/auth/session: who is signed in, and (as a side effect the writes depend on) a fresh
 * XSRF-TOKEN cookie. Pages call it on load.
 */
export function loadSession({ refresh = false } = {}) {
  if (!sessionRequest || refresh) {
    sessionRequest = request('GET', '/api/auth/session', { redirectOn401: false })
      .catch(error => { sessionRequest = null; throw error; });
  }
  return sessionRequest;
}

/** Where the sign-in page should bring the person back to: this page, as it is now. */
export function signInUrl() {
  const back = location.pathname + location.search + location.hash;
  return '/signin/?returnUrl=' + encodeURIComponent(back);
}

export function redirectToSignIn() {
  location.assign(signInUrl());
}

/**
 * Sends one request. A body is sent as JSON. Resolves with the parsed JSON (null for 204);
 * rejects with ApiError. On 401 the browser goes to the sign-in page unless redirectOn401 is false.
 */
export async function request(method, path, { body, redirectOn401 = true, signal, retried = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const isWrite = !['GET', 'HEAD', 'OPTIONS'].includes(method);
  if (isWrite) {
    if (!readCookie(XSRF_COOKIE)) await loadSession({ refresh: true });
    const token = readCookie(XSRF_COOKIE);
    if (token) headers[XSRF_HEADER] = token;
  }

  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (error?.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'network', detail: t('error.network') });
  }

  if (response.ok) {
    if (response.status === 204) return null;
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }

  const error = await toError(response);
  // The token is bound to the signed-in user; after a sign-in in another tab it no longer
  // matches. One fresh token and one retry make that invisible.
  if (isWrite && error.status === 400 && error.code === 'antiforgery' && !retried) {
    await loadSession({ refresh: true });
    return request(method, path, { body, redirectOn401, signal, retried: true });
  }
  if (error.status === 401 && redirectOn401) redirectToSignIn();
  throw error;
}

async function toError(response) {
  return problemError(response.status, response.headers.get('Content-Type') ?? '', await response.text().catch(() => ''));
}

function problemError(status, type, text) {
  let problem = null;
  if (type.includes('json') && text) {
    try { problem = JSON.parse(text); } catch { /* a broken body still has a status */ }
  }
  return new ApiError({
    status,
    code: problem?.code ?? null,
    title: problem?.title ?? null,
    detail: problem?.detail ?? null,
    errors: problem?.errors ?? null,
    problem,
  });
}

/**
 * Posts a multipart form (a file upload) with the antiforgery header, reporting progress as a
 * fraction 0..1 through onProgress. XMLHttpRequest, because fetch cannot report upload progress.
 * Resolves with the parsed JSON; rejects with ApiError like request().
 */
export async function upload(path, form, { onProgress, signal, retried = false } = {}) {
  if (!readCookie(XSRF_COOKIE)) await loadSession({ refresh: true });
  const token = readCookie(XSRF_COOKIE);
  const response = await new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    if (token) xhr.setRequestHeader(XSRF_HEADER, token);
    xhr.upload.addEventListener('progress', event => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => resolve({ status: xhr.status, type: xhr.getResponseHeader('Content-Type') ?? '', text: xhr.responseText }));
    xhr.addEventListener('error', () => reject(new ApiError({ status: 0, code: 'network', detail: t('error.network') })));
    xhr.addEventListener('abort', () => reject(new DOMException('Upload aborted', 'AbortError')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
  if (response.status >= 200 && response.status < 300) return response.text ? JSON.parse(response.text) : null;
  const error = problemError(response.status, response.type, response.text);
  if (error.status === 400 && error.code === 'antiforgery' && !retried) {
    await loadSession({ refresh: true });
    return upload(path, form, { onProgress, signal, retried: true });
  }
  if (error.status === 401) redirectToSignIn();
  throw error;
}

export const get = (path, options) => request('GET', path, options);
export const post = (path, body, options) => request('POST', path, { ...options, body });
export const put = (path, body, options) => request('PUT', path, { ...options, body });
export const patch = (path, body, options) => request('PATCH', path, { ...options, body });

/** One sentence, in the page's language where we have one, for a banner. */
export function describeError(error) {
  if (!(error instanceof ApiError)) return error?.message || t('error.generic', { status: '?' });
  if (error.code === 'forbidden_phrase' && error.problem?.phrase) {
    const suggestion = error.problem.suggestion;
    return `${t('wording.blocked', { phrase: error.problem.phrase })} ${suggestion ? t('wording.suggest', { suggestion }) : t('wording.noSuggestion')}`;
  }
  switch (error.status) {
    case 0: return t('error.network');
    case 403: return t('error.forbidden');
    case 429: return t('error.tooMany');
    // The server words its refusals in English. English readers get that exact reason; others get
    // our translation of the refusal's code where we have one, and the English reason otherwise.
    case 404: return language() === 'en' ? error.detail || t('error.notFound') : t('error.notFound');
    case 409:
      if (error.isStale) return t('error.stale');
      if (language() !== 'en' && error.code && has(`conflict.${error.code}`)) return t(`conflict.${error.code}`);
      return error.detail || error.title || t('error.generic', { status: 409 });
    case 400:
      if (error.code === 'antiforgery') return t('error.antiforgery');
      if (Object.keys(error.errors).length) {
        return `${t('error.validation')} ${Object.values(error.errors).flat().join(' ')}`;
      }
      return error.detail || t('error.validation');
    default:
      return error.detail || error.title || t('error.generic', { status: error.status });
  }
}

/** A fresh id for a message, so that a retry after a lost answer is not stored twice (design §3.2). */
export function newClientMessageId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  // randomUUID needs a secure context; plain-http deployments still have getRandomValues.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}
