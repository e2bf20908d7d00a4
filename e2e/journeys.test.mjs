// Browser journeys through 同频 as a person would walk them: log in, change
// the password, log out, get locked out, read the audit log, be refused.
//
// Run through scripts/e2e, which starts `tongpin demo` on a fresh database
// and passes its address in BASE_URL. The tests share that server and run
// in file order (node:test runs a file's top-level tests one after another):
// journey 3 reads the audit records that journeys 1 and 2 leave behind.
// Each test opens its own browser context, so no cookie is shared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, DEMO_PASSWORD, login, open, path, shot } from './browser.mjs';

const NEW_PASSWORD = 'Hongqi#Piao2027';

async function errorText(page) {
  const alert = page.locator('.alert-error');
  await alert.waitFor();
  return (await alert.innerText()).trim();
}

async function openUserMenu(page) {
  const menu = page.locator('details.user-menu');
  if (!(await menu.evaluate((d) => d.open))) {
    await menu.locator('summary').click();
  }
  assert.equal(await menu.evaluate((d) => d.open), true, 'the user menu opens');
  return menu;
}

test('1. 党员修改密码、退出、旧密码被拒、新密码可登录', async (t) => {
  const { page, problems } = await open(t);

  await page.goto(`${BASE_URL}/login`);
  assert.match(await page.title(), /登录/);
  await assert.doesNotReject(page.locator('#username').waitFor());
  await shot(page, 'login');

  await login(page, 'dangyuan', DEMO_PASSWORD);
  assert.equal(path(page), '/', 'lands on the home page');
  const welcome = page.locator('.welcome');
  await welcome.waitFor();
  assert.match(await welcome.innerText(), /刘晓燕/);
  assert.match(await page.locator('.sidebar').innerText(), /我的工作台/);
  await shot(page, 'home');

  const menu = await openUserMenu(page);
  await Promise.all([page.waitForNavigation(), menu.getByRole('link', { name: '修改密码' }).click()]);
  assert.equal(path(page), '/password');
  await page.locator('#old_password').fill(DEMO_PASSWORD);
  await page.locator('#new_password').fill(NEW_PASSWORD);
  await page.locator('#confirm_password').fill(NEW_PASSWORD);
  const [saved] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: '保存' }).click(),
  ]);
  assert.equal(saved.status(), 200);
  const success = page.locator('.alert-success');
  await success.waitFor();
  assert.match(await success.innerText(), /密码已修改/);
  await shot(page, 'password');

  const menu2 = await openUserMenu(page);
  await shot(page, 'user-menu');
  await Promise.all([page.waitForNavigation(), menu2.getByRole('button', { name: '退出登录' }).click()]);
  assert.equal(path(page), '/login', 'logout lands on the login page');
  const info = page.locator('.alert-info');
  await info.waitFor();
  assert.match(await info.innerText(), /您已安全退出/);
  await shot(page, 'logged-out');

  // The session is gone: the home page sends us back to the login page.
  await page.goto(`${BASE_URL}/`);
  assert.equal(path(page), '/login', 'home after logout redirects to login');

  const refused = await login(page, 'dangyuan', DEMO_PASSWORD);
  assert.equal(refused.status(), 401);
  assert.match(await errorText(page), /用户名或密码错误/);
  assert.equal(path(page), '/login');

  await login(page, 'dangyuan', NEW_PASSWORD);
  assert.equal(path(page), '/');
  assert.match(await page.locator('.welcome').innerText(), /刘晓燕/);

  assert.deepEqual(problems, []);
});

