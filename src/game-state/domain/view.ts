// Projects the full room state onto what one player may see: only their own hand, never the deck.
import type { GameView, PlayerView } from '../../protocol/hokm-protocol';
import { sortHand } from './cards';
import { teamOfSeat } from './rules';
import type { RoomState } from './types';

/** The caller's own GameView; throws if playerId holds no seat (a caller bug). */
export function viewFor(state: RoomState, playerId: string): GameView {
  const me = state.players.find((p) => p.playerId === playerId);
  if (!me) throw new Error(`viewFor: player ${playerId} is not seated in room ${state.roomCode}`);
  const match = state.match;

  const players = [...state.players]
    .sort((a, b) => a.seat - b.seat)
    .map((p): PlayerView => {
      const view: PlayerView = {
        playerId: p.playerId,
        name: p.name,
        seat: p.seat,
        team: teamOfSeat(p.seat),
        connected: p.connected,
        cardCount: match?.hands[p.playerId]?.length ?? 0,
      };
      if (p.bot === true) view.bot = true;
      return view;
    });

  // Every array is copied so a caller mutating the view can never reach the stored state.
  return {
    roomCode: state.roomCode,
    version: state.version,
    phase: state.phase,
    targetScore: state.targetScore,
    players,
    you: {
      playerId: me.playerId,
      seat: me.seat,
      team: teamOfSeat(me.seat),
      hand: sortHand(match?.hands[me.playerId] ?? []),
    },
    hakem: match?.hakem ?? null,
    hokm: match?.hokm ?? null,
    turn: match?.turn ?? null,
    ledSuit: match?.ledSuit ?? null,
    currentTrick: (match?.currentTrick ?? []).map((c) => ({ playerId: c.playerId, card: c.card })),
    lastTrick: match?.lastTrick
      ? {
          cards: match.lastTrick.cards.map((c) => ({ playerId: c.playerId, card: c.card })),
          winner: match.lastTrick.winner,
        }
      : null,
    tricks: match ? [match.tricks[0], match.tricks[1]] : [0, 0],
    scores: match ? [match.scores[0], match.scores[1]] : [0, 0],
    handNumber: match?.handNumber ?? 0,
    winnerTeam: match?.winnerTeam ?? null,
    hostId: state.hostId,
  };
}
