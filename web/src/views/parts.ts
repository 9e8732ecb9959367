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
