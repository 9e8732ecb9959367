// The hidden-information check: nothing a player or a spectator receives may hold a card of a
// hand that is not theirs, the undealt deck, or another player's session token. Works on
// MessageRecorders after the fact.
import type { GameView, SeatedGameView } from '../../src/protocol/hokm-protocol';
import type { MessageRecorder, ReceivedMessage } from './game-client';

const CARD = /(?:10|[2-9JQKA])_(?:hearts|diamonds|clubs|spades)/g;

/** Every card string anywhere in a JSON-like value (keys and values). */
export function cardsIn(value: unknown): string[] {
  return [...JSON.stringify(value ?? null).matchAll(CARD)].map((m) => m[0]);
}

/**
 * The GameView a message carries: a `state` push or a successful get_state ack (a seated
 * player's, or a spectator's with `you: null`).
 */
function viewOf(m: ReceivedMessage): GameView | null {
  if (m.kind === 'push' && m.event === 'state') return m.payload as GameView;
  const ack = m.payload as { ok?: boolean; data?: unknown } | null;
  if (m.kind === 'ack' && m.event === 'get_state' && ack?.ok) return ack.data as GameView;
  return null;
}

function isSeated(view: GameView): view is SeatedGameView {
  return view.you !== null;
}

function versionOf(m: ReceivedMessage): number | null {
  const view = viewOf(m);
  if (view) return view.version;
  const version = (m.payload as { version?: unknown } | null)?.version;
  return m.kind === 'push' && typeof version === 'number' ? version : null;
}

/** The session tokens a recorder's player was granted (create_room / join acks). */
function tokensOf(recorder: MessageRecorder): string[] {
  return recorder.messages
    .filter((m) => m.kind === 'ack' && (m.event === 'create_room' || m.event === 'join'))
    .map((m) => (m.payload as { ok?: boolean; data?: { sessionToken?: string } }).data)
    .map((data) => data?.sessionToken)
    .filter((token): token is string => typeof token === 'string');
}

/**
 * Checks every message the `recorders` received (one recorder per player or spectator, over all
 * of that person's sockets) and answers one line per leak; [] when there is none. A spectator
 * holds no hand: all it may see are the cards played publicly.
 *
 * What a player X may see at a room version v: their own hand at v (from their own views) and
 * the cards played publicly in the hand under way (the events of the change that ends a hand
 * still show that hand's last trick; a card_played counts only if the player's own next view no
 * longer holds the card). Any other card is in another hand or in the undealt deck,
 * so it is a leak; a card X sent in the request an ack answers is X's own input echoed.
 * Messages without a version count at the newest version X had seen. Each leak also names the
 * owner when another recorded player's view at v shows the card in their hand.
 * Session tokens: no message and no raw frame to X may hold a token granted to another player.
 */
