// Draws one step of a replay: the match, the controls, the four hands and the trick on the table.
import type { Card, MatchRecord, Suit } from '../../../src/protocol/hokm-protocol.js';
import { SUITS, SUIT_SYMBOL, cardLabel, isRed, parseCard, suitName, suitOf } from '../cards.js';
import { h, mount } from '../dom.js';
import { tableCard } from '../views/table/card-faces.js';
import type { ReplayStep } from './steps.js';

/** What the controls do (the keyboard does the same, see main.ts). */
export interface ReplayControls {
  first: () => void;
  previousHand: () => void;
  previous: () => void;
  next: () => void;
  nextHand: () => void;
  last: () => void;
}

const RANK_ORDER = ['A', 'K', 'Q', 'J', '10', '9', '8', '7', '6', '5', '4', '3', '2'];

/** A hand as it is laid out: by suit (the hokm first), high to low. */
function laidOut(cards: readonly Card[], hokm: Suit | null): Card[] {
  const suits = hokm ? [hokm, ...SUITS.filter((s) => s !== hokm)] : [...SUITS];
  return [...cards].sort(
    (a, b) =>
      suits.indexOf(suitOf(a)) - suits.indexOf(suitOf(b)) ||
      RANK_ORDER.indexOf(parseCard(a).rank) - RANK_ORDER.indexOf(parseCard(b).rank),
  );
}

function chip(card: Card, hokm: Suit | null): HTMLElement {
  const { rank, suit } = parseCard(card);
  const classes = `chip ${isRed(suit) ? 'red' : 'black'}${suit === hokm ? ' trump' : ''}`;
  return h(
    'li',
    { class: classes, 'data-card': card, 'aria-label': cardLabel(card) },
    h('span', { 'aria-hidden': 'true' }, rank, SUIT_SYMBOL[suit]),
  );
}

function seatBlock(record: MatchRecord, step: ReplayStep, seat: number): HTMLElement {
  const player = record.players.find((p) => p.seat === seat);
  if (!player) return h('div', { class: 'replay-seat' });
  const cards = step.hands[player.playerId] ?? [];
  const played = step.table.find((t) => t.playerId === player.playerId);
  const badges = [
    step.hakem === player.playerId ? h('span', { class: 'badge hakem' }, 'Hakem') : null,
    player.bot ? h('span', { class: 'badge' }, 'Bot') : null,
    step.winner === player.playerId ? h('span', { class: 'badge won' }, 'Took the trick') : null,
  ];
  return h(
    'section',
    {
      class: `replay-seat seat-${seat} team-${player.team}`,
      'data-testid': 'replay-seat',
      'data-player': player.playerId,
      'data-cards': cards.length,
      'aria-label': `${player.name}, team ${player.team + 1}, ${cards.length} cards`,
    },
    h('header', {}, h('span', { class: 'who' }, player.name), ...badges),
    h(
      'ul',
      { class: 'chips' },
      laidOut(cards, step.hokm).map((c) => chip(c, step.hokm)),
    ),
    played ? h('p', { class: 'sr-only' }, `Played ${cardLabel(played.card)}`) : null,
  );
}

function trickArea(record: MatchRecord, step: ReplayStep): HTMLElement {
  const nameOf = (id: string) => record.players.find((p) => p.playerId === id)?.name ?? '';
  const cards = step.table.map((t, i) =>
    h(
      'figure',
      { class: `played${t.playerId === step.winner ? ' winner' : ''}` },
      tableCard(t.card, `order-${i}`),
      h('figcaption', {}, nameOf(t.playerId)),
    ),
  );
  const hokm = step.hokm
    ? h('span', { class: 'hokm' }, `Hokm ${SUIT_SYMBOL[step.hokm]} ${suitName(step.hokm)}`)
    : h('span', { class: 'hokm' }, 'No hokm named');
  const note = step.result
    ? `${step.result.points[0] > 0 ? teamNames(record, 0) : teamNames(record, 1)} won the hand (+${Math.max(...step.result.points)})`
    : step.trick === 0
      ? `${nameOf(step.hakem)} deals`
      : step.winner
        ? `${nameOf(step.winner)} took the trick`
        : 'The match ended during this trick';
  return h(
    'div',
    { class: 'replay-trick', 'data-testid': 'replay-trick' },
    hokm,
    h('div', { class: 'played-cards' }, cards),
    h('p', { class: 'trick-note' }, note),
  );
}

