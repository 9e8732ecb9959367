// Keyboard focus across redraws: a redraw replaces the elements, so the focused one is found
// again by its `data-focus` key; and arrow keys move between the cards of a hand.

/** What had the focus before a redraw: its `data-focus` key and its place in the hand. */
export interface FocusMemo {
  key: string;
  index: number;
}

export function rememberFocus(container: HTMLElement): FocusMemo | null {
  const el = document.activeElement;
  if (!(el instanceof HTMLElement) || !container.contains(el) || !el.dataset.focus) return null;
  const cards = [...container.querySelectorAll<HTMLElement>('.hand .card')];
  return { key: el.dataset.focus, index: cards.indexOf(el) };
}

export function restoreFocus(container: HTMLElement, memo: FocusMemo | null): void {
  if (!memo) return;
  const same = container.querySelector<HTMLElement>(`[data-focus="${CSS.escape(memo.key)}"]`);
  if (same) {
    same.focus();
    return;
  }
  // The focused card was played, or the hokm picker closed: stay in the hand.
  const cards = [...container.querySelectorAll<HTMLElement>('.hand .card')];
  if (memo.index >= 0) cards[Math.min(memo.index, cards.length - 1)]?.focus();
  else if (memo.key.startsWith('suit:')) cards[0]?.focus();
}

/** Left and right arrows move the focus between the `.card`s of `group`, wrapping around. */
export function arrowKeysBetweenCards(group: HTMLElement): void {
  group.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const cards = [...group.querySelectorAll<HTMLElement>('.card')];
    const i = cards.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    e.preventDefault();
    cards[(i + (e.key === 'ArrowLeft' ? cards.length - 1 : 1)) % cards.length]?.focus();
  });
}
