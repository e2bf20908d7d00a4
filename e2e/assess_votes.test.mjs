// 群众评议 and 申诉 on the demo's assessments: the 机关党委's admin issues two
// one-time ballots for the branch whose masses are short of ballots and sees
// the slips with their QR codes; a stranger with no login casts one on a
// phone-sized screen, and the same link is refused the second time; the
// board counts the cast while the mean stays 样本不足. Then the branch
// secretary appeals last year's closed result within its window, and the
// 机关党委 (the top, so it decides itself) amends it: the before and after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO_PASSWORD, login, open, path, shot } from './browser.mjs';

const YEAR = new Date().getFullYear();
const THIS_YEAR = `机关党委${YEAR}年度党支部书记抓党建和业务工作考核`;
const LAST_YEAR = `机关党委${YEAR - 1}年度党支部书记抓党建和业务工作考核`;

async function click(page, locator) {
  const [response] = await Promise.all([page.waitForNavigation(), locator.click()]);
  return response;
}

/// The board's row of a target: [已发放, 已投票, the mean's cell].
async function boardRow(page, name) {
  const cells = page.locator('table.ballots tbody tr', { hasText: name }).first().locator('td');
  const n = async (i) => Number((await cells.nth(i).innerText()).replace(/[^0-9]/g, ''));
  return [await n(2), await n(3), await cells.nth(4).innerText()];
}

test('群众评议：发放选票、匿名投票一次、重复使用被拒绝，样本不足时不显示平均分', async (t) => {
  const { context, page, problems } = await open(t);
  await login(page, 'dangwei', DEMO_PASSWORD);

  // 考评 → 考评任务 → this year's assessment → 群众评议.
  await click(page, page.locator('nav').getByRole('link', { name: '考评任务' }));
  assert.equal(path(page), '/assessments');
  await click(page, page.locator('table.assessments').getByRole('link', { name: THIS_YEAR, exact: true }));
  await click(page, page.getByRole('link', { name: '群众评议', exact: true }));
  assert.match(path(page), /^\/assessments\/[^/]+\/ballots$/);
  const boardUrl = page.url();
  await shot(page, 'votes-board');

  // The branch whose masses are short of ballots.
  const shortRow = page.locator('table.ballots tbody tr', { hasText: '样本不足' }).first();
  const target = (await shortRow.locator('td').first().innerText()).trim();
  const [issued0, cast0, mean0] = await boardRow(page, target);
  assert.match(mean0, /样本不足/);
  assert.ok(cast0 + 1 < 5, `${target}: ${cast0} cast, the threshold must stay unmet`);

  // Issue two: the slips open in a new page, each with its QR code and link.
  const form = page.locator('form.ballot-issue');
  await form.locator('#target_id').selectOption({ label: target });
  await form.locator('#count').fill('2');
  const [slipsPage] = await Promise.all([
    context.waitForEvent('page'),
    form.getByRole('button', { name: '发放选票' }).click(),
  ]);
  await slipsPage.waitForLoadState();
  const slips = slipsPage.locator('.slip');
  assert.equal(await slips.count(), 2);
  assert.equal(await slipsPage.locator('.slip-qr svg').count(), 2);
  assert.match(await slipsPage.locator('.slips-note').innerText(), /2 张选票只在本页显示一次/);
  assert.match(await slips.first().innerText(), new RegExp(`评议对象：${target}`));
  const links = await slipsPage.locator('.slip-link').allInnerTexts();
  assert.equal(links.length, 2);
  assert.notEqual(links[0], links[1]);
  for (const l of links) assert.match(l, /\/ballot\/[^/\s]+$/);
  await shot(slipsPage, 'votes-slips');
  await slipsPage.close();

  await page.goto(boardUrl);
  const [issued1, cast1] = await boardRow(page, target);
  assert.deepEqual([issued1, cast1], [issued0 + 2, cast0]);

  // A stranger: a fresh context with no login, on a phone.
  const stranger = await open(t);
  const phone = stranger.page;
  await phone.setViewportSize({ width: 375, height: 740 });
  const ballotUrl = `${BASE_URL}${new URL(links[0]).pathname}`;
  let r = await phone.goto(ballotUrl);
  assert.equal(r.status(), 200);
  assert.match(await phone.locator('.ballot-target').innerText(), new RegExp(target));
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= 375), 'no horizontal scroll at 375 px');
  await shot(phone, 'votes-ballot-375');
  const inputs = phone.locator('form.ballot-card input[type=number]');
  assert.ok((await inputs.count()) >= 1);
  for (let i = 0; i < (await inputs.count()); i++) {
    await inputs.nth(i).fill(await inputs.nth(i).getAttribute('max'));
  }
  r = await click(phone, phone.getByRole('button', { name: '提交评议' }));
  assert.equal(r.status(), 200);
  assert.match(await phone.locator('.notice-card').innerText(), /投票成功[\s\S]*感谢您参与群众评议/);
  await shot(phone, 'votes-ballot-thanks');

  // The same link again: refused, with the reason.
  r = await phone.goto(ballotUrl);
  assert.ok(r.status() >= 400 && r.status() < 500, `used ballot: ${r.status()}`);
  assert.match(await phone.locator('.notice-card').innerText(), /选票已失效/);
  assert.equal(await phone.locator('form.ballot-card').count(), 0);
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= 375));
  await shot(phone, 'votes-ballot-used');
  assert.deepEqual(stranger.problems, []);

  // Back on the board: one more cast, the mean still short of the threshold.
  await page.goto(boardUrl);
  const [issued2, cast2, mean2] = await boardRow(page, target);
  assert.deepEqual([issued2, cast2], [issued0 + 2, cast0 + 1]);
  assert.match(mean2, /样本不足/);
  assert.match(mean2, new RegExp(`${cast0 + 1}/5`));
  await shot(page, 'votes-board-after');
  assert.deepEqual(problems, []);
});

