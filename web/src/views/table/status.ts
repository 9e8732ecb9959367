// The status line under the table: whose turn it is and what you may do.
import { SUIT_SYMBOL, suitName, suitOf } from '../../cards.js';
import { playerName } from '../../names.js';
import type { TableContext } from './context.js';

export function statusText(ctx: TableContext): string {
  const { view, me, myTurn, led, playable } = ctx;
  if (!ctx.online && !ctx.over) return 'Reconnecting to your seat…';
  if (view.phase === 'hokm_selection') {
    return myTurn
      ? 'You are hakem: choose the hokm from your first five cards.'
      : `${playerName(view, view.turn)} is choosing the hokm.`;
  }
  if (view.phase === 'gameplay') {
    if (!myTurn) return `Waiting for ${playerName(view, view.turn)}…`;
    if (!led) return 'Your turn: lead any card.';
    return playable.size && [...playable].every((c) => suitOf(c) === led)
      ? `Your turn: follow ${suitName(led).toLowerCase()} ${SUIT_SYMBOL[led]}.`
      : `Your turn: no ${suitName(led).toLowerCase()}, play any card.`;
  }
  if (view.phase === 'game_over') {
    return view.winnerTeam === me.team
      ? 'Your team won the match.'
      : 'The opponents won the match.';
  }
  if (view.phase === 'abandoned') return 'The match was abandoned.';
  return '';
}
