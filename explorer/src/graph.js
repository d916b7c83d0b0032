// The graph on screen: a Cytoscape.js instance, its style, its layout, and how entities and
// their relations get onto it. A node is an entity or event (its uuid is the node id); an edge
// is one direct triple between two of them (`subject|predicate|object`) and keeps the ids of
// every statement that reports it, so the panel can show their provenance. A node with more
// relations than fit on one screen (a hub: a country with tens of thousands) is not drawn whole:
// its relations are counted per predicate and direction, and opened one predicate and one page
// at a time (`openPage`).
//
// Every fetch carries the provenance filters of `filters` (speakers, sources included and
// excluded, confirmed, at least N sources, modalities, the day the graph is seen as known on,
// the events' days: see filters.js). When they change, `refresh` draws the graph
// again from what the person did rather than from what is on screen: the entities they put
// there (`roots`), the nodes they expanded (`expansions`), the pages they opened and the path
// they searched, each asked again with the new filters; what is no longer reached goes, what is
// reached again comes back, and nodes that stay keep their place.

import { EG, get, idOf, segment, select } from './api.js';
import { Filters } from './filters.js';

/** Colour groups of the ontology's classes, the first that applies wins. */
export const CATEGORIES = [
  { key: 'Event', label: 'event', color: '#c2410c' },
  { key: 'State', label: 'state', color: '#1d4ed8' },
  { key: 'Person', label: 'person', color: '#15803d' },
  { key: 'Organisation', label: 'organisation', color: '#7e22ce' },
  { key: 'Place', label: 'place', color: '#0e7490' },
  { key: 'Actor', label: 'other actor', color: '#be123c' },
  { key: 'other', label: 'other', color: '#57534e' },
];
const COLOR = Object.fromEntries(CATEGORIES.map((c) => [c.key, c.color]));

/** The most relations one click draws: more than this, and the node's relations are paged. */
export const PAGE = 50;

/** Statement predicates that name an entity in a role of the fact (not of its telling). */
const PROVENANCE = ['rdf:subject', 'rdf:predicate', 'rdf:object', 'rdf:type', 'eg:source',
  'eg:speaker', 'eg:confirmedBy', 'eg:confirms', 'eg:expressedIn', 'eg:reportedTo'];

const STYLE = [
  {
    selector: 'node',
    style: {
      'background-color': (node) => COLOR[node.data('category')] || COLOR.other,
      width: 30,
      height: 30,
      // A hub's label says how many relations it has (see `expand`).
      label: (node) => (node.data('summary') ? `${node.data('label')}\n${node.data('summary')}` : node.data('label')),
      'font-family': 'system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
      'font-size': 16,
      'font-weight': 600,
      color: '#1c1917',
      'text-valign': 'bottom',
      'text-halign': 'center',
      'text-margin-y': 5,
      'text-wrap': 'wrap',
      'text-max-width': 130,
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.9,
      'text-background-padding': 2,
      'text-background-shape': 'round-rectangle',
      'border-width': 3,
      'border-color': '#ffffff',
      'border-style': 'solid',
    },
  },
  { selector: 'node[category = "Event"]', style: { shape: 'round-rectangle', width: 34, height: 26 } },
  // Not expanded yet: a dashed outline says there is more behind a click.
  { selector: 'node[!expanded]', style: { 'border-color': '#78716c', 'border-style': 'dashed' } },
  {
    selector: 'node:selected',
    style: { 'border-color': '#f59e0b', 'border-width': 5, 'border-style': 'solid', 'z-index': 10 },
  },
  {
    selector: 'edge',
    style: {
      width: 2,
      'line-color': '#a8a29e',
      'target-arrow-color': '#a8a29e',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 1.2,
      'curve-style': 'bezier',
      label: 'data(label)',
      'font-family': 'system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
      'font-size': 14,
      color: '#44403c',
      'text-wrap': 'wrap',
      'text-max-width': 130,
      'text-background-color': '#fafaf9',
      'text-background-opacity': 0.9,
      'text-background-padding': 2,
      'text-background-shape': 'round-rectangle',
    },
  },
  { selector: 'edge[via]', style: { 'line-color': '#c2410c', 'target-arrow-color': '#c2410c', width: 3 } },
  // The steps of the path found last.
  { selector: 'edge.path', style: { 'line-color': '#1d4ed8', 'target-arrow-color': '#1d4ed8', width: 5 } },
  { selector: 'node.path', style: { 'border-color': '#1d4ed8', 'border-style': 'solid' } },
  // An entity's role in a fact drawn as an edge (the intermediary of a contact): dashed, no arrow.
  {
    selector: 'edge[role]',
    style: { 'line-style': 'dashed', 'line-color': '#fdba74', 'target-arrow-shape': 'none', width: 2, label: '' },
  },
  {
    selector: 'edge:selected',
    style: { 'line-color': '#f59e0b', 'target-arrow-color': '#f59e0b', width: 4, 'z-index': 10 },
  },
];