test('申诉：支部书记在期限内对上一年度结果提出申诉，机关党委改正并显示改正前后', async (t) => {
  const branch = await open(t);
  const bp = branch.page;
  await login(bp, 'shuji', DEMO_PASSWORD);
  await bp.goto(`${BASE_URL}/assessments?year=all`);
  await click(bp, bp.locator('table.assessments').getByRole('link', { name: LAST_YEAR, exact: true }));
  await click(bp, bp.getByRole('link', { name: '申诉', exact: true }));
  assert.match(path(bp), /^\/assessments\/[^/]+\/appeals$/);
  const appealsUrl = bp.url().split('?')[0];
  assert.doesNotMatch(await bp.locator('dl.facts').innerText(), /已过期限/);
  const form = bp.locator('form.appeal-form');
  const target = (await form.locator('#target_id option').first().innerText()).trim();
  await form.locator('#line').selectOption('C1');
  await form.locator('#reason').fill('互评打分时评议单位未掌握本支部全年党建工作情况，满意度得分偏低');
  let r = await click(bp, form.getByRole('button', { name: '提交申诉' }));
  assert.equal(r.status(), 200);
  assert.match(await bp.locator('.alert-success').innerText(), /申诉已提交/);
  let row = bp.locator('table.appeals tbody tr', { hasText: target });
  assert.match(await row.innerText(), /【C1 党建工作满意度】/);
  assert.match(await row.innerText(), /待处理/);
  assert.match(await row.innerText(), /等待上级党组织处理/);
  assert.equal(await bp.locator('form.decide-form').count(), 0, 'the appellant does not decide');
  await shot(bp, 'appeal-filed');

  // The 机关党委 is the top: it decides. 改正 C1 (a rated line, below full) to 10.
  const top = await open(t);
  const tp = top.page;
  await login(tp, 'dangwei', DEMO_PASSWORD);
  await tp.goto(appealsUrl);
  const decide = tp.locator('table.appeals tbody tr', { hasText: target }).locator('form.decide-form');
  await decide.locator('select[name=outcome]').selectOption('amended');
  await decide.locator('select[name=indicator_code]').selectOption('C1');
  await decide.locator('input[name=points]').fill('10');
  await decide.locator('textarea[name=comment]').fill('经复核，满意度得分予以改正');
  r = await click(tp, decide.getByRole('button', { name: '提交处理结果' }));
  assert.equal(r.status(), 200);
  assert.match(await tp.locator('.alert-success').innerText(), /申诉已处理/);
  await shot(tp, 'appeal-decided');

  // The appellant sees 已改正 with the before and after.
  await bp.goto(appealsUrl);
  row = bp.locator('table.appeals tbody tr', { hasText: target });
  const text = await row.innerText();
  assert.match(text, /已改正/);
  assert.match(text, /改正指标\s*C1 党建工作满意度：[\d.]+ → 10 分/);
  const total = text.match(/总分\s*([\d.]+) → ([\d.]+)/);
  assert.ok(total, text);
  assert.ok(Number(total[2]) > Number(total[1]), `the score rose: ${total[0]}`);
  assert.match(text, /等次\s*\S+ → \S+/);
  assert.match(text, /名次\s*第 \d+ 名 → 第 \d+ 名/);
  assert.match(text, /经复核，满意度得分予以改正/);
  assert.match(text, /王建国/);
  await shot(bp, 'appeal-amended');
  assert.deepEqual(branch.problems, []);
  assert.deepEqual(top.problems, []);
});
