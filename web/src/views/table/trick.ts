// The middle of the table: the trick being played (or the last one, a moment after it is
// taken), what the centre says, and the last trick in the corner.
import { cardLabel, cardShort, isRed, parseCard, suitOf } from '../../cards.js';
import { h } from '../../dom.js';
import { playerName } from '../../names.js';
import { autoPlayed } from '../../state/auto-plays.js';
import { tableCard } from './card-faces.js';
import type { TableContext } from './context.js';
import { hokmPicker } from './hokm-picker.js';

/** Trick cards already on screen, so only new ones animate in. */
let shownTrick = new Set<string>();

/** Between tricks the one just taken stays in the middle until the next card is led. */
function showingLast({ view }: TableContext): boolean {
  return view.currentTrick.length === 0 && view.lastTrick !== null && view.phase === 'gameplay';
}

export function trickArea(ctx: TableContext): HTMLElement {
  const { view } = ctx;
  const last = showingLast(ctx);
  const trickCards = last && view.lastTrick ? view.lastTrick.cards : view.currentTrick;
  const newShown = new Set<string>();
  const slots = trickCards.map((c, i) => {
    const p = ctx.player(c.playerId);
    const key = `${view.handNumber}:${c.card}`;
    newShown.add(key);
    const enter = !shownTrick.has(key) ? ' enter' : '';
    const winner = last && view.lastTrick?.winner === c.playerId ? ' winner' : '';
    const trump = view.hokm && suitOf(c.card) === view.hokm ? ' trump' : '';
    // A card the turn clock played for its player carries an "auto" tag.
    const auto = autoPlayed(view.handNumber, c.card) ? ' auto' : '';
    return h(
      'div',
      { class: `slot slot-${p ? ctx.positionOf(p) : 'bottom'}`, style: `z-index:${i + 1}` },
      tableCard(c.card, `${enter}${winner}${trump}${auto}${last ? ' settled' : ''}`),
    );
  });
  shownTrick = newShown;
  return h(
    'div',
    {
      class: 'trick',
      'aria-label': trickCards.length
        ? `On the table: ${trickCards.map((c) => `${playerName(view, c.playerId)} ${cardLabel(c.card)}`).join(', ')}`
        : 'No cards on the table',
      role: 'group',
    },
    slots,
  );
}

/** The hokm picker for the hakem, or a line about what is happening; null for none. */
export function centre(ctx: TableContext): HTMLElement | null {
  const { view } = ctx;
  if (view.phase === 'hokm_selection') {
    return ctx.myTurn
      ? hokmPicker(ctx)
      : h('div', { class: 'centre-note' }, `${playerName(view, view.turn)} is choosing the hokm…`);
  }
  if (showingLast(ctx) && view.lastTrick) {
    return h(
      'div',
      { class: 'centre-note small' },
      `${playerName(view, view.lastTrick.winner)} took the trick`,
    );
  }
  return null;
}

/** The last trick in small, while a newer one is in the middle; null otherwise. */
export function lastTrick(ctx: TableContext): HTMLElement | null {
  const { view } = ctx;
  const trick = view.lastTrick;
  if (!trick || showingLast(ctx)) return null;
  return h(
    'div',
    {
      class: 'last-trick',
      'aria-label': `Last trick, won by ${playerName(view, trick.winner)}: ${trick.cards.map((c) => cardLabel(c.card)).join(', ')}`,
    },
    h('div', { class: 'last-title' }, 'Last trick'),
    h(
      'div',
      { class: 'mini-row' },
      trick.cards.map((c) => {
        const { suit } = parseCard(c.card);
        const won = c.playerId === trick.winner;
        return h(
          'span',
          {
            class: `mini ${isRed(suit) ? 'red' : 'black'}${won ? ' won' : ''}`,
            'aria-hidden': 'true',
            title: `${playerName(view, c.playerId)}: ${cardLabel(c.card)}`,
          },
          cardShort(c.card),
        );
      }),
    ),
    h('div', { class: 'last-winner' }, `→ ${playerName(view, trick.winner)}`),
  );
}
