// The page's one polite live region (#announce), for screen readers.

const announcer = document.getElementById('announce') as HTMLElement;
let announced = '';

/** Says a status line once (the same line again is not repeated). */
export function announce(text: string): void {
  if (text === announced) return;
  announced = text;
  announcer.textContent = text;
}
