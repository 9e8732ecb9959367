// How players and teams are named in text: "You" for yourself, the player's name otherwise.
import type { SeatView } from './state/store.js';

export function playerName(view: SeatView, playerId: string | null): string {
  if (!playerId) return '';
  if (playerId === view.you.playerId) return 'You';
  return view.players.find((p) => p.playerId === playerId)?.name ?? 'Someone';
}

/** "You & Mina": the players of a team. */
export function teamLabel(view: SeatView, team: 0 | 1): string {
  const names = view.players
    .filter((p) => p.team === team)
    .map((p) => (p.playerId === view.you.playerId ? 'You' : p.name));
  return names.join(' & ');
}
