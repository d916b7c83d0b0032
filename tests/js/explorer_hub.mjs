// Drives the explorer at BASE_URL/ on a generated graph whose entity HUB_LABEL has more than
// 20,000 relations, as a person would: search the hub and pick it, expand it, open one
// predicate a page at a time, then another. The hub's counts per predicate and direction must
// show within 2 s of the pick and of the expansion, each click must add at most one page of
// nodes to the graph, and the page must neither crash nor log an error. A screenshot of each
// step goes to SCREENSHOT_DIR.
//
// usage: node explorer_hub.mjs BASE_URL SCREENSHOT_DIR HUB_LABEL

import { openExplorer } from './browser.mjs';

const [base, shots, hubLabel] = process.argv.slice(2);
if (!base || !shots || !hubLabel) {
  console.error('usage: node explorer_hub.mjs BASE_URL SCREENSHOT_DIR HUB_LABEL');
  process.exit(2);
}

/** The most nodes one click may add: a page of the explorer's relations (graph.js `PAGE`). */
const PAGE = 50;
/** How soon the counts must show, in milliseconds. */
const COUNTS_WITHIN_MS = 2000;

const { page, check, step, finish, failures, stepNumber } = await openExplorer(base, shots);

const idle = () => page.evaluate(() => window.eventgraph.idle());
const nodeCount = () => page.evaluate(() => window.eventgraph.cy.nodes().length);

/** The rows of counts in the panel: predicate, direction, count and the button's text. */
const countRows = () =>
  page.locator('#panel .relation-count').evaluateAll((rows) =>
    rows.map((row) => ({
      predicate: row.dataset.predicate,
      direction: row.dataset.direction,
      count: Number(row.querySelector('.count').textContent.replace(/,/g, '')),
      button: row.querySelector('.open-page').textContent,
    })),
  );

let total = 0;

/** Clicks the page button of the row of (predicate, direction) and checks what it adds. */
async function openOnePage(row, expectShown) {
  const before = await nodeCount();
  const button = page.locator(`#panel .relation-count[data-predicate="${row.predicate}"][data-direction="${row.direction}"] .open-page`);
  await button.click();
  await idle();
  const after = await nodeCount();
  check(after > before, `a page of ${row.predicate} (${row.direction}) adds nodes: ${before} → ${after}`);
  check(after - before <= PAGE, `a page of ${row.predicate} (${row.direction}) adds at most ${PAGE} nodes: ${before} → ${after}`);
  const text = await button.textContent();
  check(text.includes(`${expectShown} shown`), `the button says how many are shown: ${text}`);
  console.log(`  ${row.predicate} (${row.direction}): ${before} → ${after} nodes; the button now reads "${text}"`);
  return after - before;
}

try {
  await step('open', async () => {
    await page.goto(`${base}/`);
    await page.waitForFunction(() => window.eventgraph?.cy);
    await idle();
    check((await nodeCount()) === 0, 'the graph starts empty');
  });

  await step('pick', async () => {
    await page.locator('#search').pressSequentially(hubLabel, { delay: 10 });
    const option = page.locator('#suggestions li[role="option"]', { has: page.locator('.label', { hasText: hubLabel }) });
    await option.first().waitFor();
    const started = Date.now();
    await option.first().click();
    await page.locator('#panel .relation-count').first().waitFor({ timeout: 10_000 });
    const elapsed = Date.now() - started;
    check(elapsed <= COUNTS_WITHIN_MS, `the hub's counts show within ${COUNTS_WITHIN_MS} ms of the pick: ${elapsed} ms`);
    const rows = await countRows();
    total = rows.reduce((sum, row) => sum + row.count, 0);
    const heading = await page.locator('#panel h3', { hasText: 'Relations' }).textContent();
    check(total >= 20_000, `the counts add up to the hub's relations: ${total}`);
    check(heading.replace(/,/g, '').includes(String(total)), `the heading gives the total: ${heading}`);
    check(rows.length >= 8 && rows.some((r) => r.direction === 'out') && rows.some((r) => r.direction === 'in'),
      `the counts are per predicate and direction: ${JSON.stringify(rows)}`);
    console.log(`  counts in ${elapsed} ms: ${rows.length} rows, ${total} relations`);
    await idle();
    check((await nodeCount()) === 1, 'picking the hub puts it alone on screen');
  });

  await step('expand', async () => {
    const position = await page.evaluate(() => {
      const { cy } = window.eventgraph;
      const node = cy.nodes().first();
      const box = cy.container().getBoundingClientRect();
      const p = node.renderedPosition();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    const started = Date.now();
    await page.mouse.click(position.x, position.y);
    await page.waitForFunction(() => window.eventgraph.cy.nodes().first().data('summary'), null, { timeout: 10_000 });
    await page.locator('#panel .relation-count').first().waitFor({ timeout: 10_000 });
    const elapsed = Date.now() - started;
    check(elapsed <= COUNTS_WITHIN_MS, `expanding the hub shows its counts within ${COUNTS_WITHIN_MS} ms: ${elapsed} ms`);
    await idle();
    const summary = await page.evaluate(() => window.eventgraph.cy.nodes().first().data('summary'));
    check(summary?.replace(/,/g, '').includes(String(total)), `the hub's node says how many relations it has: ${summary}`);
    check((await nodeCount()) === 1, `expanding the hub draws none of its relations: ${await nodeCount()} nodes`);
    console.log(`  summary "${summary}" in ${elapsed} ms`);
  });

  const rows = await countRows();
  const first = rows.find((r) => r.count > 2 * PAGE) || rows[0];
  const second = rows.find((r) => r !== first && r.direction !== first.direction) || rows[1];

  await step('open-predicate', async () => {
    await openOnePage(first, PAGE);
  });

  await step('next-page', async () => {
    await openOnePage(first, Math.min(2 * PAGE, first.count));
  });

  await step('another-predicate', async () => {
    await openOnePage(second, Math.min(PAGE, second.count));
    const alive = await page.evaluate(() => ({
      nodes: window.eventgraph.cy.nodes().length,
      edges: window.eventgraph.cy.edges().length,
    }));
    check(alive.nodes <= 1 + 3 * PAGE, `three clicks drew at most three pages: ${JSON.stringify(alive)}`);
    console.log(`  the page is alive: ${JSON.stringify(alive)}`);
  });
} catch (error) {
  failures.push(`step ${stepNumber()} failed: ${error.stack || error}`);
} finally {
  await finish('explorer hub test');
}