test('2. 密码错误提示中文；连续错误后账号锁定，正确密码也被拒', async (t) => {
  const { page, problems } = await open(t);

  const first = await login(page, 'jijian', 'Wrong#Pass1');
  assert.equal(first.status(), 401);
  const message = await errorText(page);
  assert.match(message, /用户名或密码错误/);
  assert.equal(await page.locator('#username').inputValue(), 'jijian', 'the username is kept');
  assert.equal(await page.locator('#password').inputValue(), '', 'the password is not echoed');
  await shot(page, 'login-error');

  for (let n = 2; n <= 4; n++) {
    await login(page, 'jijian', `Wrong#Pass${n}`);
    assert.match(await errorText(page), /用户名或密码错误/, `attempt ${n}`);
    assert.doesNotMatch(await errorText(page), /账号已锁定/, `attempt ${n} does not lock yet`);
  }
  // The fifth failure in a row locks the account ...
  const fifth = await login(page, 'jijian', 'Wrong#Pass5');
  assert.equal(fifth.status(), 423);
  assert.match(await errorText(page), /账号已锁定/);
  // ... the sixth is refused as locked ...
  const sixth = await login(page, 'jijian', 'Wrong#Pass6');
  assert.equal(sixth.status(), 423);
  assert.match(await errorText(page), /账号已锁定/);
  await shot(page, 'lock');
  // ... and so is the right password.
  const right = await login(page, 'jijian', DEMO_PASSWORD);
  assert.equal(right.status(), 423);
  assert.match(await errorText(page), /账号已锁定/);
  assert.equal(path(page), '/login');

  // No session was opened: the home page still wants a login.
  await page.goto(`${BASE_URL}/`);
  assert.equal(path(page), '/login');

  assert.deepEqual(problems, []);
});

test('3. 审计管理员查看审计日志并校验完整性', async (t) => {
  const { page, problems } = await open(t);

  await login(page, 'shenji', DEMO_PASSWORD);
  assert.equal(path(page), '/');
  assert.match(await page.locator('.welcome').innerText(), /审计管理员/);
  const sidebar = await page.locator('.sidebar').innerText();
  assert.match(sidebar, /审计日志/);
  assert.doesNotMatch(sidebar, /账号管理/);

  await Promise.all([
    page.waitForNavigation(),
    page.locator('.sidebar').getByRole('link', { name: '审计日志' }).click(),
  ]);
  assert.equal(path(page), '/admin/audit');
  const table = page.locator('table.audit');
  await table.waitFor();
  const rows = table.locator('tbody tr');
  assert.ok((await rows.count()) > 0, 'the audit table has rows');
  const text = await table.innerText();
  for (const label of ['登录', '修改密码', '退出登录', '成功', '失败', '拒绝']) {
    assert.ok(text.includes(label), `the audit table shows ${label}`);
  }
  // The password change of journey 1, and jijian's failures of journey 2.
  const change = rows.filter({ hasText: '修改密码' }).filter({ hasText: '刘晓燕' });
  assert.ok((await change.count()) >= 1, 'dangyuan\'s password change is logged');
  assert.equal((await change.first().locator('.tag').innerText()).trim(), '成功');
  const failures = rows.filter({ hasText: 'jijian' }).filter({ has: page.locator('.tag', { hasText: '失败' }) });
  assert.ok((await failures.count()) >= 5, 'jijian\'s five failed logins are logged');
  const denied = rows.filter({ hasText: 'jijian' }).filter({ has: page.locator('.tag', { hasText: '拒绝' }) });
  assert.ok((await denied.count()) >= 2, 'the logins refused while locked are logged');
  await shot(page, 'audit');

  // The filter: only failures.
  await page.locator('select[name="result"]').selectOption('failed');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '搜索' }).click()]);
  assert.equal(new URL(page.url()).searchParams.get('result'), 'failed');
  const tags = await page.locator('table.audit tbody .tag').allInnerTexts();
  assert.ok(tags.length >= 5, 'the failure filter keeps the failures');
  assert.ok(tags.every((s) => s.trim() === '失败'), `only 失败 is left: ${tags.join(',')}`);

  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '校验完整性' }).click()]);
  const ok = page.locator('.alert-success');
  await ok.waitFor();
  assert.match(await ok.innerText(), /审计链完整/);
  await shot(page, 'audit-verified');

  assert.deepEqual(problems, []);
});

test('4. 系统管理员打开审计日志得到 403', async (t) => {
  const { page, problems } = await open(t);

  await login(page, 'admin', DEMO_PASSWORD);
  assert.equal(path(page), '/');
  const sidebar = await page.locator('.sidebar').innerText();
  assert.match(sidebar, /账号管理/);
  assert.doesNotMatch(sidebar, /审计日志/);

  const response = await page.goto(`${BASE_URL}/admin/audit`);
  assert.equal(response.status(), 403);
  assert.match(await page.locator('body').innerText(), /没有此项操作的权限/);
  assert.equal(await page.locator('table.audit').count(), 0, 'no audit record is shown');
  await shot(page, 'forbidden');

  assert.deepEqual(problems, []);
});
