// The provenance filters of the explorer: who said it (`said_by`), where it was published
// (`source`: a document or a publisher), confirmed only, at least N sources (`min_sources`), and
// the day the graph is seen as known on (`as_of`, the time slider). `Filters` holds them and
// turns them into the query parameters every graph fetch carries; `filterBar` draws the
// controls, whose choices come from SPARQL over the statements: their speakers, the documents
// and publishers of their sources, their first and last days. What passes is the server's to
// decide (GET /api/v1/... with the same parameters); nothing here filters by itself.

import { select } from './api.js';
import { h } from './panel.js';

const DCTERMS_PUBLISHER = 'http://purl.org/dc/terms/publisher';

/** At most this many speakers, publishers and documents are offered (most statements first). */
const CHOICES = 300;

/** How long the time slider's play stays on each day, in milliseconds. */
const PLAY_STEP_MS = 900;

const NONE = { saidBy: null, source: null, confirmed: false, minSources: 1, asOf: null };

export class Filters {
  constructor() {
    // saidBy, source: {iri, label} or null; confirmed: boolean; minSources: 1 (no condition)
    // to 1000; asOf: 'YYYY-MM-DD' or null (every statement, dated or not)
    this.values = { ...NONE };
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
    return this.set({ ...NONE });
  }

  /** The query parameters of the active filters (see src/api/rest/provenance.rs). */
  params() {
    const { saidBy, source, confirmed, minSources, asOf } = this.values;
    return {
      said_by: saidBy?.iri,
      source: source?.iri,
      confirmed: confirmed ? 'true' : undefined,
      min_sources: minSources > 1 ? minSources : undefined,
      as_of: asOf || undefined,
    };
  }

  isActive() {
    return Object.values(this.params()).some((value) => value !== undefined);
  }

  /** The active filters as a person reads them, one phrase each. */
  phrases() {
    const { saidBy, source, confirmed, minSources, asOf } = this.values;
    return [
      saidBy ? `said by ${saidBy.label}` : null,
      source ? `from ${source.label}` : null,
      confirmed ? 'confirmed only' : null,
      minSources > 1 ? `at least ${minSources} sources` : null,
      asOf ? `as known on ${asOf}` : null,
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

const byLabel = (a, b) => a.label.localeCompare(b.label, 'en');

/** The options of a list of choices, by label, each with its count. */
function options(items) {
  return [...items]
    .sort(byLabel)
    .map((item) => h('option', { value: item.iri, dataset: { label: item.label } }, `${item.label} (${item.count})`));
}

/**
 * Draws the filter controls in `element` and keeps them and `filters` in step; resolves once
 * their choices are loaded.
 * @param {HTMLElement} element
 * @param {Filters} filters
 */
export async function filterBar(element, filters) {
  const speaker = h('select', { id: 'filter-speaker' }, h('option', { value: '' }, 'anyone'));
  const source = h('select', { id: 'filter-source' }, h('option', { value: '' }, 'any source'));
  const confirmed = h('input', { id: 'filter-confirmed', type: 'checkbox' });
  const minSources = h('input', { id: 'filter-min-sources', type: 'number', min: 1, max: 1000, step: 1, value: 1, inputmode: 'numeric' });
  const reset = h('button', { id: 'filter-reset', type: 'button', disabled: true, title: 'Show every statement again' }, 'Reset filters');
  const summary = h('p', { id: 'filter-summary', class: 'filter-summary', 'aria-live': 'polite' }, 'No filter: every statement counts.');
  const slider = h('input', { id: 'as-of', type: 'range', min: 0, max: 0, step: 1, value: 0, disabled: true, 'aria-describedby': 'as-of-day' });
  const day = h('output', { id: 'as-of-day', for: 'as-of' }, 'every day');
  const play = h('button', { id: 'as-of-play', type: 'button', disabled: true, title: 'Replay what was known, day by day' }, '▶ Play');
  const range = h('p', { class: 'as-of-range' });

  element.replaceChildren(
    h('h2', {}, 'Filters'),
    h('label', { for: 'filter-speaker' }, 'Said by'), speaker,
    h('label', { for: 'filter-source' }, 'Source or publisher'), source,
    h('label', { class: 'check' }, confirmed, ' confirmed only'),
    h('label', { class: 'inline', for: 'filter-min-sources' }, 'At least ', minSources, ' source(s)'),
    h('div', { class: 'as-of' }, h('label', { for: 'as-of' }, 'Known on '), day, slider, range, play),
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
    const { saidBy, source: chosen, confirmed: onlyConfirmed, minSources: n, asOf } = filters.values;
    speaker.value = saidBy?.iri || '';
    source.value = chosen?.iri || '';
    confirmed.checked = onlyConfirmed;
    minSources.value = String(n);
    if (last >= first) slider.value = String(asOf ? dayNumber(asOf) - first : last - first + 1);
    showDay();
    const active = filters.isActive();
    element.classList.toggle('active', active);
    reset.disabled = !active;
    summary.textContent = active ? `Filtered: ${filters.summary()}.` : 'No filter: every statement counts.';
  };
  filters.onChange(sync);

  const chosen = (select) => {
    const option = select.selectedOptions[0];
    return select.value ? { iri: select.value, label: option.dataset.label || option.textContent } : null;
  };
  speaker.addEventListener('change', () => filters.set({ saidBy: chosen(speaker) }));
  source.addEventListener('change', () => filters.set({ source: chosen(source) }));
  confirmed.addEventListener('change', () => filters.set({ confirmed: confirmed.checked }));
  minSources.addEventListener('change', () => {
    const n = Math.round(Number(minSources.value));
    filters.set({ minSources: Number.isFinite(n) ? Math.min(1000, Math.max(1, n)) : 1 });
  });
  reset.addEventListener('click', () => {
    stop();
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
  speaker.append(...options(who));
  if (where.publishers.length) source.append(h('optgroup', { label: 'Publishers' }, options(where.publishers)));
  if (where.documents.length) source.append(h('optgroup', { label: 'Documents' }, options(where.documents)));
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
}
