// Drives the explorer at BASE_URL/ in Debian's headless chromium (playwright-core, which
// downloads no browser) as a person would: search "Qatar", expand it, find the United States
// and Hamas, open the contact statement and read its source and confirmation, run a SPARQL
// query in YASGUI, download the graph as GraphML, pick an event and read its sources with their
// publishers and its figures as each source gives them. A screenshot of each step goes to
// SCREENSHOT_DIR. Fails on any request that leaves this machine, any console error, and a
// graph whose labels are too small or pile up.
//
// usage: node explorer.mjs BASE_URL SCREENSHOT_DIR

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openExplorer } from './browser.mjs';

const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  console.error('usage: node explorer.mjs BASE_URL SCREENSHOT_DIR');
  process.exit(2);
}

const CONTACT_STATEMENT = '2ce8889b-dac6-5920-97da-fcc086a23525'; // US contacts via Hamas, intermediary Qatar
const SOURCE = 'US in Contact With Leadership of Hamas Through Qatar, Source Says';
const MIN_FONT_PX = 11;

const { page, local, check, step, finish, failures, stepNumber } = await openExplorer(base, shots);

const idle = () => page.evaluate(() => window.eventgraph.idle());
const labels = () => page.evaluate(() => window.eventgraph.cy.nodes().map((n) => n.data('label')));

/** Where a node is on the page, by label. */
const nodeOnPage = (label) =>
  page.evaluate((label) => {
    const { cy } = window.eventgraph;
    const node = cy.nodes().filter((n) => n.data('label') === label);
    if (node.empty()) return null;
    const box = cy.container().getBoundingClientRect();
    const p = node.renderedPosition();
    return { x: box.left + p.x, y: box.top + p.y };
  }, label);

/**
 * Checks that the graph is legible: big enough labels, not piled on each other, and in view:
 * every node, or with `around`, that node and its neighbours (a graph too large to show whole
 * at a legible size is centred on the selection).
 */
async function checkReadable(when, around) {
  const geometry = await page.evaluate((around) => {
    const { cy } = window.eventgraph;
    const zoom = cy.zoom();
    const mustShow = around ? cy.nodes().filter((n) => n.data('label') === around).closedNeighborhood('node') : cy.nodes();
    return {
      width: cy.width(),
      height: cy.height(),
      nodes: cy.nodes().map((n) => ({
        mustShow: mustShow.contains(n),
        label: n.data('label'),
        font: parseFloat(n.style('font-size')) * zoom,
        center: n.renderedPosition(),
        box: n.renderedBoundingBox({ includeLabels: true, includeOverlays: false }),
      })),
    };
  }, around);
  const { nodes } = geometry;
  for (const node of nodes) {
    check(node.font >= MIN_FONT_PX, `${when}: the label of ${node.label} is ${node.font.toFixed(1)} px, under ${MIN_FONT_PX} px`);
    const b = node.box;
    check(!node.mustShow || b.x1 >= -2 && b.y1 >= -2 && b.x2 <= geometry.width + 2 && b.y2 <= geometry.height + 2,
      `${when}: ${node.label} is partly out of view (${JSON.stringify(b)})`);
  }
  let closest = Infinity;
  for (let i = 0; i < nodes.length; i += 1) {
    for (let j = i + 1; j < nodes.length; j += 1) {
      const [a, b] = [nodes[i], nodes[j]];
      closest = Math.min(closest, Math.hypot(a.center.x - b.center.x, a.center.y - b.center.y));
      const overlapX = Math.max(0, Math.min(a.box.x2, b.box.x2) - Math.max(a.box.x1, b.box.x1));
      const overlapY = Math.max(0, Math.min(a.box.y2, b.box.y2) - Math.max(a.box.y1, b.box.y1));
      const smaller = Math.min(a.box.w * a.box.h, b.box.w * b.box.h);
      check(overlapX * overlapY <= 0.1 * smaller,
        `${when}: ${a.label} and ${b.label} overlap (${Math.round((100 * overlapX * overlapY) / smaller)}% of the smaller, labels included)`);
    }
  }
  check(closest >= 60, `${when}: two nodes are ${closest.toFixed(0)} px apart, under 60 px`);
  console.log(`  ${nodes.length} nodes, labels ${Math.min(...nodes.map((n) => n.font)).toFixed(1)} px or more, closest pair ${closest.toFixed(0)} px apart`);
}

