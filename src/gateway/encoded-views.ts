import type { Card, RoomState, SeatedPlayer, TurnClock } from '../game-state/domain/types';
import { tableView, youView } from '../game-state/domain/view';
import { JsonText } from './json-packet-encoder';

/**
 * A player's encoded `you`, by the hand it shows. A move writes only its mover's hand, and the
 * states after it share the other hands' arrays, so the other players' `you` is encoded once per
 * hand change rather than on every change. The seated record it was built from is kept to check
 * that it is still theirs (a new record, at a reseat, misses).
 */
const encodedYou = new WeakMap<readonly Card[], { player: SeatedPlayer; json: string }>();

/**
 * The views of one room change, encoded once: the table part every receiver shares is built and
 * encoded once, then each seated player's view is that text with their own `you` (their hand)
 * written after it, and every spectator's the same text with `you: null`. Each is byte for byte
 * what JSON.stringify of viewFor's or spectatorView's answer would be (`you` is a view's last
 * field), sent as JsonText.
 */
export class EncodedViews {
  /** The table part's JSON without its closing brace. */
  private readonly table: string;

  constructor(
    private readonly state: RoomState,
    now: number,
    clock: TurnClock,
    spectators: number,
  ) {
    this.table = JSON.stringify(tableView(state, now, clock, spectators)).slice(0, -1);
  }

  /** A seated player's view (viewFor). */
  seated(playerId: string): JsonText {
    return new JsonText(`${this.table},"you":${this.you(playerId)}}`);
  }

  private you(playerId: string): string {
    const hand = this.state.match?.hands[playerId];
    const player = this.state.players.find((p) => p.playerId === playerId);
    if (!hand || !player) return JSON.stringify(youView(this.state, playerId));
    const known = encodedYou.get(hand);
    if (known?.player === player) return known.json;
    const json = JSON.stringify(youView(this.state, playerId));
    encodedYou.set(hand, { player, json });
    return json;
  }

  /** A spectator's view (spectatorView). */
  spectator(): JsonText {
    return new JsonText(`${this.table},"you":null}`);
  }
}
