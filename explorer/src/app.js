// The explorer at /: wires the search box, the graph, the side panel, the timeline, the
// provenance filters and the time slider (kept in the page's hash), the path search, the
// contested and SPARQL tabs and the downloads together; on a private server, the token form. `window.eventgraph` exposes the graph
// and an `idle()` promise, for people in the console and for the browser test.

import { download, get, queryString, whenUnauthorized } from './api.js';
import { showContested } from './contested.js';
import { filterBar } from './filters.js';
import { CATEGORIES, Graph } from './graph.js';
import { Panel, h } from './panel.js';
import { searchBox } from './search.js';
import { createYasgui } from './sparql.js';
import { markEvent, timeline } from './timeline.js';
import { tokenForm } from './token.js';

/** The export formats of GET /api/v1/export, with the label of their button. */
const FORMATS = [
  ['graphml', 'GraphML'],
  ['gexf', 'GEXF'],
  ['dot', 'DOT'],
  ['cytoscape', 'Cytoscape'],
  ['d3', 'D3'],
  ['csv-nodes', 'CSV nodes'],
  ['csv-edges', 'CSV edges'],
  ['jsonld', 'JSON-LD'],
  ['turtle', 'Turtle'],
  ['trig', 'TriG'],
  ['nquads', 'N-Quads'],
];

const $ = (selector) => document.querySelector(selector);

// Before the first call: a private server's 401 opens the token form.
whenUnauthorized(tokenForm($('#token-dialog')));

const statusLine = $('#status');
function status(message, isError = false) {
  statusLine.textContent = message;
  statusLine.classList.toggle('error', isError);
}

const graph = new Graph($('#cy'), {
  onSelectNode: (id) => showEntity(id),
  onSelectEdge: (edge) => {
    const statements = edge.data('statements');
    const title = edge.data('role')
      ? `${edge.source().data('label')}, ${edge.data('role')} in a fact about ${edge.target().data('label')}`
      : `${edge.source().data('label')} — ${edge.data('label')} → ${edge.target().data('label')}` +
        (edge.data('via') ? ` (via ${edge.data('via')})` : '');
    showing = { kind: 'statements' };
    graph.track(() => panel.showStatements(statements, title));
  },
  onStatus: status,
});

const panel = new Panel($('#panel'), graph, {
  openEntity: (entity) => {
    graph.focus(entity);
    showEntity(entity.id);
  },
});

/** What the panel shows, so that a change of the filters shows it again under them. */
let showing = { kind: 'nothing' };

function showEntity(id) {
  showing = { kind: 'entity', id };
  markEvent($('#events'), id);
  $('#hint').hidden = true;
  return graph.track(() => panel.showEntity(id));
}

// Search: the picked entity joins the graph, selected and shown; a click on it expands it.
searchBox($('#search'), $('#suggestions'), (entity) => {
  graph.focus(entity);
  showEntity(entity.id);
  graph.layout();
});

// Timeline: the picked event joins the graph, expanded, selected and shown.
graph.track(async () => {
  await graph.loadCategories();
  const events = await timeline($('#events'), (event) => {
    graph.focus(event);
    graph.expand(event.id);
    showEntity(event.id);
  });
  for (const event of events) graph.eventIds.add(event.id);
  graph.cy.nodes().forEach((node) => node.data('category', graph.category(node.id(), node.data('types'))));
});

// Toolbar.
$('#relayout').addEventListener('click', () => graph.layout());
$('#fit').addEventListener('click', () => graph.fit());
$('#clear').addEventListener('click', () => {
  graph.clear();
  showing = { kind: 'nothing' };
  panel.show(h('p', { class: 'empty' }, 'Nothing selected.'));
  $('#hint').hidden = false;
});

// Downloads: one button per export format, of the entities on screen.
$('#formats').append(
  ...FORMATS.map(([format, label]) =>
    h(
      'button',
      {
        class: 'format',
        dataset: { format },
        title: `Download the graph on screen as ${label}`,
        onclick: () => {
          const ids = graph.ids();
          if (ids.length === 0) {
            status('Nothing on screen to download: search for an entity first.', true);
            return;
          }
          const url = `/api/v1/export${queryString({ format, entities: ids.join(','), ...graph.filters.params() })}`;
          graph.track(async () => {
            const name = await download(url, `eventgraph.${format}`);
            status(`Downloaded ${name} (${ids.length} node(s)).`);
          });
        },
      },
      label,
    ),
  ),
);

