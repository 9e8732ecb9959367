// Above the table: both teams' points and tricks, the hand number, the hokm and the hakem.
import { SUIT_SYMBOL, isRed, suitName } from '../../cards.js';
import { h } from '../../dom.js';
import { playerName, teamLabel } from '../../names.js';
import type { TableContext } from './context.js';

export function scoreboard(ctx: TableContext): HTMLElement {
  const { view, me } = ctx;
  const hakem = view.hakem ? ctx.player(view.hakem) : undefined;
  return h(
    'section',
    { class: 'scoreboard', 'aria-label': 'Score' },
    teamBox(ctx, me.team),
    h(
      'div',
      { class: 'match-info' },
      h('div', { class: 'hand-no' }, view.handNumber > 0 ? `Hand ${view.handNumber}` : ''),
      view.hokm
        ? h(
            'div',
            {
              class: `hokm-chip ${isRed(view.hokm) ? 'red' : 'black'}`,
              'data-testid': 'hokm',
              'aria-label': `Hokm: ${view.hokm}`,
            },
            h('span', { class: 'hokm-sym', 'aria-hidden': 'true' }, SUIT_SYMBOL[view.hokm]),
            h('span', {}, h('span', { class: 'hokm-word' }, 'Hokm '), suitName(view.hokm)),
          )
        : h('div', { class: 'hokm-chip pending' }, 'Hokm not chosen'),
      hakem
        ? h('div', { class: 'hakem-line' }, `Hakem: ${playerName(view, hakem.playerId)}`)
        : null,
    ),
    teamBox(ctx, me.team === 0 ? 1 : 0),
  );
}

function teamBox({ view, me }: TableContext, team: 0 | 1): HTMLElement {
  const ours = team === me.team;
  return h(
    'div',
    {
      class: `team-box team-${team}${ours ? ' ours' : ''}`,
      role: 'group',
      'aria-label': `${ours ? 'Your team' : 'Opponents'}: ${teamLabel(view, team)}`,
    },
    h('div', { class: 'team-title' }, ours ? 'Your team' : 'Opponents'),
    h('div', { class: 'team-names' }, teamLabel(view, team)),
    h(
      'div',
      { class: 'team-stats' },
      h(
        'span',
        { class: 'stat' },
        h('b', { 'data-testid': `score-${ours ? 'us' : 'them'}` }, String(view.scores[team])),
        h('small', {}, `/${view.targetScore} points`),
      ),
      h('span', { class: 'stat' }, h('b', {}, String(view.tricks[team])), h('small', {}, 'tricks')),
    ),
  );
}
