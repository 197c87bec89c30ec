// The landing page has no behaviour of its own beyond following the language (a file, not an
// inline script, so the consoles' Content-Security-Policy needs no 'unsafe-inline' for scripts).
import { translatePage, mountLanguageSwitch } from '/shared/i18n.js';

translatePage();
mountLanguageSwitch(document.getElementById('lang-switch'));
