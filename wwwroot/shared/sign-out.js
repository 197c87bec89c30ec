// The sign-out button every staff page has: busy while it works, the reason if it fails.
import { post, describeError } from '/shared/api.js';
import { showBanner, setBusy } from '/shared/ui.js';

export function mountSignOut(button, messages) {
  button.addEventListener('click', async () => {
    setBusy(button, true, 'common.signingOut');
    try {
      await post('/api/auth/sign-out', undefined, { redirectOn401: false });
      location.assign('/signin/');
    } catch (error) {
      setBusy(button, false);
      showBanner(messages, () => describeError(error));
    }
  });
}
