// Your hand: one button per card; the ones you may play now stand out, the others say why not.
import { playCard } from '../../actions.js';
import { cardLabel, suitOf } from '../../cards.js';
import { h } from '../../dom.js';
import { arrowKeysBetweenCards } from '../../ui/focus.js';
import { cardFace } from './card-faces.js';
import type { TableContext } from './context.js';

export function hand(ctx: TableContext): HTMLElement {
  const { view, me, myTurn, playable } = ctx;
  const playing = myTurn && view.phase === 'gameplay';
  const el = h(
    'div',
    {
      class: `hand${playing ? ' my-turn' : ''}${me.hand.length > 5 ? ' tight' : ''}`,
      role: 'group',
      'aria-label': `Your hand, ${me.hand.length} cards`,
      style: `--n:${Math.max(me.hand.length, 2)}`,
    },
    me.hand.map((card) => {
      const ok = playable.has(card);
      const trump = view.hokm !== null && suitOf(card) === view.hokm;
      return h(
        'button',
        {
          type: 'button',
          class: `card hand-card${ok ? ' playable' : ''}${trump ? ' trump' : ''}${playing && !ok ? ' blocked' : ''}`,
          'data-card': card,
          'data-focus': `card:${card}`,
          'aria-label': `${cardLabel(card)}${trump ? ' (hokm)' : ''}${ok ? '' : playing ? ', cannot be played now' : ''}`,
          'aria-disabled': ok ? null : 'true',
          onclick: () => playCard(card),
        },
        cardFace(card),
      );
    }),
  );
  arrowKeysBetweenCards(el);
  return el;
}