export function findLeaks(recorders: readonly MessageRecorder[]): string[] {
  const leaks: string[] = [];
  const handNumberAt = new Map<number, number>();
  const phaseAt = new Map<number, SeatedGameView['phase']>();
  const viewsOf = recorders.map(() => new Map<number, SeatedGameView>());
  recorders.forEach((recorder, i) => {
    for (const m of recorder.messages) {
      const view = viewOf(m);
      if (!view) continue;
      if (isSeated(view)) viewsOf[i]!.set(view.version, view);
      handNumberAt.set(view.version, view.handNumber);
      phaseAt.set(view.version, view.phase);
    }
  });

  // Cards played in each hand, with the version that played them. A card_played at version w
  // belongs to the hand under way before the change, i.e. at w - 1.
  const played = new Map<number, Map<string, number>>();
  const addPlay = (hand: number | undefined, card: string, version: number) => {
    if (hand === undefined) return;
    const cards = played.get(hand) ?? new Map<string, number>();
    played.set(hand, cards);
    cards.set(card, Math.min(cards.get(card) ?? Infinity, version));
  };
  const indexOf = new Map<string, number>();
  viewsOf.forEach((views, i) => {
    for (const view of views.values()) indexOf.set(view.you.playerId, i);
  });
  // A card_played is believed only if the player's own next view of that hand no longer holds
  // the card (a bot, who has no views, is believed; so is the play that ends a hand, as the
  // next view is of a new deal): a message cannot launder a card by claiming it was played.
  const reallyPlayed = (playerId: string, card: string, version: number): boolean => {
    // Cards are played only in gameplay.
    if (phaseAt.has(version - 1) && phaseAt.get(version - 1) !== 'gameplay') return false;
    const i = indexOf.get(playerId);
    if (i === undefined) return true;
    const hand = handNumberAt.get(version - 1);
    const after = [...viewsOf[i]!.values()]
      .filter((v) => v.version >= version && (hand === undefined || v.handNumber === hand))
      .sort((a, b) => a.version - b.version)[0];
    return !after || !after.you.hand.includes(card);
  };
  for (const recorder of recorders) {
    for (const m of recorder.messages) {
      if (m.kind !== 'push' || m.event !== 'card_played') continue;
      const { playerId, card, version } = m.payload as {
        playerId: string;
        card: string;
        version: number;
      };
      if (!reallyPlayed(playerId, card, version)) continue;
      const before = handNumberAt.get(version - 1);
      addPlay(before ?? handNumberAt.get(version), card, version);
    }
  }
  const playedBy = (hand: number | undefined, version: number): string[] =>
    hand === undefined
      ? []
      : [...(played.get(hand) ?? new Map<string, number>())]
          .filter(([, at]) => at <= version)
          .map(([card]) => card);

  const ownerOf = (card: string, version: number, except: number): string | null => {
    for (const [j, views] of viewsOf.entries()) {
      if (j === except) continue;
      if (views.get(version)?.you.hand.includes(card)) return recorders[j]!.label;
    }
    return null;
  };
  const handAt = (i: number, version: number): string[] => {
    const exact = viewsOf[i]!.get(version);
    if (exact) return exact.you.hand;
    let best: SeatedGameView | null = null;
    for (const [v, view] of viewsOf[i]!)
      if (v <= version && (!best || v > best.version)) best = view;
    return best?.you.hand ?? [];
  };

  const tokens = recorders.map(tokensOf);
  recorders.forEach((recorder, i) => {
    let newest = 0;
    for (const m of recorder.messages) {
      const version = versionOf(m) ?? newest;
      newest = Math.max(newest, version);
      const view = viewOf(m);
      const known = new Set<string>(view ? (view.you?.hand ?? []) : handAt(i, version));
      // A view shows the hand it belongs to; an event may also show the hand it just ended.
      for (const card of playedBy(handNumberAt.get(version), version)) known.add(card);
      if (!view)
        for (const card of playedBy(handNumberAt.get(version - 1), version)) known.add(card);
      for (const card of cardsIn(m.request)) known.add(card);
      for (const card of cardsIn(m.payload)) {
        if (known.has(card)) continue;
        const owner = ownerOf(card, version, i);
        leaks.push(
          `${recorder.label} #${m.seq} ${m.kind} ${m.event} (v${version}) holds ${card}` +
            (owner ? `, in ${owner}'s hand` : ', not theirs nor played (another hand or the deck)'),
        );
      }
      const text = JSON.stringify(m.payload ?? null);
      tokens.forEach((theirs, j) => {
        if (j === i) return;
        for (const token of theirs) {
          if (text.includes(token)) {
            leaks.push(
              `${recorder.label} #${m.seq} ${m.event} holds ${recorders[j]!.label}'s token`,
            );
          }
        }
      });
    }
    for (const [n, frame] of recorder.frames.entries()) {
      tokens.forEach((theirs, j) => {
        if (j === i) return;
        for (const token of theirs) {
          if (frame.includes(token)) {
            leaks.push(`${recorder.label} raw frame ${n} holds ${recorders[j]!.label}'s token`);
          }
        }
      });
    }
  });
  return leaks;
}
