// The match screen: scoreboard, the felt with the seats and the trick, the status line, your
// hand; the end of the match is shown over the felt.
import { h, mount } from '../../dom.js';
import type { ClientState, SeatView } from '../../state/store.js';
import { announce } from '../../ui/announce.js';
import { tableContext } from './context.js';
import { gameEnd } from './game-end.js';
import { hand } from './hand.js';
import { scoreboard } from './scoreboard.js';
import { seats } from './seats.js';
import { statusText } from './status.js';
import { awayNotice } from './turn-clock.js';
import { centre, lastTrick, trickArea } from './trick.js';

export function renderTable(main: HTMLElement, state: ClientState, view: SeatView): void {
  const ctx = tableContext(state, view);
  const board = scoreboard(ctx);
  const felt = h(
    'section',
    { class: `felt phase-${view.phase}`, 'aria-label': 'Card table' },
    seats(ctx),
    trickArea(ctx),
    centre(ctx),
    lastTrick(ctx),
    ctx.over ? gameEnd(ctx) : null,
  );

  const status = statusText(ctx);
  // Other players' turns come and go quickly; only what concerns you is read out.
  announce(ctx.myTurn || view.phase !== 'gameplay' ? status : '');

  mount(
    main,
    h(
      'div',
      { class: 'game' },
      board,
      felt,
      h(
        'p',
        { class: `status${ctx.myTurn && !ctx.over ? ' yours' : ''}`, 'data-testid': 'status' },
        status,
      ),
      awayNotice(ctx),
      hand(ctx),
    ),
  );
}
