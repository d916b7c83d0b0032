// Drives the explorer's provenance filters, time slider, path evidence and contested view in
// Debian's headless chromium, on the seed plus two more source documents (tests/fixtures/
// provenance/second-source.ttl, another publisher reporting the US contacts with Hamas, and
// denial.ttl, a third reporting that Washington denies them): it expands the
// United States, filters by a speaker, by a number of sources, by a publisher, confirmed only,
// by two speakers at once (the union of each one's relations), without a publisher
// (exclude_source), by modality (denied, then asserted or denied) and by the events' window,
// and checks each time that the graph on screen is what GET /api/v1/entities/{id}/relations
// answers with the same filters and that every graph request carried them; searches the paths
// from the United States to Hamas and reads their evidence chain in the panel; moves the time slider to 2023-10-30, when none of it
// was known yet, and back; plays the slider a few days; opens the contested tab, whose figures,
// disputed and single-publisher relations are those of GET /api/v1/contested, before and
// after the denial; then sets most filters at once, checks they are in the page's hash, reloads
// and finds every control, the summary and the graph (expanded again, against the API) under
// the same filters; opens a link with values that do not read, each named in a message while
// the others apply; and edits the hash in place. The filter column is checked for controls that
// overlap or stick out, closed and with every filter set. A screenshot of each step goes to
// SCREENSHOT_DIR.
//
// usage: node explorer_provenance.mjs BASE_URL SCREENSHOT_DIR

import { openExplorer } from './browser.mjs';

const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  console.error('usage: node explorer_provenance.mjs BASE_URL SCREENSHOT_DIR');
  process.exit(2);
}

const EG = 'https://w3id.org/eventgraph/ontology#';
const US = '8939f5b6-fdf7-5543-b06c-bc11c02832d1';
const HAMAS = '90f69150-64ee-5592-bdfe-864c942656df';
const CONTACT = `United States ${EG}contactsVia Hamas`;
const SOURCE_QUOTE = 'The US is in contact with Hamas. It does it through Qatar';
const WIRE_QUOTE = 'Washington may be talking to Hamas through Doha';
const DENIAL_QUOTE = 'Washington denies any contact with Hamas';

const { page, check, step, finish, failures, stepNumber } = await openExplorer(base, shots);

const idle = () => page.evaluate(() => window.eventgraph.idle());

// Every request of the explorer to the graph endpoints, with its query parameters (the test's
// own questions to the API carry `probe`).
const requests = [];
page.on('request', (request) => {
  const url = new URL(request.url());
  if (/^\/api\/v1\/(entities\/[^/]+\/relations|paths|export)$/.test(url.pathname) && !url.searchParams.has('probe')) {
    requests.push({ path: url.pathname, params: url.searchParams });
  }
});
/** Checks that every graph request since `since` carried exactly `name=values[0]&name=values[1]...`. */
function checkCarriedAll(since, name, values, what) {
  const made = requests.slice(since);
  check(made.length > 0, `${what}: the explorer asked the server again`);
  const other = made.filter((r) => !same(r.params.getAll(name).sort(), [...values].sort()));
  check(other.length === 0, `${what}: every graph request carries ${name}=${values.join(', ')}: ` +
    other.map((r) => `${r.path}?${r.params}`).join(', '));
}

/** The IRIs of the chips in the list `selector`, in order. */
const chips = (selector) => page.locator(`${selector} li.choice`).evaluateAll((items) => items.map((item) => item.dataset.iri));

const enc = encodeURIComponent;

/**
 * Checks that the filter controls are laid out: none overlaps another, and none is wider than
 * the column (which never scrolls sideways).
 */
async function checkFilterLayout(when) {
  const { items, column } = await page.evaluate(() => {
    const timeline = document.querySelector('#timeline');
    const box = timeline.getBoundingClientRect();
    const selector = '#filters h2, #filters select, #filters input, #filters button, #filters .choice > span, #filters summary, #filters legend, #filters output, #filters .filter-summary';
    return {
      column: { x1: box.left, x2: box.right, scrolls: timeline.scrollWidth > timeline.clientWidth },
      items: [...document.querySelectorAll(selector)]
        // Not those in the closed "More filters": laid out, but not shown.
        .filter((e) => e.checkVisibility())
        .map((e) => {
          const r = e.getBoundingClientRect();
          return { what: e.id || `${e.tagName.toLowerCase()} ${e.textContent.trim().slice(0, 24)}`, x1: r.left, y1: r.top, x2: r.right, y2: r.bottom };
        }),
    };
  });
  check(items.length >= 10, `${when}: the filter controls are found: ${items.length}`);
  check(!column.scrolls, `${when}: the filter column scrolls sideways`);
  for (const item of items) {
    check(item.x1 >= column.x1 - 1 && item.x2 <= column.x2 + 1, `${when}: ${item.what} sticks out of the column (${item.x1}–${item.x2} of ${column.x1}–${column.x2})`);
  }
  for (let i = 0; i < items.length; i += 1) {
    for (let j = i + 1; j < items.length; j += 1) {
      const [a, b] = [items[i], items[j]];
      const x = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
      const y = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
      check(x <= 1 || y <= 1, `${when}: ${a.what} and ${b.what} overlap`);
    }
  }
}

