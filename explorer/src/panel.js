// The side panel: the selected entity (label, types, description, aliases, properties, its
// relations) or the statements behind the selected edge, each with its provenance (qualifiers,
// sources, speaker, date, verbatim quote, confirmations). An entity with more relations than a
// page lists their counts per predicate and direction instead, each with a button that draws
// the next page of that predicate. An event also shows its sources with their publishers, and
// each figure it reports as each source gives it (value, hedge, source, speaker), read with
// two SPARQL queries bounded by the event's own statements. A path search shows its evidence
// chain: each step and, under it, the source, speaker, date and quote of each statement
// reporting it. Text goes in with textContent only.

import { EG, get, segment, select } from './api.js';
import { MODALITIES } from './filters.js';
import { PAGE, predicateLabel } from './graph.js';

/** Creates an element with attributes, and children (strings become text). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export class Panel {
  /**
   * @param {HTMLElement} element the panel
   * @param {import('./graph.js').Graph} graph
   * @param {{openEntity: Function}} actions what a click on an entity's name does
   */
  constructor(element, graph, actions) {
    this.element = element;
    this.graph = graph;
    this.actions = actions;
    // the selection being shown; a later one wins over a slower earlier fetch
    this.generation = 0;
  }

  show(...children) {
    this.element.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
    this.element.scrollTop = 0;
  }

  /** A button naming an entity; a click puts it on screen and shows it. */
  entityLink(reference) {
    if (!reference?.id) return h('span', {}, reference?.label ?? reference?.value ?? '');
    return h(
      'button',
      { class: 'link', dataset: { entity: reference.id }, onclick: () => this.actions.openEntity(reference) },
      reference.label,
    );
  }

  /** A value of a property or qualifier: an entity, a term of the ontology, or a literal. */
  value(value) {
    if (value?.id) return this.entityLink(value);
    if (value?.iri) return h('span', { class: 'term', title: value.iri }, value.label || value.iri);
    const text = h('span', { class: 'literal' }, value?.value ?? '');
    if (value?.language) text.setAttribute('lang', value.language);
    return text;
  }

  typeChips(id, types) {
    return h(
      'p',
      { class: 'types' },
      (types || []).map((type) => {
        const category = this.graph.category(id, [type]);
        return h('span', { class: 'chip', style: `--chip:${this.graph.colorOf(category)}`, title: type.iri }, type.label);
      }),
    );
  }

  async showEntity(id) {
    const generation = ++this.generation;
    this.show(h('p', { class: 'empty' }, 'Loading…'));
    // The statements naming the entity in a role come last (a SPARQL query): the rest shows first.
    const naming = this.graph.statementsNaming(`https://w3id.org/eventgraph/id/${id}`);
    naming.catch(() => {});
    const isEvent = this.graph.eventIds.has(id);
    const reported = isEvent ? Promise.all([eventSources(id), eventFigures(id)]) : null;
    reported?.catch(() => {});
    const [entity, first] = await Promise.all([get(`/entities/${segment(id)}`), this.graph.firstPage(id)]);
    if (generation !== this.generation) return;
    const node = this.graph.cy.getElementById(id);
    const expanded = node.nonempty() && node.data('expanded');
    const namingSection = h('div', { class: 'naming' });
    const sourcesSection = h('div', { class: 'event-sources' });
    this.show(
      h('p', { class: 'kind' }, this.graph.eventIds.has(id) ? 'Event' : 'Entity'),
      h('h2', {}, entity.label),
      this.typeChips(id, entity.types),
      entity.description ? h('p', { class: 'description' }, entity.description) : null,
      entity.aliases?.length ? h('p', { class: 'aliases' }, h('strong', {}, 'Also: '), entity.aliases.join(' · ')) : null,
      h(
        'p',
        { class: 'actions' },
        h('button', { id: 'expand', disabled: expanded, onclick: () => this.graph.expand(id) }, expanded ? 'Expanded' : 'Expand relations'),
        h('button', { onclick: () => { this.graph.remove(id); this.show(h('p', { class: 'empty' }, 'Nothing selected.')); } }, 'Remove from view'),
      ),
      entity.properties?.length
        ? [
            h('h3', {}, 'Properties'),
            h('dl', { class: 'properties' }, entity.properties.map((p) => [h('dt', {}, p.predicate.label), h('dd', {}, this.value(p.value))])),
          ]
        : null,
      sourcesSection,
      first.next_cursor ? this.relationCounts(id, first) : this.relationRows(first.relations),
      namingSection,
      h('p', { class: 'iri' }, h('code', {}, entity.iri)),
    );
    if (reported) {
      const [sources, figures] = await reported;
      if (generation !== this.generation) return;
      sourcesSection.replaceChildren(...this.sourceRows(sources), ...this.figureRows(figures));
    }
    const statements = await naming;
    if (generation !== this.generation || !statements.length) return;
    namingSection.replaceChildren(
      h('h3', {}, `Named in a role in (${statements.length})`),
      h(
        'ul',
        { class: 'relations' },
        statements.map((statement) =>
          h(
            'li',
            { class: 'relation' },
            this.entityLink(statement.subject), ' ',
            h('span', { class: 'predicate' }, statement.predicate.label), ' ',
            this.entityLink(statement.object),
            h('button', { class: 'statement-link', onclick: () => this.showStatements([statement.id]) }, 'statement'),
          ),
        ),
      ),
    );
  }

  /** An event's source documents, each with its publishers and how many statements it gives. */
  sourceRows(sources) {
    return [
      h('h3', {}, `Sources (${sources.length})`),
      sources.length
        ? h(
            'ul',
            { class: 'sources' },
            sources.map((source) =>
              h(
                'li',
                { class: 'source', dataset: { source: source.id } },
                this.entityLink(source),
                source.publishers.length
                  ? [' — published by ', source.publishers.map((p, i) => [i ? ', ' : '', h('span', { class: 'publisher' }, this.entityLink(p))])]
                  : null,
                h('span', { class: 'count' }, ` (${source.statements} statement${source.statements === 1 ? '' : 's'})`),
              ),
            ),
          )
        : h('p', { class: 'empty' }, 'None.'),
    ];
  }

  /** The figures an event reports, one row per figure and statement: as each source gives it. */
  figureRows(figures) {
    if (!figures.length) return [];
    return [
      h('h3', {}, `Figures (${figures.length})`),
      h(
        'ul',
        { class: 'figures' },
        figures.map((figure) =>
          h(
            'li',
            { class: 'figure', dataset: { statement: figure.statement } },
            h('span', { class: 'predicate' }, figure.predicate), ' ',
            h('span', { class: 'what' }, figure.countOf), figure.printed ? [' ', h('q', {}, figure.printed)] : null,
            h(
              'dl',
              { class: 'provenance' },
              h('dt', {}, 'Value'), h('dd', { class: 'value' }, figure.value ?? (figure.probable ? `${figure.probable} (probable)` : '')),
              h('dt', {}, 'Hedge'), h('dd', { class: 'hedge' }, figure.hedge ?? ''),
              h('dt', {}, 'Source'), h('dd', { class: 'figure-source' }, this.entityLink(figure.source)),
              h('dt', {}, 'Speaker'), h('dd', { class: 'speaker' }, this.entityLink(figure.speaker)),
            ),
          ),
        ),
      ),
    ];
  }

  /** Every relation of a small node, one row per triple with a button per statement naming its speaker. */
  relationRows(relations) {
    const rows = relations.map((relation) =>
      h(
        'li',
        { class: 'relation' },
        relation.direction === 'out'
          ? [h('span', { class: 'predicate' }, relation.predicate.label, ' →'), ' ', this.entityLink(relation.entity)]
          : [this.entityLink(relation.entity), ' ', h('span', { class: 'predicate' }, '→ ', relation.predicate.label)],
        relation.statements.map((statement) =>
          h(
            'button',
            {
              class: 'statement-link',
              title: statement.label,
              onclick: () => this.showStatements([statement.id]),
            },
            statement.speaker?.length ? `said by ${statement.speaker.map((s) => s.label).join(', ')}` : 'statement',
          ),
        ),
      ),
    );
    return [
      h('h3', {}, `Relations (${rows.length})`),
      this.filteredNote(),
      rows.length ? h('ul', { class: 'relations' }, rows) : h('p', { class: 'empty' }, 'None.'),
    ];
  }

  /** Which filters the relations listed passed, when some are active. */
  filteredNote() {
    const { filters } = this.graph;
    return filters.isActive() ? h('p', { class: 'filtered' }, `Only those passing the filters: ${filters.summary()}.`) : null;
  }

  /**
   * The relations of a node with more than a page of them: their counts per predicate and
   * direction, each with a button that draws the next page of that predicate on the graph.
   */
  relationCounts(id, first) {
    const rows = first.totals.map((total) => {
      const row = h('li', { class: 'relation-count', dataset: { predicate: total.predicate.iri, direction: total.direction } });
      const render = () => {
        const state = this.graph.pageState(id, total.predicate.iri, total.direction);
        const left = total.count - state.shown;
        const label = state.done
          ? `all ${total.count.toLocaleString('en')} shown`
          : state.shown
            ? `next ${Math.min(PAGE, left).toLocaleString('en')} (${state.shown.toLocaleString('en')} shown)`
            : `show ${Math.min(PAGE, total.count).toLocaleString('en')}`;
        const button = h(
          'button',
          {
            class: 'open-page',
            disabled: state.done,
            title: `Draw the next ${PAGE} relations of this predicate on the graph`,
            onclick: async () => {
              button.disabled = true;
              await this.graph.openPage(id, total.predicate.iri, total.direction);
              render();
            },
          },
          label,
        );
        row.replaceChildren(
          total.direction === 'out'
            ? h('span', { class: 'predicate' }, total.predicate.label, ' →')
            : h('span', { class: 'predicate' }, '→ ', total.predicate.label),
          ' ',
          h('span', { class: 'count' }, total.count.toLocaleString('en')),
          ' ',
          button,
        );
      };
      render();
      return row;
    });
    return [
      h('h3', {}, `Relations (${first.total.toLocaleString('en')})`),
      this.filteredNote(),
      h('p', { class: 'paged' }, `Too many to draw at once: open them one predicate at a time, ${PAGE} per click.`),
      h('ul', { class: 'relations relation-counts' }, rows),
    ];
  }

  /**
   * The evidence chain of a path search (an answer of GET /api/v1/paths): each path a list of
   * steps, from → predicate → to, and under each step the statements that report it, each with
   * its source, speaker, date and quote. `filters` names the filters it was asked with.
   */
  showPaths(answer, filters) {
    this.generation += 1;
    const { from, to, paths } = answer;
    const filtered = filters.isActive() ? h('p', { class: 'filtered' }, `Filtered: ${filters.summary()}.`) : null;
    this.show(
      h('p', { class: 'kind' }, paths.length === 1 ? 'Path' : `${paths.length} paths`),
      h('h2', {}, this.entityLink(from), ' → ', this.entityLink(to)),
      filtered,
      paths.length
        ? paths.map((path, i) =>
            h(
              'section',
              { class: 'path', dataset: { length: path.length } },
              h('h3', {}, `Path ${i + 1}: ${path.length} step${path.length === 1 ? '' : 's'}`),
              h('ol', { class: 'chain' }, path.steps.map((step) => this.stepRow(step, filters))),
            ),
          )
        : h(
            'p',
            { class: 'empty no-path' },
            `No path from ${from.label} to ${to.label}` + (filters.isActive() ? ' under these filters.' : '.'),
          ),
    );
  }

  /** One step of a path: its triple, then the evidence of each statement reporting it. */
  stepRow(step, filters) {
    const predicate = h('span', { class: 'predicate', title: step.predicate.iri }, predicateLabel(step.predicate));
    return h(
      'li',
      { class: 'step', dataset: { predicate: step.predicate.iri, direction: step.direction } },
      h(
        'p',
        { class: 'step-triple' },
        this.entityLink(step.from), ' ',
        step.direction === 'forward' ? [predicate, ' →'] : ['← ', predicate], ' ',
        this.entityLink(step.to),
      ),
      step.statements.length
        ? h('ul', { class: 'evidence' }, step.statements.map((statement) => this.evidenceRow(statement, outside(statement, filters))))
        : h('p', { class: 'empty' }, 'No statement reports this step.'),
    );
  }

  /**
   * A statement under a step of a path: source, speaker, date, quote and confirmations;
   * `outside` says why it is not one of those the filters let the step pass on, if it is not.
   */
  evidenceRow(statement, outside) {
    const field = (name, cls, ...content) => [h('dt', {}, name), h('dd', { class: cls }, ...content)];
    const links = (items) => items.map((item, i) => [i ? ', ' : '', this.entityLink(item)]);
    const date = statement.date || (statement.date_not_after ? `not after ${statement.date_not_after}` : null);
    // A statement that holds the step only possible, or denies it, says so.
    const modality = statement.qualifiers?.find((q) => q.predicate.iri === `${EG}modality`)?.value;
    const hedged = modality?.iri && modality.iri !== `${EG}Asserted` ? modality : null;
    const classes = ['evidence-item', outside ? 'outside' : null, hedged?.iri === `${EG}Denied` ? 'denied' : null];
    return h(
      'li',
      { class: classes.filter(Boolean).join(' '), dataset: { statement: statement.id } },
      outside ? h('p', { class: 'outside-note' }, outside) : null,
      statement.quote ? h('blockquote', { class: 'quote' }, `“${statement.quote}”`) : null,
      h(
        'dl',
        { class: 'provenance' },
        field('Source', 'source', links(statement.sources)),
        field('Speaker', 'speaker', links(statement.speaker)),
        date ? field('Date', 'date', h('time', {}, date)) : null,
        hedged ? field('Modality', 'modality', hedged.label) : null,
        statement.confirmed_by?.length
          ? field(
              'Confirmed by',
              'confirmed-by',
              statement.confirmed_by.map((c, i) => [
                i ? '; ' : '',
                links(c.speakers),
                c.date ? [' on ', h('time', {}, c.date)] : null,
                c.quote ? [': ', h('q', {}, c.quote)] : null,
              ]),
            )
          : null,
      ),
      h('button', { class: 'statement-link', onclick: () => this.showStatements([statement.id]) }, 'whole statement'),
    );
  }

  /** Shows the statements behind an edge (or one statement), each with its provenance. */
  async showStatements(ids, title) {
    const generation = ++this.generation;
    this.show(h('p', { class: 'empty' }, 'Loading…'));
    const statements = await Promise.all(ids.map((id) => get(`/statements/${segment(id)}`)));
    if (generation !== this.generation) return;
    this.show(
      h('p', { class: 'kind' }, statements.length === 1 ? 'Statement' : `${statements.length} statements`),
      title ? h('h2', {}, title) : null,
      statements.map((statement) => this.statementCard(statement, !title, outside(statement, this.graph.filters))),
    );
  }

  /** A statement with its provenance; `outside` says why the filters do not count it, if they do not. */
  statementCard(statement, withTitle, outside = null) {
    const field = (name, ...content) => [h('dt', {}, name), h('dd', {}, ...content)];
    const list = (items, render) =>
      items.length === 1 ? render(items[0]) : h('ul', {}, items.map((item) => h('li', {}, render(item))));
    return h(
      'article',
      { class: outside ? 'statement outside' : 'statement', dataset: { statement: statement.id } },
      outside ? h('p', { class: 'outside-note' }, outside) : null,
      h(
        withTitle ? 'h2' : 'h3',
        { class: 'triple' },
        this.entityLink(statement.subject), ' ',
        h('span', { class: 'predicate' }, statement.predicate.label), ' ',
        this.value(statement.object),
      ),
      statement.quote ? h('blockquote', { class: 'quote' }, `“${statement.quote}”`) : null,
      h(
        'dl',
        { class: 'provenance' },
        statement.speaker?.length ? field('Speaker', list(statement.speaker, (s) => this.entityLink(s))) : null,
        statement.date ? field('Date', h('time', {}, statement.date)) : null,
        statement.sources?.length ? field('Source', list(statement.sources, (s) => h('span', { class: 'source' }, this.entityLink(s)))) : null,
        statement.qualifiers.map((q) => field(q.predicate.label, this.value(q.value))),
        statement.confirmed_by?.length
          ? field(
              'Confirmed by',
              h(
                'ul',
                { class: 'confirmations' },
                statement.confirmed_by.map((c) =>
                  h(
                    'li',
                    { class: 'confirmation' },
                    c.speakers.map((s) => this.entityLink(s)),
                    c.date ? [' on ', h('time', {}, c.date)] : null,
                    c.quote ? [': ', h('q', {}, c.quote)] : null,
                    ' ',
                    h('button', { class: 'statement-link', onclick: () => this.showStatements([c.statement.id]) }, 'statement'),
                  ),
                ),
              ),
            )
          : null,
        statement.confirms?.length
          ? field(
              'Confirms',
              h(
                'ul',
                {},
                statement.confirms.map((c) =>
                  h('li', {}, h('button', { class: 'link', onclick: () => this.showStatements([c.id]) }, c.label)),
                ),
              ),
            )
          : null,
      ),
      h('p', { class: 'iri' }, h('code', {}, statement.iri)),
    );
  }
}

