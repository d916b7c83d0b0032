// Drives the explorer of a private server (one started with a read token) in Debian's headless
// chromium, as a person given the token would: the page opens without a token and asks for
// one, a wrong token is refused with the server's message, the right one shows the seed's
// timeline and graph and runs a SPARQL query, and a reload in the same tab does not ask again.
// Every call after the token is typed must carry it as `Authorization: Bearer`, no URL may
// hold it, and it must be in the tab's sessionStorage only. A screenshot of each step goes to
// SCREENSHOT_DIR.
//
// usage: node explorer_private.mjs BASE_URL SCREENSHOT_DIR TOKEN

import { openExplorer } from './browser.mjs';

const [base, shots, token] = process.argv.slice(2);
if (!base || !shots || !token) {
  console.error('usage: node explorer_private.mjs BASE_URL SCREENSHOT_DIR TOKEN');
  process.exit(2);
}

const EVENT = 'Operation Al-Aqsa Flood';

/** Set once the right token is typed: from then on no call may be refused. */
let tokenGiven = false;
const refused = [];
const { page, check, step, finish, failures, stepNumber } = await openExplorer(base, shots, {
  expected: (response) => {
    const before = !tokenGiven && response.status() === 401;
    if (before) refused.push(new URL(response.url()).pathname);
    return before;
  },
});

/** The calls of the data endpoints, with the Authorization header each carried. */
const calls = [];
page.on('request', (request) => {
  check(!request.url().includes(token), `a URL holds the token: ${request.url()}`);
  const { pathname } = new URL(request.url());
  if (pathname.startsWith('/api/v1/') || pathname === '/sparql') {
    calls.push({ pathname, authorization: request.headers().authorization, after: tokenGiven });
  }
});

const idle = () => page.evaluate(() => window.eventgraph.idle());
const dialog = page.locator('#token-dialog');

try {
  await step('open', async () => {
    const response = await page.goto(`${base}/`);
    check(response.status() === 200, `the page loads without a token: ${response.status()}`);
    await page.locator('#token-dialog[open]').waitFor();
    check(refused.length > 0 && refused.every((p) => p.startsWith('/api/v1/') || p === '/sparql'),
      `the API refused the calls made without a token: ${refused.join(', ')}`);
    check(await page.locator('#token-dialog .problem').isHidden(), 'the first question shows no error');
    check((await page.locator('#events li').count()) === 0, 'nothing is shown before the token');
  });

  await step('wrong-token', async () => {
    await page.locator('#token').fill('not-the-token');
    await page.locator('#token-dialog button[type="submit"]').click();
    const problem = page.locator('#token-dialog .problem');
    await problem.waitFor();
    const text = await problem.innerText();
    check(text.includes("not one of the server's read or write tokens"), `a wrong token shows the server's message: ${text}`);
    check(await dialog.evaluate((d) => d.open), 'the form stays open after a wrong token');
    check(await page.locator('#token').inputValue() === '', 'the wrong token is cleared from the field');
  });

  await step('token', async () => {
    tokenGiven = true;
    await page.locator('#token').fill(token);
    await page.locator('#token').press('Enter');
    await page.waitForSelector('#events li button');
    await idle();
    check(!(await dialog.evaluate((d) => d.open)), 'the form closes once the token is accepted');
    check((await page.locator('#events li').count()) >= 20, 'the timeline lists the seed events');
    const stored = await page.evaluate(() => ({ session: sessionStorage.getItem('eventgraph.token'), local: localStorage.length }));
    check(stored.session === token, 'the token is kept in sessionStorage');
    check(stored.local === 0, `nothing is kept in localStorage: ${stored.local} items`);
    check(await page.evaluate(() => document.cookie) === '', 'no cookie is set');
  });

  await step('event', async () => {
    await page.locator('#events li button', { hasText: EVENT }).click();
    await idle();
    await page.locator('#panel h2', { hasText: EVENT }).waitFor();
    const labels = await page.evaluate(() => window.eventgraph.cy.nodes().map((n) => n.data('label')));
    check(labels.includes(EVENT) && labels.includes('Hamas') && labels.length >= 3,
      `the event opens with its neighbours from the seed: ${labels.join(', ')}`);
  });

  await step('sparql', async () => {
    await page.locator('#tab-sparql').click();
    await page.locator('#yasgui .CodeMirror').waitFor();
    const query = page.waitForRequest((request) => new URL(request.url()).pathname === '/sparql');
    await page.locator('#yasgui .yasqe_queryButton').click();
    await query;
    const cell = page.locator('#yasgui .yasr table tbody td', { hasText: 'Qatar' });
    await cell.first().waitFor();
    check((await page.locator('#yasgui .yasr table tbody tr').count()) >= 1, 'the example query answers rows');
  });

  await step('reload', async () => {
    const before = refused.length;
    await page.reload();
    await page.waitForSelector('#events li button');
    await idle();
    check(!(await dialog.evaluate((d) => d.open)), 'a reload in the same tab does not ask again');
    check(refused.length === before, 'no call is refused after the reload');
  });
} catch (error) {
  failures.push(`step ${stepNumber()} failed: ${error.stack || error}`);
} finally {
  const after = calls.filter((call) => call.after);
  check(after.length >= 5, `calls were made with the token: ${after.length}`);
  const unsigned = after.filter((call) => call.authorization !== `Bearer ${token}`);
  check(unsigned.length === 0, `every call after the token carries it: ${unsigned.map((c) => c.pathname).join(', ')}`);
  check(after.some((call) => call.pathname === '/sparql'), 'the SPARQL tab sends the token too');
  console.log(`  ${refused.length} call(s) refused before the token, ${after.length} made with it`);
  await finish('explorer private test');
}
