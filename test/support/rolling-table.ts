// Matches of RollingPlayers: seated through the load balancer, played by careful people (the
// mover waits to see the newest version), every answer recorded, and the checks of
// `matchProblems` (finished, nothing acknowledged lost, nothing abandoned).
import type { GameView } from '../../src/protocol/hokm-protocol';
import { legalMove, MessageRecorder, type Move } from './game-client';
import { RollingPlayer, type Transports } from './rolling-player';
import { sleep } from './wait';

export type { Transports } from './rolling-player';

/** A move the server answered. */
export interface MoveRecord {
  playerId: string;
  event: Move['event'];
  /** The card played or the suit named. */
  value: string;
  /** The version and hand of the view the move was chosen from. */
  fromVersion: number;
  hand: number;
  at: number;
  /**
   * The mover's newest version when the ack came: the move is in it (the server pushes the change
   * to the mover's connection before it answers). Another change may land between `fromVersion`
   * and the move, so only states from this one on must show the move.
   */
  ackedAt?: number;
}

/** One match of four RollingPlayers and everything its moves were answered. */
export interface RollingMatch {
  label: string;
  roomCode: string;
  players: RollingPlayer[];
  /** Acknowledged with ok. */
  acked: MoveRecord[];
  /** Sent on a connection that closed before the answer: applied or not, nobody knows. */
  unanswered: MoveRecord[];
  /** Refused with SERVICE_UNAVAILABLE (the instance was stopping): not applied. */
  unavailable: number;
  /** Refused with anything else: a bug. */
  refused: string[];
  final: GameView | null;
}

/** The newest state any player of the match holds. */
export function newestState(players: readonly RollingPlayer[]): GameView | null {
  let newest: GameView | null = null;
  for (const player of players) {
    const view = player.state;
    if (view && (!newest || view.version > newest.version)) newest = view;
  }
  return newest;
}

/**
 * Seats four players at a new room through `url` (player i over `transports[i]`) and waits until
 * all four see the match started.
 */
export async function seatMatch(
  url: string,
  transports: readonly Transports[],
  {
    label,
    targetScore,
    reconnectDeadlineMs,
  }: {
    label: string;
    targetScore: number;
    reconnectDeadlineMs: number;
  },
): Promise<RollingMatch> {
  const players = transports.map(
    (t, i) => new RollingPlayer(url, t, new MessageRecorder(`${label}.p${i}`), reconnectDeadlineMs),
  );
  let roomCode = '';
  for (const [i, player] of players.entries()) {
    await player.sit(async (client) => {
      const grant =
        i === 0
          ? await client.ok('create_room', { name: `${label} host`, targetScore })
          : await client.ok('join', { roomCode, name: `${label} p${i}` });
      roomCode = grant.roomCode;
      return grant;
    });
  }
  await Promise.all(
    players.map((p) =>
      p.current.client.waitForState((v) => v.phase === 'hokm_selection', {
        what: 'the match to start',
        timeoutMs: 15_000,
      }),
    ),
  );
  return {
    label,
    roomCode,
    players,
    acked: [],
    unanswered: [],
    unavailable: 0,
    refused: [],
    final: null,
  };
}

/**
 * Plays the match to its end: the player to move waits until their own connection shows the
 * newest version, then moves; a player without a seat is waited for. `thinkMs` paces the moves.
 * Resolves with the final state, once every player holds it.
 */
