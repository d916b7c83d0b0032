// The timeline: every event (GET /api/v1/events), in the server's date order, undated ones
// last; a click puts the event on screen, expands it and shows it.

import { get } from './api.js';
import { h } from './panel.js';

/** How an event's time reads: its date, the bounds of it, or "undated". */
function when(event) {
  if (event.date) return event.date;
  if (event.not_before && event.not_after) return `${event.not_before} – ${event.not_after}`;
  if (event.not_before) return `after ${event.not_before}`;
  if (event.not_after) return `before ${event.not_after}`;
  return 'undated';
}

/**
 * Fills `list` with the events and returns them.
 * @param {HTMLOListElement} list
 * @param {(event: object) => void} onPick
 */
export async function timeline(list, onPick) {
  const { events } = await get('/events');
  list.replaceChildren(
    ...events.map((event) =>
      h(
        'li',
        { dataset: { id: event.id } },
        h(
          'button',
          { class: 'event', title: event.types.map((t) => t.label).join(', '), onclick: () => onPick(event) },
          h('time', { class: when(event) === 'undated' ? 'undated' : null }, when(event)),
          h('span', { class: 'label' }, event.label),
        ),
      ),
    ),
  );
  return events;
}

/** Marks the event `id` as the selected one in the list, if it is an event. */
export function markEvent(list, id) {
  for (const item of list.children) {
    item.classList.toggle('selected', item.dataset.id === id);
    if (item.dataset.id === id) item.scrollIntoView({ block: 'nearest' });
  }
}