// Filters and the time slider: every change draws the graph again under them and shows the
// panel's selection again (its relations, or the path's evidence chain, change with them).
// They live in the page's hash (`#said_by=…&as_of=…`, the API's own parameters), so that a
// reload or a shared link opens under them: read once the controls have their choices, and
// again when a person edits the hash; written on each change, replacing the history entry
// (a filter change is not a page to go back to).
const filters = graph.filters;
const hashOfFilters = () => location.hash.replace(/^#/, '');
function showFiltersInLocation() {
  const query = filters.query();
  if (query !== hashOfFilters()) history.replaceState(history.state, '', `${location.pathname}${location.search}${query ? `#${query}` : ''}`);
}
const openedWith = hashOfFilters();
graph.track(async () => {
  const bar = await filterBar($('#filters'), filters);
  const restore = async (query) => {
    await bar.restore(query);
    showFiltersInLocation();
  };
  window.addEventListener('hashchange', () => graph.track(() => restore(hashOfFilters())));
  if (openedWith) await restore(openedWith);
});
// Tracked as one operation, so that `idle()` waits for the panel as well as the graph.
filters.onChange(() =>
  graph.track(async () => {
    showFiltersInLocation();
    const badge = $('#filter-badge');
    badge.hidden = !filters.isActive();
    badge.textContent = filters.isActive() ? `Filtered: ${filters.summary()}` : '';
    const contested = !$('#contested-view').hidden;
    await graph.refresh();
    if (showing.kind === 'entity') await panel.showEntity(showing.id);
    else if (showing.kind === 'paths' && graph.paths) panel.showPaths(graph.paths, filters);
    if (contested) await openContested();
  }),
);

// Path search: both ends picked from suggestions (or the first match of what is typed); the
// paths join the graph, highlighted, and their evidence chain fills the panel.
const pathEnds = { from: null, to: null };
for (const end of ['from', 'to']) {
  const input = $(`#path-${end}`);
  searchBox(input, $(`#path-${end}-suggestions`), (entity) => {
    pathEnds[end] = entity;
    input.value = entity.label;
  });
  input.addEventListener('input', () => {
    pathEnds[end] = null;
  });
}
async function pathEnd(end) {
  if (pathEnds[end]) return pathEnds[end];
  const text = $(`#path-${end}`).value.trim();
  if (!text) throw new Error(`Name where the path goes ${end}.`);
  const page = await get('/entities', { q: text, limit: 1 });
  if (!page.items.length) throw new Error(`Nothing is named “${text}”.`);
  return page.items[0];
}
$('#path-form').addEventListener('submit', (event) => {
  event.preventDefault();
  graph.track(async () => {
    const [from, to] = [await pathEnd('from'), await pathEnd('to')];
    $('#hint').hidden = true;
    const answer = await graph.findPaths(from, to);
    if (!answer) return;
    showing = { kind: 'paths' };
    panel.showPaths(answer, filters);
  });
});

// Legend of the node colours.
$('#legend').append(
  ...CATEGORIES.map((c) => h('li', {}, h('span', { class: 'swatch', style: `--chip:${c.color}` }), c.label)),
  h('li', {}, h('span', { class: 'swatch dashed' }), 'not expanded yet'),
);

// The contested view, under the filters; a statement in it opens in the graph view's panel.
function openContested() {
  return showContested($('#contested-view'), filters, {
    entityLink: (reference) =>
      reference?.id
        ? h(
            'button',
            {
              class: 'link',
              dataset: { entity: reference.id },
              onclick: () => {
                openTab('graph');
                graph.focus(reference);
                showEntity(reference.id);
              },
            },
            reference.label,
          )
        : h('span', {}, reference?.label ?? ''),
    showStatements: (ids) => {
      openTab('graph');
      showing = { kind: 'statements' };
      graph.track(() => panel.showStatements(ids));
    },
  });
}

// Tabs: the SPARQL editor is created the first time its tab opens, when it has a size; the
// contested view is asked each time its tab opens.
const TABS = ['graph', 'contested', 'sparql'];
let yasgui = null;
function openTab(name) {
  for (const tab of TABS) {
    $(`#${tab}-view`).hidden = tab !== name;
    $(`#tab-${tab}`).setAttribute('aria-selected', String(tab === name));
  }
  if (name === 'sparql' && !yasgui) {
    yasgui = createYasgui($('#yasgui'));
    window.eventgraph.yasgui = yasgui;
  }
  if (name === 'contested') graph.track(() => openContested());
  if (name === 'graph') graph.cy.resize();
}
for (const tab of TABS) $(`#tab-${tab}`).addEventListener('click', () => openTab(tab));

window.eventgraph = {
  cy: graph.cy,
  graph,
  panel,
  filters,
  yasgui: null,
  idle: () => graph.idle(),
};
