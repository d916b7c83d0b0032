// The provenance filters of the explorer: who said it (`said_by`, any of several speakers),
// where it was published (`source`, any of several documents or publishers; `exclude_source`,
// none of these), confirmed only, at least N sources (`min_sources`), how firmly it was said
// (`modality`, any of the ontology's modalities), the day the graph is seen as known on
// (`as_of`, the time slider) and the days the events themselves fall in (`event_from`,
// `event_to`). `Filters` holds them and turns them into the query parameters every graph fetch
// carries, the same string the page keeps in its URL's hash; `filterBar` draws the controls,
// whose choices come from SPARQL over the statements (their speakers, the documents and
// publishers of their sources, their first and last days), and reads a hash back into filters,
// ignoring what does not read with a message that says so. What passes is the server's to
// decide (GET /api/v1/... with the same parameters); nothing here filters by itself.

import { EG, queryString, select } from './api.js';
import { h } from './panel.js';

const DCTERMS_PUBLISHER = 'http://purl.org/dc/terms/publisher';

/** At most this many speakers, publishers and documents are offered (most statements first). */
const CHOICES = 300;

/** How long the time slider's play stays on each day, in milliseconds. */
const PLAY_STEP_MS = 900;

/**
 * The modalities of the ontology (`eg:Modality`, ontology/eventgraph.ttl) with its labels and
 * comments. A fixed list rather than a SPARQL query: the server accepts exactly these three
 * (`modality()` in src/api/rest/provenance.rs), whatever else a store might hold.
 */
export const MODALITIES = [
  { iri: `${EG}Asserted`, label: 'asserted', comment: 'The speaker states the claim as fact.' },
  { iri: `${EG}Possible`, label: 'possible', comment: "The speaker states the claim only as a possibility ('may have', 'might', 'possibly')." },
  { iri: `${EG}Denied`, label: 'denied', comment: 'The speaker denies the claim: says that it does not hold.' },
];
const modalityLabel = (iri) => MODALITIES.find((m) => m.iri === iri)?.label ?? iri;

/** No filter; a new object each time, so that no two filter states share an array. */
const none = () => ({
  saidBy: [],
  sources: [],
  excludedSources: [],
  confirmed: false,
  minSources: 1,
  modalities: [],
  asOf: null,
  eventFrom: null,
  eventTo: null,
});

/** Whether `text` is a real day written YYYY-MM-DD (not 2023-02-30). */
export const isDay = (text) =>
  /^\d{4}-\d\d-\d\d$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) &&
  new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;

