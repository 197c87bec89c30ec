// The opening every staff page shares: its words in the chosen language, the language switch and
// sign-out, the session (or the way to the sign-in page) and "signed in as".
import { t, translatePage, mountLanguageSwitch, onLanguageChange } from '/shared/i18n.js';
import { loadSession, redirectToSignIn, describeError } from '/shared/api.js';
import { showBanner } from '/shared/ui.js';
import { mountSignOut } from '/shared/sign-out.js';

/**
 * Returns the signed-in session, or null when the page cannot go on: the session could not be
 * read (the reason is shown with a reload button, after onFail tidies the page) or nobody is
 * signed in (the browser goes to the sign-in page).
 */
export async function openStaffPage(messages, { onFail } = {}) {
  translatePage();
  mountLanguageSwitch(document.getElementById('lang-switch'));
  mountSignOut(document.getElementById('sign-out'), messages);
  let session;
  try {
    session = await loadSession();
  } catch (error) {
    onFail?.();
    showBanner(messages, () => describeError(error), { actions: [{ key: 'common.reload', onClick: () => location.reload() }] });
    return null;
  }
  if (!session?.signedIn) {
    redirectToSignIn();
    return null;
  }
  const who = document.getElementById('who');
  const renderWho = () => { who.textContent = t('common.signedInAs', { name: session.displayName }); };
  renderWho();
  onLanguageChange(renderWho);
  return session;
}
