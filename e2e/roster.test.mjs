// A browser journey through the roster (党员名册) as a 党务管理员 walks it:
// import a file with three bad rows, read the error report, fix the file and
// import it, find a person by pinyin initials, record two development steps
// and be refused a third that is dated too early, and export the list.
//
// Run through scripts/e2e, which starts `tongpin demo` on a fresh database
// and passes its address in BASE_URL. This file may run before, after or
// alongside journeys.test.mjs: it logs in only as `dangwei` (党务管理员 over
// the whole 机关党委), whom that file neither changes nor locks, and works on
// five people it imports itself (citizen IDs from region 370202, born in the
// 1990s, names whose pinyin initials the demo does not use), so a fresh demo
// database is all it needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_URL, DEMO_PASSWORD, SHOTS, login, open, path, shot } from './browser.mjs';

/// Clicks and waits for the page it leads to; returns the document response.
async function follow(page, locator) {
  const [response] = await Promise.all([page.waitForNavigation(), locator.click()]);
  return response;
}

/// The 18-character citizen ID for 17 digits, with the GB 11643 check digit.
function citizenId(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

/// The same ID with a check digit that is certainly wrong.
function wrongCheck(id) {
  const right = id.at(-1);
  return id.slice(0, 17) + (right === '0' ? '1' : '0');
}

/// 110105********002X, as the roster shows a citizen ID.
function maskedId(id) {
  return `${id.slice(0, 6)}********${id.slice(-4)}`;
}

/// Today in Beijing, `days` earlier, as YYYY-MM-DD.
function beijingDate(daysAgo) {
  const ms = Date.now() + 8 * 3600_000 - daysAgo * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

const HEADER = ['姓名', '性别', '身份证号', '手机号', '所属组织', '人员类别', '入党日期'];

// Five new people; the 17th digit of the ID is odd for men, even for women.
// 欧阳雪晴 is the applicant whose development the journey records.
const APPLICANT = {
  name: '欧阳雪晴',
  initials: 'oyxq',
  id: citizenId('37020219950314022'),
  phone: '13706391428',
  org: '综合处党支部',
};
const PEOPLE = [
  [APPLICANT.name, '女', APPLICANT.id, APPLICANT.phone, APPLICANT.org, '入党申请人', ''],
  ['司马云飞', '男', citizenId('37020219920708031'), '15863120457', '综合处党支部', '正式党员', '2018-07-01'],
  ['诸葛明轩', '男', citizenId('37020219971122015'), '18653290316', '办公室党总支', '群众', ''],
  ['上官婉清', '女', citizenId('37020219900405024'), '13589274610', '机关党委', '正式党员', '2016-06-30'],
  ['东方晨曦', '女', citizenId('37020219981230046'), '13953207781', '综合处党支部', '群众', ''],
];

function csv(rows) {
  return Buffer.from([HEADER, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');
}

async function upload(page, rows, name) {
  await page.locator('#file').setInputFiles({ name, mimeType: 'text/csv', buffer: csv(rows) });
}

/// The import error table as [row, column, message] triples.
async function importErrors(page) {
  const table = page.locator('table.import-errors');
  await table.waitFor();
  const rows = table.locator('tbody tr');
  const out = [];
  for (let i = 0; i < (await rows.count()); i++) {
    out.push((await rows.nth(i).locator('td').allInnerTexts()).map((s) => s.trim()));
  }
  return out;
}

/// The people of the roster whose pinyin or initials start with `q`.
async function search(page, q) {
  await page.goto(`${BASE_URL}/people?q=${encodeURIComponent(q)}`);
  return page.locator('table.table tbody tr').filter({ has: page.locator('a', { hasText: '查看' }) });
}

// One journey; its stages are subtests on one page, so a stage that fails is
// reported by name and the later stages still run.
test('5. 党务管理员导入名册、按拼音首字母查找、登记发展步骤、导出', async (t) => {
  const { page, problems } = await open(t, { acceptDownloads: true, abortable: ['/people/export', '/api/v1/orgs/pick'] });

  await login(page, 'dangwei', DEMO_PASSWORD);
  assert.equal(path(page), '/');
  assert.match(await page.locator('.welcome').innerText(), /王建国/);

  // Rows are numbered as in a spreadsheet: the header is row 1.
  const bad = PEOPLE.map((r) => [...r]);
  bad[1][2] = wrongCheck(bad[1][2]); // row 3: 司马云飞's check digit
  bad[2][4] = '宣传处党支部'; // row 4: no such organization
  bad[4][3] = '13953'; // row 6: a five-digit phone

  await t.test('导入：检查（不写入）按行、列列出三处错误', async () => {
    await page.goto(`${BASE_URL}/people`);
    await follow(page, page.locator('.toolbar').getByRole('link', { name: '导入', exact: true }));
    assert.equal(path(page), '/people/import');
    assert.match(await page.locator('h1.page-title').innerText(), /批量导入党员名册/);

    await upload(page, bad, '党员名册.csv');
    const checked = await follow(page, page.getByRole('button', { name: '检查（不写入）' }));
    assert.equal(checked.status(), 200);
    const errors = await importErrors(page);
    await shot(page, 'roster-import-errors');
    assert.deepEqual(
      errors.map(([row, column]) => [row, column]),
      [
        ['3', '身份证号'],
        ['4', '所属组织'],
        ['6', '手机号'],
      ],
      `the error report: ${JSON.stringify(errors)}`,
    );
    assert.match(errors[0][2], /校验位错误/);
    assert.match(errors[1][2], /找不到“宣传处党支部”/);
    assert.match(errors[2][2], /应为 11 位数字的手机号码/);
    // The answer of a check, not of an import.
    const alert = page.locator('.card .alert-error');
    assert.match(await alert.innerText(), /检查完成：共 5 行，2 行正确，发现 3 个问题，未写入任何数据/);
  });

  await t.test('导入：有错误时不勾选“仅导入正确的行”，整个文件不写入', async () => {
    await page.goto(`${BASE_URL}/people/import`);
    await upload(page, bad, '党员名册.csv');
    assert.equal(await page.locator('input[name="valid_only"]').isChecked(), false);
    await follow(page, page.getByRole('button', { name: '导入', exact: true }));
    const alert = page.locator('.card .alert-error');
    await alert.waitFor();
    assert.match(await alert.innerText(), /共 5 行，发现 3 个问题，未写入任何数据/);
    assert.equal((await importErrors(page)).length, 3);
    // Not even the two good rows were written.
    assert.equal(await (await search(page, 'dfcx')).count(), 0, '东方晨曦 is not on the roster');
    assert.equal(await (await search(page, APPLICANT.initials)).count(), 0, `${APPLICANT.name} is not on the roster`);
  });

  await t.test('导入：修正后的文件检查通过，检查不写入', async () => {
    await page.goto(`${BASE_URL}/people/import`);
    await upload(page, PEOPLE, '党员名册（已修正）.csv');
    await follow(page, page.getByRole('button', { name: '检查（不写入）' }));
    await shot(page, 'roster-import-checked');
    const verdict = (await page.locator('.card [role="status"], .card [role="alert"]').last().innerText()).trim();
    const written = await (await search(page, 'dfcx')).count();
    assert.match(verdict, /检查通过：共 5 行，全部正确，可以导入/, `a check of the fixed file answered: ${verdict}`);
    assert.equal(written, 0, 'a check writes nobody');
  });

  await t.test('导入：修正后的文件导入，新增 5 人', async () => {
    await page.goto(`${BASE_URL}/people/import`);
    await upload(page, PEOPLE, '党员名册（已修正）.csv');
    const imported = await follow(page, page.getByRole('button', { name: '导入', exact: true }));
    assert.equal(imported.status(), 200);
    await shot(page, 'roster-import-done');
    const done = page.locator('.card .alert-success');
    assert.equal(await done.count(), 1, `the import answered: ${await page.locator('.card').last().innerText()}`);
    assert.match(await done.innerText(), /导入完成：新增 5 人/);
    assert.equal(await page.locator('table.import-errors').count(), 0);
  });

  await t.test('按拼音首字母查到且只查到一人，身份证号、手机号脱敏', async () => {
    await page.goto(`${BASE_URL}/people`);
    await page.locator('input[name="q"]').fill(APPLICANT.initials);
    await follow(page, page.getByRole('button', { name: '搜索' }));
    assert.equal(path(page), '/people');
    assert.equal(new URL(page.url()).searchParams.get('q'), APPLICANT.initials);
    const found = page.locator('table.table tbody tr');
    assert.equal(await found.count(), 1, 'one person has these initials');
    const cells = (await found.first().locator('td').allInnerTexts()).map((s) => s.trim());
    assert.equal(cells[0], APPLICANT.name);
    assert.equal(cells[1], '女', 'the gender comes from the citizen ID');
    assert.match(cells[2], /综合处党支部/);
    assert.equal(cells[3], '入党申请人');
    assert.ok(cells[4].includes('********'), `the citizen ID is masked: ${cells[4]}`);
    assert.equal(cells[4], maskedId(APPLICANT.id));
    assert.equal(cells[5], `${APPLICANT.phone.slice(0, 3)}****${APPLICANT.phone.slice(-4)}`, 'the phone is masked');
    const listed = await page.locator('table.table').innerText();
    assert.ok(!listed.includes(APPLICANT.id) && !listed.includes(APPLICANT.phone), 'no full ID or phone is shown');
    await shot(page, 'roster-search');
  });

  await t.test('登记第 1、2 步；早于第 2 步日期的第 3 步被拒', async () => {
    const found = await search(page, APPLICANT.initials);
    assert.equal(await found.count(), 1);
    await follow(page, found.first().getByRole('link', { name: '查看' }));
    assert.match(path(page), /^\/people\/[^/]+$/);
    await follow(page, page.locator('nav.tabs').getByRole('link', { name: '发展过程' }));
    assert.match(path(page), /^\/develop\/[^/]+$/);
    const developPath = path(page);
    assert.match(await page.locator('h1.page-title').innerText(), new RegExp(APPLICANT.name));
    const recorded = page.locator('ol.timeline li.tl-step.done');
    assert.equal(await recorded.count(), 0, 'nothing recorded yet');
    const side = page.locator('aside.dev-side');
    const heading = side.locator('h2', { hasText: '办理第' });

    const applied = beijingDate(10);
    const talked = beijingDate(4);
    const tooEarly = beijingDate(7);
    const steps = [
      { no: 1, name: '递交入党申请', on: applied, responsible: APPLICANT.name },
      { no: 2, name: '谈话', on: talked, responsible: '张志强' },
    ];
    for (const s of steps) {
      assert.match(await heading.innerText(), new RegExp(`办理第 ${s.no} 步：${s.name}`));
      await page.locator('#done_on').fill(s.on);
      await page.locator('#responsible').fill(s.responsible);
      const saved = await follow(page, side.getByRole('button', { name: '保存' }));
      assert.equal(saved.status(), 200);
      assert.equal(path(page), developPath);
      assert.equal(new URL(page.url()).searchParams.get('done'), String(s.no));
      assert.match(await side.locator('.alert-success').innerText(), new RegExp(`已登记第 ${s.no} 步「${s.name}」`));
      assert.equal(await recorded.count(), s.no, `${s.no} step(s) on the timeline`);
      const entry = recorded.nth(s.no - 1);
      assert.match(await entry.locator('.tl-title').innerText(), new RegExp(`${s.name}\\s*${s.on}`));
      assert.match(await entry.locator('.tl-meta').first().innerText(), new RegExp(`负责人：${s.responsible}`));
    }

    assert.match(await heading.innerText(), /办理第 3 步：推荐和确定入党积极分子/);
    await page.locator('#done_on').fill(tooEarly);
    await page.locator('#responsible').fill('张志强');
    const refused = await follow(page, side.getByRole('button', { name: '保存' }));
    assert.equal(refused.status(), 422);
    const refusal = (await side.locator('.alert-error').innerText()).trim();
    assert.match(refusal, /不符合「办理日期不得早于前一步骤」/, refusal);
    assert.ok(refusal.includes(`日期 ${tooEarly} 早于第 2 步「谈话」的日期 ${talked}`), refusal);
    assert.match(refusal, /未保存/);
    assert.equal(await page.locator('#done_on').inputValue(), tooEarly, 'the typed date is kept');
    assert.equal(await page.locator('#done_on').getAttribute('aria-invalid'), 'true');
    assert.equal(await recorded.count(), 2, 'the timeline still shows two recorded steps');
    assert.match(await page.locator('.person-head .muted').innerText(), /已办理 2\/25 步/);
    await shot(page, 'roster-develop-refused');
  });

  await t.test('按组织筛选后导出 Excel 和 CSV（脱敏）', async () => {
    await page.goto(`${BASE_URL}/people`);
    // The organization chooser is a type-ahead: part of the name, then a suggestion with its path.
    const box = page.getByRole('combobox', { name: '所属组织' });
    await box.fill('综合处');
    const option = page.getByRole('option', { name: /综合处党支部/ }).first();
    await option.waitFor();
    assert.match(await option.innerText(), /机关党委\/.*综合处党支部/, 'a suggestion shows its name path');
    await option.click();
    await follow(page, page.getByRole('button', { name: '搜索' }));
    assert.ok(new URL(page.url()).searchParams.get('org'), 'the list is filtered by organization');
    assert.match(await box.inputValue(), /综合处党支部$/, 'the chosen organization stays in the box by its path');

    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出 Excel' }).click(),
    ]);
    assert.match(xlsx.suggestedFilename(), /^党员名册_\d{12}\.xlsx$/);
    const xlsxPath = join(SHOTS, 'roster-export.xlsx');
    await xlsx.saveAs(xlsxPath);
    const book = readFileSync(xlsxPath);
    assert.equal(book.subarray(0, 2).toString('latin1'), 'PK', 'an .xlsx is a zip file');
    const size = statSync(xlsxPath).size;
    assert.ok(size > 2_000 && size < 5_000_000, `the workbook is ${size} bytes`);

    const [sheet] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出 CSV' }).click(),
    ]);
    assert.match(sheet.suggestedFilename(), /^党员名册_\d{12}\.csv$/);
    const csvPath = join(SHOTS, 'roster-export.csv');
    await sheet.saveAs(csvPath);
    const text = readFileSync(csvPath, 'utf8').replace(/^\uFEFF/, '');
    assert.ok(text.startsWith('姓名,性别,身份证号,手机号,所属组织,人员类别,入党日期'), text.slice(0, 80));
    const lines = text.trim().split(/\r?\n/);
    const mine = lines.find((l) => l.startsWith(`${APPLICANT.name},`));
    assert.ok(mine, 'the applicant is in the branch export');
    assert.ok(mine.includes(maskedId(APPLICANT.id)), `the ID is masked: ${mine}`);
    assert.ok(!text.includes(APPLICANT.id), 'no full citizen ID is exported');
    for (const [name, , , , where] of PEOPLE) {
      const expected = where === '综合处党支部';
      assert.equal(text.includes(`${name},`), expected, `${name} (${where}) ${expected ? 'is' : 'is not'} exported`);
    }
    assert.ok(lines.length > 5, `the branch has its demo people too (${lines.length - 1} rows)`);
  });

  assert.deepEqual(problems, []);
});
