// 标准化建设: one branch's whole cycle as its secretary and its direct
// superior walk it — 综合处党支部 self-checks against the 机关党委's standard
// (computed items fill themselves; declared ones with evidence), lists an
// unmet item as a problem, reports it rectified with evidence; 办公室党总支
// verifies it and closes it (销号); the branch applies, the superior accepts
// with the suggested grade ⅱ, and the ledger shows it. Then every page of
// the module as the 党委's admin, for the screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO_PASSWORD, login, open, path, shot } from './browser.mjs';

const BRANCH = '综合处党支部';
const pdf = (name) => ({ name, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.7\n% ${name}\n`) });

async function submit(page, scope, name) {
  const [response] = await Promise.all([page.waitForNavigation(), scope.getByRole('button', { name, exact: true }).click()]);
  return response;
}

/// Opens an item's 填写 form on the self-check page and saves an answer.
async function answer(page, code, met, note, file) {
  const row = page.locator(`#item-${code}`);
  await row.locator('summary', { hasText: '填写' }).click();
  const form = row.locator('form.check-form');
  await form.getByLabel(met ? '达标' : '未达标', { exact: true }).check();
  if (note) await form.locator('textarea[name=note]').fill(note);
  if (file) await form.locator('input[type=file]').setInputFiles(pdf(file));
  const r = await submit(page, form, '保存');
  assert.equal(r.status(), 200, `${code}: ${await page.locator('.alert-error').allInnerTexts()}`);
  assert.match(await page.locator('.alert-success').innerText(), /自查结果已保存/);
}

test('标准化建设：自查、列问题、整改、上级核验销号、申报、验收定为ⅱ级，台账随之变化', async (t) => {
  // The person picker's type-ahead may be abandoned when its form is sent.
  const { page, problems } = await open(t, { abortable: ['/api/v1/people/pick'] });
  await login(page, 'shuji', DEMO_PASSWORD);

  // 摸底自查 from the menu lands on the branch's own self-check.
  await Promise.all([page.waitForNavigation(), page.locator('nav').getByRole('link', { name: '摸底自查' }).click()]);
  assert.match(path(page), /^\/standards\/[^/]+\/orgs\/[^/]+$/);
  const checkUrl = page.url();
  assert.match(await page.locator('h1').innerText(), new RegExp(BRANCH));
  assert.match(await page.locator('#item-C1').innerText(), /计算：组织生活按期召开/, 'computed items fill themselves');
  await shot(page, 'standard-check-start');

  await answer(page, 'A2', true, '召开专题组织生活会，查摆问题已整改', '组织生活会记录.pdf');
  await answer(page, 'B2', true, '2026年3月按期换届');
  await answer(page, 'D2', true, '窗口党员先锋岗带动“好差评”差评清零');
  await answer(page, 'D3', true, '“窗口先锋”支部品牌', '支部品牌材料.pdf');
  await answer(page, 'C2', false, '本年度民主评议尚未开展');

  // The unmet item becomes a problem with an owner from the roster.
  const row = page.locator('#item-C2');
  await row.locator('summary', { hasText: '列入问题清单' }).click();
  const pf = row.locator('form.problem-form');
  await pf.locator('textarea[name=cause]').fill('年度民主评议党员尚未开展');
  await pf.locator('textarea[name=measure]').fill('结合组织生活会开展民主评议，评定等次并运用结果');
  await pf.locator('.picker-input').fill('刘晓燕');
  await pf.locator('.picker-list li', { hasText: '刘晓燕' }).click();
  let r = await submit(page, pf, '列入问题清单');
  assert.equal(r.status(), 200, await page.locator('.alert-error').allInnerTexts().then(String));
  assert.match(await page.locator('.alert-success').innerText(), /已列入问题清单/);
  assert.match(await page.locator('.missing').innerText(), /问题尚未销号/);
  assert.match(await page.locator('#problems').innerText(), /刘晓燕/);
  await shot(page, 'standard-check-problem');

  // The branch reports it rectified, with evidence.
  await Promise.all([page.waitForNavigation(), page.locator('#problems').getByRole('link', { name: '报告整改' }).click()]);
  assert.match(path(page), /^\/standards\/problems\//);
  await page.locator('#note').fill('11月28日召开组织生活会开展民主评议，评定优秀党员3名');
  await page.locator('#evidence').setInputFiles(pdf('民主评议结果.pdf'));
  await submit(page, page.locator('form.report-form'), '报告整改完成');
  assert.match(await page.locator('.alert-success').innerText(), /等待上级党组织核验销号/);
  await shot(page, 'standard-problem-reported');

  // 办公室党总支 — the direct superior — verifies it from its to-dos: 销号.
  const sup = await open(t);
  const sp = sup.page;
  await login(sp, 'zongzhi', DEMO_PASSWORD);
  await sp.goto(`${BASE_URL}/todos`);
  const todo = sp.locator('table.todos tr', { hasText: `核验销号：${BRANCH}` });
  await Promise.all([sp.waitForNavigation(), todo.getByRole('link', { name: '去办理' }).click()]);
  assert.match(await sp.locator('h1').innerText(), /民主评议党员/);
  assert.match(await sp.locator('main').innerText(), /民主评议结果\.pdf/);
  await sp.locator('#pass-comment').fill('整改到位');
  await submit(sp, sp.locator('form.verify-pass'), '核验通过，销号');
  assert.match(await sp.locator('.alert-success').innerText(), /问题销号/);
  assert.match(await sp.locator('h1 .tag').innerText(), /已销号/);
  await shot(sp, 'standard-problem-closed');

  // Rectified: the branch updates the item and applies.
  await page.goto(checkUrl);
  await answer(page, 'C2', true, '已开展民主评议', '民主评议结果.pdf');
  assert.match(await page.locator('h1 .tag').innerText(), /已达标（待申报）/);
  r = await submit(page, page.locator('.toolbar'), '申报验收');
  assert.match(await page.locator('.alert-success').innerText(), /已申报验收/);
  assert.match(await page.locator('h1 .tag').innerText(), /已申报/);
  await shot(page, 'standard-applied');

  // The superior accepts with the suggested grade ⅱ.
  await sp.goto(`${BASE_URL}/standards/applications`);
  const app = sp.locator('table.applications tr', { hasText: BRANCH }).filter({ hasText: '待验收' });
  await Promise.all([sp.waitForNavigation(), app.getByRole('link', { name: '验收' }).click()]);
  assert.equal(await sp.locator('#grade').inputValue(), 'ii', 'ⅱ suggested from 80 % of the refined points');
  await shot(sp, 'standard-decide');
  await sp.locator('#pass-comment').fill('经查阅台账、实地查看，达到标准要求');
  await submit(sp, sp.locator('form.decide-pass'), '验收通过');
  assert.match(await sp.locator('.alert-success').innerText(), /验收通过/);

  // The ledger shows it: accepted, ⅱ.
  await Promise.all([sp.waitForNavigation(), sp.locator('nav').getByRole('link', { name: '提升定级' }).click()]);
  const line = sp.locator('table.ledger-rows tr', { hasText: BRANCH });
  assert.match(await line.innerText(), /已验收/);
  assert.match(await line.innerText(), /ⅱ级/);
  await shot(sp, 'standard-ledger');
  assert.deepEqual(sup.problems, []);
  assert.deepEqual(problems, []);
});

test('标准化建设：各页面（建设标准、新建与编辑、问题清单、达标验收、台账及打印）', async (t) => {
  const { page, problems } = await open(t);
  await login(page, 'dangwei', DEMO_PASSWORD);
  await page.goto(`${BASE_URL}/standards`);
  await shot(page, 'standard-list');
  await Promise.all([page.waitForNavigation(), page.locator('table.standards').getByRole('link').first().click()]);
  assert.match(await page.locator('main').innerText(), /达标项/);
  await shot(page, 'standard-detail');

  await page.goto(`${BASE_URL}/standards/new`);
  await shot(page, 'standard-new');
  await page.locator('#year').fill('2027');
  await submit(page, page.locator('form.standard-new'), '生成草稿');
  assert.match(await page.locator('.alert-success').innerText(), /草稿已创建/);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '编辑', exact: true }).click()]);
  await shot(page, 'standard-edit');
  await page.getByLabel('第1项分值').fill('十');
  let r = await submit(page, page.locator('form.standard-form'), '保存草稿');
  assert.equal(r.status(), 422);
  assert.match(await page.locator('.alert-error').innerText(), /第1项分值/);
  await page.getByLabel('第1项分值').fill('10');
  r = await submit(page, page.locator('form.standard-form'), '保存草稿');
  assert.match(await page.locator('.alert-success').innerText(), /草稿已保存/);

  await page.goto(`${BASE_URL}/standards/problems?overdue=1`);
  assert.match(await page.locator('table.problems').innerText(), /已逾期/);
  await shot(page, 'standard-problems');
  await page.goto(`${BASE_URL}/standards/applications`);
  await shot(page, 'standard-applications');
  await page.goto(`${BASE_URL}/standards/ledger`);
  assert.match(await page.locator('.ledger-cards').innerText(), /已验收/);
  await shot(page, 'standard-ledger-committee');
  await page.goto(`${BASE_URL}/standards/ledger/print`);
  await shot(page, 'standard-ledger-print');
  await page.goto(`${BASE_URL}/standards/problems/print`);
  await shot(page, 'standard-problems-print');
  await page.goto(`${BASE_URL}/standards/check`);
  await shot(page, 'standard-check-entry');
  assert.deepEqual(problems, []);
});
