// The headless browser of the explorer tests: Debian's chromium driven by playwright-core
// (which downloads no browser), a page that records every request to another host, console
// error, uncaught exception and failed response, and numbered steps that each end with a
// screenshot in SCREENSHOT_DIR. `finish` fails the run on any of those, but for the failed
// responses the caller expects (`expected`) and the console lines that report them.

import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

/**
 * Opens a page on the explorer at `base`, keeping screenshots in `shots` (emptied first).
 * @param {string} base the server, e.g. http://127.0.0.1:PORT
 * @param {string} shots the screenshot directory
 * @param {{expected?: (response: import('playwright-core').Response) => boolean}} options
 *   `expected`: whether a response of status 400 or more is one the test expects
 */
export async function openExplorer(base, shots, { expected = () => false } = {}) {
  await rm(shots, { recursive: true, force: true });
  await mkdir(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.EVENTGRAPH_TEST_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);

  const local = new URL(base).host;
  const offsite = [];
  const consoleErrors = [];
  const badResponses = [];
  const expectedUrls = new Set();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.host !== local) offsite.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push({ text: message.text(), url: message.location()?.url });
  });
  page.on('pageerror', (error) => consoleErrors.push({ text: `uncaught: ${error.message}` }));
  page.on('crash', () => consoleErrors.push({ text: 'the page crashed' }));
  page.on('response', (response) => {
    if (response.status() < 400) return;
    if (expected(response)) expectedUrls.add(response.url());
    else badResponses.push(`${response.status()} ${response.url()}`);
  });

  const failures = [];
  function check(condition, message) {
    if (!condition) failures.push(message);
    return condition;
  }

  let stepNumber = 0;
  async function step(name, work) {
    stepNumber += 1;
    const file = path.join(shots, `${String(stepNumber).padStart(2, '0')}-${name}.png`);
    console.log(`step ${stepNumber}: ${name}`);
    try {
      await work();
    } catch (error) {
      // Later steps still run: the download, say, changes nothing they depend on.
      failures.push(`step ${stepNumber} (${name}) failed: ${error.stack || error}`);
    } finally {
      await page.screenshot({ path: file }).catch((error) => failures.push(`no screenshot of ${name}: ${error}`));
      console.log(`  screenshot ${file}`);
    }
  }

  /** Closes the browser, checks what the page did, prints the verdict and exits with it. */
  async function finish(name) {
    await browser.close();
    check(offsite.length === 0, `the page requested other hosts: ${offsite.join(', ')}`);
    // Chromium logs each failed response as "Failed to load resource", at the response's URL.
    const errors = consoleErrors
      .filter(({ text, url }) => !(text.startsWith('Failed to load resource') && expectedUrls.has(url)))
      .map(({ text }) => text);
    check(errors.length === 0, `the console logged errors: ${errors.join(' | ')}`);
    check(badResponses.length === 0, `requests failed: ${badResponses.join(', ')}`);
    console.log(`screenshots in ${shots}`);
    if (failures.length) {
      console.log(`${name} FAILED:\n- ${failures.join('\n- ')}`);
      process.exit(1);
    }
    console.log(`${name} passed: ${stepNumber} steps`);
  }

  return { page, local, check, step, finish, failures, stepNumber: () => stepNumber };
}
