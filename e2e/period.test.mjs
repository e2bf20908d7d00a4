// The one period picker (期间): on 落实情况 the admin switches from month to
// quarter and to year, the page follows and reads the period in Chinese; the
// ledger uses the same picker; the dues ledger offers months only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO_PASSWORD, login, open, shot } from './browser.mjs';

test('期间选择：落实情况按季度、按年度查询，台账与党费使用同一选择器', async (t) => {
  const { page, problems } = await open(t);
  await login(page, 'dangwei', DEMO_PASSWORD);

  await page.goto(`${BASE_URL}/life/compliance`);
  const picker = page.locator('form.search .period-picker');
  await picker.waitFor();
  assert.equal(await picker.locator('[data-period-kind="month"]').isVisible(), true);
  assert.equal(await picker.locator('[data-period-kind="quarter"]').isVisible(), false);
  await picker.locator('select[data-period-switch]').selectOption('quarter');
  const quarters = picker.locator('[data-period-kind="quarter"] select');
  assert.equal(await quarters.isVisible(), true);
  const code = (await quarters.locator('option').nth(1).getAttribute('value')) ?? '';
  await quarters.selectOption(code);
  await shot(page, 'period-compliance-quarter-chosen');
  await page.locator('form.search button[type=submit]').click();
  await page.waitForURL(/period=\d{4}-Q\d/);
  assert.match(page.url(), new RegExp(`period=${code}(&|$)`));
  assert.equal(new URL(page.url()).searchParams.getAll('period').length, 1, 'one period submitted');
  const title = await page.locator('h1.page-title').innerText();
  assert.match(title, /\d{4}年第[一二三四]季度组织生活落实情况/);
  assert.doesNotMatch(await page.locator('main').innerText(), /\d{4}-Q\d/);
  await shot(page, 'period-compliance-quarter');

  await page.goto(`${BASE_URL}/life/ledger`);
  await picker.locator('select[data-period-switch]').selectOption('year');
  await page.locator('form.search button[type=submit]').click();
  await page.waitForURL(/period=\d{4}(&|$)/);
  assert.match(await page.locator('h1.page-title').innerText(), /\d{4}年度“三会一课”台账/);
  await shot(page, 'period-ledger-year');

  await page.goto(`${BASE_URL}/dues`);
  await picker.waitFor();
  assert.equal(await picker.locator('select[data-period-switch]').count(), 0, 'months only');
  assert.equal(await picker.locator('input[type=month][name=month]').count(), 1);
  assert.deepEqual(problems, []);
});
