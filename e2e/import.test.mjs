// A browser journey through the roster import as a 党务管理员 does it: download
// the template, fill it in Excel's way (the sample row 「示例：张三」 kept at
// row 2, one person of their own below it, the 入党日期 typed as a number,
// i.e. an Excel serial date), check it (预检), then press 导入 without
// choosing the file again.
//
// Run through scripts/e2e (a fresh demo database). It logs in only as
// `dangwei` and imports one person of its own (region 370202, born 1985,
// initials the demo and roster.test.mjs do not use).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, inflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { BASE_URL, DEMO_PASSWORD, login, open, path, shot } from './browser.mjs';

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

/// The entries of a zip file (an .xlsx), by name, uncompressed.
function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'the template is a zip (xlsx) file');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/// A zip file of `entries` (name → bytes), stored uncompressed.
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.size, 8);
  end.writeUInt16LE(entries.size, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const PERSON = { name: '慕容子墨', initials: 'mrzm', id: citizenId('37020219850615035'), org: '综合处党支部' };

/// Row 3 of the first sheet: the person, the 入党日期 as the number 40360.
function row3() {
  const text = (col, v) => `<c r="${col}3" t="inlineStr"><is><t>${v}</t></is></c>`;
  return (
    `<row r="3">${text('A', PERSON.name)}${text('B', '男')}${text('C', PERSON.id)}` +
    `${text('E', PERSON.org)}${text('F', '正式党员')}<c r="G3"><v>40360</v></c></row>`
  );
}

test('15. 党务管理员下载模板、保留示例行填写、预检后不重新选择文件直接导入', async (t) => {
  const { page, problems } = await open(t, { acceptDownloads: true, abortable: ['/people/template.xlsx'] });
  await login(page, 'dangwei', DEMO_PASSWORD);
  assert.equal(path(page), '/');
  let filled;

  await t.test('下载模板：示例行以“示例”开头', async () => {
    await page.goto(`${BASE_URL}/people/import`);
    assert.match(await page.locator('.steps-hint').innerText(), /示例行不会导入/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '下载模板' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), '党员名册导入模板.xlsx');
    const entries = unzip(readFileSync(await download.path()));
    const strings = entries.get('xl/sharedStrings.xml')?.toString('utf8') ?? '';
    assert.match(strings, /示例：张三/, 'the sample row is marked');
    const sheet = entries.get('xl/worksheets/sheet1.xml').toString('utf8');
    assert.match(sheet, /<row r="2"/, 'the sample row is row 2');
    entries.set('xl/worksheets/sheet1.xml', Buffer.from(sheet.replace('</sheetData>', `${row3()}</sheetData>`), 'utf8'));
    filled = zip(entries);
  });

  await t.test('预检：示例行不计入，数字日期读作日期，检查通过', async () => {
    await page.locator('#file').setInputFiles({
      name: '党员名册导入模板.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: filled,
    });
    const checked = await follow(page, page.getByRole('button', { name: '检查（不写入）' }));
    assert.equal(checked.status(), 200);
    const card = await page.locator('.card').last().innerText();
    assert.match(card, /检查通过：共 1 行，全部正确，可以导入/, card);
    assert.match(card, /第 2 行为模板示例行，不导入/);
    assert.match(await page.locator('.staged-file').innerText(), /已检查的文件：党员名册导入模板\.xlsx，可直接导入/);
    assert.equal(await page.locator('#file').evaluate((e) => e.files.length), 0, 'no file is chosen on the new page');
    await shot(page, 'import-checked-kept');
  });

  await t.test('导入：不重新选择文件，直接导入，新增 1 人', async () => {
    const imported = await follow(page, page.getByRole('button', { name: '导入', exact: true }));
    assert.equal(imported.status(), 200);
    const done = page.locator('.card .alert-success');
    assert.match(await done.innerText(), /导入完成：新增 1 人/);
    await shot(page, 'import-done-without-rechoosing');
    await page.goto(`${BASE_URL}/people?q=${PERSON.initials}`);
    const rows = page.locator('table.table tbody tr');
    assert.equal(await rows.count(), 1, 'the person is on the roster');
    assert.match(await rows.first().innerText(), new RegExp(PERSON.name));
    await page.goto(`${BASE_URL}/people?q=zs`);
    assert.ok(!(await page.locator('table.table').innerText()).includes('示例'), 'the sample row was not imported');
  });

  await t.test('人员详情：入党日期为 2010-07-01（Excel 序列号 40360）', async () => {
    await page.goto(`${BASE_URL}/people?q=${PERSON.initials}`);
    await follow(page, page.locator('table.table tbody tr').first().getByRole('link', { name: '查看' }));
    const body = await page.locator('main, .app').first().innerText();
    assert.match(body, /2010-07-01|2010年7月1日/, body);
  });

  assert.deepEqual(problems, []);
});
