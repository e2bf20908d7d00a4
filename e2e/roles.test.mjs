// Only what the role can do (ui.md): the member's menu and pages show no
// control the member may not use; the branch secretary sees the buttons of
// the work the secretary does. Also the to-do list grouped by module with its
// status filters, as each of them sees it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO_PASSWORD, login, open, path, shot } from './browser.mjs';

/// journeys.test.mjs may have changed the member's password first.
const MEMBER_PASSWORDS = [DEMO_PASSWORD, 'Hongqi#Piao2027'];

async function loginAny(page, user, passwords) {
  for (const pw of passwords) {
    await login(page, user, pw);
    if (path(page) !== '/login') return;
  }
  assert.fail(`${user} could not log in`);
}

test('党员：菜单只含党员能办的事，页面上没有无权使用的按钮', async (t) => {
  const { page, problems } = await open(t);
  await loginAny(page, 'dangyuan', MEMBER_PASSWORDS);
  const menu = await page.locator('.sidebar').innerText();
  for (const item of ['我的工作台', '待办事项', '三会一课', '学习记录', '年度计划']) {
    assert.match(menu, new RegExp(item), `${item} in the member's menu`);
  }
  for (const item of ['频次设置', '督查', '换届提醒', '党员名册', '指标填报', '账号管理']) {
    assert.doesNotMatch(menu, new RegExp(item), `${item} is not in the member's menu`);
  }
  await shot(page, 'roles-member-home');

  await page.goto(`${BASE_URL}/life`);
  await page.locator('h1.page-title').waitFor();
  assert.equal(await page.locator('a[href^="/life/meetings/new"]').count(), 0, 'no 登记会议 for a member');
  await shot(page, 'roles-member-life');

  await page.goto(`${BASE_URL}/orgs`);
  await page.locator('table').first().waitFor();
  assert.equal(await page.locator('a[href^="/people"]').count(), 0, 'no roster links for a member');

  await page.goto(`${BASE_URL}/todos`);
  await page.locator('nav[aria-label="按状态"]').waitFor();
  const active = page.locator('.sidebar a.menu-item.active');
  assert.equal((await active.innerText()).trim(), '待办事项', 'the menu marks the page shown');
  await shot(page, 'roles-member-todos');
  assert.deepEqual(problems, []);
});

test('支部书记：三会一课有登记会议按钮，待办按模块分组、可按状态筛选', async (t) => {
  const { page, problems } = await open(t);
  await login(page, 'shuji', DEMO_PASSWORD);
  assert.equal(path(page), '/');
  const menu = await page.locator('.sidebar').innerText();
  assert.match(menu, /党员名册/);
  await shot(page, 'roles-secretary-home');

  await page.goto(`${BASE_URL}/life`);
  const record = page.getByRole('link', { name: '登记会议' });
  await record.waitFor();
  assert.equal(await record.count(), 1, 'the secretary records meetings');
  await shot(page, 'roles-secretary-life');

  await page.goto(`${BASE_URL}/todos`);
  const groups = page.locator('section.card h2.card-title');
  assert.ok((await groups.count()) > 0, 'the secretary has to-dos, grouped by module');
  await shot(page, 'roles-secretary-todos');
  const overdue = page.locator('nav[aria-label="按状态"] a', { hasText: '已逾期' });
  await Promise.all([page.waitForNavigation(), overdue.click()]);
  assert.match(page.url(), /status=overdue/);
  const tags = await page.locator('table.todos tbody .tag').allInnerTexts();
  assert.ok(tags.every((s) => s.trim() === '已逾期'), `only overdue after filtering: ${tags}`);
  assert.deepEqual(problems, []);
});