/** "a", "a or b", "a, b or c". */
const either = (words, joint = 'or') =>
  words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} ${joint} ${words.at(-1)}`;

export class Filters {
  constructor() {
    // saidBy, sources, excludedSources: [{iri, label}], in the order chosen; confirmed:
    // boolean; minSources: 1 (no condition) to 1000; modalities: [IRI] of MODALITIES; asOf,
    // eventFrom, eventTo: 'YYYY-MM-DD' or null (asOf null: every statement, dated or not)
    this.values = none();
    this.listeners = [];
  }

  /** Calls `listener(filters)` after each change; `set` waits for what it returns. */
  onChange(listener) {
    this.listeners.push(listener);
  }

  /** Changes some filters, then resolves once every listener has done its work. */
  async set(changes) {
    const before = JSON.stringify(this.values);
    Object.assign(this.values, changes);
    if (JSON.stringify(this.values) === before) return;
    await Promise.all(this.listeners.map((listener) => listener(this)));
  }

  /** Clears every filter. */
  reset() {
    return this.set(none());
  }

  /**
   * The query parameters of the active filters (see src/api/rest/provenance.rs): an array
   * is a repeated parameter (`said_by=a&said_by=b`, see `queryString`).
   */
  params() {
    const { saidBy, sources, excludedSources, confirmed, minSources, modalities, asOf, eventFrom, eventTo } = this.values;
    const iris = (items) => (items.length ? items.map((item) => item.iri) : undefined);
    return {
      said_by: iris(saidBy),
      source: iris(sources),
      exclude_source: iris(excludedSources),
      confirmed: confirmed ? 'true' : undefined,
      min_sources: minSources > 1 ? minSources : undefined,
      modality: modalities.length ? [...modalities] : undefined,
      as_of: asOf || undefined,
      event_from: eventFrom || undefined,
      event_to: eventTo || undefined,
    };
  }

  /** The active filters as a query string without its `?`: the page's URL hash. */
  query() {
    return queryString(this.params()).slice(1);
  }

  isActive() {
    return Object.values(this.params()).some((value) => value !== undefined);
  }

  /** The active filters as a person reads them, one phrase each. */
  phrases() {
    const { saidBy, sources, excludedSources, confirmed, minSources, modalities, asOf, eventFrom, eventTo } = this.values;
    const labels = (items) => items.map((item) => item.label);
    let events = null;
    if (eventFrom && eventTo) events = `events between ${eventFrom} and ${eventTo}`;
    else if (eventFrom) events = `events on or after ${eventFrom}`;
    else if (eventTo) events = `events on or before ${eventTo}`;
    return [
      saidBy.length ? `said by ${either(labels(saidBy))}` : null,
      sources.length ? `from ${either(labels(sources))}` : null,
      excludedSources.length ? `not from ${either(labels(excludedSources), 'nor')}` : null,
      confirmed ? 'confirmed only' : null,
      minSources > 1 ? `at least ${minSources} sources` : null,
      modalities.length ? `${either(modalities.map(modalityLabel))} statements only` : null,
      asOf ? `as known on ${asOf}` : null,
      events,
    ].filter(Boolean);
  }

  summary() {
    return this.phrases().join(' · ');
  }
}

/** The day number (days since 1970-01-01) of a 'YYYY-MM-DD' day, and back. */
const dayNumber = (day) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
const dayOf = (number) => new Date(number * 86_400_000).toISOString().slice(0, 10);

/** A resource of a SPARQL row: {iri, label}. */
const resource = (iri, label) => ({ iri, label: label || iri.slice(iri.lastIndexOf('/') + 1) });

/** The speakers of the statements, with how many statements each made. */
async function speakers() {
  const rows = await select(`SELECT ?speaker (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?st) AS ?n) WHERE {
  ?st eg:speaker ?speaker .
  OPTIONAL { ?speaker rdfs:label ?name }
} GROUP BY ?speaker ORDER BY DESC(?n) LIMIT ${CHOICES}`);
  return rows.map((row) => ({ ...resource(row.speaker, row.label), count: Number(row.n) }));
}

/** The source documents of the statements and their publishers, with their statements' counts. */
async function sources() {
  const [documents, publishers] = await Promise.all([
    select(`SELECT ?doc (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?st) AS ?n) WHERE {
  ?st eg:source ?doc .
  OPTIONAL { ?doc rdfs:label ?name }
} GROUP BY ?doc ORDER BY DESC(?n) LIMIT ${CHOICES}`),
    select(`SELECT ?publisher (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?st) AS ?n) WHERE {
  ?st eg:source ?doc . ?doc <${DCTERMS_PUBLISHER}> ?publisher .
  OPTIONAL { ?publisher rdfs:label ?name }
} GROUP BY ?publisher ORDER BY DESC(?n) LIMIT ${CHOICES}`),
  ]);
  return {
    documents: documents.map((row) => ({ ...resource(row.doc, row.label), count: Number(row.n) })),
    publishers: publishers.map((row) => ({ ...resource(row.publisher, row.label), count: Number(row.n) })),
  };
}

/** The first and last day a statement was made on (`eg:statedOn`), or null without any. */
async function statementDays() {
  const [row] = await select(`SELECT (MIN(?day) AS ?first) (MAX(?day) AS ?last) WHERE {
  ?st eg:statedOn ?day .
}`);
  return row?.first && row?.last ? { first: row.first.slice(0, 10), last: row.last.slice(0, 10) } : null;
}

/** An IRI that can go between `<` and `>` in a query (RDF 1.1 Turtle's IRIREF), absolute. */
const isIri = (text) => /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i.test(text);

/**
 * The labels of those of `iris` that are the speaker (`role` 'speaker') or a source document
 * or publisher ('source') of some statement, as a Map; the others are missing from it.
 */
async function knownByQuery(iris, role) {
  if (!iris.length) return new Map();
  const values = iris.map((iri) => `<${iri}>`).join(' ');
  const where = role === 'speaker'
    ? '?st eg:speaker ?x .'
    : `{ ?st eg:source ?x } UNION { ?st eg:source ?doc . ?doc <${DCTERMS_PUBLISHER}> ?x }`;
  const rows = await select(`SELECT ?x (SAMPLE(?name) AS ?label) WHERE {
  VALUES ?x { ${values} }
  ${where}
  OPTIONAL { ?x rdfs:label ?name }
} GROUP BY ?x`);
  return new Map(rows.map((row) => [row.x, resource(row.x, row.label).label]));
}

const byLabel = (a, b) => a.label.localeCompare(b.label, 'en');

/** The options of a list of choices, by label, each with its count. */
function options(items) {
  return [...items]
    .sort(byLabel)
    .map((item) => h('option', { value: item.iri, dataset: { label: item.label } }, `${item.label} (${item.count})`));
}

/**
 * A choice of several: a select whose pick joins a list of chips, each with a button that
 * removes it. `key` is the array of `filters.values` it holds.
 */
function multiChoice(filters, { id, key, label, placeholder, noun }) {
  const picker = h('select', { id, 'aria-describedby': `${id}-chosen` }, h('option', { value: '' }, placeholder));
  const chips = h('ul', { id: `${id}-chosen`, class: 'choices', 'aria-label': `${label}: chosen` });
  picker.addEventListener('change', () => {
    const option = picker.selectedOptions[0];
    const iri = picker.value;
    picker.value = '';
    if (!iri || filters.values[key].some((item) => item.iri === iri)) return;
    filters.set({ [key]: [...filters.values[key], { iri, label: option.dataset.label || option.textContent }] });
  });
  const sync = () => {
    const chosen = filters.values[key];
    chips.replaceChildren(
      ...chosen.map((item) =>
        h(
          'li',
          { class: 'choice', dataset: { iri: item.iri }, title: item.iri },
          h('span', {}, item.label),
          h(
            'button',
            {
              type: 'button',
              'aria-label': `Remove ${noun} ${item.label}`,
              title: `Remove ${item.label}`,
              onclick: () => filters.set({ [key]: filters.values[key].filter((other) => other.iri !== item.iri) }),
            },
            '×',
          ),
        ),
      ),
    );
    chips.hidden = chosen.length === 0;
    for (const option of picker.options) option.disabled = Boolean(option.value) && chosen.some((item) => item.iri === option.value);
  };
  return { elements: [h('label', { for: id }, label), picker, chips], picker, sync };
}

/**
 * Draws the filter controls in `element` and keeps them and `filters` in step; resolves, once
 * their choices are loaded, to `{restore}`: `restore(query)` sets the filters a URL hash
 * names and resolves to the messages of what it ignored.
 * @param {HTMLElement} element
 * @param {Filters} filters
 */
export async function filterBar(element, filters) {
  const speaker = multiChoice(filters, { id: 'filter-speaker', key: 'saidBy', label: 'Said by', placeholder: 'anyone (add a speaker)', noun: 'speaker' });
  const source = multiChoice(filters, { id: 'filter-source', key: 'sources', label: 'Source or publisher', placeholder: 'any source (add one)', noun: 'source' });
  const excluded = multiChoice(filters, { id: 'filter-exclude-source', key: 'excludedSources', label: 'Not from', placeholder: 'exclude a source…', noun: 'excluded source' });
  const confirmed = h('input', { id: 'filter-confirmed', type: 'checkbox' });
  const minSources = h('input', { id: 'filter-min-sources', type: 'number', min: 1, max: 1000, step: 1, value: 1, inputmode: 'numeric' });
  const modalities = MODALITIES.map((m) => h('input', { type: 'checkbox', value: m.iri, dataset: { modality: m.iri.slice(EG.length) } }));
  const eventFrom = h('input', { id: 'filter-event-from', type: 'date' });
  const eventTo = h('input', { id: 'filter-event-to', type: 'date' });
  const more = h('details', { id: 'filter-more', class: 'more-filters' });
  const reset = h('button', { id: 'filter-reset', type: 'button', disabled: true, title: 'Show every statement again' }, 'Reset filters');
  const summary = h('p', { id: 'filter-summary', class: 'filter-summary', 'aria-live': 'polite' }, 'No filter: every statement counts.');
  const problems = h('p', { id: 'filter-problems', class: 'filter-problems', role: 'alert', hidden: true });
  const slider = h('input', { id: 'as-of', type: 'range', min: 0, max: 0, step: 1, value: 0, disabled: true, 'aria-describedby': 'as-of-day' });
  const day = h('output', { id: 'as-of-day', for: 'as-of' }, 'every day');
  const play = h('button', { id: 'as-of-play', type: 'button', disabled: true, title: 'Replay what was known, day by day' }, '▶ Play');
  const range = h('p', { class: 'as-of-range' });

  more.append(
    h('summary', {}, 'More filters'),
    ...excluded.elements,
    h(
      'fieldset',
      { id: 'filter-modality', class: 'modality' },
      h('legend', {}, 'Said as'),
      MODALITIES.map((m, i) => h('label', { class: 'check', title: m.comment }, modalities[i], ` ${m.label}`)),
    ),
    h(
      'div',
      { class: 'event-window', role: 'group', 'aria-label': 'Days of the events' },
      h('label', { for: 'filter-event-from' }, 'Events from'), eventFrom,
      h('label', { for: 'filter-event-to' }, 'to'), eventTo,
    ),
  );
  element.replaceChildren(
    h('h2', {}, 'Filters'),
    ...speaker.elements,
    ...source.elements,
    h('label', { class: 'check' }, confirmed, ' confirmed only'),
    h('label', { class: 'inline', for: 'filter-min-sources' }, 'At least ', minSources, ' source(s)'),
    more,
    h('div', { class: 'as-of' }, h('label', { for: 'as-of' }, 'Known on '), day, slider, range, play),
    problems,
    summary,
    reset,
  );

  // Slider positions: 0 is the first day, `last` the last one, `last + 1` every statement,
  // dated or not (an undated statement fails as_of).
  let first = 0;
  let last = -1;
  const everything = () => Number(slider.value) > last - first;
  const dayAt = (position) => dayOf(first + position);
  const showDay = () => {
    day.textContent = everything() ? 'every day' : dayAt(Number(slider.value));
  };

  const sync = () => {
    const values = filters.values;
    for (const multi of [speaker, source, excluded]) multi.sync();
    confirmed.checked = values.confirmed;
    minSources.value = String(values.minSources);
    for (const box of modalities) box.checked = values.modalities.includes(box.value);
    eventFrom.value = values.eventFrom || '';
    eventTo.value = values.eventTo || '';
    // Each end of the window no further than the other.
    eventTo.min = values.eventFrom || '';
    eventFrom.max = values.eventTo || '';
    // What is hidden in "More filters" is never active unseen.
    if (values.excludedSources.length || values.modalities.length || values.eventFrom || values.eventTo) more.open = true;
    if (last >= first) slider.value = String(values.asOf ? dayNumber(values.asOf) - first : last - first + 1);
    showDay();
    const active = filters.isActive();
    element.classList.toggle('active', active);
    reset.disabled = !active;
    summary.textContent = active ? `Filtered: ${filters.summary()}.` : 'No filter: every statement counts.';
  };
  filters.onChange(sync);

  const showProblems = (messages) => {
    problems.hidden = messages.length === 0;
    problems.textContent = messages.length ? `Ignored in the page's address: ${messages.join('; ')}.` : '';
  };

  confirmed.addEventListener('change', () => filters.set({ confirmed: confirmed.checked }));
  minSources.addEventListener('change', () => {
    const n = Math.round(Number(minSources.value));
    filters.set({ minSources: Number.isFinite(n) ? Math.min(1000, Math.max(1, n)) : 1 });
  });
  for (const box of modalities) {
    box.addEventListener('change', () =>
      filters.set({ modalities: MODALITIES.map((m) => m.iri).filter((iri) => modalities.find((b) => b.value === iri).checked) }));
  }
  // A date input's value is '' or a day; a half-typed day is '' too, and changes nothing.
  for (const [input, key] of [[eventFrom, 'eventFrom'], [eventTo, 'eventTo']]) {
    input.addEventListener('change', () => {
      if (input.value === '' || isDay(input.value)) filters.set({ [key]: input.value || null });
    });
  }
  reset.addEventListener('click', () => {
    stop();
    showProblems([]);
    filters.reset();
  });
  slider.addEventListener('input', showDay);
  slider.addEventListener('change', () => filters.set({ asOf: everything() ? null : dayAt(Number(slider.value)) }));

  // Play: from the day shown (the first when every day is shown), one day per step, each drawn
  // before the next; it ends on every statement again.
  let playing = false;
  const stop = () => {
    playing = false;
    play.textContent = '▶ Play';
  };
  play.addEventListener('click', async () => {
    if (playing) {
      stop();
      return;
    }
    playing = true;
    play.textContent = '❚❚ Pause';
    let position = everything() ? 0 : Number(slider.value);
    while (playing && position <= last - first + 1) {
      slider.value = String(position);
      showDay();
      await filters.set({ asOf: everything() ? null : dayAt(position) });
      await new Promise((resolve) => setTimeout(resolve, PLAY_STEP_MS));
      position += 1;
    }
    stop();
  });

  const [who, where, days] = await Promise.all([speakers(), sources(), statementDays()]);
  speaker.picker.append(...options(who));
  for (const multi of [source, excluded]) {
    if (where.publishers.length) multi.picker.append(h('optgroup', { label: 'Publishers' }, options(where.publishers)));
    if (where.documents.length) multi.picker.append(h('optgroup', { label: 'Documents' }, options(where.documents)));
  }
  if (days) {
    first = dayNumber(days.first);
    last = dayNumber(days.last);
    slider.max = String(last - first + 1);
    slider.dataset.first = days.first;
    slider.disabled = false;
    play.disabled = false;
    range.textContent = `${days.first} … ${days.last}, then every statement`;
  } else {
    range.textContent = 'No statement is dated.';
  }
  sync();

  const labels = {
    speaker: new Map(who.map((item) => [item.iri, item.label])),
    source: new Map([...where.publishers, ...where.documents].map((item) => [item.iri, item.label])),
  };

  /** Sets the filters `query` (a URL hash) names, every other one cleared; see `readQuery`. */
  async function restore(query) {
    const { changes, names, messages } = readQuery(query, {
      asOf: (text) => (last < first ? 'no statement is dated' : (text < days.first || text > days.last)
        ? `not a day of the time slider, ${days.first} … ${days.last}` : null),
    });
    // Speakers and sources: those offered have their label; the others (beyond the first
    // CHOICES) are asked for, and what no statement names is ignored.
    for (const [param, key, role, what] of [
      ['said_by', 'saidBy', 'speaker', 'the speaker of no statement'],
      ['source', 'sources', 'source', 'the source or publisher of no statement'],
      ['exclude_source', 'excludedSources', 'source', 'the source or publisher of no statement'],
    ]) {
      const known = labels[role];
      const asked = await knownByQuery(names[param].filter((iri) => !known.has(iri)), role);
      changes[key] = [];
      for (const iri of names[param]) {
        const label = known.get(iri) ?? asked.get(iri);
        if (label === undefined) messages.push(`${param}=${iri} (${what})`);
        else if (!changes[key].some((item) => item.iri === iri)) changes[key].push({ iri, label });
      }
    }
    stop();
    showProblems(messages);
    await filters.set({ ...none(), ...changes });
    return messages;
  }

  return { restore };
}

