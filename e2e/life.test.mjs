// Organizational life (组织生活) as the committee's Party-affairs admin walks
// it: the superior's supervision view shows a branch that missed a meeting
// last month; recording that meeting with attendance and a linked goal turns
// the branch's compliance from overdue to held, and the supervision view
// with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO_PASSWORD, login, open, path, shot } from './browser.mjs';

/// Last month in Beijing time, as "2026-10".
function lastMonth() {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

async function overdueCount(page, org) {
  const row = page.locator('table.compliance-grid tbody tr', { hasText: org });
  return Number((await row.locator('td').nth(1).innerText()).trim());
}

test('组织生活：督查发现逾期，补登支委会（出席与关联目标），落实情况由逾期变为已完成', async (t) => {
  const { page, problems } = await open(t, { abortable: ['/life/supervision/export'] });
  await login(page, 'dangwei', DEMO_PASSWORD);
  const month = lastMonth();

  await page.goto(`${BASE_URL}/life/supervision?period=${month}`);
  await page.locator('table.compliance-grid').waitFor();
  await shot(page, 'life-supervision-before');
  // The columns are the obligations; prefer a branch that missed its 支委会.
  const heads = await page.locator('table.compliance-grid thead th').allInnerTexts();
  let col = heads.indexOf('支委会');
  let row = col >= 0 ? page.locator('table.compliance-grid tbody tr', { has: page.locator(`td:nth-child(${col + 1}).st-overdue`) }).first() : null;
  if (!row || (await row.count()) === 0) {
    row = page.locator('table.compliance-grid tbody tr', { has: page.locator('td.st-overdue') }).first();
    const cells = await row.locator('td').evaluateAll((tds) => tds.map((td) => td.className));
    col = cells.findIndex((c, i) => i > 1 && c.includes('st-overdue'));
  }
  assert.ok((await row.count()) > 0, 'the demo leaves a gap last month');
  const kindLabel = heads[col];
  const org = (await row.locator('td').first().innerText()).trim();
  const before = await overdueCount(page, org);
  assert.ok(before > 0);

  // The branch's own view: the obligation is overdue.
  await Promise.all([page.waitForNavigation(), row.locator('td').first().getByRole('link').click()]);
  assert.equal(path(page), '/life/compliance');
  const item = page.locator('table.compliance-items tr', { hasText: kindLabel });
  assert.match(await item.innerText(), /逾期未开/);
  await shot(page, 'life-compliance-overdue');

  // Record it: held in the middle of last month, most members present, one absent with a reason, serving a goal.
  await Promise.all([page.waitForNavigation(), item.getByRole('link', { name: '登记' }).click()]);
  assert.equal(path(page), '/life/meetings/new');
  await page.locator('#held_at').fill(`${month}-15T09:00`);
  await page.locator('#topic').fill(`${kindLabel}：研究推进重点工作`);
  await page.locator('#place').fill('支部活动室');
  const radios = page.locator('table.attendance tbody tr');
  const n = await radios.count();
  assert.ok(n >= 2, 'the branch has members');
  for (let i = 0; i < n; i += 1) {
    await radios.nth(i).getByRole('radio', { name: /出席$/ }).check();
  }
  await radios.nth(n - 1).getByRole('radio', { name: /缺席$/ }).check();
  await radios.nth(n - 1).getByRole('textbox').fill('出差');
  const goal = page.locator('.goal-checks input[type=checkbox]').first();
  await goal.check();
  await page.locator('#minutes').fill('会议传达学习了上级有关精神，研究了本支部重点工作推进措施。');
  const orgId = await page.locator('input[name=org_id]').inputValue();
  await shot(page, 'life-meeting-form');
  const [saved] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '保存' }).click()]);
  assert.equal(saved.status(), 200);
  assert.match(path(page), /^\/life\/meetings\//);
  assert.match(await page.locator('.alert-success').innerText(), /已保存/);
  assert.match(await page.locator('body').innerText(), /出差/);
  await shot(page, 'life-meeting-record');

  // The branch's compliance for last month: held.
  await page.goto(`${BASE_URL}/life/compliance?org=${orgId}&period=${month}`);
  const after = page.locator('table.compliance-items tr', { hasText: kindLabel });
  assert.match(await after.innerText(), /已完成/);
  await shot(page, 'life-compliance-met');

  // And the superior's view with it.
  await page.goto(`${BASE_URL}/life/supervision?period=${month}`);
  assert.equal(await overdueCount(page, org), before - 1);
  await shot(page, 'life-supervision-after');
  assert.deepEqual(problems, []);
});