/**
 * The layout: fcose from scratch (its incremental mode leaves new nodes on the edges of old
 * ones), counting labels in node sizes so that they do not pile up, its result animated.
 */
function layoutOptions() {
  return {
    name: 'fcose',
    quality: 'proof',
    randomize: true,
    animate: 'end',
    animationDuration: 300,
    fit: false,
    nodeDimensionsIncludeLabels: true,
    uniformNodeDimensions: false,
    packComponents: true,
    nodeRepulsion: () => 4500,
    idealEdgeLength: (edge) => (edge.data('role') ? 130 : 100),
    edgeElasticity: () => 0.45,
    nodeSeparation: 70,
    gravity: 0.45,
    gravityCompound: 1.0,
    numIter: 4000,
  };
}

// The vendor scripts (classic, deferred) ran before this module: register the layout once.
window.cytoscape.use(window.cytoscapeFcose);

export class Graph {
  /**
   * @param {HTMLElement} container where the graph is drawn
   * @param {{onSelectNode: Function, onSelectEdge: Function, onStatus: Function}} events
   */
  constructor(container, events) {
    this.events = events;
    // class IRI → category key, from the ontology (see `loadCategories`)
    this.categoryOf = new Map();
    // uuids of the events of the timeline: they are drawn as events whatever their class
    this.eventIds = new Set();
    // pending operations, so that `idle()` can wait for them
    this.pending = new Set();
    // node id → the promise of its first page of relations, with their counts
    this.firstPages = new Map();
    // `id|direction|predicate` → how far the pages of that predicate have been opened
    this.pages = new Map();
    // the provenance filters every fetch carries
    this.filters = new Filters();
    // what the person put on screen (id → entity) and expanded (ids, in order): what
    // `refresh` draws again
    this.roots = new Map();
    this.expansions = [];
    // the path search shown last ({from, to} entities) and its answer
    this.pathQuery = null;
    this.paths = null;
    // the drawing generation: each element carries the one that last drew it (`drawn`), and
    // `refresh` removes those it did not draw again
    this.drawing = 0;
    // the refresh under way and the one waiting for it
    this.refreshing = null;
    this.queued = null;
    this.cy = window.cytoscape({
      container,
      style: STYLE,
      minZoom: 0.2,
      maxZoom: 3,
      boxSelectionEnabled: false,
      selectionType: 'single',
    });
    this.cy.on('tap', 'node', (event) => {
      const node = event.target;
      this.events.onSelectNode(node.id());
      if (!node.data('expanded')) this.expand(node.id());
    });
    this.cy.on('tap', 'edge', (event) => this.events.onSelectEdge(event.target));
  }

  /** Runs `work` as a tracked operation, reporting its failure in the status line. */
  track(work) {
    const promise = (async () => {
      try {
        return await work();
      } catch (error) {
        this.events.onStatus(`${error.message}`, true);
        console.warn(error);
        return undefined;
      }
    })();
    this.pending.add(promise);
    promise.finally(() => this.pending.delete(promise));
    return promise;
  }

