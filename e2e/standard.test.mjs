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

test('标准化建设：上级查看软弱涣散预警及其依据记录，登记联系点走访并将发现的问题列入问题清单', async (t) => {
  const { page, problems } = await open(t, { abortable: ['/api/v1/people/pick'] });
  await login(page, 'zongzhi', DEMO_PASSWORD);

  // The warnings: 秘书处 flagged for its overdue problem, the record behind it one click away.
  await Promise.all([page.waitForNavigation(), page.locator('nav').getByRole('link', { name: '软弱涣散预警' }).click()]);
  const flagged = page.locator('table.warnings tr', { hasText: '秘书处党支部' }).first();
  assert.match(await flagged.innerText(), /整改逾期/);
  assert.equal(await flagged.getByRole('link', { name: '下达整顿' }).count(), 1, 'the direct superior may rectify');
  await shot(page, 'standard-warnings');
  const overdue = page.locator('table.warnings tr', { hasText: '整改逾期' }).first();
  const details = overdue.locator('details.records');
  if (await details.count()) await details.locator('summary').click();
  await Promise.all([page.waitForNavigation(), overdue.locator('a[href^="/standards/problems/"]').first().click()]);
  assert.match(path(page), /^\/standards\/problems\//);
  assert.match(await page.locator('main').innerText(), /秘书处党支部/);

  // The contact point: a visit with a finding, the finding into the problem list.
  await Promise.all([page.waitForNavigation(), page.locator('nav').getByRole('link', { name: '联系点' }).click()]);
  await shot(page, 'standard-contacts');
  await Promise.all([page.waitForNavigation(), page.locator('table.contacts').getByRole('link', { name: '走访记录' }).first().click()]);
  assert.match(await page.locator('table.visits').innerText(), /民主评议党员尚未部署/, 'the demo visit is listed');
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  const vf = page.locator('form.visit-new');
  await vf.locator('#visited_on').fill(today);
  await vf.locator('#summary').fill('参加支部党员大会，检查发展党员工作');
  await vf.locator('#findings').fill('发展党员培养考察记录不完整');
  let r = await submit(page, vf, '登记走访');
  assert.equal(r.status(), 200, await page.locator('.alert-error').allInnerTexts().then(String));
  assert.match(await page.locator('.alert-success').innerText(), /走访记录已登记/);
  await shot(page, 'standard-contact');
  const pf = page.locator('form.to-problem').first();
  await pf.locator('select[name=p1_item_code]').selectOption('B2');
  await pf.locator('input[name=p1_measure]').fill('逐人补齐培养考察记录，支委会每季度检查');
  await pf.locator('.picker-input').click();
  await pf.locator('.picker-list li[data-i]').first().waitFor();
  await pf.locator('.picker-list li[data-i]').first().click();
  const due = new Date(Date.now() + 8 * 3600 * 1000 + 30 * 86400 * 1000).toISOString().slice(0, 10);
  await pf.locator('input[name=p1_deadline]').fill(due);
  r = await submit(page, pf, '列入问题清单');
  assert.equal(r.status(), 200, await page.locator('.alert-error').allInnerTexts().then(String));
  assert.match(await page.locator('.alert-success').innerText(), /已列入该组织的问题清单/);
  await page.goto(`${BASE_URL}/standards/problems`);
  assert.match(await page.locator('table.problems').innerText(), /发展党员培养考察记录不完整/);
  assert.deepEqual(problems, []);
});

test('标准化建设：督查调度、书记培训、基础保障各页面', async (t) => {
  const { page, problems } = await open(t);
  await login(page, 'dangwei', DEMO_PASSWORD);
  await page.goto(`${BASE_URL}/standards/dispatches`);
  assert.match(await page.locator('table.dispatches').innerText(), /标准化建设推进情况调度/);
  await shot(page, 'standard-dispatches');
  await Promise.all([page.waitForNavigation(), page.locator('table.dispatches').getByRole('link', { name: '报送情况' }).first().click()]);
  const answers = await page.locator('table.dispatch-answers').innerText();
  assert.match(answers, /已报送/);
  assert.match(answers, /逾期未报/);
  await shot(page, 'standard-dispatch');
  await page.goto(`${BASE_URL}/standards/training`);
  await shot(page, 'standard-training');
  await page.goto(`${BASE_URL}/standards/resources`);
  assert.match(await page.locator('table.resources').innerText(), /党员活动室/);
  await shot(page, 'standard-resources');
  await page.goto(`${BASE_URL}/life/supervision`);
  assert.match(await page.locator('main').innerText(), /逾期未整改的问题/);
  await shot(page, 'life-supervision-problems');
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
