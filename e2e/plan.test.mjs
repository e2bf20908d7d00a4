// The annual plan (同谋划) as a committee's Party-affairs admin and a branch
// secretary walk it: a goal with a KPI, two Party tasks serving it, deployed
// to two branches, accepted and reported with an evidence file, and the
// board and the fusion view changing with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO_PASSWORD, login, open, path, shot } from './browser.mjs';

const GOAL = '窗口服务“好差评”差评清零';
const TASKS = ['党员示范窗口创建', '支部书记领办差评整改'];
const BRANCHES = ['综合处党支部', '秘书处党支部'];

async function submit(page, name) {
  const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).click()]);
  return response;
}

async function fusionFigures(page) {
  await page.goto(`${BASE_URL}/plan/fusion`);
  const n = async (id) => Number((await page.locator(`#${id}`).innerText()).replace(/[^0-9]/g, ''));
  return { total: await n('tasks-total'), linked: await n('tasks-linked'), open: await n('difficult-open') };
}

test('同谋划：目标、两项党建任务、部署到两个支部、报告进展，看板与融合度随之变化', async (t) => {
  const { page, problems } = await open(t);
  await login(page, 'dangwei', DEMO_PASSWORD);
  const before = await fusionFigures(page);

  // A difficult goal with a KPI (lower is better: 差评件数).
  await page.goto(`${BASE_URL}/plan`);
  await Promise.all([page.waitForNavigation(), page.locator('.toolbar').getByRole('link', { name: '新增业务目标' }).click()]);
  await page.locator('#title').fill(GOAL);
  await page.locator('#difficult').check();
  await page.getByLabel('指标1名称').fill('差评件数');
  await page.getByLabel('指标1单位').fill('件');
  await page.getByLabel('指标1基准值').fill('12');
  await page.getByLabel('指标1目标值').fill('12');
  await page.getByLabel('指标1方向').selectOption('lower');
  let r = await submit(page, '保存');
  assert.equal(r.status(), 422, 'a target equal to the baseline is refused');
  assert.match(await page.locator('.alert-error').innerText(), /不能等于基准值/);
  await page.getByLabel('指标1目标值').fill('0');
  r = await submit(page, '保存');
  assert.equal(path(page), '/plan');
  const card = page.locator('section.goal-card', { hasText: GOAL });
  assert.match(await card.innerText(), /业务难点尚无党建任务支撑/);
  await shot(page, 'plan-goal-flagged');
  let now = await fusionFigures(page);
  assert.equal(now.open, before.open + 1, 'the new difficulty shows as unsupported');

  // Two Party tasks serving it; each deployed to two branches.
  for (const title of TASKS) {
    await page.goto(`${BASE_URL}/plan`);
    await Promise.all([page.waitForNavigation(), page.locator('section.goal-card', { hasText: GOAL }).getByRole('link', { name: '安排党建任务' }).click()]);
    await page.locator('#title').fill(title);
    assert.equal(await page.getByRole('checkbox', { name: GOAL }).isChecked(), true, 'the goal is preselected');
    await page.locator('#deadline').fill('2026-12-20');
    await submit(page, '保存');
    assert.match(path(page), /^\/plan\/tasks\//);
    // The organizations below are a type-ahead choosing several (chips).
    const box = page.locator('.deploy-form').getByRole('combobox', { name: '下达组织' });
    for (const b of BRANCHES) {
      await box.fill(b);
      await page.locator('.deploy-form').getByRole('option', { name: new RegExp(b) }).first().click();
    }
    assert.equal(await page.locator('.deploy-form .picker-chips .chip').count(), BRANCHES.length);
    await submit(page, '部署到所选组织');
    assert.match(await page.locator('.alert-success').innerText(), /已部署/);
    assert.equal(await page.locator('table.deployed tbody tr').count(), 2);
  }
  await shot(page, 'plan-task-deployed');
  now = await fusionFigures(page);
  assert.equal(now.open, before.open, 'the difficulty is now served');
  assert.equal(now.total, before.total + 6, 'two tasks and their four copies');
  assert.equal(now.linked, before.linked + 6);
  await shot(page, 'plan-fusion');

  // The branch secretary accepts one and reports it done, with a file.
  const other = await open(t);
  const sp = other.page;
  await login(sp, 'shuji', DEMO_PASSWORD);
  await sp.goto(`${BASE_URL}/plan`);
  const pending = sp.locator('table.plan-pending tr', { hasText: TASKS[0] });
  await Promise.all([sp.waitForNavigation(), pending.getByRole('button', { name: '接收' }).click()]);
  await sp.locator('#percent').fill('100');
  await sp.locator('#note').fill('已在办事大厅设立党员示范窗口 2 个，本月差评 0 件');
  await sp.locator('#evidence').setInputFiles({ name: '示范窗口挂牌照片说明.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n% 示范窗口\n') });
  await submit(sp, '报告进展');
  assert.match(await sp.locator('.alert-success').innerText(), /进展已报告/);
  assert.match(await sp.locator('table.reports').innerText(), /示范窗口挂牌照片说明\.pdf/);
  await shot(sp, 'plan-progress-reported');
  assert.deepEqual(other.problems, []);

  // The committee's board shows the roll-up: one of two branches done.
  await page.goto(`${BASE_URL}/plan`);
  const row = page.locator('section.goal-card', { hasText: GOAL }).locator('tr', { hasText: TASKS[0] });
  assert.match(await row.innerText(), /50%/);
  assert.match(await row.innerText(), /1\/2 个组织已接收/);
  await shot(page, 'plan-board');
  assert.deepEqual(problems, []);
});