/**
 * Why a statement of a path's step does not count under the filters, for those a statement
 * shows by itself (its speaker, its modality, its day), or null. A step lists every statement that reports
 * it; the server let it pass on the others.
 */
function outside(statement, filters) {
  const { saidBy, modalities, asOf } = filters.values;
  if (saidBy.length && !statement.speaker.some((s) => saidBy.some((b) => b.iri === s.iri))) {
    return `Not said by ${saidBy.map((b) => b.label).join(' or ')}.`;
  }
  if (modalities.length) {
    const modality = statement.qualifiers?.find((q) => q.predicate.iri === `${EG}modality`)?.value;
    if (!modalities.includes(modality?.iri)) {
      const wanted = MODALITIES.filter((m) => modalities.includes(m.iri)).map((m) => m.label).join(' or ');
      return modality?.label ? `Said as ${modality.label}, not ${wanted}.` : `No modality: not ${wanted}.`;
    }
  }
  if (asOf) {
    const day = statement.date || statement.date_not_after;
    if (!day) return `Undated: not known on ${asOf}.`;
    if (day > asOf) return `Said after ${asOf}.`;
  }
  return null;
}

/** At most this many rows of an event's sources and of its figures: an event that hundreds of
 * outlets report lists the first ones (in title order) rather than making the panel wait. */
