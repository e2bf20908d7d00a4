// Organizational life records as the committee's Party-affairs admin keeps
// them: planning a 支委会 of a branch (the committee listed first and marked,
// the host picked from the roster by type-ahead, 全部出席 for the committee),
// its printed sheet saying 计划召开 with no attendance, and the 三会一课台账
// read by quarter and by month.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO_PASSWORD, login, open, path, shot } from './browser.mjs';

/// Beijing time now, as a Date whose UTC fields read Beijing's.
function beijing(offsetDays = 0) {
  return new Date(Date.now() + 8 * 3600 * 1000 + offsetDays * 86400 * 1000);
}
const pad = (n) => String(n).padStart(2, '0');

test('组织生活：计划支委会（支委在前、选人、全部出席），打印为“计划召开”，台账按季度和月份', async (t) => {
  const { page, problems } = await open(t, { abortable: ['/api/v1/people/pick', '/api/v1/orgs/pick'] });
  await login(page, 'dangwei', DEMO_PASSWORD);

  // The branch: 综合处党支部, from the organization chooser (a type-ahead) of the life pages.
  await page.goto(`${BASE_URL}/life`);
  await page.getByRole('combobox', { name: '组织' }).fill('综合处党支部');
  await page.getByRole('option', { name: /综合处党支部/ }).first().click();
  await Promise.all([page.waitForURL(/[?&]org=/), page.getByRole('button', { name: '查询' }).click()]);
  const orgId = new URL(page.url()).searchParams.get('org');
  assert.ok(orgId);
  assert.match(await page.getByRole('combobox', { name: '组织' }).inputValue(), /综合处党支部$/);

  // Plan its 支委会: committee members come first, each marked 支委; no grades column.
  await page.goto(`${BASE_URL}/life/meetings/new?org=${orgId}&kind=committee_meeting&status=planned`);
  const rows = page.locator('table.attendance tbody tr[data-pid]');
  const n = await rows.count();
  assert.ok(n >= 3);
  const marked = await rows.evaluateAll((trs) => trs.map((tr) => tr.hasAttribute('data-committee')));
  const k = marked.indexOf(false);
  assert.ok(k > 0, 'the committee is listed first');
  assert.ok(marked.slice(k).every((m) => !m), 'then the other members');
  assert.match(await rows.first().innerText(), /支委/);
  assert.equal(await page.locator('th.only-appraisal').isVisible(), false, 'grades only for 民主评议');
  await page.locator('#kind').selectOption('appraisal');
  assert.equal(await page.locator('th.only-appraisal').isVisible(), true);
  await page.locator('#kind').selectOption('committee_meeting');
  assert.equal(await page.locator('th.only-appraisal').isVisible(), false);

  const day = beijing(7);
  const when = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
  await page.locator('#held_at').fill(`${when}T09:30`);
  await page.locator('#topic').fill('研究年终工作总结和民主评议安排');
  await page.locator('#place').fill('支部活动室');

  // The host is picked from the roster: type the secretary's name, choose from the list.
  const secretary = (await rows.first().locator('td').first().innerText()).replace('支委', '').trim();
  await page.locator('#host').click();
  await page.locator('#host').fill(secretary.slice(0, 1));
  const option = page.locator('.picker-list li[role=option]', { hasText: secretary }).first();
  await option.waitFor();
  await shot(page, 'life-records-form-committee-picker');
  await option.click();
  assert.equal(await page.locator('#host').inputValue(), secretary);
  assert.ok((await page.locator('input[name=host_person_id]').inputValue()).length > 0, 'stored as a person id');

  // 全部出席 marks the committee present and leaves the others out.
  await page.getByRole('button', { name: '全部出席' }).click();
  for (let i = 0; i < n; i += 1) {
    const present = await rows.nth(i).locator('input[type=radio][value=present]').isChecked();
    assert.equal(present, marked[i], `row ${i}`);
  }
  await shot(page, 'life-records-form-committee');
  const [saved] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '保存' }).click()]);
  assert.equal(saved.status(), 200);
  assert.match(path(page), /^\/life\/meetings\//);
  const id = path(page).split('/')[3];
  assert.match(await page.locator('body').innerText(), /拟参会人员/);

  // The printed sheet of a planned meeting: 计划召开, no attendance, no resolutions.
  await page.goto(`${BASE_URL}/life/meetings/${id}/print`);
  const sheet = await page.locator('body').innerText();
  assert.match(sheet, /计划召开/);
  assert.match(sheet, new RegExp(secretary));
  for (const word of ['出席人员', '实到人数', '决议', '主持人签字']) {
    assert.ok(!sheet.includes(word), `no ${word} on a planned meeting's sheet`);
  }
  await shot(page, 'life-records-print-planned');

  // The ledger of the last ended quarter lists its three months; a month only its own.
  const now = beijing();
  let q = Math.floor(now.getUTCMonth() / 3); // this quarter, 0-based
  let y = now.getUTCFullYear();
  if (q === 0) { q = 4; y -= 1; }
  const months = [1, 2, 3].map((i) => `${y}-${pad((q - 1) * 3 + i)}`);
  // Times read 2026年3月10日 09:00: a month's prefix is 2026年3月.
  const cn = (m) => `${m.slice(0, 4)}年${Number(m.slice(5))}月`;
  await page.goto(`${BASE_URL}/life/ledger?org=${orgId}&period=${y}-Q${q}`);
  const title = await page.locator('h1.page-title').innerText();
  assert.match(title, /季度“三会一课”台账/);
  const dates = await page.locator('table.ledger-table tbody td:first-child').allInnerTexts();
  for (const m of months) {
    assert.ok(dates.some((d) => d.startsWith(cn(m))), `the quarter lists ${m}: ${dates}`);
  }
  await shot(page, 'life-records-ledger-quarter');
  await page.goto(`${BASE_URL}/life/ledger?org=${orgId}&period=${months[1]}`);
  const one = await page.locator('table.ledger-table tbody td:first-child').allInnerTexts();
  assert.ok(one.length > 0 && one.every((d) => d.startsWith(cn(months[1]))), `${one}`);
  assert.deepEqual(problems, []);
});
