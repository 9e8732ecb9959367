// Shown when another tab or device took this seat over.
import { playInThisTab } from '../actions.js';
import { h, mount } from '../dom.js';

export function renderReplaced(main: HTMLElement): void {
  mount(
    main,
    h(
      'section',
      { class: 'panel center-panel' },
      h('h2', {}, 'This seat moved to another window'),
      h(
        'p',
        { role: 'alert' },
        'You opened your table in another tab or on another device, so this tab was disconnected.',
      ),
      h(
        'button',
        { class: 'btn primary', onclick: () => playInThisTab() },
        'Play in this tab instead',
      ),
    ),
  );
}