const LISTED = 200;

/** A resource of a SPARQL row as the panel links it: {id, iri, label}. */
const reference = (iri, label) => ({ id: iri.slice(iri.lastIndexOf('/') + 1), iri, label: label || iri });

/** The source documents of an event's statements, with their publishers. */
async function eventSources(id) {
  const event = `<https://w3id.org/eventgraph/id/${id}>`;
  const rows = await select(`SELECT ?doc ?title ?publisher ?publisherLabel (COUNT(DISTINCT ?st) AS ?n) WHERE {
      { ?st rdf:subject ${event} } UNION { ?st rdf:object ${event} }
      ?st a eg:Statement ; eg:source ?doc .
      OPTIONAL { ?doc rdfs:label ?title }
      OPTIONAL { ?doc <http://purl.org/dc/terms/publisher> ?publisher OPTIONAL { ?publisher rdfs:label ?publisherLabel } }
    } GROUP BY ?doc ?title ?publisher ?publisherLabel ORDER BY ?title ?doc LIMIT ${LISTED}`);
  const sources = new Map();
  for (const row of rows) {
    if (!sources.has(row.doc)) sources.set(row.doc, { ...reference(row.doc, row.title), publishers: [], statements: 0 });
    const source = sources.get(row.doc);
    source.statements = Math.max(source.statements, Number(row.n));
    if (row.publisher && !source.publishers.some((p) => p.iri === row.publisher)) {
      source.publishers.push(reference(row.publisher, row.publisherLabel));
    }
  }
  return [...sources.values()];
}

