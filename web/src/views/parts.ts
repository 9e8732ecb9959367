// Small pieces shared by the screens: a player's avatar and a badge.
import type { PlayerView } from '../../../src/protocol/hokm-protocol.js';
import { h } from '../dom.js';

export function badge(kind: string, text: string): HTMLElement {
  return h('span', { class: `badge badge-${kind}` }, text);
}

/** The player's initial in their team's colour (a cog for a bot). */
export function avatar(p: PlayerView): HTMLElement {
  const initial = [...p.name.trim()][0]?.toUpperCase() ?? '?';
  return h(
    'span',
    { class: `avatar team-${p.team}`, 'aria-hidden': 'true' },
    p.bot ? '⚙' : initial,
  );
}

/**
 * The four seats of a waiting table, in seat order: who sits there with their badges (`youId`
 * marks the viewer's own seat; a spectator has none), or an empty seat.
 */
export function seatRows(
  players: readonly PlayerView[],
  hostId: string | null,
  youId: string | null,
): HTMLElement[] {
  return [0, 1, 2, 3].map((i) => {
    const p = players[i];
    if (!p) {
      return h(
        'li',
        { class: 'seat-row empty' },
        h('span', { class: 'avatar empty', 'aria-hidden': 'true' }),
        h('span', {}, 'Empty seat'),
      );
    }
    const mine = p.playerId === youId;
    return h(
      'li',
      { class: `seat-row${mine ? ' me' : ''}` },
      avatar(p),
      h('span', { class: 'seat-name' }, p.name),
      mine ? badge('you', 'You') : null,
      p.playerId === hostId ? badge('host', 'Host') : null,
      p.bot ? badge('bot', 'Bot') : null,
      !p.connected && !p.bot ? badge('offline', 'Offline') : null,
    );
  });
}
