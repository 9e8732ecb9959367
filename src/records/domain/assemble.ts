// A finished match's record, assembled from the journal lines of its room (see journal.ts).
import { teamOfSeat } from '../../game-state/domain/table';
import type { MatchHand, MatchRecord } from '../../protocol/hokm-protocol';
import type { JournalLine } from './journal';

/** A record and where its lines lie in the journal (`end`: the index of its `E` line). */
export interface AssembledRecord {
  record: MatchRecord;
  start: number;
  end: number;
}

const MATCH_LINE_PREFIX = '["M",';

const isPair = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number');
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number';
const isFlag = (v: unknown): v is 0 | 1 => v === 0 || v === 1;

/** One journal line, parsed and checked; null for a line this code does not know. */
export function parseLine(text: string): JournalLine | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(v)) return null;
  const a = v as unknown[];
  switch (a[0]) {
    case 'M':
      return a.length === 6 &&
        isStr(a[1]) &&
        isStr(a[2]) &&
        isNum(a[3]) &&
        isNum(a[4]) &&
        Array.isArray(a[5]) &&
        a[5].every(
          (p: unknown) =>
            Array.isArray(p) && isStr(p[0]) && isStr(p[1]) && isNum(p[2]) && isFlag(p[3]),
        )
        ? (a as JournalLine)
        : null;
    case 'H':
      return a.length === 4 &&
        isNum(a[1]) &&
        isStr(a[2]) &&
        typeof a[3] === 'object' &&
        a[3] !== null &&
        Object.values(a[3]).every((cards) => Array.isArray(cards) && cards.every(isStr))
        ? (a as JournalLine)
        : null;
    case 'S':
    case 'P':
      return a.length === 5 && isStr(a[1]) && isStr(a[2]) && isNum(a[3]) && isFlag(a[4])
        ? (a as JournalLine)
        : null;
    case 'R':
      return a.length === 4 && isNum(a[1]) && isPair(a[2]) && isPair(a[3])
        ? (a as JournalLine)
        : null;
    case 'E':
      return a.length === 6 &&
        (a[1] === 'game_over' || a[1] === 'abandoned') &&
        (a[2] === 0 || a[2] === 1 || a[2] === null) &&
        isPair(a[3]) &&
        isNum(a[4]) &&
        isPair(a[5])
        ? (a as JournalLine)
        : null;
    default:
      return null;
  }
}

/** Where the match's `M` line is in the journal, or -1. */
function startOf(lines: readonly string[], matchId: string): number {
  for (let i = lines.length - 1; i >= 0; i--) {
    const text = lines[i] as string;
    if (!text.startsWith(MATCH_LINE_PREFIX)) continue;
    const line = parseLine(text);
    if (line?.[0] === 'M' && line[1] === matchId) return i;
  }
  return -1;
}

/**
 * The record of `matchId` from its room's journal, once the match has ended; null while it is
 * played, when its lines are not there, or when they do not make a whole match.
 */
export function assembleRecord(lines: readonly string[], matchId: string): AssembledRecord | null {
  const start = startOf(lines, matchId);
  if (start < 0) return null;
  const opening = parseLine(lines[start] as string);
  if (opening?.[0] !== 'M') return null;
  const [, , roomCode, targetScore, startedAt, seated] = opening;
  const hands: MatchHand[] = [];
  let hand: MatchHand | null = null;
  let scored = false;
  for (let i = start + 1; i < lines.length; i++) {
    const line = parseLine(lines[i] as string);
    if (!line || line[0] === 'M') return null;
    switch (line[0]) {
      case 'H':
        hand = {
          handNumber: line[1],
          hakem: line[2],
          hokm: null,
          deal: line[3],
          moves: [],
          tricks: [0, 0],
          points: [0, 0],
        };
        scored = false;
        hands.push(hand);
        break;
      case 'S':
        if (!hand) return null;
        hand.hokm = line[2];
        hand.moves.push({
          type: 'select_hokm',
          playerId: line[1],
          suit: line[2],
          at: line[3],
          auto: line[4] === 1,
        });
        break;
      case 'P':
        if (!hand) return null;
        hand.moves.push({
          type: 'play_card',
          playerId: line[1],
          card: line[2],
          at: line[3],
          auto: line[4] === 1,
        });
        break;
      case 'R':
        if (!hand) return null;
        hand.tricks = line[2];
        hand.points = line[3];
        scored = true;
        break;
      case 'E': {
        // A hand cut short keeps the tricks it had; it scored nothing.
        if (hand && !scored) hand.tricks = line[5];
        const record: MatchRecord = {
          matchId,
          roomCode,
          targetScore,
          startedAt,
          endedAt: line[4],
          outcome: line[1],
          winnerTeam: line[2],
          scores: line[3],
          players: seated.map(([playerId, name, seat, bot]) => ({
            playerId,
            name,
            seat,
            team: teamOfSeat(seat),
            bot: bot === 1,
          })),
          hands,
        };
        return { record, start, end: i };
      }
    }
  }
  return null;
}