function teamNames(record: MatchRecord, team: 0 | 1): string {
  return record.players
    .filter((p) => p.team === team)
    .map((p) => p.name)
    .join(' & ');
}

function controls(c: ReplayControls, at: number, total: number): HTMLElement {
  const button = (label: string, text: string, testid: string, onclick: () => void, off: boolean) =>
    h(
      'button',
      {
        class: 'btn small',
        type: 'button',
        'aria-label': label,
        'data-testid': testid,
        onclick,
        disabled: off,
      },
      text,
    );
  return h(
    'nav',
    { class: 'replay-controls', 'aria-label': 'Replay' },
    button('Start of the match', '|◀', 'replay-first', c.first, at === 0),
    button('Previous hand', '◀◀', 'replay-prev-hand', c.previousHand, at === 0),
    button('Previous trick', '◀', 'replay-prev', c.previous, at === 0),
    button('Next trick', '▶', 'replay-next', c.next, at === total - 1),
    button('Next hand', '▶▶', 'replay-next-hand', c.nextHand, at === total - 1),
    button('End of the match', '▶|', 'replay-last', c.last, at === total - 1),
  );
}

function summary(record: MatchRecord): HTMLElement {
  const outcome =
    record.outcome === 'game_over' && record.winnerTeam !== null
      ? `${teamNames(record, record.winnerTeam)} won ${record.scores[record.winnerTeam]} – ${record.scores[record.winnerTeam === 0 ? 1 : 0]}`
      : `Abandoned at ${record.scores[0]} – ${record.scores[1]}`;
  const when = new Date(record.startedAt).toLocaleString();
  return h(
    'header',
    { class: 'replay-summary' },
    h('h1', {}, 'Match replay'),
    h('p', { 'data-testid': 'replay-outcome' }, outcome),
    h('p', { class: 'muted' }, `Table ${record.roomCode} · to ${record.targetScore} · ${when}`),
  );
}

/** Draws `steps[at]` of `record` into `main`. */
export function renderReplay(
  main: HTMLElement,
  record: MatchRecord,
  steps: readonly ReplayStep[],
  at: number,
  c: ReplayControls,
): void {
  const step = steps[at];
  if (!step) return;
  const where =
    step.trick === 0
      ? `Hand ${step.handNumber} · the deal`
      : `Hand ${step.handNumber} · trick ${step.trick} of ${step.tricksInHand}`;
  const status = h(
    'p',
    {
      class: 'replay-step',
      'data-testid': 'replay-step',
      'data-hand': step.handNumber,
      'data-trick': step.trick,
      'data-tricks': step.tricks.join('-'),
      'data-scores': step.scores.join('-'),
      'aria-live': 'polite',
    },
    h('strong', {}, where),
    ` · tricks ${step.tricks[0]} – ${step.tricks[1]} · score ${step.scores[0]} – ${step.scores[1]}`,
  );
  mount(
    main,
    h(
      'div',
      { class: 'replay', 'data-testid': 'replay' },
      summary(record),
      controls(c, at, steps.length),
      status,
      h(
        'div',
        { class: 'replay-table' },
        seatBlock(record, step, 2),
        seatBlock(record, step, 3),
        trickArea(record, step),
        seatBlock(record, step, 1),
        seatBlock(record, step, 0),
      ),
      h('p', { class: 'muted keys' }, 'Keys: ← → trick by trick, ↑ ↓ hand by hand, Home / End.'),
    ),
  );
}

/** What the page shows when there is no record to replay. */
export function renderMissing(main: HTMLElement, why: string): void {
  mount(
    main,
    h(
      'div',
      { class: 'panel replay-missing', 'data-testid': 'replay-missing', role: 'alert' },
      h('h1', {}, 'No replay here'),
      h('p', {}, why),
      h('a', { class: 'btn primary', href: '/' }, 'Back to the lobby'),
    ),
  );
}
