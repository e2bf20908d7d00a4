// A transfer out of the system (组织关系转出) as a 党务管理员 completes it: a
// committee member of a branch is transferred out, and on the same day the
// person is gone from the branch's roster, its officer list (班子成员) and its
// member count; the letter states 党费交至 from the dues ledger.
//
// Run through scripts/e2e on a fresh demo database. It logs in only as
// `dangwei` and changes only 人事处党支部, which no other journey uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO_PASSWORD, login, open, path, shot } from './browser.mjs';

const BRANCH = '人事处党支部';

async function submit(page, name) {
  const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).click()]);
  return response;
}

/// Opens a branch's detail page from the organization tree: found with 定位组织
/// (the tree shows one level at a time), then its name.
async function openBranch(page, name) {
  await page.goto(`${BASE_URL}/orgs`);
  const jump = page.locator('form.jump');
  await jump.locator('.picker-input').fill(name);
  await jump.locator('.picker-list li', { hasText: name }).first().click();
  await Promise.all([page.waitForNavigation(), jump.getByRole('button', { name: '查看' }).click()]);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name, exact: true }).first().click()]);
  assert.match(path(page), /^\/orgs\/[^/]+$/);
}

/// The officer table as [post, name, person id] rows.
async function officers(page) {
  const rows = page.locator('section.card', { hasText: '班子成员' }).locator('tbody tr');
  const out = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const link = rows.nth(i).locator('a[href^="/people/"]');
    if ((await link.count()) === 0) continue;
    const post = (await rows.nth(i).locator('td').first().innerText()).trim();
    const href = await link.getAttribute('href');
    out.push([post, (await link.innerText()).trim(), href.split('/').pop()]);
  }
  return out;
}

async function fullMembers(page) {
  // The card labelled exactly 正式党员 (党员合计's note names full members too).
  const label = page.locator('.stat-label', { hasText: /^正式党员$/ });
  const card = page.locator('.stat', { has: label }).locator('.stat-value');
  return Number((await card.innerText()).replace(/[^0-9]/g, ''));
}

async function rosterNames(page, orgId) {
  await page.goto(`${BASE_URL}/people?org=${orgId}&per_page=50`);
  return page.locator('table tbody').innerText();
}

test('组织关系转出：当日离开原支部名册、班子成员和人数统计，介绍信写明党费交至', async (t) => {
  const { page, problems } = await open(t, { abortable: ['/api/v1/orgs/pick'] });
  await login(page, 'dangwei', DEMO_PASSWORD);

  // The demo is consistent: nobody transferred out still holds a post in the first branch.
  await openBranch(page, '综合处党支部');
  const first = await officers(page);
  assert.ok(!first.some(([, name]) => name === '胡少华'), `胡少华 left the branch: ${JSON.stringify(first)}`);

  await openBranch(page, BRANCH);
  const orgUrl = page.url();
  const orgId = orgUrl.split('/').pop();
  const before = await officers(page);
  const full = await fullMembers(page);
  const leaving = before.find(([post]) => post !== '书记') ?? before[0];
  assert.ok(leaving, `the branch has officers: ${JSON.stringify(before)}`);
  const [post, name, personId] = leaving;
  assert.match(await rosterNames(page, orgId), new RegExp(name));

  // Transfer out of the system, with a letter.
  await page.goto(`${BASE_URL}/people/${personId}`);
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: '转接', exact: true }).click()]);
  assert.equal(path(page), '/transfers/new');
  await page.locator('#kind-out').check();
  await page.locator('#outside_org').fill('某某市人力资源和社会保障局机关党委');
  await page.locator('#reason').fill('调任市人力资源和社会保障局工作');
  await submit(page, '提交');
  assert.equal(path(page), '/transfers');
  const id = new URL(page.url()).searchParams.get('id');
  assert.ok(id, page.url());

  await page.goto(`${BASE_URL}/transfers/${id}/letter`);
  const letter = await page.locator('main').innerText();
  assert.match(letter, /党费已交到\d{4}年\d{1,2}月/, 'dues paid up to, from the ledger');
  await shot(page, 'transfer-letter');

  // Gone the same day: officers, count and roster of the old branch.
  await page.goto(orgUrl);
  const after = await officers(page);
  assert.ok(!after.some(([, n]) => n === name), `${name} (${post}) left the officers: ${JSON.stringify(after)}`);
  assert.equal(after.length, before.length - 1);
  assert.equal(await fullMembers(page), full - 1, 'the branch counts one full member fewer');
  await shot(page, 'transfer-branch-after');
  assert.doesNotMatch(await rosterNames(page, orgId), new RegExp(name));

  assert.deepEqual(problems, []);
});
