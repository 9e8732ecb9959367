// A watched match: both teams' points and tricks, the felt with the four seats (seat 0 at the
// bottom) and the cards on the table, and a line saying what is awaited. A spectator holds no
// hand, so there is none to draw: other hands show as backs, as they do to players.
import type { PlayerView } from '../../../src/protocol/hokm-protocol.js';
import { SUIT_SYMBOL, cardLabel, isRed, suitName, suitOf } from '../cards.js';
import { h } from '../dom.js';
import type { WatchView } from '../state/store.js';
import { avatar, badge } from './parts.js';
import { backs, tableCard } from './table/card-faces.js';

const POSITIONS = ['bottom', 'right', 'top', 'left'] as const;

export function watchedTable(view: WatchView): HTMLElement {
  return h(
    'div',
    { class: 'game watching-game' },
    scoreboard(view),
    h(
      'section',
      { class: `felt phase-${view.phase}`, 'aria-label': 'Card table' },
      view.players.map((p) => seat(view, p)),
      trick(view),
    ),
    h('p', { class: 'status', 'data-testid': 'status' }, statusText(view)),
  );
}

function nameOf(view: WatchView, playerId: string | null): string {
  return view.players.find((p) => p.playerId === playerId)?.name ?? 'Someone';
}

function team(view: WatchView, t: 0 | 1): string {
  return view.players
    .filter((p) => p.team === t)
    .map((p) => p.name)
    .join(' & ');
}

function scoreboard(view: WatchView): HTMLElement {
  const box = (t: 0 | 1) =>
    h(
      'div',
      { class: `team-box team-${t}`, role: 'group', 'aria-label': `Team ${team(view, t)}` },
      h('div', { class: 'team-title' }, `Team ${t + 1}`),
      h('div', { class: 'team-names' }, team(view, t)),
      h(
        'div',
        { class: 'team-stats' },
        h(
          'span',
          { class: 'stat' },
          h('b', { 'data-testid': `score-team-${t}` }, String(view.scores[t])),
          h('small', {}, `/${view.targetScore} points`),
        ),
        h('span', { class: 'stat' }, h('b', {}, String(view.tricks[t])), h('small', {}, 'tricks')),
      ),
    );
  return h(
    'section',
    { class: 'scoreboard', 'aria-label': 'Score' },
    box(0),
    h(
      'div',
      { class: 'match-info' },
      h('div', { class: 'hand-no' }, view.handNumber > 0 ? `Hand ${view.handNumber}` : ''),
      view.hokm
        ? h(
            'div',
            { class: `hokm-chip ${isRed(view.hokm) ? 'red' : 'black'}`, 'data-testid': 'hokm' },
            h('span', { class: 'hokm-sym', 'aria-hidden': 'true' }, SUIT_SYMBOL[view.hokm]),
            h('span', {}, h('span', { class: 'hokm-word' }, 'Hokm '), suitName(view.hokm)),
          )
        : h('div', { class: 'hokm-chip pending' }, 'Hokm not chosen'),
      view.hakem ? h('div', { class: 'hakem-line' }, `Hakem: ${nameOf(view, view.hakem)}`) : null,
    ),
    box(1),
  );
}

function seat(view: WatchView, p: PlayerView): HTMLElement {
  const turn = view.turn === p.playerId;
  const position = POSITIONS[p.seat % 4] ?? 'bottom';
  const label = [
    p.name,
    p.playerId === view.hakem ? 'hakem' : '',
    p.bot ? 'bot' : '',
    !p.connected ? 'disconnected' : '',
    turn ? 'to play' : '',
    `${p.cardCount} cards`,
  ]
    .filter(Boolean)
    .join(', ');
  return h(
    'div',
    {
      class: `seat seat-${position} team-${p.team}${turn ? ' turn' : ''}${p.connected ? '' : ' away'}`,
      'aria-label': label,
      role: 'group',
      'data-testid': `seat-${position}`,
    },
    backs(p.cardCount),
    h(
      'div',
      { class: 'seat-chip' },
      avatar(p),
      h(
        'div',
        { class: 'seat-text' },
        h('span', { class: 'seat-name' }, p.name),
        h(
          'span',
          { class: 'seat-badges' },
          p.playerId === view.hakem ? badge('hakem', 'Hakem') : null,
          p.bot ? badge('bot', 'Bot') : null,
          !p.connected ? badge('offline', 'Offline') : null,
          h('span', { class: 'count', title: `${p.cardCount} cards` }, String(p.cardCount)),
        ),
      ),
    ),
  );
}

/** The trick being played, or the one just taken until the next card is led. */
function trick(view: WatchView): HTMLElement {
  const last = view.currentTrick.length === 0 && view.lastTrick !== null;
  const cards = last && view.lastTrick ? view.lastTrick.cards : view.currentTrick;
  const slots = cards.map((c, i) => {
    const p = view.players.find((q) => q.playerId === c.playerId);
    const winner = last && view.lastTrick?.winner === c.playerId ? ' winner' : '';
    const trump = view.hokm && suitOf(c.card) === view.hokm ? ' trump' : '';
    return h(
      'div',
      { class: `slot slot-${POSITIONS[(p?.seat ?? 0) % 4]}`, style: `z-index:${i + 1}` },
      tableCard(c.card, `settled${winner}${trump}`),
    );
  });
  return h(
    'div',
    {
      class: 'trick',
      role: 'group',
      'aria-label': cards.length
        ? `On the table: ${cards.map((c) => `${nameOf(view, c.playerId)} ${cardLabel(c.card)}`).join(', ')}`
        : 'No cards on the table',
    },
    slots,
  );
}

export function statusText(view: WatchView): string {
  switch (view.phase) {
    case 'hokm_selection':
      return `${nameOf(view, view.turn)} is choosing the hokm.`;
    case 'gameplay':
      return `${nameOf(view, view.turn)} to play.`;
    case 'game_over':
      return view.winnerTeam === null
        ? 'The match is over.'
        : `${team(view, view.winnerTeam)} won the match, ${view.scores[view.winnerTeam]} to ${view.scores[view.winnerTeam === 0 ? 1 : 0]}.`;
    case 'abandoned':
      return 'The match was abandoned.';
    default:
      return 'Waiting for players.';
  }
}
