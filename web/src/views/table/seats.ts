// The four players around the table: name, badges, card count, whose turn it is.
import type { PlayerView } from '../../../../src/protocol/hokm-protocol.js';
import { h } from '../../dom.js';
import { avatar, badge } from '../parts.js';
import { backs } from './card-faces.js';
import type { TableContext } from './context.js';
import { countdown } from './turn-clock.js';

export function seats(ctx: TableContext): HTMLElement[] {
  return ctx.view.players.map((p) => seat(ctx, p));
}

function seat(ctx: TableContext, p: PlayerView): HTMLElement {
  const { view, me } = ctx;
  const isMe = p.playerId === me.playerId;
  const turn = view.turn === p.playerId;
  const label = [
    isMe ? `${p.name} (you)` : p.name,
    p.playerId === view.hakem ? 'hakem' : '',
    p.bot ? 'bot' : '',
    !p.connected ? 'disconnected' : '',
    p.away ? 'away' : '',
    turn ? 'to play' : '',
    `${p.cardCount} cards`,
  ]
    .filter(Boolean)
    .join(', ');
  const position = ctx.positionOf(p);
  return h(
    'div',
    {
      class: `seat seat-${position} team-${p.team}${turn ? ' turn' : ''}${p.connected ? '' : ' away'}${isMe ? ' me' : ''}`,
      'aria-label': label,
      role: 'group',
      'data-testid': `seat-${position}`,
    },
    !isMe ? backs(p.cardCount) : null,
    h(
      'div',
      { class: 'seat-chip' },
      avatar(p),
      h(
        'div',
        { class: 'seat-text' },
        h('span', { class: 'seat-name' }, isMe ? `${p.name} (you)` : p.name),
        h(
          'span',
          { class: 'seat-badges' },
          p.playerId === view.hakem ? badge('hakem', 'Hakem') : null,
          p.bot ? badge('bot', 'Bot') : null,
          !p.connected ? badge('offline', 'Offline') : null,
          p.away ? badge('away', 'Away') : null,
          !isMe
            ? h('span', { class: 'count', title: `${p.cardCount} cards` }, String(p.cardCount))
            : null,
        ),
      ),
      countdown(view, p.playerId),
    ),
  );
}
