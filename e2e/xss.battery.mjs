// S5 of the reliability battery: 50 XSS payloads stored in every text field
// the API takes for meetings, goals, KPIs, people and organizations, then the
// pages that show them rendered in Chromium. A payload that runs calls
// alert/confirm/prompt or __xss(); each call is counted. Prints a JSON line.
//   BASE_URL=http://127.0.0.1:PORT OUT=result.json node xss.battery.mjs
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const BASE = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const COUNT = Number(process.env.PAYLOADS || 50);
const PASSWORD = 'Tongpin@2026';

const PAYLOADS = [
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>', '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>", '<body onload=alert(1)>', '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">点我</a>', '<details open ontoggle=alert(1)>', '<input autofocus onfocus=alert(1)>',
  '<video><source onerror=alert(1)></video>', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<svg><script>alert(1)</script></svg>', '<object data="javascript:alert(1)">', '<embed src="javascript:alert(1)">',
  '<marquee onstart=alert(1)>', '<select autofocus onfocus=alert(1)>', '<textarea autofocus onfocus=alert(1)>',
  '<keygen autofocus onfocus=alert(1)>', '<isindex type=image src=1 onerror=alert(1)>',
  '</title><script>alert(1)</script>', '</textarea><script>alert(1)</script>', '</script><script>alert(1)</script>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>', '<IMG SRC=JaVaScRiPt:alert(1)>', '<img src="x" onerror="&#97;lert(1)">',
  '<svg/onload=alert(1)>', '<img src=x:alert(1) onerror=eval(src)>', '"onmouseover="alert(1)', "' onfocus='alert(1)' autofocus='",
  'javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', '<base href="javascript:alert(1)//">',
  '<link rel=import href="data:text/html,<script>alert(1)</script>">', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<form><button formaction=javascript:alert(1)>X</button></form>', '<style>@import "javascript:alert(1)";</style>',
  '<div style="background:url(javascript:alert(1))">', '{{constructor.constructor(\'alert(1)\')()}}', '${alert(1)}',
  '<img src=x onerror=__xss()>', '<svg><animate onbegin=alert(1) attributeName=x dur=1s>', '<audio src=x onerror=alert(1)>',
  '<x contenteditable onblur=alert(1)>lose focus!</x>', '<img srcset=",,,,,x" onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', '<template><script>alert(1)</script></template>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">X</text></a></svg>', '"><svg onload=prompt(1)>',
  '<img src=1 onerror=confirm(1)>',
].slice(0, COUNT);

async function api(method, path, token, body) {
  const r = await fetch(`${BASE}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let json = null;
  try { json = await r.json(); } catch {}
  return { status: r.status, json };
}

const token = (await api('POST', '/api/v1/session', null, { username: 'dangwei', password: PASSWORD })).json.token;
const orgs = (await api('GET', '/api/v1/orgs', token)).json.items;
const branch = orgs.find((o) => o.kind === 'branch' && !o.dissolved_at).id;

const stored = { accepted: 0, refused: 0, server_errors: 0 };
const meetings = [];
const goals = [];
const tally = (r) => {
  if (r.status >= 500) stored.server_errors++;
  else if (r.status < 300) stored.accepted++;
  else stored.refused++;
  return r;
};
for (const [i, p] of PAYLOADS.entries()) {
  const m = tally(await api('POST', '/api/v1/meetings', token, {
    org_id: branch, kind: 'theme_day', status: 'planned', held_at: `2027-0${1 + (i % 9)}-1${i % 10}T09:00`,
    topic: p, agenda: p, place: p,
  }));
  if (m.json?.id) meetings.push(m.json.id);
  const g = tally(await api('POST', '/api/v1/goals', token, {
    org_id: branch, year: 2026, title: p, description: p,
    kpis: [{ name: p, unit: '%', baseline: 1, target: 2, direction: 'higher' }],
  }));
  if (g.json?.id) goals.push(g.json.id);
  tally(await api('POST', '/api/v1/people', token, { name: p, org_id: branch, status: 'applicant', admin_post: p, party_post: p }));
  tally(await api('POST', '/api/v1/orgs', token, { name: p, kind: 'group', parent_id: branch }));
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let executed = 0;
const pages = [
  '/', '/orgs', `/orgs/${branch}`, '/people', '/people?q=%3C', `/plan?org=${branch}&year=2026`,
  `/plan/fusion?org=${branch}&year=2026`, `/plan/matrix?org=${branch}&year=2026`, `/plan/timeline?org=${branch}&year=2026`,
  `/life?org=${branch}`, '/todos', '/units',
  ...meetings.map((id) => `/life/meetings/${id}`),
  ...goals.slice(0, 10).map((id) => `/plan/goals/${id}/edit`),
];
try {
  const context = await browser.newContext({ locale: 'zh-CN' });
  await context.exposeFunction('__xssHit', () => { executed++; });
  await context.addInitScript(() => {
    const hit = () => window.__xssHit();
    window.alert = hit;
    window.confirm = hit;
    window.prompt = hit;
    window.__xss = hit;
  });
  const page = await context.newPage();
  page.on('dialog', (d) => { executed++; d.dismiss().catch(() => {}); });
  await page.goto(`${BASE}/login`);
  await page.locator('#username').fill('dangwei');
  await page.locator('#password').fill(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /登\s*录/ }).click()]);
  for (const p of pages) {
    await page.goto(`${BASE}${p}`, { waitUntil: 'load' });
    // Focus and hover handlers get their chance too.
    await page.keyboard.press('Tab').catch(() => {});
    await page.mouse.move(200, 300).catch(() => {});
    await page.waitForTimeout(150);
  }
} finally {
  await browser.close();
}

const result = { payloads: PAYLOADS.length, fields: 11, ...stored, pages: pages.length, executed };
if (process.env.OUT) writeFileSync(process.env.OUT, JSON.stringify(result, null, 1));
console.log(JSON.stringify(result));
process.exit(executed === 0 && stored.server_errors === 0 ? 0 : 1);
