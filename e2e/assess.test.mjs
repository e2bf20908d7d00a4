// 考评: the 机关党委's admin sets up a small indicator system — a computed
// 「三会一课」 line, an entered 重点工作 line and a rated 满意度 line given by
// the 党委 (组织评价) — enters the points for a branch, reads the results,
// drills the computed line down to the meetings behind it, closes the
// assessment and sees its SHA-256 verify. Then the demo's pages for the
// screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO_PASSWORD, login, open, path, shot } from './browser.mjs';

const BRANCH = '综合处党支部';

async function submit(page, scope, name) {
  const [response] = await Promise.all([page.waitForNavigation(), scope.getByRole('button', { name, exact: true }).click()]);
  return response;
}

test('考评：建立指标体系，录入分数，查看结果并下钻到记录，结束考评并验证封存校验值', async (t) => {
  const { page, problems } = await open(t, { abortable: ['/api/v1/people/pick'] });
  page.on('dialog', (d) => d.accept());
  await login(page, 'dangwei', DEMO_PASSWORD);

  await Promise.all([page.waitForNavigation(), page.locator('nav').getByRole('link', { name: '考评任务' }).click()]);
  assert.equal(path(page), '/assessments');
  await shot(page, 'assess-list');
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '新建考评' }).click()]);
  await shot(page, 'assess-new');

  const form = page.locator('form.assess-new');
  await form.locator('#title').fill('综合处党支部第四季度专项考核');
  // Three rows: computed, entered, rated; the rest emptied.
  const set = async (n, field, value) => {
    const el = form.locator(`[name="i${n}.${field}"]`);
    if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(value);
    else await el.fill(value);
  };
  for (let n = 1; n <= 12; n++) {
    for (const f of ['code', 'title', 'dimension', 'full_points', 'metric', 'superior', 'peers', 'masses', 'self']) await set(n, f, '');
  }
  for (const [n, code, title, full, kind, metric] of [
    [1, 'A1', '“三会一课”按期开展', '40', 'computed', 'clicks'],
    [2, 'B1', '重点工作完成情况', '30', 'entered', ''],
    [3, 'C1', '党建工作满意度', '30', 'rated', ''],
  ]) {
    await set(n, 'code', code);
    await set(n, 'title', title);
    await set(n, 'dimension', '党建和业务');
    await set(n, 'full_points', full);
    await set(n, 'kind', kind);
    await set(n, 'metric', metric);
    await set(n, 'tier', 'normal');
  }
  await set(3, 'superior', '1');
  // A forbidden source is refused naming the rule, and the form keeps what was typed.
  let r = await submit(page, form, '保存');
  assert.equal(r.status(), 422);
  assert.match(await page.locator('.alert-error').innerText(), /整治形式主义为基层减负若干规定/);
  await shot(page, 'assess-new-refused');
  await set(1, 'metric', 'life_compliance');
  r = await submit(page, page.locator('form.assess-new'), '保存');
  assert.equal(r.status(), 200, await page.locator('.alert-error').allInnerTexts().then(String));
  assert.match(await page.locator('.alert-success').innerText(), /考评任务已创建/);
  assert.match(await page.locator('main').innerText(), /评价打分：组织评价 100%/);
  await shot(page, 'assess-detail');
  const detailUrl = page.url().split('?')[0];

  // 评议打分: the entered points with their basis, and the 党委's 组织评价.
  await Promise.all([page.waitForNavigation(), page.locator('.toolbar').getByRole('link', { name: '评议打分' }).click()]);
  const cell = (code) => page.locator('table.assess-grid tr', { hasText: BRANCH }).locator('form', { has: page.locator(`input[name=code][value=${code}]`) });
  await cell('B1').locator('input[name=points]').fill('27');
  await cell('B1').locator('input[name=note]').fill('对照重点工作台账核定');
  r = await submit(page, cell('B1'), '保存');
  assert.equal(r.status(), 200);
  await cell('C1').locator('input[name=points]').fill('28.5');
  r = await submit(page, cell('C1'), '保存');
  assert.equal(r.status(), 200);
  assert.equal(await cell('B1').locator('input[name=points]').inputValue(), '27');
  await shot(page, 'assess-score');

  // Results, then the drill-down to the meetings behind the computed line.
  await Promise.all([page.waitForNavigation(), page.locator('.toolbar').getByRole('link', { name: '考评结果' }).click()]);
  await shot(page, 'assess-results');
  const row = page.locator('table.assess-results tr', { hasText: BRANCH });
  await Promise.all([page.waitForNavigation(), row.getByRole('link', { name: '得分明细' }).click()]);
  assert.match(await page.locator('main').innerText(), /对照重点工作台账核定/);
  const a1 = page.locator('table.assess-lines tr', { hasText: '三会一课' });
  await Promise.all([page.waitForNavigation(), a1.getByRole('link', { name: '查看记录' }).click()]);
  const records = page.locator('#records');
  assert.match(await records.innerText(), /A1 的记录/);
  assert.ok((await records.locator('tbody tr').count()) > 0);
  await shot(page, 'assess-target');

  // Close: the results are frozen and the hash verifies.
  await page.goto(`${detailUrl}/results`);
  r = await submit(page, page.locator('main'), '结束考评并封存');
  assert.equal(r.status(), 200);
  assert.match(await page.locator('.alert-success').innerText(), /结果已封存/);
  assert.match(await page.locator('code.hash').innerText(), /^[0-9a-f]{64}$/);
  assert.match(await page.locator('main').innerText(), /验证通过/);
  await shot(page, 'assess-closed');
  assert.deepEqual(problems, []);
});

test('考评：演示数据的结果页（一票否决、样本不足、已封存的上一年度）', async (t) => {
  const { page, problems } = await open(t);
  await login(page, 'dangwei', DEMO_PASSWORD);
  await page.goto(`${BASE_URL}/assessments?year=all`);
  const links = page.locator('table.assessments tbody tr', { hasText: '党支部书记抓党建' }).getByRole('link', { name: '考评结果' });
  assert.ok((await links.count()) >= 2);
  await Promise.all([page.waitForNavigation(), links.first().click()]);
  const text = await page.locator('main').innerText();
  assert.match(text, /一票否决/);
  assert.match(text, /样本不足/);
  await shot(page, 'assess-demo-results');
  await page.goto(`${BASE_URL}/assessments?year=all`);
  await Promise.all([page.waitForNavigation(), links.last().click()]);
  assert.match(await page.locator('main').innerText(), /验证通过/);
  await shot(page, 'assess-demo-closed');
  assert.deepEqual(problems, []);
});
