// The contested tab: what the sources disagree on, from GET /api/v1/contested with the
// explorer's filters. Three lists: the figures of each thing counted, with the hedge each source
// printed ("more than 1,400") and whether they differ; the relations some statements assert and
// others deny; and the relations only one publisher reports. Each statement opens in the
// graph view's side panel.

import { get } from './api.js';
import { predicateLabel } from './graph.js';
import { h } from './panel.js';

/** The words of a hedge's local name: `LowerBound` → `lower bound`. */
const words = (name) => (name || '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** Rows asked per list. */
const LIMIT = 50;

/**
 * Fills `element` with the contested view under `filters`.
 * @param {HTMLElement} element
 * @param {import('./filters.js').Filters} filters
 * @param {{entityLink: Function, showStatements: Function}} links how names and statements open
 */
export async function showContested(element, filters, links) {
  element.replaceChildren(h('p', { class: 'empty' }, 'Loading…'));
  let view;
  try {
    view = await get('/contested', { limit: LIMIT, ...filters.params() });
  } catch (error) {
    element.replaceChildren(
      h('h2', {}, 'Contested'),
      h('p', { class: 'problem', role: 'alert' }, error.status === 404 ? 'This server has no contested view (GET /api/v1/contested).' : error.message),
    );
    return;
  }
  const statementButtons = (statements) =>
    statements.map((statement) =>
      h(
        'button',
        { class: 'statement-link', title: statement.label, dataset: { statement: statement.id }, onclick: () => links.showStatements([statement.id]) },
        statement.speaker?.length ? `said by ${statement.speaker.map((s) => s.label).join(', ')}` : 'statement',
      ),
    );
  // The statements on each side of a disputed relation: who, when, in which words.
  const claims = (statements) =>
    h(
      'ul',
      { class: 'claims' },
      statements.map((statement) =>
        h(
          'li',
          { class: 'claim', dataset: { statement: statement.id } },
          h('span', { class: 'speaker' }, statement.speaker.map((s) => s.label).join(', ') || 'unattributed'),
          statement.date ? [' on ', h('time', {}, statement.date)] : null,
          statement.quote ? [': ', h('q', { class: 'quote-inline' }, statement.quote)] : null,
          ' ',
          h('button', { class: 'statement-link', title: statement.label, onclick: () => links.showStatements([statement.id]) }, 'statement'),
        ),
      ),
    );
  const triple = (item) =>
    h('span', { class: 'triple' }, links.entityLink(item.subject), ' ', h('span', { class: 'predicate', title: item.predicate.iri }, predicateLabel(item.predicate)), ' ', links.entityLink(item.object));
  const heading = (title, list) => h('h3', {}, `${title} (${list.total.toLocaleString('en')}${list.total > list.items.length ? `, first ${list.items.length}` : ''})`);

  element.replaceChildren(
    h('h2', {}, 'Contested'),
    filters.isActive() ? h('p', { class: 'filtered' }, `Filtered: ${filters.summary()} (the filters are in the Graph tab).`) : '',
    h(
      'section',
      { class: 'contested-figures' },
      heading('Figures', view.figures),
      h(
        'ul',
        { class: 'counted' },
        view.figures.items.map((item) =>
          h(
            'li',
            { class: item.contested ? 'counted contested' : 'counted', dataset: { counted: item.counted } },
            h('p', { class: 'what' }, item.counted, item.contested ? h('span', { class: 'badge' }, 'the sources differ') : null),
            h(
              'table',
              { class: 'figures-table' },
              h('thead', {}, h('tr', {}, h('th', {}, 'Printed as'), h('th', {}, 'Value'), h('th', {}, 'Hedge'), h('th', {}, 'Said by'))),
              h(
                'tbody',
                {},
                item.figures.map((figure) =>
                  h(
                    'tr',
                    { class: 'figure', dataset: { quantity: figure.quantity.id } },
                    h('td', { class: 'printed' }, figure.printed_as ? h('q', {}, figure.printed_as) : null),
                    h('td', { class: 'value' }, figure.value ?? (figure.probable_value ? `${figure.probable_value} (probable)` : '')),
                    h('td', { class: 'hedge', title: figure.hedge }, words(figure.hedge), figure.hedge_word ? ` (“${figure.hedge_word}”)` : null),
                    h('td', { class: 'statements' }, statementButtons(figure.statements)),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
    h(
      'section',
      { class: 'contested-disputed' },
      heading('Asserted and denied', view.disputed),
      h(
        'ul',
        { class: 'relations' },
        view.disputed.items.map((item) =>
          h(
            'li',
            { class: 'relation disputed' },
            triple(item),
            h('div', { class: 'asserted' }, h('p', {}, `Asserted or held possible (${item.asserted.length})`), claims(item.asserted)),
            h('div', { class: 'denied' }, h('p', {}, `Denied (${item.denied.length})`), claims(item.denied)),
          ),
        ),
      ),
    ),
    h(
      'section',
      { class: 'contested-single' },
      heading('Reported by one publisher only', view.single_source),
      h(
        'ul',
        { class: 'relations' },
        view.single_source.items.map((item) =>
          h(
            'li',
            { class: 'relation single-source' },
            triple(item),
            h('span', { class: 'count' }, ` — only `, h('span', { class: 'publisher' }, item.publisher?.label || 'one source'), `, ${item.statements} statement${item.statements === 1 ? '' : 's'}`),
          ),
        ),
      ),
    ),
  );
}
