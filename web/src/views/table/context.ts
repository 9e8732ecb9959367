// What every part of the table is drawn from: the view and what follows from it for you.
import type { Card, PlayerView, Suit } from '../../../../src/protocol/hokm-protocol.js';
import { playableCards, suitOf } from '../../cards.js';
import type { AbandonEvent, ClientState, SeatView } from '../../state/store.js';

/** Where a seat is drawn, seen from your own seat at the bottom. */
export type Position = 'bottom' | 'right' | 'top' | 'left';

// Hokm is played counter-clockwise: the next seat sits to your right.
const POSITIONS: readonly Position[] = ['bottom', 'right', 'top', 'left'];

export interface TableContext {
  readonly view: SeatView;
  readonly me: SeatView['you'];
  readonly myTurn: boolean;
  /** The seat is this socket's and connected: you can act. */
  readonly online: boolean;
  /** A move of yours is in flight. */
  readonly busy: boolean;
  /** The cards you may play now (none while busy or offline). */
  readonly playable: ReadonlySet<Card>;
  /** The match is over (won or abandoned). */
  readonly over: boolean;
  /** The suit led in the current trick, if any. */
  readonly led: Suit | null;
  readonly abandon: AbandonEvent | null;
  positionOf(p: PlayerView): Position;
  player(playerId: string): PlayerView | undefined;
}

export function tableContext(state: ClientState, view: SeatView): TableContext {
  const me = view.you;
  // Nothing is playable while a move is in flight or the seat is not (yet) this socket's.
  const online = state.connected && state.seated;
  const byId = new Map(view.players.map((p) => [p.playerId, p]));
  return {
    view,
    me,
    myTurn: view.turn === me.playerId,
    online,
    busy: state.busy,
    playable: state.busy || !online ? new Set<Card>() : playableCards(view),
    over: view.phase === 'game_over' || view.phase === 'abandoned',
    led: view.ledSuit ?? (view.currentTrick[0] ? suitOf(view.currentTrick[0].card) : null),
    abandon: state.abandon,
    positionOf: (p) => POSITIONS[(p.seat - me.seat + 4) % 4] ?? 'bottom',
    player: (playerId) => byId.get(playerId),
  };
}