/**
 * Reads the filters of a query string (a URL hash, as `Filters.query` writes it): the values
 * that read as `changes` for `Filters.set`, the speakers' and sources' IRIs by parameter in
 * `names` (their labels are the caller's to find), and a message for each value ignored: an
 * unknown parameter, a value that does not read, a second value of a single-valued parameter,
 * and what `checks.asOf(day)` refuses.
 */
export function readQuery(query, checks = {}) {
  const changes = {};
  const names = { said_by: [], source: [], exclude_source: [] };
  const messages = [];
  const once = new Set();
  const ignore = (name, value, why) => messages.push(`${name}=${value} (${why})`);
  for (const [name, raw] of new URLSearchParams(query)) {
    const value = raw.trim();
    if (['said_by', 'source', 'exclude_source'].includes(name)) {
      if (isIri(value)) names[name].push(value);
      else ignore(name, value, 'not an IRI');
      continue;
    }
    if (name === 'modality') {
      const modality = MODALITIES.find((m) => m.iri === value || m.iri === `${EG}${value}`);
      if (!modality) ignore(name, value, `not a modality: ${MODALITIES.map((m) => m.iri.slice(EG.length)).join(', ')}`);
      else if (!(changes.modalities ??= []).includes(modality.iri)) changes.modalities.push(modality.iri);
      continue;
    }
    if (!['confirmed', 'min_sources', 'as_of', 'event_from', 'event_to'].includes(name)) {
      ignore(name, value, 'not a filter');
      continue;
    }
    if (once.has(name)) {
      ignore(name, value, `${name} is given once`);
      continue;
    }
    once.add(name);
    if (name === 'confirmed') {
      if (value === 'true' || value === 'false') changes.confirmed = value === 'true';
      else ignore(name, value, 'not true or false');
    } else if (name === 'min_sources') {
      const n = Number(value);
      if (/^\d+$/.test(value) && n >= 1 && n <= 1000) changes.minSources = n;
      else ignore(name, value, 'not a whole number from 1 to 1000');
    } else if (!isDay(value)) {
      ignore(name, value, 'not a day written YYYY-MM-DD');
    } else if (name === 'as_of') {
      const refused = checks.asOf?.(value);
      if (refused) ignore(name, value, refused);
      else changes.asOf = value;
    } else {
      changes[name === 'event_from' ? 'eventFrom' : 'eventTo'] = value;
    }
  }
  return { changes, names, messages };
}
