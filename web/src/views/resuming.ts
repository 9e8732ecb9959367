// Shown while a stored seat is being taken back (a reload, a reconnection).
import { forgetTable } from '../actions.js';
import { h, mount } from '../dom.js';

export function renderResuming(main: HTMLElement): void {
  mount(
    main,
    h(
      'section',
      { class: 'panel center-panel' },
      h('div', { class: 'spinner', 'aria-hidden': 'true' }),
      h('p', { role: 'status' }, 'Taking you back to your seat…'),
      h('button', { class: 'btn ghost', onclick: () => forgetTable() }, 'Forget this table'),
    ),
  );
}
