// @ts-check
// Shared set-up for the browser tests: configuration, Chromium, axe and screenshots.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

/** A running backend that serves the API and the built SPA, with demo data. */
export const BASE_URL = (process.env.MESA_BASE_URL ?? 'http://127.0.0.1:18080').replace(/\/+$/, '');
export const USERNAME = process.env.MESA_E2E_USERNAME ?? 'admin';
export const PASSWORD = process.env.MESA_E2E_PASSWORD ?? 'MesaDemo2026!';
/** Debian's Chromium: test tools cannot download browsers on these machines. */
export const CHROMIUM = process.env.MESA_E2E_CHROMIUM ?? '/usr/bin/chromium';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

/** Chromium flags that work as root without network access (see RECIPES.md). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails fast, with a readable message, when nothing answers at MESA_BASE_URL. */
export async function assertBackendUp() {
  try {
    await fetch(`${BASE_URL}/`, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    throw new Error(
      `No server answers at MESA_BASE_URL=${BASE_URL}: start the backend (serving the API and frontend/dist) first. ${String(error)}`,
      { cause: error },
    );
  }
}

/** Playwright gives every launched browser its own fresh temporary profile (--user-data-dir). */
export async function launchBrowser() {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A new context (fresh storage: no session, no remembered language) and a page in it.
 * @param {import('playwright-core').Browser} browser
 * @param {{ width: number, height: number }} [viewport]
 */
export async function newPage(browser, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

/**
 * Runs axe (WCAG 2.1 A/AA) and returns the serious and critical violations, one line each.
 * `skipSandboxedFrames` leaves out `<iframe sandbox>` (the mail template preview): axe cannot run
 * in a frame that allows no script and waits for it forever (the frame shows a mail, not the app).
 * @param {import('playwright-core').Page} page
 * @param {{ skipSandboxedFrames?: boolean }} [options]
 */
export async function seriousViolations(page, { skipSandboxedFrames = false } = {}) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (skipSandboxedFrames) builder = builder.exclude('iframe[sandbox]').options({ iframes: false });
  const results = await builder.analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    );
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} name file name without extension
 */
export async function screenshot(page, name) {
  // From the top: a full-page capture of a scrolled page draws the fixed header mid-way.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
}

/** Demo accounts (seeded by `mesa seed --demo`) for the scenario tests. */
export const REQUESTER = process.env.MESA_E2E_REQUESTER ?? 'lucia.martinez';
/** The first-level agent who receives Hacienda's requests (the service routes them to its CTO). */
export const AGENT = process.env.MESA_E2E_AGENT ?? 'cto.hacienda';
export const SPECIALIST = process.env.MESA_E2E_SPECIALIST ?? 'especialista.n2';
/** A desk manager: may search the user directory, so may register phone calls. */
export const MANAGER = process.env.MESA_E2E_MANAGER ?? 'supervisor.tic';
export const DEMO_PASSWORD = process.env.MESA_E2E_DEMO_PASSWORD ?? PASSWORD;

/**
 * Signs in through the login form and waits for the home page.
 * @param {import('playwright-core').Page} page
 * @param {string} username
 * @param {string} [password]
 */
export async function login(page, username, password = DEMO_PASSWORD) {
  await page.goto(`${BASE_URL}/login`);
  await page.getByLabel(/^Usuario|^Username/).fill(username);
  await page.getByLabel(/^Contraseña|^Password/).fill(password);
  const response = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/auth/login') && r.request().method() === 'POST',
  );
  await page.getByRole('button', { name: /^Ingresar$|^Sign in$/ }).click();
  const status = (await response).status();
  if (status !== 200) throw new Error(`login as ${username} answered ${status}`);
  await page.getByRole('heading', { level: 1, name: /^Hola|^Welcome/ }).waitFor();
}

/**
 * Clicks a link of the main navigation (opening the menu first on narrow screens).
 * @param {import('playwright-core').Page} page
 * @param {string | RegExp} name
 */
export async function navigate(page, name) {
  const nav = page.getByRole('navigation', { name: /Menú principal|Main menu/ });
  await nav.getByRole('link', { name }).click();
}

/** A 1×1 PNG: the server checks the content of every upload. */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/**
 * axe with no serious or critical violation, then the screenshot.
 * @param {import('playwright-core').Page} page
 * @param {string} name
 * @param {{ skipSandboxedFrames?: boolean }} [options]
 */
export async function checkPage(page, name, options) {
  assert.deepEqual(await seriousViolations(page, options), [], `axe on ${name}`);
  await screenshot(page, name);
}

/**
 * An API call the test makes to set up or check what the browser shows; fails on an error answer.
 * @param {string} path below /api/v1
 * @param {{ token?: string, method?: string, body?: unknown, version?: number }} [options]
 */
export async function call(path, { token, method = 'GET', body, version } = {}) {
  const response = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(version === undefined ? {} : { 'If-Match': `"${version}"` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * A login token, through the API.
 * @param {string} username
 * @param {string} [password]
 * @returns {Promise<string>}
 */
export async function tokenFor(username, password = DEMO_PASSWORD) {
  return (await call('/auth/login', { method: 'POST', body: { username, password } })).access_token;
}

/**
 * A service of a desk's catalog tree, by name.
 * @param {any} node
 * @param {string} name
 * @returns {any}
 */
export function findService(node, name) {
  if (node?.name === name && node.kind === 'service') return node;
  for (const child of node?.children ?? node?.nodes ?? []) {
    const found = findService(child, name);
    if (found) return found;
  }
  return null;
}
