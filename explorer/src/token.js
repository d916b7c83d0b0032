// The form that asks for the token of a private server: a modal dialog that cannot be
// dismissed (nothing works without a token), showing why the last token was refused. The
// token is typed into a password field and handed to api.js; the form is never submitted to
// the server, so the token never appears in a URL.

/**
 * The `ask` function for `whenUnauthorized` (api.js), over the dialog in index.html.
 * @param {HTMLDialogElement} dialog
 * @returns {(problem: string | null) => Promise<string>}
 */
export function tokenForm(dialog) {
  const form = dialog.querySelector('form');
  const input = dialog.querySelector('input');
  const problem = dialog.querySelector('.problem');
  dialog.addEventListener('cancel', (event) => event.preventDefault());
  return (message) =>
    new Promise((resolve) => {
      problem.textContent = message ?? '';
      problem.hidden = !message;
      input.value = '';
      form.onsubmit = (event) => {
        event.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        input.value = '';
        dialog.close();
        resolve(token);
      };
      if (!dialog.open) dialog.showModal();
      input.focus();
    });
}
