// The hakem's choice of hokm: one button per suit, with how many of it are in the hand.
import type { Suit } from '../../../../src/protocol/hokm-protocol.js';
import { selectHokm } from '../../actions.js';
import { SUIT_SYMBOL, SUITS, isRed, suitName, suitOf } from '../../cards.js';
import { h } from '../../dom.js';
import type { TableContext } from './context.js';

export function hokmPicker(ctx: TableContext): HTMLElement {
  const counts = new Map<Suit, number>();
  for (const card of ctx.me.hand) counts.set(suitOf(card), (counts.get(suitOf(card)) ?? 0) + 1);
  return h(
    'div',
    { class: 'hokm-picker', role: 'group', 'aria-labelledby': 'hokm-title' },
    h('h2', { id: 'hokm-title' }, 'Choose the hokm'),
    h(
      'div',
      { class: 'suit-grid' },
      SUITS.map((suit) =>
        h(
          'button',
          {
            type: 'button',
            class: `suit-btn ${isRed(suit) ? 'red' : 'black'}`,
            'data-suit': suit,
            'data-focus': `suit:${suit}`,
            'aria-label': `${suitName(suit)} (${counts.get(suit) ?? 0} in your hand)`,
            disabled: ctx.busy || !ctx.online,
            onclick: () => selectHokm(suit),
          },
          h('span', { class: 'suit-sym', 'aria-hidden': 'true' }, SUIT_SYMBOL[suit]),
          h('span', { class: 'suit-name' }, suitName(suit)),
          h('span', { class: 'suit-count', 'aria-hidden': 'true' }, `×${counts.get(suit) ?? 0}`),
        ),
      ),
    ),
  );
}
