// Over the table when the match has ended: who won and the final score, or why it was abandoned.
import { leaveTable } from '../../actions.js';
import { h } from '../../dom.js';
import { playerName, teamLabel } from '../../names.js';
import type { TableContext } from './context.js';

export function gameEnd(ctx: TableContext): HTMLElement {
  const back = h(
    'button',
    { class: 'btn primary', 'data-focus': 'back', onclick: () => leaveTable(false) },
    'Back to the lobby',
  );
  const panel = ctx.view.phase === 'game_over' ? gameOver(ctx, back) : abandoned(ctx, back);
  const replay = replayLink(ctx);
  if (replay) back.before(replay);
  return panel;
}

/** The match's replay, once it is over (every hand shown, trick by trick). */
function replayLink({ view }: TableContext): HTMLElement | null {
  if (!view.matchId) return null;
  return h(
    'a',
    {
      class: 'btn ghost',
      href: `/replay/${encodeURIComponent(view.matchId)}`,
      'data-testid': 'replay-link',
    },
    'Watch the replay',
  );
}

function gameOver({ view }: TableContext, back: HTMLElement): HTMLElement {
  const won = view.winnerTeam === view.you.team;
  const winners = view.winnerTeam === null ? '' : teamLabel(view, view.winnerTeam);
  return h(
    'div',
    { class: `end-panel ${won ? 'won' : 'lost'}`, role: 'alert', 'data-testid': 'game-over' },
    h('div', { class: 'end-icon', 'aria-hidden': 'true' }, won ? '♛' : '♠'),
    h('h2', {}, won ? 'You won the match!' : 'The opponents won the match'),
    h('p', {}, `Winners: ${winners}`),
    h(
      'p',
      { class: 'final-score' },
      `Final score ${view.scores[view.you.team]} – ${view.scores[view.you.team === 0 ? 1 : 0]}`,
    ),
    back,
  );
}

function abandoned({ view, abandon: a }: TableContext, back: HTMLElement): HTMLElement {
  const who = a ? playerName(view, a.playerId) : '';
  const why = !a
    ? 'A player left, so the match cannot go on.'
    : a.reason === 'player_left'
      ? `${who} left the table, so the match cannot go on.`
      : `${who} lost the connection and did not come back in time.`;
  return h(
    'div',
    { class: 'end-panel abandoned', role: 'alert', 'data-testid': 'abandoned' },
    h('h2', {}, 'Match abandoned'),
    h('p', {}, why),
    back,
  );
}
