// What each change of a room adds to its match's record: compact JSON lines, appended to the
// room's journal in the change's own commit. Pure: (before, after, events, now) → lines.
import { FIRST_DEAL, SECOND_DEAL } from '../../game-state/domain/rules';
import { isMatchRunning, seatOrderFrom } from '../../game-state/domain/table';
import type {
  Card,
  DomainEvent,
  MatchState,
  RoomState,
  Suit,
  Team,
} from '../../game-state/domain/types';
import type { IndexUpdate, RoomChangeExtras } from '../../game-state/room-store.port';

/**
 * The index of ended matches whose record may not be stored yet (members `matchId|roomCode`,
 * scored by when the match ended): written by the ending commit, dropped once the record is
 * stored, so a record whose instance died before storing it is still found and assembled.
 */
export const PENDING_RECORDS_INDEX = 'records:pending';

/** The pending index's member of a match. */
export function pendingMember(matchId: string, roomCode: string): string {
  return `${matchId}|${roomCode}`;
}

type Pair = [number, number];

/**
 * One journal line, a JSON array tagged by its first element. A match's lines run from its `M`
 * line to its `E` line: the journal is appended only by the room's commits, in commit order, so
 * a later match of the same room code starts after the earlier one's end, at its own `M` line.
 */
export type JournalLine =
  /** The match started: id, room, target, when, players by seat [id, name, seat, bot 0|1]. */
  | ['M', string, string, number, number, Array<[string, string, number, 0 | 1]>]
  /** A hand started: number, hakem, every card each player is dealt, in deal order. */
  | ['H', number, string, Record<string, Card[]>]
  /** The hakem named the hokm: player, suit, when, by the clock 0|1. */
  | ['S', string, Suit, number, 0 | 1]
  /** A card was played: player, card, when, by the clock 0|1. */
  | ['P', string, Card, number, 0 | 1]
  /** A hand was won: number, tricks by team, points by team. */
  | ['R', number, Pair, Pair]
  /** The match ended: outcome, winner, scores, when, tricks of the hand being played. */
  | ['E', 'game_over' | 'abandoned', Team | null, Pair, number, Pair];

/**
 * At a hand's start (the first deal made, the hokm not yet named): every card each player gets
 * this hand, in deal order. The rules deal from the front of the deck in seat order from the
 * hakem, FIRST_DEAL each, and after the hokm SECOND_DEAL each the same way.
 */
export function dealOf(state: RoomState, match: MatchState): Record<string, Card[]> {
  const deal: Record<string, Card[]> = {};
  seatOrderFrom(state, match.hakem).forEach((playerId, i) => {
    const first = (match.hands[playerId] ?? []).slice(0, FIRST_DEAL);
    const second = match.deck.slice(i * SECOND_DEAL, (i + 1) * SECOND_DEAL);
    deal[playerId] = [...first, ...second];
  });
  return deal;
}

function matchLine(state: RoomState, matchId: string, now: number): JournalLine {
  const players = [...state.players]
    .sort((a, b) => a.seat - b.seat)
    .map((p): [string, string, number, 0 | 1] => [p.playerId, p.name, p.seat, p.bot ? 1 : 0]);
  return ['M', matchId, state.roomCode, state.targetScore, now, players];
}

function handLine(state: RoomState, match: MatchState): JournalLine {
  return ['H', match.handNumber, match.hakem, dealOf(state, match)];
}

/**
 * The journal lines and index entries one change adds, or null (most changes: one line per
 * move). Only matches with an id are recorded (states stored before match records have none).
 */
export function journalFor(
  before: RoomState | null,
  after: RoomState,
  events: readonly DomainEvent[],
  now: number,
): RoomChangeExtras | null {
  const match = after.match;
  const matchId = match?.matchId;
  if (!match || matchId === undefined) return null;
  const lines: JournalLine[] = [];
  if (before?.match?.matchId !== matchId) {
    lines.push(matchLine(after, matchId, now), handLine(after, match));
  } else {
    let tricks: Pair = [0, 0];
    for (const event of events) {
      switch (event.type) {
        case 'hokm_selected':
          lines.push(['S', event.playerId, event.suit, now, event.auto ? 1 : 0]);
          break;
        case 'card_played':
          lines.push(['P', event.playerId, event.card, now, event.auto ? 1 : 0]);
          break;
        case 'trick_won':
          tricks = [event.tricks[0], event.tricks[1]];
          break;
        case 'hand_complete': {
          const points: Pair = event.winnerTeam === 0 ? [event.points, 0] : [0, event.points];
          lines.push(['R', event.handNumber, tricks, points]);
          if (event.nextHakem !== null) lines.push(handLine(after, match));
          break;
        }
        default:
          break;
      }
    }
  }
  if (endedMatch(before, after) === null)
    return lines.length ? { journal: lines.map((l) => JSON.stringify(l)) } : null;
  lines.push([
    'E',
    after.phase === 'game_over' ? 'game_over' : 'abandoned',
    match.winnerTeam,
    [match.scores[0], match.scores[1]],
    now,
    [match.tricks[0], match.tricks[1]],
  ]);
  const pending: IndexUpdate = {
    index: PENDING_RECORDS_INDEX,
    member: pendingMember(matchId, after.roomCode),
    score: now,
  };
  return { journal: lines.map((l) => JSON.stringify(l)), indexes: [pending] };
}

/** The id of the recorded match this change ended (game_over or abandoned), else null. */
export function endedMatch(before: RoomState | null, after: RoomState): string | null {
  const matchId = after.match?.matchId;
  if (matchId === undefined || before === null || !isMatchRunning(before.phase)) return null;
  return after.phase === 'game_over' || after.phase === 'abandoned' ? matchId : null;
}
