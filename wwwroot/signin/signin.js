// The staff sign-in page. It never redirects on 401 itself (a wrong password is a 401 here);
// it explains the refusal by its code and, once signed in, goes back where the person came from.
import { t, translatePage, mountLanguageSwitch, onLanguageChange } from '/shared/i18n.js';
import { post, loadSession, describeError, ApiError } from '/shared/api.js';
import { showBanner, clearBanners, setBusy, showFieldErrors, clearFieldErrors } from '/shared/ui.js';

const form = document.getElementById('signin-form');
const messages = document.getElementById('messages');
const submit = document.getElementById('submit');

/**
 * Only a path on this site: "//evil.example" or "/\evil" would leave it (an open redirect that
 * a phishing link could use to send a freshly signed-in agent elsewhere).
 */
export function safeReturnUrl(raw) {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/agent/';
  if (raw.startsWith('/signin')) return '/agent/';
  return raw;
}

const returnUrl = safeReturnUrl(new URLSearchParams(location.search).get('returnUrl'));

function refusal(error) {
  if (error instanceof ApiError && error.status === 401) {
    const key = `signin.${error.code}`;
    return t(key) !== key ? t(key) : (error.detail || t('signin.invalid_credentials'));
  }
  return describeError(error);
}

async function signIn(event) {
  event.preventDefault();
  clearBanners(messages);
  clearFieldErrors(form);
  const email = form.email.value.trim();
  const password = form.password.value;
  if (!email || !password) {
    const required = () => t('signin.required');
    showFieldErrors(form, {
      ...(email ? {} : { email: required }),
      ...(password ? {} : { password: required }),
    });
    (email ? form.password : form.email).focus();
    return;
  }

  setBusy(submit, true, 'signin.submitting');
  try {
    await post('/api/auth/sign-in', { email, password, rememberMe: form.rememberMe.checked }, { redirectOn401: false });
    location.assign(returnUrl);
    // Stay busy: the next page is loading.
  } catch (error) {
    setBusy(submit, false);
    if (error instanceof ApiError && error.status === 400 && Object.keys(error.errors).length) {
      const rest = showFieldErrors(form, error.errors);
      if (rest.length) showBanner(messages, rest.join(' '));
    } else {
      showBanner(messages, () => refusal(error), { dismissible: false });
    }
    form.password.select();
  }
}

async function start() {
  translatePage();
  mountLanguageSwitch(document.getElementById('lang-switch'));
  form.addEventListener('submit', signIn);
  document.getElementById('continue').href = returnUrl;
  try {
    // Also hands out the antiforgery cookie the sign-in POST needs.
    const session = await loadSession();
    if (session?.signedIn) {
      const already = document.getElementById('already');
      const text = document.getElementById('already-text');
      const render = () => { text.textContent = t('signin.already', { name: session.displayName }); };
      render();
      onLanguageChange(render);
      already.hidden = false;
    }
  } catch (error) {
    showBanner(messages, () => describeError(error), { actions: [{ key: 'common.reload', onClick: () => location.reload() }] });
  }
}

start();