/** Checks that every graph request since `since` carried `name=value`, and that there was one. */
function checkCarried(since, name, value, what) {
  const made = requests.slice(since);
  check(made.length > 0, `${what}: the explorer asked the server again`);
  const without = made.filter((r) => !r.params.getAll(name).includes(value));
  check(without.length === 0, `${what}: every graph request carries ${name}=${value}: ` +
    without.map((r) => `${r.path}?${r.params}`).join(', '));
}

/** The nodes and the fact edges (not the dashed role lines) on screen. */
const onScreen = () =>
  page.evaluate(() => {
    const { cy } = window.eventgraph;
    return {
      nodes: cy.nodes().map((n) => n.data('label')).sort(),
      edges: cy.edges('[^role]').map((e) => `${e.source().data('label')} ${e.data('predicate')} ${e.target().data('label')}`).sort(),
      path: cy.edges('.path').map((e) => `${e.source().data('label')} ${e.data('predicate')} ${e.target().data('label')}`).sort(),
    };
  });

/** The edges of the entity `id` on screen. */
const edgesOf = async (label) => (await onScreen()).edges.filter((e) => e.startsWith(`${label} `) || e.endsWith(` ${label}`));

/** What the server answers for the relations of `id` under these filters, as edges. */
const relationsFromApi = (id, query) =>
  page.evaluate(async ({ id, query }) => {
    const response = await fetch(`/api/v1/entities/${id}/relations?probe&limit=50&${query}`, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    const page = await response.json();
    return page.relations
      .map((r) => (r.direction === 'out'
        ? `${page.entity.label} ${r.predicate.iri} ${r.entity.label}`
        : `${r.entity.label} ${r.predicate.iri} ${page.entity.label}`))
      .sort();
  }, { id, query });

/** The paths the server answers from the United States to Hamas under these filters. */
const pathsFromApi = (query) =>
  page.evaluate(async ({ from, to, query }) => {
    const response = await fetch(`/api/v1/paths?probe&from=${from}&to=${to}&k=3&${query}`, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    return (await response.json()).paths;
  }, { from: US, to: HAMAS, query });

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const badge = async () => ((await page.locator('#filter-badge').isVisible()) ? page.locator('#filter-badge').innerText() : '');

/** Moves the time slider to `day` ('YYYY-MM-DD') or to every statement (null), as a person lets go of it. */
async function slideTo(day) {
  const slider = page.locator('#as-of');
  const first = await slider.getAttribute('data-first');
  const position = day === null
    ? Number(await slider.getAttribute('max'))
    : Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000);
  await slider.fill(String(position));
  await idle();
}

let everything = null;
let ministry = null;

try {
  await step('open', async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector('#events li button');
    await page.locator('#as-of:not([disabled])').waitFor();
    await idle();
    const speakers = await page.locator('#filter-speaker option').allTextContents();
    for (const name of ['Russian Foreign Ministry', 'Diplomatic source in Doha', 'Test Wire Agency', 'Test Denial Gazette']) {
      check(speakers.some((s) => s.startsWith(`${name} (`)), `the speakers offered include ${name}: ${speakers.join(', ')}`);
    }
    const sources = await page.locator('#filter-source optgroup[label="Publishers"] option').allTextContents();
    check(sources.some((s) => s.startsWith('Test Wire Agency')) && sources.some((s) => s.startsWith('Sputnik Africa')),
      `the publishers offered are both: ${sources.join(', ')}`);
    const range = await page.locator('.as-of-range').innerText();
    check(range.startsWith('2023-10-08 … 2023-11-02'), `the slider runs from the first to the last statement's day: ${range}`);
    check((await page.locator('#as-of-day').innerText()) === 'every day', 'the slider starts on every statement');
    check((await badge()) === '' && (await page.locator('#filter-reset').isDisabled()), 'no filter is active at first');
    check(!(await page.locator('#filter-more').evaluate((details) => details.open)), 'the more filters are closed at first');
    await checkFilterLayout('at first');
  });

  await step('expand', async () => {
    await page.locator('#search').pressSequentially('United States', { delay: 20 });
    await page.locator('#suggestions li[role="option"]', { has: page.locator('.label', { hasText: /^United States$/ }) }).click();
    await idle();
    await page.locator('#panel #expand').click();
    await idle();
    everything = await onScreen();
    const expected = await relationsFromApi(US, '');
    check(same(await edgesOf('United States'), expected),
      `unfiltered, the edges of the United States are its relations: ${await edgesOf('United States')} vs ${expected}`);
    check(everything.edges.includes(CONTACT) && everything.nodes.includes('Joe Biden') && everything.nodes.length >= 5,
      `the United States is expanded: ${everything.nodes.join(', ')}`);
  });

  await step('said-by', async () => {
    const since = requests.length;
    ministry = await page.locator('#filter-speaker option', { hasText: 'Russian Foreign Ministry' }).getAttribute('value');
    await page.locator('#filter-speaker').selectOption(ministry);
    await idle();
    const expected = await relationsFromApi(US, `said_by=${encodeURIComponent(ministry)}`);
    check(same(expected, [CONTACT]), `the API: said by the ministry, the contact only: ${expected}`);
    const shown = await onScreen();
    check(same(shown.edges, expected), `said by the ministry, the graph is the API's: ${shown.edges}`);
    check(same(shown.nodes, ['Hamas', 'United States']), `the rest of the neighbourhood is gone: ${shown.nodes}`);
    checkCarried(since, 'said_by', ministry, 'said_by');
    check((await badge()).includes('said by Russian Foreign Ministry'), `the graph says it is filtered: ${await badge()}`);
    check(await page.locator('#filters.active').isVisible() && await page.locator('#filter-reset').isEnabled(), 'the filters say they are active');
    const heading = await page.locator('#panel h3', { hasText: 'Relations' }).innerText();
    check(/Relations \(1\)/i.test(heading), `the panel lists the one relation that passes: ${heading}`);
  });

  await step('min-sources', async () => {
    await page.locator('#filter-reset').click();
    await idle();
    const reset = await onScreen();
    check(same(reset.edges, everything.edges), `reset, the graph is whole again: ${reset.edges.length} of ${everything.edges.length} edges`);
    check((await badge()) === '', 'reset, no filter is shown');
    const since = requests.length;
    await page.locator('#filter-min-sources').fill('2');
    await page.locator('#filter-min-sources').press('Tab');
    await idle();
    const expected = await relationsFromApi(US, 'min_sources=2');
    check(same(expected, [CONTACT]), `the API: two publishers report the contact only: ${expected}`);
    const shown = await onScreen();
    check(same(shown.edges, expected), `with two sources, the graph is the API's: ${shown.edges}`);
    checkCarried(since, 'min_sources', '2', 'min_sources');
    check((await badge()).includes('at least 2 sources'), `the graph says it is filtered: ${await badge()}`);
    await page.locator('#filter-reset').click();
    await idle();
  });

  await step('publisher-confirmed', async () => {
    // The second document's publisher, then confirmed only on top of it: the filters combine.
    const wire = await page.locator('#filter-source optgroup[label="Publishers"] option', { hasText: 'Test Wire Agency' }).getAttribute('value');
    let since = requests.length;
    await page.locator('#filter-source').selectOption(wire);
    await idle();
    const byWire = await relationsFromApi(US, `source=${encodeURIComponent(wire)}`);
    check(same(byWire, [CONTACT]), `the API: the wire reports the contact only: ${byWire}`);
    check(same(await edgesOf('United States'), byWire), `from the wire, the graph is the API's: ${await edgesOf('United States')}`);
    checkCarried(since, 'source', wire, 'source');
    await page.locator('#filter-reset').click();
    await idle();
    since = requests.length;
    await page.locator('#filter-confirmed').check();
    await idle();
    const confirmed = await relationsFromApi(US, 'confirmed=true');
    check(confirmed.includes(CONTACT) && confirmed.length < (await relationsFromApi(US, '')).length,
      `the API: the confirmed relations of the United States are some of them: ${confirmed}`);
    check(same(await edgesOf('United States'), confirmed), `confirmed only, the graph is the API's: ${await edgesOf('United States')} vs ${confirmed}`);
    checkCarried(since, 'confirmed', 'true', 'confirmed');
    check((await badge()).includes('confirmed only'), `the graph says it is filtered: ${await badge()}`);
    await page.locator('#filter-reset').click();
    await idle();
    check(!(await page.locator('#filter-confirmed').isChecked()), 'reset unchecks confirmed only');
  });

  await step('two-speakers', async () => {
    // The ministry alone reports the contact; Sputnik Africa other relations: together, the
    // union of both, which neither gives alone.
    const sputnik = await page.locator('#filter-speaker option', { hasText: 'Sputnik Africa' }).getAttribute('value');
    await page.locator('#filter-speaker').selectOption(ministry);
    await idle();
    const since = requests.length;
    await page.locator('#filter-speaker').selectOption(sputnik);
    await idle();
    check(same(await chips('#filter-speaker-chosen'), [ministry, sputnik]), `both speakers are chips: ${await chips('#filter-speaker-chosen')}`);
    const [both, byMinistry, bySputnik] = await Promise.all([
      relationsFromApi(US, `said_by=${enc(ministry)}&said_by=${enc(sputnik)}`),
      relationsFromApi(US, `said_by=${enc(ministry)}`),
      relationsFromApi(US, `said_by=${enc(sputnik)}`),
    ]);
    const union = [...new Set([...byMinistry, ...bySputnik])].sort();
    check(same(both, union) && both.length > byMinistry.length && both.length > bySputnik.length,
      `the API: two speakers give the union of what each says: ${both} vs ${byMinistry} + ${bySputnik}`);
    check(same(await edgesOf('United States'), both), `with two speakers, the graph is the API's: ${await edgesOf('United States')} vs ${both}`);
    checkCarriedAll(since, 'said_by', [ministry, sputnik], 'two said_by');
    check((await badge()).includes('said by Russian Foreign Ministry or Sputnik Africa'), `the graph names both speakers: ${await badge()}`);
    check(await page.locator(`#filter-speaker option[value="${ministry}"]`).isDisabled(), 'a speaker chosen is not offered again');

    // Its remove button takes one speaker away.
    const removed = requests.length;
    await page.locator(`#filter-speaker-chosen li.choice[data-iri="${ministry}"] button`).click();
    await idle();
    check(same(await chips('#filter-speaker-chosen'), [sputnik]), `one chip is left: ${await chips('#filter-speaker-chosen')}`);
    check(same(await edgesOf('United States'), bySputnik), `said by Sputnik Africa only, the graph is the API's: ${await edgesOf('United States')} vs ${bySputnik}`);
    checkCarriedAll(removed, 'said_by', [sputnik], 'said_by after a remove');
    await page.locator('#filter-reset').click();
    await idle();
    check((await chips('#filter-speaker-chosen')).length === 0, 'reset removes the chips');
  });

  await step('exclude-source', async () => {
    await page.locator('#filter-more summary').click();
    const sputnik = await page.locator('#filter-exclude-source optgroup[label="Publishers"] option', { hasText: 'Sputnik Africa' }).getAttribute('value');
    const since = requests.length;
    await page.locator('#filter-exclude-source').selectOption(sputnik);
    await idle();
    const [all, expected] = await Promise.all([relationsFromApi(US, ''), relationsFromApi(US, `exclude_source=${enc(sputnik)}`)]);
    const gone = all.filter((edge) => !expected.includes(edge));
    check(gone.length > 0 && expected.includes(CONTACT), `the API: without Sputnik Africa some relations go, the contact (also from others) stays: ${expected}`);
    const shown = await edgesOf('United States');
    check(same(shown, expected), `without Sputnik Africa, the graph is the API's: ${shown} vs ${expected}`);
    check(gone.every((edge) => !shown.includes(edge)), `the relations only Sputnik Africa reports are gone: ${gone}`);
    checkCarried(since, 'exclude_source', sputnik, 'exclude_source');
    check(same(await chips('#filter-exclude-source-chosen'), [sputnik]), 'the excluded publisher is a chip');
    check((await badge()).includes('not from Sputnik Africa'), `the graph says what is excluded: ${await badge()}`);
    await page.locator('#filter-reset').click();
    await idle();
  });

  await step('modality-denied', async () => {
    const since = requests.length;
    await page.locator('#filter-modality input[data-modality="Denied"]').check();
    await idle();
    const denied = await relationsFromApi(US, `modality=${enc(`${EG}Denied`)}`);
    check(same(denied, [CONTACT]), `the API: the contact is the one relation of the United States someone denies: ${denied}`);
    check(same(await edgesOf('United States'), denied), `denied only, the graph is the API's: ${await edgesOf('United States')}`);
    checkCarried(since, 'modality', `${EG}Denied`, 'modality');
    check((await badge()).includes('denied statements only'), `the graph says it shows denials: ${await badge()}`);
    // And asserted too: any of the two.
    const both = requests.length;
    await page.locator('#filter-modality input[data-modality="Asserted"]').check();
    await idle();
    const expected = await relationsFromApi(US, `modality=${enc(`${EG}Asserted`)}&modality=${enc(`${EG}Denied`)}`);
    check(expected.length > denied.length, `the API: asserted or denied, more relations: ${expected}`);
    check(same(await edgesOf('United States'), expected), `asserted or denied, the graph is the API's: ${await edgesOf('United States')} vs ${expected}`);
    checkCarriedAll(both, 'modality', [`${EG}Asserted`, `${EG}Denied`], 'two modalities');
    check((await badge()).includes('asserted or denied statements only'), `the graph names both: ${await badge()}`);
    await page.locator('#filter-reset').click();
    await idle();
    check(!(await page.locator('#filter-modality input:checked').count()), 'reset unchecks the modalities');
  });

  await step('event-window', async () => {
    // The contacts (the event) and Putin's statement may have happened until 2023-10-31: a
    // window from 2023-11-01 leaves them out, and keeps the relations of no event.
    await page.locator('#filter-event-from').fill('2023-11-01');
    await idle();
    const since = requests.length;
    await page.locator('#filter-event-to').fill('2023-12-31');
    await idle();
    const [all, expected] = await Promise.all([relationsFromApi(US, ''), relationsFromApi(US, 'event_from=2023-11-01&event_to=2023-12-31')]);
    check(expected.length < all.length && expected.includes(CONTACT), `the API: the window leaves the events of October out: ${expected}`);
    check(same(await edgesOf('United States'), expected), `in the window, the graph is the API's: ${await edgesOf('United States')} vs ${expected}`);
    checkCarriedAll(since, 'event_from', ['2023-11-01'], 'event_from');
    checkCarriedAll(since, 'event_to', ['2023-12-31'], 'event_to');
    check((await badge()).includes('events between 2023-11-01 and 2023-12-31'), `the graph names the window: ${await badge()}`);
    await page.locator('#filter-reset').click();
    await idle();
    check((await page.locator('#filter-event-from').inputValue()) === '' && (await page.locator('#filter-event-to').inputValue()) === '', 'reset empties the window');
  });

  await step('path', async () => {
    for (const [input, name] of [['#path-from', 'United States'], ['#path-to', 'Hamas']]) {
      await page.locator(input).pressSequentially(name, { delay: 20 });
      await page.locator(`${input}-suggestions li[role="option"]`, { has: page.locator('.label', { hasText: new RegExp(`^${name}$`) }) }).click();
    }
    await page.locator('#path-find').click();
    await idle();
    const expected = await pathsFromApi('');
    const sections = page.locator('#panel section.path');
    check((await sections.count()) === expected.length && expected.length >= 1,
      `the panel shows the API's ${expected.length} paths: ${await sections.count()}`);
    const steps = await page.locator('#panel section.path .step').count();
    check(steps === expected.reduce((n, p) => n + p.steps.length, 0), `the panel shows every step of them: ${steps}`);
    const contact = page.locator('#panel .step', { has: page.locator('.predicate', { hasText: /^contacts via$/ }) }).first();
    const triple = await contact.locator('.step-triple').innerText();
    check(/United States\s+contacts via →\s+Hamas/.test(triple), `the step reads from → predicate → to: ${triple}`);
    const evidence = await contact.locator('.evidence-item').evaluateAll((items) => items.map((item) => ({
      quote: item.querySelector('.quote')?.textContent || '',
      speaker: item.querySelector('.speaker')?.textContent || '',
      source: item.querySelector('.source')?.textContent || '',
      date: item.querySelector('.date')?.textContent || '',
      outside: item.classList.contains('outside'),
      denied: item.classList.contains('denied'),
      modality: item.querySelector('.modality')?.textContent || '',
    })));
    const apiStep = expected.flatMap((p) => p.steps).find((s) => s.predicate.iri === `${EG}contactsVia`);
    check(evidence.length === apiStep?.statements.length, `the step lists each of its ${apiStep?.statements.length} statements: ${evidence.length}`);
    const doha = evidence.find((e) => e.quote.includes(SOURCE_QUOTE));
    check(doha?.speaker === 'Diplomatic source in Doha' && doha?.date === '2023-10-31' &&
      doha?.source === 'US in Contact With Leadership of Hamas Through Qatar, Source Says',
      `the source's own words with their speaker, date and source: ${JSON.stringify(doha)}`);
    const wire = evidence.find((e) => e.quote.includes(WIRE_QUOTE));
    check(wire?.speaker === 'Test Wire Agency' && wire?.date === '2023-11-01', `the second source's statement: ${JSON.stringify(wire)}`);
    const confirmed = evidence.find((e) => e.quote.includes('This is true'));
    check(confirmed?.speaker === 'Russian Foreign Ministry', `the ministry's confirmation: ${JSON.stringify(confirmed)}`);
    check(evidence.every((e) => !e.outside), 'unfiltered, every statement counts');
    check(apiStep?.statements.some((st) => st.quote === DENIAL_QUOTE), 'the API lists the denial under the step');
    const denial = evidence.find((e) => e.quote.includes(DENIAL_QUOTE));
    check(denial?.denied && denial?.modality === 'denied' && denial?.speaker === 'Test Denial Gazette',
      `the denial says it denies: ${JSON.stringify(denial)}`);
    check(evidence.filter((e) => e.denied).length === 1, 'only the denial is marked as one');
    const shown = await onScreen();
    check(shown.path.includes(CONTACT), `the graph highlights the path: ${shown.path}`);
  });

  await step('as-of-before', async () => {
    const since = requests.length;
    await slideTo('2023-10-30');
    check((await page.locator('#as-of-day').innerText()) === '2023-10-30', 'the slider shows its day');
    check((await pathsFromApi('as_of=2023-10-30')).length === 0, 'the API: no path was known on 2023-10-30');
    await page.locator('#panel .no-path').waitFor();
    check(await page.locator('#panel section.path').count() === 0, 'the panel shows no path on 2023-10-30');
    const shown = await onScreen();
    check(!shown.edges.includes(CONTACT) && shown.path.length === 0, `the contact is gone from the graph: ${shown.edges}`);
    const expected = await relationsFromApi(US, 'as_of=2023-10-30');
    check(same(await edgesOf('United States'), expected), `on 2023-10-30 the graph is the API's: ${await edgesOf('United States')} vs ${expected}`);
    checkCarried(since, 'as_of', '2023-10-30', 'as_of');
    check((await badge()).includes('as known on 2023-10-30'), `the graph says which day it shows: ${await badge()}`);
  });

  await step('as-of-article', async () => {
    await slideTo('2023-10-31');
    const expected = await pathsFromApi('as_of=2023-10-31');
    check(expected.length >= 1, 'the API: the paths are known on the day of the article');
    await page.locator('#panel section.path').first().waitFor();
    check(await page.locator('#panel section.path').count() === expected.length, 'the panel shows them again');
    const shown = await onScreen();
    check(shown.edges.includes(CONTACT) && shown.path.includes(CONTACT), `the contact is back: ${shown.path}`);
    const contact = page.locator('#panel .step', { has: page.locator('.predicate', { hasText: /^contacts via$/ }) }).first();
    const quotes = (await contact.locator('.evidence-item .quote').allTextContents()).map((q) => q.slice(1, -1)).sort();
    const apiStep = expected.flatMap((p) => p.steps).find((s) => s.predicate.iri === `${EG}contactsVia`);
    const apiQuotes = apiStep.statements.map((st) => st.quote).filter(Boolean).sort();
    check(same(quotes, apiQuotes), `on 2023-10-31 the step lists the statements the API lists: ${quotes} vs ${apiQuotes}`);
    check(quotes.includes(SOURCE_QUOTE) && !quotes.includes(WIRE_QUOTE) && !quotes.includes(DENIAL_QUOTE),
      `what was said on 2023-10-31, not the wire of 2023-11-01 nor the denial of 2023-11-02: ${quotes}`);
    check(await contact.locator('.evidence-item.outside').count() === 0, 'every statement listed counts on 2023-10-31');
    await contact.scrollIntoViewIfNeeded();
  });

  await step('play', async () => {
    const since = requests.length;
    await slideTo('2023-10-08');
    await page.locator('#as-of-play').click();
    await page.waitForFunction(() => /^\d{4}-\d\d-\d\d$/.test(document.querySelector('#as-of-day').textContent) && document.querySelector('#as-of-day').textContent >= '2023-10-10', null, { timeout: 15_000 });
    await page.locator('#as-of-play').click();
    await idle();
    const days = new Set(requests.slice(since).map((r) => r.params.get('as_of')));
    check(['2023-10-08', '2023-10-09', '2023-10-10'].every((d) => days.has(d)), `play asks for the graph day by day: ${[...days].join(', ')}`);
    check((await page.locator('#as-of-play').innerText()).includes('Play'), 'pausing stops the play');
  });

  await step('every-day', async () => {
    await slideTo(null);
    check((await page.locator('#as-of-day').innerText()) === 'every day' && (await badge()) === '', 'the slider at its end shows every statement');
    const shown = await onScreen();
    check(everything.edges.every((e) => shown.edges.includes(e)), `the whole graph is back: ${shown.edges.length} edges`);
    check(await page.locator('#panel section.path').count() === (await pathsFromApi('')).length, 'and every path');
  });

  await step('contested', async () => {
    const contested = (query) =>
      page.evaluate(async (query) => (await fetch(`/api/v1/contested?probe&limit=50&${query}`)).json(), query);
    const asked = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/contested');
    await page.locator('#tab-contested').click();
    await asked;
    await idle();
    const view = await contested('');
    check(view.disputed.total === 1 && view.figures.items.length >= 3, `the API: figures and the disputed contact: ${JSON.stringify(view.disputed)}`);
    const groups = await page.locator('#contested-view li.counted').evaluateAll((items) =>
      items.map((item) => item.dataset.counted));
    check(same(groups, view.figures.items.map((g) => g.counted)), `the tab lists the API's counted things: ${groups}`);
    const killed = page.locator('#contested-view li.counted[data-counted="people killed in Israel"] tr.figure').first();
    const row = await killed.innerText();
    check(/more than 1,400/.test(row) && /1400/.test(row) && /lower bound/.test(row) && /more than/.test(row),
      `a figure with its value and hedge as printed: ${row}`);
    const disputed = page.locator('#contested-view li.disputed');
    check(await disputed.count() === 1, 'the tab lists the one disputed relation');
    const text = await disputed.first().innerText();
    check(/United States\s+contacts via\s+Hamas/.test(text), `the disputed relation is the contact: ${text}`);
    const denied = await disputed.locator('.denied .claim').allInnerTexts();
    check(denied.length === 1 && denied[0].includes('Test Denial Gazette') && denied[0].includes(DENIAL_QUOTE),
      `its denial with who said it and how: ${denied}`);
    const asserted = await disputed.locator('.asserted .claim').count();
    check(asserted === view.disputed.items[0].asserted.length, `and each statement asserting it: ${asserted}`);
    const single = await page.locator('#contested-view li.single-source').count();
    check(single === Math.min(50, view.single_source.items.length), `the single-publisher relations the API lists: ${single}`);
    const heading = await page.locator('#contested-view .contested-single h3').innerText();
    check(heading.includes(String(view.single_source.total)), `with their total: ${heading}`);
    check(!/\b(null|undefined)\b/.test(await page.locator('#contested-view').innerText()), 'the tab writes no null');
  });

  await step('contested-as-of', async () => {
    const contested = (query) =>
      page.evaluate(async (query) => (await fetch(`/api/v1/contested?probe&limit=50&${query}`)).json(), query);
    // Known on 2023-11-01, before the denial, nothing is disputed; the tab asks with the day.
    await page.locator('#tab-graph').click();
    await slideTo('2023-11-01');
    const again = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/contested');
    await page.locator('#tab-contested').click();
    const request = await again;
    await idle();
    check(new URL(request.url()).searchParams.get('as_of') === '2023-11-01', `the contested view is asked as of the slider's day: ${request.url()}`);
    check((await contested('as_of=2023-11-01')).disputed.total === 0, 'the API: nothing disputed on 2023-11-01');
    check(await page.locator('#contested-view li.disputed').count() === 0, 'the tab shows nothing disputed on 2023-11-01');
    check((await page.locator('#contested-view .filtered').innerText()).includes('as known on 2023-11-01'), 'the tab says it is filtered');

    // A statement of a figure opens in the graph view's panel.
    const button = page.locator('#contested-view li.counted[data-counted="people killed in Israel"] .statement-link').first();
    const statement = await button.getAttribute('data-statement');
    await button.click();
    await idle();
    check(await page.locator('#graph-view').isVisible(), 'a statement opens in the graph view');
    await page.locator(`#panel article[data-statement="${statement}"]`).waitFor();
  });

  await step('url-round-trip', async () => {
    await page.locator('#filter-reset').click();
    await idle();
    check((await page.evaluate(() => location.hash)) === '', `no filter, no hash: ${await page.evaluate(() => location.hash)}`);
    const option = (select, text) => page.locator(`${select} option`, { hasText: text }).first().getAttribute('value');
    const sputnik = await option('#filter-speaker', 'Sputnik Africa');
    const gazette = await option('#filter-exclude-source optgroup[label="Publishers"]', 'Test Denial Gazette');
    await page.locator('#filter-speaker').selectOption(ministry);
    await page.locator('#filter-speaker').selectOption(sputnik);
    await page.locator('#filter-exclude-source').selectOption(gazette);
    await page.locator('#filter-modality input[data-modality="Asserted"]').check();
    await page.locator('#filter-modality input[data-modality="Possible"]').check();
    await page.locator('#filter-event-from').fill('2023-10-01');
    await slideTo('2023-11-01');
    await idle();
    const intended = {
      said_by: [ministry, sputnik],
      exclude_source: [gazette],
      modality: [`${EG}Asserted`, `${EG}Possible`],
      as_of: ['2023-11-01'],
      event_from: ['2023-10-01'],
    };
    const query = Object.entries(intended).flatMap(([name, values]) => values.map((v) => `${name}=${enc(v)}`)).join('&');
    const inHash = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));
    check(same([...new Set(inHash.keys())].sort(), Object.keys(intended).sort()) &&
      Object.entries(intended).every(([name, values]) => same(inHash.getAll(name), values)),
    `the page's hash holds every filter: ${inHash}`);
    const summaryBefore = await page.locator('#filter-summary').innerText();
    const badgeBefore = await badge();
    for (const phrase of ['said by Russian Foreign Ministry or Sputnik Africa', 'not from Test Denial Gazette', 'asserted or possible statements only',
      'as known on 2023-11-01', 'events on or after 2023-10-01']) {
      check(summaryBefore.includes(phrase), `the summary says “${phrase}”: ${summaryBefore}`);
    }
    const expected = await relationsFromApi(US, query);
    check(expected.length >= 1, `the API: something passes all of them: ${expected}`);
    check(same(await edgesOf('United States'), expected), `under all of them, the graph is the API's: ${await edgesOf('United States')} vs ${expected}`);

    await page.reload();
    await page.locator('#as-of:not([disabled])').waitFor();
    await page.waitForFunction(() => window.eventgraph);
    await idle();
    check(same(await chips('#filter-speaker-chosen'), [ministry, sputnik]), `reloaded, both speakers are back: ${await chips('#filter-speaker-chosen')}`);
    check(same(await chips('#filter-exclude-source-chosen'), [gazette]), 'and the excluded publisher');
    check(await page.locator('#filter-more').evaluate((details) => details.open), 'the more filters are open, since some are active');
    const checked = await page.locator('#filter-modality input:checked').evaluateAll((boxes) => boxes.map((b) => b.value));
    check(same(checked, intended.modality), `and the modalities: ${checked}`);
    check((await page.locator('#filter-event-from').inputValue()) === '2023-10-01' && (await page.locator('#filter-event-to').inputValue()) === '',
      'and the window');
    check((await page.locator('#as-of-day').innerText()) === '2023-11-01', `and the slider's day: ${await page.locator('#as-of-day').innerText()}`);
    check((await page.locator('#filter-summary').innerText()) === summaryBefore, `the summary reads the same: ${await page.locator('#filter-summary').innerText()}`);
    check((await badge()) === badgeBefore, `the graph's banner too: ${await badge()}`);
    check(await page.locator('#filter-problems').isHidden(), 'nothing was ignored');
    await checkFilterLayout('every filter set');

    // The graph asks under them: the United States expanded again is what the API answers.
    const since = requests.length;
    await page.locator('#search').pressSequentially('United States', { delay: 20 });
    await page.locator('#suggestions li[role="option"]', { has: page.locator('.label', { hasText: /^United States$/ }) }).click();
    await idle();
    await page.locator('#panel #expand').click();
    await idle();
    check(same(await edgesOf('United States'), expected), `reloaded, the graph is the API's under the same filters: ${await edgesOf('United States')} vs ${expected}`);
    for (const [name, values] of Object.entries(intended)) checkCarriedAll(since, name, values, `reloaded, ${name}`);
  });

  await step('url-invalid', async () => {
    // A link with values that do not read: each ignored, with a message; the others applied.
    const link = new URLSearchParams();
    for (const [name, value] of [['said_by', ministry], ['said_by', 'not an iri'], ['said_by', 'https://example.org/nobody'],
      ['modality', 'Certain'], ['event_from', '2023-13-45'], ['min_sources', 'two'], ['as_of', '1999-01-01'],
      ['confirmed', 'yes'], ['colour', 'red'], ['event_to', '2023-11-30'], ['event_to', '2023-12-01']]) link.append(name, value);
    await page.evaluate((hash) => history.replaceState(null, '', `/#${hash}`), String(link));
    await page.reload();
    await page.locator('#as-of:not([disabled])').waitFor();
    await page.waitForFunction(() => window.eventgraph);
    await idle();
    const message = await page.locator('#filter-problems').innerText();
    check(await page.locator('#filter-problems').isVisible(), 'the ignored values are shown');
    for (const ignored of ['said_by=not an iri', 'said_by=https://example.org/nobody', 'modality=Certain', 'event_from=2023-13-45',
      'min_sources=two', 'as_of=1999-01-01', 'confirmed=yes', 'colour=red', 'event_to=2023-12-01']) {
      check(message.includes(ignored), `the message names ${ignored}: ${message}`);
    }
    check(!message.includes(ministry) && !message.includes('event_to=2023-11-30'), `and not what was applied: ${message}`);
    const inHash = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));
    check(same([...inHash], [['said_by', ministry], ['event_to', '2023-11-30']]), `the hash keeps what was applied: ${inHash}`);
    check(same(await chips('#filter-speaker-chosen'), [ministry]), 'the valid speaker is a chip');
    const summary = await page.locator('#filter-summary').innerText();
    check(summary.includes('said by Russian Foreign Ministry') && summary.includes('events on or before 2023-11-30'), `the summary names what was applied: ${summary}`);
    const since = requests.length;
    await page.locator('#search').pressSequentially('United States', { delay: 20 });
    await page.locator('#suggestions li[role="option"]', { has: page.locator('.label', { hasText: /^United States$/ }) }).click();
    await idle();
    await page.locator('#panel #expand').click();
    await idle();
    const expected = await relationsFromApi(US, `said_by=${enc(ministry)}&event_to=2023-11-30`);
    check(same(await edgesOf('United States'), expected), `the graph is the API's under what was applied: ${await edgesOf('United States')} vs ${expected}`);
    checkCarriedAll(since, 'said_by', [ministry], 'said_by from the link');
    checkCarriedAll(since, 'event_to', ['2023-11-30'], 'event_to from the link');
  });

  await step('hash-edit', async () => {
    // A person edits the hash in place: the filters follow without a reload.
    const since = requests.length;
    await page.evaluate(() => { location.hash = 'modality=Denied'; });
    await page.waitForFunction(() => document.querySelector('#filter-modality input[data-modality="Denied"]').checked);
    await idle();
    check((await chips('#filter-speaker-chosen')).length === 0, 'the speaker of the previous link is gone');
    check(await page.locator('#filter-problems').isHidden(), 'and the message about it');
    check(new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)).get('modality') === `${EG}Denied`, 'the hash names the modality by its IRI');
    const expected = await relationsFromApi(US, 'modality=Denied');
    check(same(await edgesOf('United States'), expected), `the graph is the API's: ${await edgesOf('United States')} vs ${expected}`);
    checkCarriedAll(since, 'modality', [`${EG}Denied`], 'modality from the edited hash');
    await page.locator('#filter-reset').click();
    await idle();
    check((await page.evaluate(() => location.hash)) === '', 'reset clears the hash');
  });
} catch (error) {
  failures.push(`step ${stepNumber()} failed: ${error.stack || error}`);
} finally {
  await finish('explorer provenance test');
}
