// What the browser journeys share: one headless Chromium per file, a fresh
// context per journey that collects console errors, page errors and failed
// sub-resources, screenshots, and the login form.
import { after, before } from 'node:test';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const DEMO_PASSWORD = 'Tongpin@2026';
export const SHOTS = join(dirname(fileURLToPath(import.meta.url)), 'shots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 15_000;

let browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
});

/// A fresh context and page; problems are collected so a journey can assert
/// none. `abortable` lists paths whose requests the browser may abandon on
/// purpose (a link answered as an attachment becomes a download); the bell's
/// count (/api/v1/todos) is abandoned whenever a journey moves on first.
export async function open(t, { acceptDownloads = false, abortable = [] } = {}) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads,
  });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A page answered 4xx on purpose is logged as "Failed to load resource";
    // sub-resources are checked by status below, so that line is left out.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      problems.push(`console error: ${m.text()}`);
    }
  });
  page.on('requestfailed', (r) => {
    const cancelled = ['/api/v1/todos', ...abortable].includes(new URL(r.url()).pathname);
    if (!(cancelled && r.failure()?.errorText === 'net::ERR_ABORTED')) {
      problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
    }
  });
  page.on('response', (r) => {
    // Documents may answer 4xx on purpose (a wrong password, a refusal);
    // a stylesheet, script or image must not.
    if (r.status() >= 400 && r.request().resourceType() !== 'document') {
      problems.push(`HTTP ${r.status()} for ${r.url()}`);
    }
  });
  t.after(() => context.close());
  return { context, page, problems };
}

export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export function path(page) {
  return new URL(page.url()).pathname;
}

/// Fills the login form (opening it unless it is showing) and submits it;
/// returns the document response.
export async function login(page, username, password) {
  if (path(page) !== '/login') {
    await page.goto(`${BASE_URL}/login`);
  }
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: /登\s*录/ }).click(),
  ]);
  return response;
}
