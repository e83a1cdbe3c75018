import { request, setToken, UnauthorizedError } from './api';

/**
 * Asks for the admin token when the gateway answers 401 and checks it against /status before
 * keeping it, so a wrong token is said at once, in the dialog.
 */
export function promptForToken(hadToken: boolean): Promise<void> {
  const dialog = document.getElementById('token-dialog') as HTMLDialogElement;
  const form = document.getElementById('token-form') as HTMLFormElement;
  const input = document.getElementById('token-input') as HTMLInputElement;
  const reason = document.getElementById('token-reason') as HTMLElement;
  const error = document.getElementById('token-error') as HTMLElement;

  reason.textContent = hadToken
    ? 'The gateway refused the saved admin token. Enter the current Admin:Token.'
    : 'This gateway needs its admin token (Admin:Token) for every API call.';
  error.textContent = '';
  input.value = '';
  input.removeAttribute('aria-invalid');

  return new Promise((resolve) => {
    const submit = async (event: SubmitEvent) => {
      event.preventDefault();
      const token = input.value.trim();
      try {
        await request('/status', { token });
        setToken(token);
        form.removeEventListener('submit', submit);
        dialog.close();
        resolve();
      } catch (failure) {
        input.setAttribute('aria-invalid', 'true');
        error.textContent = failure instanceof UnauthorizedError
          ? 'Wrong token: the gateway answered 401 Unauthorized. Check Admin:Token and try again.'
          : `Could not check the token: ${(failure as Error).message}`;
        input.select();
      }
    };
    form.addEventListener('submit', submit);
    // Escape must not leave the UI without a token and nothing to show.
    dialog.addEventListener('cancel', (event) => event.preventDefault());
    if (!dialog.open) dialog.showModal();
    input.focus();
  });
}
