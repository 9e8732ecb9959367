// The lobby's "Watch" next to "Join": watch the table whose code is typed, without a seat or a
// name.
import { h } from '../dom.js';
import { toast } from '../ui/toast.js';
import { watchTable } from '../watch-actions.js';

/** A button that watches the table named by `codeInput`. */
export function watchButton(codeInput: HTMLInputElement): HTMLButtonElement {
  const button = h(
    'button',
    { type: 'button', class: 'btn ghost', 'data-testid': 'watch-by-code' },
    'Watch',
  );
  button.addEventListener('click', () => {
    const roomCode = codeInput.value.trim().toUpperCase();
    if (roomCode.length !== 6) {
      toast('A table code has 6 letters and digits.', 'error');
      codeInput.focus();
      return;
    }
    button.disabled = true;
    void watchTable(roomCode).finally(() => {
      button.disabled = false;
    });
  });
  return button;
}