/** The figures (eg:Quantity) an event reports, one per statement that reports one. */
async function eventFigures(id) {
  const event = `<https://w3id.org/eventgraph/id/${id}>`;
  const rows = await select(`SELECT ?st ?predicateLabel ?countOf ?printed ?value ?probable ?hedgeLabel ?doc ?title ?speaker ?speakerLabel WHERE {
      ${event} ?p ?q . ?q a eg:Quantity .
      ?st rdf:subject ${event} ; rdf:predicate ?p ; rdf:object ?q ; eg:source ?doc ; eg:speaker ?speaker .
      OPTIONAL { ?p rdfs:label ?predicateLabel }
      OPTIONAL { ?q eg:countOf ?countOf } OPTIONAL { ?q eg:printedAs ?printed }
      OPTIONAL { ?q eg:value ?value } OPTIONAL { ?q eg:probableValue ?probable }
      OPTIONAL { ?q eg:hedge/rdfs:label ?hedgeLabel }
      OPTIONAL { ?doc rdfs:label ?title } OPTIONAL { ?speaker rdfs:label ?speakerLabel }
    } ORDER BY ?countOf ?title LIMIT ${LISTED}`);
  const seen = new Set();
  return rows
    .filter((row) => !seen.has(row.st) && seen.add(row.st))
    .map((row) => ({
      statement: row.st.slice(row.st.lastIndexOf('/') + 1),
      predicate: row.predicateLabel || '',
      countOf: row.countOf || '',
      printed: row.printed,
      value: row.value,
      probable: row.probable,
      hedge: row.hedgeLabel,
      source: reference(row.doc, row.title),
      speaker: reference(row.speaker, row.speakerLabel),
    }));
}
