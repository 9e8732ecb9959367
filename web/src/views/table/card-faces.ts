// How a card looks: its face (corners and centre), a card on the table, a fan of card backs.
import type { Card } from '../../../../src/protocol/hokm-protocol.js';
import { SUIT_SYMBOL, cardLabel, isRed, parseCard } from '../../cards.js';
import { h } from '../../dom.js';

export function cardFace(card: Card, extraClass = ''): HTMLElement {
  const { rank, suit } = parseCard(card);
  const sym = SUIT_SYMBOL[suit];
  const face = rank === 'J' || rank === 'Q' || rank === 'K';
  return h(
    'span',
    { class: `face ${isRed(suit) ? 'red' : 'black'} ${extraClass}`, 'aria-hidden': 'true' },
    h(
      'span',
      { class: 'corner tl' },
      h('span', { class: 'rank' }, rank),
      h('span', { class: 'pip' }, sym),
    ),
    face
      ? h(
          'span',
          { class: 'center court' },
          h('span', { class: 'court-rank' }, rank),
          h('span', { class: 'court-pip' }, sym),
        )
      : h('span', { class: 'center' }, sym),
    h(
      'span',
      { class: 'corner br' },
      h('span', { class: 'rank' }, rank),
      h('span', { class: 'pip' }, sym),
    ),
  );
}

/** A card on the table (not interactive). */
export function tableCard(card: Card, classes: string): HTMLElement {
  return h(
    'div',
    { class: `card table-card ${classes}`, role: 'img', 'aria-label': cardLabel(card) },
    cardFace(card),
  );
}

/** Another player's hand: up to 13 backs. */
export function backs(count: number): HTMLElement {
  const shown = Math.min(count, 13);
  return h(
    'div',
    { class: 'backs', 'aria-hidden': 'true', style: `--n:${Math.max(shown, 1)}` },
    Array.from({ length: shown }, () => h('span', { class: 'back' })),
  );
}