  /** Resolves once no expansion, layout or fetch is under way. */
  async idle() {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** Learns which class belongs to which colour group, from the ontology's class hierarchy. */
  async loadCategories() {
    const keys = CATEGORIES.filter((c) => c.key !== 'other').map((c) => `eg:${c.key}`).join(' ');
    const rows = await select(`SELECT ?class ?category WHERE {
  VALUES ?category { ${keys} }
  GRAPH <https://w3id.org/eventgraph/ontology> { ?class rdfs:subClassOf* ?category }
}`);
    const rank = (key) => CATEGORIES.findIndex((c) => c.key === key);
    for (const { class: cls, category } of rows) {
      const key = category.slice(EG.length);
      const known = this.categoryOf.get(cls);
      if (known === undefined || rank(key) < rank(known)) this.categoryOf.set(cls, key);
    }
  }

  /** The colour group of an entity with these types ({iri} objects or IRIs). */
  category(id, types) {
    if (this.eventIds.has(id)) return 'Event';
    let best = 'other';
    for (const type of types || []) {
      const key = this.categoryOf.get(typeof type === 'string' ? type : type.iri);
      if (key && CATEGORIES.findIndex((c) => c.key === key) < CATEGORIES.findIndex((c) => c.key === best)) {
        best = key;
      }
    }
    return best;
  }

  colorOf(category) {
    return COLOR[category] || COLOR.other;
  }

  /** The node of an entity, added near `near` (a node id) when it is not on screen yet. */
  addNode(entity, near) {
    const existing = this.cy.getElementById(entity.id);
    if (existing.nonempty()) {
      existing.data('drawn', this.drawing);
      return existing;
    }
    const anchor = near ? this.cy.getElementById(near) : null;
    const center = anchor?.nonempty()
      ? anchor.position()
      : { x: this.cy.width() / 2 + (Math.random() - 0.5) * 40, y: this.cy.height() / 2 + (Math.random() - 0.5) * 40 };
    const angle = Math.random() * 2 * Math.PI;
    const node = this.cy.add({
      group: 'nodes',
      data: {
        id: entity.id,
        iri: entity.iri,
        label: entity.label,
        types: entity.types || null,
        category: this.category(entity.id, entity.types),
        drawn: this.drawing,
      },
      position: anchor?.nonempty()
        ? { x: center.x + 160 * Math.cos(angle), y: center.y + 160 * Math.sin(angle) }
        : center,
    });
    if (!entity.types) this.track(() => this.fillTypes(entity.id));
    return node;
  }

  /** Fetches the types of a node added from a reference that did not carry them. */
  async fillTypes(id) {
    const entity = await get(`/entities/${segment(id)}`);
    const node = this.cy.getElementById(id);
    if (node.nonempty()) {
      node.data({ types: entity.types, category: this.category(id, entity.types) });
    }
  }

  /** The edge of a direct triple, remembering the statements that report it and their roles. */
  addEdge(source, predicate, target, statements = []) {
    const id = `${source}|${predicate.iri}|${target}`;
    let edge = this.cy.getElementById(id);
    if (edge.empty()) {
      edge = this.cy.add({
        group: 'edges',
        data: { id, source, target, predicate: predicate.iri, name: predicateLabel(predicate), statements: [], roles: [], drawn: this.drawing },
      });
    } else if (edge.data('drawn') !== this.drawing) {
      // Drawn again under other filters: its statements are gathered again.
      edge.data({ statements: [], roles: [], drawn: this.drawing });
    }
    const known = edge.data('statements');
    const knownRoles = edge.data('roles');
    for (const statement of statements) {
      if (statement?.id && !known.includes(statement.id)) known.push(statement.id);
      for (const role of roles(statement)) {
        if (!knownRoles.some((r) => r.id === role.id && r.role === role.role)) knownRoles.push({ ...role, statement: statement.id });
      }
    }
    // The intermediaries are in the title (and drawn as dashed lines when on screen), not in
    // the label, which stays short enough to read.
    const vias = knownRoles.filter((r) => r.intermediary).map((r) => r.label);
    edge.data({
      label: edge.data('name'),
      via: vias.length ? vias.join(', ') : undefined,
    });
    return edge;
  }

  /**
   * Ties the entities on screen that play a role in a fact (Qatar, the intermediary of the
   * United States' contacts with Hamas) to both ends of its edge with dashed lines, so that the
   * fact and its intermediary stay together.
   */
  linkRoles() {
    for (const edge of this.cy.edges('[^role]')) {
      // An edge `refresh` has not drawn again is on its way out.
      if (edge.data('drawn') !== this.drawing) continue;
      for (const role of edge.data('roles') || []) {
        if (this.cy.getElementById(role.id).empty()) continue;
        for (const end of [edge.data('source'), edge.data('target')]) {
          if (end === role.id) continue;
          const id = `role|${role.id}|${role.role}|${end}`;
          const existing = this.cy.getElementById(id);
          if (existing.nonempty()) {
            if (existing.data('drawn') !== this.drawing) existing.data({ statements: [], drawn: this.drawing });
            if (!existing.data('statements').includes(role.statement)) existing.data('statements').push(role.statement);
            continue;
          }
          this.cy.add({
            group: 'edges',
            data: { id, source: role.id, target: end, role: role.role, label: '', statements: [role.statement], drawn: this.drawing },
          });
        }
      }
    }
  }

  /** Puts an entity on screen (if needed), selects it and centres the view on it. */
  focus(entity) {
    const isNew = this.cy.getElementById(entity.id).empty();
    this.roots.set(entity.id, entity);
    const node = this.addNode(entity);
    this.cy.elements().unselect();
    node.select();
    if (isNew && this.cy.nodes().length === 1) this.cy.zoom(1);
    this.cy.center(node);
    return node;
  }

  /**
   * The first page of a node's relations with their counts per predicate and direction, asked
   * once per node (the panel and `expand` share it).
   */
  firstPage(id) {
    if (!this.firstPages.has(id)) {
      const page = get(`/entities/${segment(id)}/relations`, { limit: PAGE, ...this.filters.params() });
      // A failed request is asked again next time.
      page.catch(() => this.firstPages.delete(id));
      this.firstPages.set(id, page);
    }
    return this.firstPages.get(id);
  }

  /**
   * Adds an entity's relations to the graph: every direct triple it is the subject or object
   * of, with its statements, and the statements that name it in a role of the fact (the
   * intermediary of a contact, ...), drawn as the edge between their subject and object. A node
   * with more than a page of relations gets only its count on screen; the panel lists them per
   * predicate, to open one page at a time.
   */
  expand(id) {
    return this.track(async () => {
      const node = this.cy.getElementById(id);
      if (node.empty() || node.data('expanded')) return;
      if (!this.expansions.includes(id)) this.expansions.push(id);
      const added = await this.drawExpansion(id);
      if (added > 0) await this.layout();
    });
  }

  /** Draws the relations `expand` draws, and returns how many nodes that added. */
  async drawExpansion(id) {
    const node = this.cy.getElementById(id);
    node.data('expanded', true);
    node.removeData('summary');
    const label = node.data('label');
    this.events.onStatus(`Expanding ${label}…`);
    const first = await this.firstPage(id);
    if (first.next_cursor) {
      node.data('summary', `${first.total.toLocaleString('en')} relations`);
      this.events.onStatus(
        `${label}: ${first.total.toLocaleString('en')} relations, too many to draw at once; ` +
          'open them one predicate at a time in the panel.',
      );
      return 0;
    }
    const qualified = await this.statementsNaming(node.data('iri'));
    const before = this.cy.nodes().length;
    this.cy.batch(() => {
      this.drawRelations(id, first.relations);
      for (const statement of qualified) {
        if (!statement.subject?.id || !statement.object?.id) continue;
        this.addNode(statement.subject, id);
        this.addNode(statement.object, id);
        this.addEdge(statement.subject.id, statement.predicate, statement.object.id, [statement]);
      }
      this.linkRoles();
    });
    const added = this.cy.nodes().length - before;
    this.events.onStatus(
      `${label}: ${first.relations.length} relation(s)` +
        (qualified.length ? `, named in ${qualified.length} more statement(s)` : '') +
        `; ${added} new node(s)` +
        (this.filters.isActive() ? ` (filtered: ${this.filters.summary()})` : '') +
        '.',
    );
    return added;
  }

  /** Draws relations of the node `id` (rows of GET …/relations) with their other ends. */
  drawRelations(id, relations) {
    for (const relation of relations) {
      if (!relation.entity?.id) continue;
      this.addNode(relation.entity, id);
      const [source, target] =
        relation.direction === 'out' ? [id, relation.entity.id] : [relation.entity.id, id];
      this.addEdge(source, relation.predicate, target, relation.statements);
    }
  }

  /** How far the pages of one predicate of a node have been opened: {shown, total, done}. */
  pageState(id, predicate, direction) {
    return this.pages.get(`${id}|${direction}|${predicate}`) || { shown: 0, total: undefined, done: false, cursor: undefined };
  }

  /**
   * Draws the next page (at most `PAGE` relations) of the relations of node `id` with one
   * predicate in one direction, and returns how far that predicate has been opened.
   */
  openPage(id, predicate, direction) {
    return this.track(async () => {
      const { state, added } = await this.drawPage(id, predicate, direction);
      if (added > 0) await this.layout();
      return state;
    });
  }

  /** Draws the next page `openPage` draws; returns how far it is opened and the nodes added. */
  async drawPage(id, predicate, direction) {
    const key = `${id}|${direction}|${predicate}`;
    const state = { ...this.pageState(id, predicate, direction) };
    if (state.done) return { state, added: 0 };
    const page = await get(`/entities/${segment(id)}/relations`, {
      predicate,
      direction,
      limit: PAGE,
      cursor: state.cursor,
      ...this.filters.params(),
    });
    const before = this.cy.nodes().length;
    this.cy.batch(() => {
      this.drawRelations(id, page.relations);
      this.linkRoles();
    });
    const added = this.cy.nodes().length - before;
    state.shown += page.relations.length;
    state.total = page.total;
    state.cursor = page.next_cursor;
    state.done = !page.next_cursor;
    this.pages.set(key, state);
    const name = page.totals[0]?.predicate.label || predicate;
    this.events.onStatus(
      `${this.cy.getElementById(id).data('label')}: ${name} (${direction}), ` +
        `${state.shown.toLocaleString('en')} of ${state.total.toLocaleString('en')} shown; ${added} new node(s).`,
    );
    return { state, added };
  }

  /** The statements that name `iri` in a role of the fact they report (not as its subject or object). */
  async statementsNaming(iri) {
    const rows = await select(`SELECT DISTINCT ?statement WHERE {
  ?statement a eg:Statement ; ?role <${iri}> .
  FILTER (?role NOT IN (${PROVENANCE.join(', ')}))
}`);
    const statements = await Promise.all(rows.map((row) => get(`/statements/${segment(idOf(row.statement))}`)));
    if (!this.filters.isActive()) return statements;
    // One question per triple, one at a time: a path is expensive work the server admits a
    // few at a time, and many statements name the same triple.
    const passing = new Map();
    for (const statement of statements) {
      const key = tripleKey(statement);
      if (!passing.has(key)) passing.set(key, await this.passes(statement));
    }
    return statements.filter((statement) => passing.get(tripleKey(statement)));
  }

  /**
   * Whether the triple a statement reports passes the filters: a one-step path along its
   * predicate, asked with them, is the server's own answer (SPARQL does not know the filters).
   */
  async passes(statement) {
    if (!statement.subject?.id || !statement.object?.id || !statement.predicate?.iri) return false;
    try {
      const answer = await get('/paths', {
        from: statement.subject.id,
        to: statement.object.id,
        predicate: statement.predicate.iri,
        direction: 'out',
        max_length: 1,
        ...this.filters.params(),
      });
      return answer.paths.length > 0;
    } catch (error) {
      // An end or predicate the projection does not hold: no filter can pass the triple.
      if (error.status === 404) return false;
      throw error;
    }
  }

  /**
   * Finds up to `k` shortest paths between two entities under the filters, draws them (their
   * steps highlighted) and returns the answer of GET /api/v1/paths; `refresh` asks again.
   */
  findPaths(from, to, k = 3) {
    return this.track(async () => {
      this.pathQuery = { from, to, k };
      const before = this.cy.nodes().length;
      await this.drawPaths();
      if (this.cy.nodes().length > before) await this.layout();
      return this.paths;
    });
  }

  /** Asks for the paths of `pathQuery` and draws them with both ends. */
  async drawPaths() {
    const { from, to, k } = this.pathQuery;
    const answer = await get('/paths', { from: from.id, to: to.id, k, ...this.filters.params() });
    this.paths = answer;
    this.cy.batch(() => {
      this.cy.elements('.path').removeClass('path');
      this.addNode(from).addClass('path');
      this.addNode(to, from.id).addClass('path');
      for (const path of answer.paths) {
        for (const step of path.steps) {
          const [source, target] = step.direction === 'forward' ? [step.from, step.to] : [step.to, step.from];
          this.addNode(step.from).addClass('path');
          this.addNode(step.to, step.from.id).addClass('path');
          this.addEdge(source.id, step.predicate, target.id, step.statements).addClass('path');
        }
      }
      this.linkRoles();
    });
    this.events.onStatus(
      `${answer.paths.length} path(s) from ${from.label} to ${to.label}` +
        (this.filters.isActive() ? ` (filtered: ${this.filters.summary()})` : '') +
        '.',
    );
  }

  /** Forgets the path search: its highlight goes, its nodes stay until the next refresh. */
  clearPaths() {
    this.pathQuery = null;
    this.paths = null;
    this.cy.elements('.path').removeClass('path');
  }

  /**
   * Draws the graph again under the current filters (see the top of this file). Calls made
   * while one runs are folded into one that runs after it.
   */
  refresh() {
    if (!this.queued) {
      const after = (this.refreshing || Promise.resolve()).catch(() => {});
      this.queued = after.then(() => {
        this.queued = null;
        this.refreshing = this.redraw();
        return this.refreshing;
      });
    }
    const queued = this.queued;
    return this.track(() => queued);
  }

  async redraw() {
    this.drawing += 1;
    const opened = [...this.pages.entries()];
    this.firstPages.clear();
    this.pages.clear();
    const before = new Set(this.ids());
    for (const entity of this.roots.values()) this.addNode(entity);
    // Expand again what the person expanded, as long as it is reached: a node reached only
    // through another expansion waits for it, whatever their order.
    const done = new Set();
    for (let progress = true; progress; ) {
      progress = false;
      for (const id of this.expansions) {
        const node = this.cy.getElementById(id);
        if (done.has(id) || node.empty() || node.data('drawn') !== this.drawing) continue;
        done.add(id);
        progress = true;
        await this.drawExpansion(id);
      }
    }
    for (const [key, { shown }] of opened) {
      const [id, direction, ...rest] = key.split('|');
      const predicate = rest.join('|');
      const node = this.cy.getElementById(id);
      if (node.empty() || node.data('drawn') !== this.drawing) continue;
      for (let state = this.pageState(id, predicate, direction); !state.done && state.shown < shown; ) {
        ({ state } = await this.drawPage(id, predicate, direction));
      }
    }
    if (this.pathQuery) await this.drawPaths();
    this.cy.batch(() => {
      this.cy.elements().filter((element) => element.data('drawn') !== this.drawing).remove();
      for (const node of this.cy.nodes()) if (!done.has(node.id())) node.data('expanded', false);
      this.linkRoles();
    });
    const added = this.ids().filter((id) => !before.has(id)).length;
    if (added > 0) await this.layout();
  }

  /** Lays the graph out again and fits it in view. */
  layout() {
    return this.track(async () => {
      if (this.cy.nodes().length === 0) return;
      const layout = this.cy.layout(layoutOptions());
      const done = layout.promiseOn('layoutstop');
      layout.run();
      await done;
      this.fit();
    });
  }

  /**
   * Fits the graph in view, no closer than its size and no farther than 0.7 times it,
   * so that labels stay legible (11 px and more); a graph too large for that is centred on
   * the selection and its neighbours.
   */
  fit() {
    this.cy.fit(undefined, 30);
    const zoom = this.cy.zoom();
    if (zoom > 1 || zoom < 0.7) {
      this.cy.zoom(Math.min(1, Math.max(0.7, zoom)));
      const selected = this.cy.nodes(':selected');
      this.cy.center(zoom < 0.7 && selected.nonempty() ? selected.closedNeighborhood() : undefined);
    }
  }

  /** Removes a node and its edges; its pages open again from the start. */
  remove(id) {
    this.cy.getElementById(id).remove();
    this.roots.delete(id);
    this.expansions = this.expansions.filter((expanded) => expanded !== id);
    for (const key of [...this.pages.keys()]) if (key.startsWith(`${id}|`)) this.pages.delete(key);
  }

  clear() {
    this.cy.elements().remove();
    this.pages.clear();
    this.roots.clear();
    this.expansions = [];
    this.clearPaths();
  }

  /** The uuids of the nodes on screen. */
  ids() {
    return this.cy.nodes().map((node) => node.id());
  }
}

/**
 * How a predicate reads: its label, or, where the server gave only its local name (a path's
 * steps), the words of that name (`contactsVia` → `contacts via`).
 */
export function predicateLabel(predicate) {
  const local = predicate.iri.slice(Math.max(predicate.iri.lastIndexOf('#'), predicate.iri.lastIndexOf('/')) + 1);
  if (predicate.label && predicate.label !== local) return predicate.label;
  return local.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The triple a statement reports, as one string. */
const tripleKey = (statement) => `${statement.subject?.iri}|${statement.predicate?.iri}|${statement.object?.iri}`;

/** The entities a statement names in a role of its fact (the intermediary of a contact, ...). */
function roles(statement) {
  const telling = [`${EG}expressedIn`, `${EG}reportedTo`];
  return (statement?.qualifiers || [])
    .filter((q) => q.value?.id && !telling.includes(q.predicate.iri))
    .map((q) => ({
      id: q.value.id,
      label: q.value.label,
      role: q.predicate.label,
      intermediary: q.predicate.iri === `${EG}intermediary`,
    }));
}
