import type { TurnClock } from '../game-state/domain/types';
import type { RoomState } from '../game-state/domain/types';
import { tableView, youView } from '../game-state/domain/view';
import { JsonText } from './json-packet-encoder';

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
    return new JsonText(`${this.table},"you":${JSON.stringify(youView(this.state, playerId))}}`);
  }

  /** A spectator's view (spectatorView). */
  spectator(): JsonText {
    return new JsonText(`${this.table},"you":null}`);
  }
}