export async function playMatch(
  match: RollingMatch,
  { thinkMs, deadlineMs }: { thinkMs: number; deadlineMs: number },
): Promise<GameView> {
  const deadline = performance.now() + deadlineMs;
  const check = () => {
    const failed = match.players.find((p) => p.failure);
    if (failed?.failure) throw failed.failure;
    if (performance.now() > deadline) {
      throw new Error(`${match.label} ${match.roomCode}: not over after ${deadlineMs} ms`);
    }
  };
  for (;;) {
    check();
    const newest = newestState(match.players);
    if (!newest) throw new Error(`${match.label}: no state`);
    if (newest.phase === 'game_over' || newest.phase === 'abandoned') {
      match.final = newest;
      break;
    }
    const mover = match.players.find((p) => p.playerId === newest.turn);
    const connection = mover?.seated ? mover.current : null;
    const view = connection?.client.state;
    const move = view && view.version >= newest.version ? legalMove(view) : null;
    if (!mover || !connection || !view || !move) {
      await sleep(5);
      continue;
    }
    const record: MoveRecord = {
      playerId: mover.playerId,
      event: move.event,
      value: move.event === 'select_hokm' ? move.payload.suit : move.payload.card,
      fromVersion: view.version,
      hand: view.handNumber,
      at: performance.now(),
    };
    const sent =
      move.event === 'select_hokm'
        ? connection.client.request('select_hokm', move.payload)
        : connection.client.request('play_card', move.payload);
    const ack = await Promise.race([sent.catch(() => null), connection.closed.then(() => null)]);
    if (!ack) {
      match.unanswered.push(record);
    } else if (ack.ok) {
      match.acked.push({ ...record, ackedAt: connection.client.state?.version ?? view.version });
    } else if (ack.error.code === 'SERVICE_UNAVAILABLE') {
      match.unavailable++;
      await sleep(20);
      continue;
    } else {
      match.refused.push(`${mover.label} ${move.event} ${record.value}: ${ack.error.code}`);
    }
    if (thinkMs > 0) await sleep(thinkMs);
  }
  const final = match.final;
  const hasTheEnd = (p: RollingPlayer) =>
    p.missedTheEnd || (p.seated && (p.state?.version ?? 0) >= final.version);
  while (!match.players.every(hasTheEnd)) {
    check();
    await sleep(10);
  }
  return final;
}

/** The card plays one player's connections were told about (card_played), one per version. */
function ownPlays(player: RollingPlayer): string[] {
  const byVersion = new Map<number, string>();
  for (const push of player.recorder.pushes('card_played')) {
    if (push.playerId === player.playerId) byVersion.set(push.version, push.card);
  }
  return [...byVersion.entries()].sort(([a], [b]) => a - b).map(([, card]) => card);
}

/**
 * Everything wrong with a finished match, one line each (empty: nothing): not finished or
 * abandoned; a refused move; a state older than one already shown on the same connection; an
 * acknowledged card back in the hand (or a named hokm gone) in a later state of the same hand;
 * the same card acknowledged twice in one hand; a player's applied plays (their card_played
 * pushes) not exactly the acknowledged ones plus some of those whose answer was lost.
 */
export function matchProblems(match: RollingMatch): string[] {
  const problems: string[] = [];
  const name = `${match.label} ${match.roomCode}`;
  if (match.final?.phase !== 'game_over') problems.push(`${name}: ended in ${match.final?.phase}`);
  for (const p of match.players) {
    if (p.recorder.pushes('abandoned').length > 0) problems.push(`${p.label}: got abandoned`);
    for (const states of p.statesByConnection()) {
      const versions = states.map((s) => s.version);
      if (versions.some((v, i) => i > 0 && v < (versions[i - 1] as number))) {
        problems.push(`${p.label}: versions went back on one connection: ${versions.join(',')}`);
      }
    }
  }
  problems.push(...match.refused.map((r) => `${name}: refused ${r}`));
  const seen = new Set<string>();
  for (const move of match.acked) {
    const player = match.players.find((p) => p.playerId === move.playerId) as RollingPlayer;
    const later = player
      .statesByConnection()
      .flat()
      .filter((s) => s.version >= (move.ackedAt ?? Infinity) && s.handNumber === move.hand);
    const key = `${move.playerId}:${move.hand}:${move.value}`;
    if (move.event === 'play_card') {
      const back = later.find((s) => s.you?.hand.includes(move.value));
      if (back) {
        problems.push(
          `${player.label}: ${move.value} acknowledged at v${move.ackedAt} (hand ${move.hand}) is in the hand at v${back.version} (${back.phase})`,
        );
      }
      if (seen.has(key)) problems.push(`${player.label}: ${move.value} acknowledged twice`);
      seen.add(key);
    } else if (later.some((s) => s.hokm !== move.value)) {
      problems.push(`${player.label}: acknowledged hokm ${move.value} (hand ${move.hand}) lost`);
    }
  }
  for (const player of match.players) {
    const acked = match.acked
      .filter((m) => m.playerId === player.playerId && m.event === 'play_card')
      .map((m) => m.value);
    const unanswered = match.unanswered
      .filter((m) => m.playerId === player.playerId && m.event === 'play_card')
      .map((m) => m.value);
    let next = 0;
    for (const card of ownPlays(player)) {
      if (acked[next] === card) {
        next++;
        continue;
      }
      const i = unanswered.indexOf(card);
      if (i >= 0) unanswered.splice(i, 1);
      else problems.push(`${player.label}: ${card} was played but never sent`);
    }
    if (next < acked.length) {
      problems.push(`${player.label}: acknowledged ${acked.slice(next).join(',')} never played`);
    }
  }
  return problems;
}
