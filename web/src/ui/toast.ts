// The page's one toast (#toast, an assertive live region): a message that fades after a while.

const toastEl = document.getElementById('toast') as HTMLElement;
let toastTimer: ReturnType<typeof setTimeout> | undefined;

export type ToastKind = 'error' | 'info';

export function toast(message: string, kind: ToastKind): void {
  clearTimeout(toastTimer);
  toastEl.className = `toast ${kind} show`;
  toastEl.textContent = message;
  toastTimer = setTimeout(
    () => {
      toastEl.className = 'toast';
      toastEl.textContent = '';
    },
    kind === 'error' ? 5000 : 3500,
  );
}