try {
  await step('open', async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector('#events li button');
    await idle();
    check((await page.locator('#events li').count()) >= 20, 'the timeline lists the events');
    const dates = await page.locator('#events time').allTextContents();
    const dated = dates.filter((d) => /^\d{4}/.test(d));
    check(dated.join() === [...dated].sort().join(), `the timeline is in date order: ${dated.join(', ')}`);
  });

  await step('search', async () => {
    await page.locator('#search').pressSequentially('Qatar', { delay: 40 });
    const option = page.locator('#suggestions li[role="option"]', { has: page.locator('.label', { hasText: /^Qatar$/ }) });
    await option.waitFor();
    check((await page.locator('#suggestions li[role="option"]').count()) >= 2, 'autocomplete offers several matches');
  });

  await step('pick', async () => {
    await page.locator('#suggestions li[role="option"]', { has: page.locator('.label', { hasText: /^Qatar$/ }) }).click();
    await idle();
    check(JSON.stringify(await labels()) === '["Qatar"]', `picking Qatar puts it alone on screen: ${await labels()}`);
    await page.locator('#panel h2', { hasText: 'Qatar' }).waitFor();
    check(await page.locator('#panel').getByText('State in the Middle East').isVisible(), 'the panel shows the description of Qatar');
  });

  await step('expand', async () => {
    const qatar = await nodeOnPage('Qatar');
    await page.mouse.click(qatar.x, qatar.y);
    await idle();
    const onScreen = await labels();
    for (const name of ['United States', 'Hamas', 'Government of Qatar', 'Contacts of the United States with Hamas through Qatar']) {
      check(onScreen.includes(name), `expanding Qatar shows ${name}: ${onScreen.join(', ')}`);
    }
    check(await page.locator('#panel #expand:disabled').isVisible(), 'the panel says Qatar is expanded');
    await checkReadable('after expanding Qatar');
  });

  await step('statement', async () => {
    const target = await page.evaluate((statement) => {
      const { cy } = window.eventgraph;
      const edge = cy.edges().filter((e) => e.data('statements').includes(statement));
      if (edge.empty()) return null;
      const box = cy.container().getBoundingClientRect();
      const p = edge.renderedMidpoint();
      const qatar = cy.nodes().filter((n) => n.data('label') === 'Qatar');
      return {
        x: box.left + p.x,
        y: box.top + p.y,
        label: edge.data('label'),
        via: edge.data('via'),
        roles: qatar.connectedEdges('[role]').map((e) => `${e.data('role')} ${e.target().data('label')}`).sort(),
      };
    }, CONTACT_STATEMENT);
    if (!check(target, 'an edge carries the contact statement')) return;
    check(target.label === 'contacts via', `the contact edge is labelled with its predicate: ${target.label}`);
    check(/\bQatar\b/.test(target.via), `the contact edge knows its intermediary: ${target.via}`);
    check(JSON.stringify(target.roles) === '["intermediary Hamas","intermediary United States"]',
      `dashed lines tie Qatar, the intermediary, to both ends of the contact: ${target.roles}`);
    await page.mouse.click(target.x, target.y);
    await idle();
    const card = page.locator(`#panel article[data-statement="${CONTACT_STATEMENT}"]`);
    await card.waitFor();
    await card.scrollIntoViewIfNeeded();
    const text = await card.innerText();
    check(text.includes('United States') && text.includes('contacts via') && text.includes('Hamas'), `the statement names its triple: ${text}`);
    check((await card.locator('.source').innerText()).includes(SOURCE), `the statement shows its source: ${text}`);
    check(text.includes('Diplomatic source in Doha'), 'the statement shows its speaker');
    check(text.includes('2023-10-31'), 'the statement shows its date');
    check(text.includes('The US is in contact with Hamas. It does it through Qatar'), 'the statement shows its quote');
    check(/intermediary\s+Qatar/.test(text), 'the statement shows its intermediary');
    const confirmation = card.locator('.confirmation');
    check((await confirmation.count()) === 1, 'the statement has one confirmation');
    const confirmed = await confirmation.first().innerText();
    check(confirmed.includes('Russian Foreign Ministry') && confirmed.includes('This is true'),
      `the confirmation names who confirmed and how: ${confirmed}`);
  });

  await step('sparql', async () => {
    await page.locator('#tab-sparql').click();
    const editor = page.locator('#yasgui .CodeMirror');
    await editor.waitFor();
    const completers = await page.evaluate(() => window.eventgraph.yasgui.getTab().getYasqe().config.autocompleters);
    check(!completers.includes('property') && !completers.includes('class'),
      `YASGUI asks no remote service for completions: ${completers}`);
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(
      'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n' +
        'SELECT ?label WHERE {\n  ?entity rdfs:label ?label .\n  FILTER (CONTAINS(?label, "Qatar"))\n}\nORDER BY ?label',
    );
    const query = page.waitForRequest((request) => new URL(request.url()).pathname === '/sparql');
    await page.locator('#yasgui .yasqe_queryButton').click();
    const request = await query;
    check(new URL(request.url()).host === local, `the query goes to this server: ${request.url()}`);
    const cell = page.locator('#yasgui .yasr table tbody td', { hasText: 'Government of Qatar' });
    await cell.first().waitFor();
    const rows = await page.locator('#yasgui .yasr table tbody tr').allInnerTexts();
    check(rows.some((row) => /\bQatar\b/.test(row)) && rows.length >= 3, `the results list the labels: ${rows.join(' | ')}`);
  });

  await step('download', async () => {
    await page.locator('#tab-graph').click();
    const onScreen = await page.evaluate(() => window.eventgraph.cy.nodes().map((n) => n.id()));
    const download = page.waitForEvent('download', { timeout: 20_000 });
    const failed = page.locator('#status.error').waitFor({ timeout: 20_000 }).then(async () => {
      throw new Error(`the GraphML download failed: ${await page.locator('#status').innerText()}`);
    });
    await page.locator('button[data-format="graphml"]').click();
    const file = await Promise.race([download, failed]);
    failed.catch(() => {});
    check(/^eventgraph-.*\.graphml$/.test(file.suggestedFilename()), `the download is named eventgraph-….graphml: ${file.suggestedFilename()}`);
    const saved = path.join(shots, file.suggestedFilename());
    await file.saveAs(saved);
    const graphml = await readFile(saved, 'utf8');
    const parsed = await page.evaluate((text) => {
      const document = new DOMParser().parseFromString(text, 'application/xml');
      if (document.querySelector('parsererror')) return { error: document.querySelector('parsererror').textContent };
      const root = document.documentElement;
      const nodes = [...document.getElementsByTagNameNS('http://graphml.graphdrawing.org/xmlns', 'node')];
      const edges = document.getElementsByTagNameNS('http://graphml.graphdrawing.org/xmlns', 'edge');
      return {
        root: `${root.namespaceURI} ${root.localName}`,
        nodes: nodes.map((node) => new XMLSerializer().serializeToString(node)),
        edges: edges.length,
      };
    }, graphml);
    if (!check(!parsed.error, `the download parses as XML: ${parsed.error}`)) return;
    check(parsed.root === 'http://graphml.graphdrawing.org/xmlns graphml', `the root is GraphML's: ${parsed.root}`);
    check(parsed.nodes.length === onScreen.length, `the GraphML has the ${onScreen.length} nodes on screen: ${parsed.nodes.length}`);
    for (const id of onScreen) {
      check(parsed.nodes.some((node) => node.includes(id)), `the GraphML has a node for ${id}`);
    }
    check(parsed.edges >= 4, `the GraphML has the edges between them: ${parsed.edges}`);
    console.log(`  ${file.suggestedFilename()}: ${parsed.nodes.length} nodes, ${parsed.edges} edges`);
  });
  await step('timeline', async () => {
    const event = 'Operation Al-Aqsa Flood';
    check(!(await labels()).includes(event), `${event} is not on screen yet`);
    await page.locator('#events li button', { hasText: event }).click();
    await idle();
    const state = await page.evaluate((event) => {
      const { cy } = window.eventgraph;
      const node = cy.nodes().filter((n) => n.data('label') === event);
      const p = node.renderedPosition();
      return {
        selected: node.selected(),
        expanded: node.data('expanded'),
        neighbours: node.neighborhood('node').length,
        inView: p.x > 0 && p.y > 0 && p.x < cy.width() && p.y < cy.height(),
      };
    }, event);
    check(state.selected && state.inView, `the picked event is selected and in view: ${JSON.stringify(state)}`);
    check(state.expanded && state.neighbours >= 2, `the picked event is expanded: ${JSON.stringify(state)}`);
    check(await page.locator('#events li.selected', { hasText: event }).isVisible(), 'the timeline marks the picked event');
    await page.locator('#panel h2', { hasText: event }).waitFor();
    await checkReadable(`after picking ${event}`, event);
  });
  await step('sources', async () => {
    // An event's sources with their publishers, and each figure as each source gives it.
    const event = 'Casualty figures for the Gaza Strip printed by Sputnik Africa (2023-10-31)';
    await page.locator('#events li button', { hasText: event }).click();
    await idle();
    await page.locator('#panel h2', { hasText: event }).waitFor();
    await page.locator('#panel .event-sources .source').first().waitFor();
    const sources = await page.locator('#panel .event-sources .source').allTextContents();
    check(sources.length === 1, `the event has one source: ${JSON.stringify(sources)}`);
    check(sources[0]?.includes(SOURCE) && sources[0]?.includes('published by Sputnik Africa'),
      `the source is shown with its publisher: ${sources[0]}`);
    const figures = await page.locator('#panel .figures .figure').evaluateAll((rows) =>
      rows.map((row) => [row.textContent, ...['.value', '.hedge', '.figure-source', '.speaker'].map((c) => row.querySelector(c)?.textContent)]));
    check(figures.length === 3, `the event reports three figures: ${JSON.stringify(figures)}`);
    const victims = figures.find((f) => f[0].includes('8,500 thousand'));
    check(victims?.[1] === '8500 (probable)' && victims?.[2] === 'lower bound' && victims?.[3] === SOURCE && victims?.[4] === 'Sputnik Africa',
      `the victims as the source gives them (probable value, hedge, source, speaker): ${JSON.stringify(victims)}`);
    const injured = figures.find((f) => f[0].includes('more than 17,000'));
    check(injured?.[1] === '17000' && injured?.[2] === 'lower bound', `the injured as printed: ${JSON.stringify(injured)}`);
    await page.locator('#panel .figures').scrollIntoViewIfNeeded();
  });
} catch (error) {
  failures.push(`step ${stepNumber()} failed: ${error.stack || error}`);
} finally {
  await finish('explorer test');
}
