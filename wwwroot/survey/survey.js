// Progressive enhancement of the server-rendered survey form: without scripts the form posts as
// usual; with them it sends JSON to /api/surveys/answer, shows progress, and shows the answer's
// errors in place. Strings come from the page (data-*), rendered in the page's language.
const form = document.getElementById('survey-form');
if (form && window.fetch) {
  const errorBox = document.getElementById('survey-error');
  const progress = document.getElementById('survey-progress');
  const button = document.getElementById('survey-submit');
  const d = form.dataset;

  const showError = (text) => {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const score = Number(data.get('score'));
    const solved = data.get('solved');
    const comment = String(data.get('comment') || '');
    if (!score) return showError(d.scoreError);
    if (!solved) return showError(d.solvedError);
    if (comment.length > 2000) return showError(d.commentError);
    showError('');
    button.disabled = true;
    progress.textContent = d.sending;
    progress.hidden = false;
    try {
      const response = await fetch('/api/surveys/answer', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ token: d.token, score, solved: solved === 'yes', comment }),
      });
      if (response.ok) {
        const main = form.closest('main');
        main.id = 'survey-thanks';
        main.classList.add('thanks');
        const h1 = document.createElement('h1');
        h1.textContent = d.thanks;
        const p = document.createElement('p');
        p.textContent = d.thanksDetail;
        form.replaceWith(h1, p);
        main.querySelector('.hint')?.remove();
        return;
      }
      if (response.status === 400) {
        const problem = await response.json().catch(() => ({}));
        const field = Object.keys(problem.errors || {})[0];
        showError(field === 'solved' ? d.solvedError : field === 'comment' ? d.commentError : field === 'score' ? d.scoreError : d.error);
      } else {
        // Expired, locked, superseded: the server's page says it in full.
        window.location.reload();
        return;
      }
    } catch {
      showError(d.error);
    }
    button.disabled = false;
    progress.hidden = true;
  });
}
