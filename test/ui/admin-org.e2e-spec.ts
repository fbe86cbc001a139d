import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, startStack, type Stack, stopStack } from '../support/stack.js';
import { freePort, type RunningApp, startBuilt } from '../support/test-env.js';
import { DESK, inspect, openContext, PHONE, scrollWidth, signIn, type Troubles } from './browser.js';

const FIRST_PASSWORD = 'first-pass-123';
const NEW_PASSWORD = 'second-pass-456';

/** The Ant Design select of the form field labelled `label`, or the one whose input is aria-labelled so. */
function select(page: Page, label: string) {
  const byField = page
    .locator('.ant-form-item:visible')
    .filter({ has: page.locator(`label:text-is("${label}")`) })
    .locator('.ant-select');
  return byField.or(page.locator(`.ant-select:has([aria-label="${label}"])`)).first();
}

/** Picks `option` in the select labelled `label` (typing it first when the select searches). */
async function choose(page: Page, label: string, option: string, { search = false, multiple = false } = {}): Promise<void> {
  await select(page, label).click();
  if (search) await page.keyboard.type(option);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first().click();
  // A multiple select stays open: a click on its label closes it, so it does not cover what comes next.
  if (multiple) await page.locator(`label:text-is("${label}")`).click();
}

/**
 * Issue 18 points 1 and 5 through the browser only, against the built api and worker on a private
 * database: an admin builds the organisation (a department, a user; a cycle and a handler without
 * a department refused in the api's words), disabling a user ends their open session, a user
 * changes their password on /me and logs in with it, and a webhook's test delivery shows in its
 * deliveries with status and attempts. Desk and phone, no 5xx, no script error, axe clean.
 */
describe('web console: organisation and webhooks (browser)', () => {
  let stack: Stack;
  let worker: RunningApp;
  let sink: Server;
  let sinkUrl: string;
  /** What the local subscriber received; it refuses the first POST, so the delivery takes two attempts. */
  const received: IncomingHttpHeaders[] = [];
  const troubles: Troubles = { serverErrors: [], consoleErrors: [], violations: [] };
  const closers: (() => Promise<void>)[] = [];
  let admin: Page;
  let webhookId: string;

  const open = async (viewport: typeof DESK) => {
    const { context, close } = await openContext(viewport, troubles);
    closers.push(close);
    return context.newPage();
  };
  const modal = (page: Page) => page.locator('.ant-modal-wrap:visible');

  beforeAll(async () => {
    sink = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(req.headers);
        res.statusCode = received.length === 1 ? 503 : 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}/duban-hook`;
    // The subscriber listens on loopback, which only an allow list lets webhooks reach.
    stack = await startStack({ WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });
    const port = await freePort();
    worker = await startBuilt(
      'apps/worker/src/main.js',
      { ...stack.testEnv.env, WORKER_PORT: String(port), WEBHOOK_BACKOFF_MS: '300', WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
      port,
      '/health',
    );
    admin = await open(DESK);
    await admin.goto(`${stack.api.url}/`);
    await signIn(admin, 'admin', DEMO_PASSWORD);
  }, 180_000);

  afterAll(async () => {
    for (const close of closers) await close();
    await worker?.stop();
    await stopStack(stack ?? {});
    await new Promise((resolve) => sink?.close(resolve));
  }, 120_000);

  it('an admin creates a department under the bureau, and moving the bureau under it is refused with the api’s message', async () => {
    await admin.getByRole('link', { name: '单位与用户' }).click();
    await admin.waitForURL('**/admin/departments');
    const tree = admin.getByRole('tree');
    await tree.getByText('市政务服务数据管理局').waitFor();

    await admin.getByRole('button', { name: '新建单位' }).click();
    await modal(admin).getByLabel('名称').fill('信息化科');
    await modal(admin).getByLabel('编码').fill('xxk');
    await choose(admin, '类型', '科室');
    await choose(admin, '上级单位', '市政务服务数据管理局', { search: true });
    await select(admin, '别名').click();
    await admin.keyboard.type('信息科');
    await admin.keyboard.press('Enter');
    await modal(admin).getByRole('button', { name: '保存' }).click();
    await modal(admin).waitFor({ state: 'hidden' });
    // The new department is selected in the tree, its parent and inherited supervisor by name.
    const card = admin.locator('.ant-card').filter({ has: admin.getByText('上级单位', { exact: true }) });
    await card.getByText('信息化科').first().waitFor();
    await card.getByText('市政务服务数据管理局（沿用上级）').waitFor();
    await card.getByText('信息科', { exact: true }).waitFor();
    expect(await card.textContent()).toContain('科室');
    await tree.getByText('信息化科').waitFor();

    await tree.getByText('市政务服务数据管理局').click();
    await card.getByRole('button', { name: '移动' }).click();
    await choose(admin, '上级单位', '信息化科', { search: true });
    await modal(admin).getByRole('button', { name: '保存' }).click();
    await modal(admin).getByRole('alert').filter({ hasText: '不能把单位移到它自己或它的下级单位之下' }).waitFor();
    await modal(admin).getByRole('button', { name: '取消' }).click();
    await modal(admin).waitFor({ state: 'hidden' });
    expect(await card.textContent()).not.toContain('上级单位信息化科');
    await inspect(admin, 'admin-departments', troubles);
  }, 120_000);

  it('an admin creates a handler, refused until a department is chosen, and finds them by department', async () => {
    await admin.locator('.ant-segmented').getByText('用户', { exact: true }).click();
    await admin.waitForURL('**/admin/users');
    await admin.getByRole('cell', { name: 'lead2', exact: true }).first().waitFor();
    await admin.getByRole('button', { name: '新建用户' }).click();
    await modal(admin).getByLabel('用户名').fill('zhang.san');
    await modal(admin).getByLabel('姓名').fill('张三');
    await choose(admin, '角色', '承办人', { multiple: true });
    await modal(admin).getByLabel('初始密码').fill(FIRST_PASSWORD);
    await modal(admin).getByRole('button', { name: '保存' }).click();
    await modal(admin).getByRole('alert').filter({ hasText: '部门负责人和承办人必须属于一个单位' }).waitFor();
    await choose(admin, '所属单位', '信息化科', { search: true });
    await modal(admin).getByRole('button', { name: '保存' }).click();
    await modal(admin).waitFor({ state: 'hidden' });

    await choose(admin, '按单位筛选', '信息化科', { search: true });
    const row = admin.getByRole('row').filter({ hasText: '张三' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/张三zhang\.san信息化科承办人正常/);
    await admin.getByRole('row').filter({ hasText: 'lead2' }).waitFor({ state: 'detached' });
    await inspect(admin, 'admin-users', troubles);
  }, 120_000);

  it('disabling a user ends their open session: their next request returns them to the login page; enabled again they log in', async () => {
    const user = await open(DESK);
    await user.goto(`${stack.api.url}/`);
    await signIn(user, 'zhang.san', FIRST_PASSWORD);
    await user.waitForURL('**/work');

    const row = admin.getByRole('row').filter({ hasText: '张三' });
    await row.getByRole('button', { name: '停用 张三' }).click();
    await admin.locator('.ant-popconfirm').getByRole('button', { name: '停用' }).click();
    await row.getByText('已停用').waitFor();

    // The user's next request (here the page read again) is refused, and the console shows the login page.
    await user.reload();
    await user.waitForURL('**/login**');
    await user.getByLabel('用户名').waitFor();

    await row.getByRole('button', { name: '启用 张三' }).click();
    await row.getByText('正常').waitFor();
    await signIn(user, 'zhang.san', FIRST_PASSWORD);
  }, 120_000);

  it('a user changes their own password on /me and logs in with it; administration pages tell them they are for admins', async () => {
    const user = (await open(DESK)) as Page;
    await user.goto(`${stack.api.url}/`);
    await signIn(user, 'zhang.san', FIRST_PASSWORD);
    await user.getByRole('link', { name: /张三/ }).click();
    await user.waitForURL('**/me');
    await user.getByText('信息化科').first().waitFor();
    await user.getByLabel('当前密码').fill(FIRST_PASSWORD);
    await user.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await user.getByLabel('确认新密码').fill(NEW_PASSWORD);
    await user.getByRole('button', { name: '修改密码' }).click();
    await user.getByText('密码已修改，其他设备上的登录已退出').waitFor();
    await user.mouse.move(0, 0); // no hover colour in the view looked at
    await inspect(user, 'me', troubles);

    await user.getByRole('button', { name: '退出登录' }).click();
    await user.waitForURL('**/login**');
    await user.getByLabel('用户名').fill('zhang.san');
    await user.getByLabel('密码').fill(FIRST_PASSWORD);
    await user.getByRole('button', { name: '登录' }).click();
    await user.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
    await signIn(user, 'zhang.san', NEW_PASSWORD);
    await user.waitForURL('**/work');
    // A handler who types an administration address is told it is for admins, with the way home.
    await user.goto(`${stack.api.url}/admin/users`);
    await user.getByText('此页面仅限系统管理员使用。').waitFor();
    await user.getByRole('link', { name: '返回首页' }).click();
    await user.waitForURL('**/work');
  }, 120_000);

  it('an admin subscribes a webhook, sends a test delivery and sees it delivered with its status and attempts', async () => {
    await admin.getByRole('link', { name: '系统管理', exact: true }).click();
    await admin.getByRole('link', { name: 'Webhook 订阅' }).click();
    await admin.waitForURL('**/admin/webhooks');
    await admin.getByRole('button', { name: '新建订阅' }).click();
    await modal(admin).getByLabel('推送地址').fill(sinkUrl);
    await modal(admin).getByLabel('签名密钥').fill('ui-webhook-secret-0123');
    await choose(admin, '仅限单位', '信息化科', { search: true });
    await modal(admin).getByRole('button', { name: '保存' }).click();
    await modal(admin).waitFor({ state: 'hidden' });
    const row = admin.getByRole('row').filter({ hasText: sinkUrl });
    await row.getByText('全部事件').waitFor();
    await row.getByText('信息化科').waitFor();

    await row.getByRole('button', { name: '测试投递' }).click();
    await admin.waitForURL(/hook=/);
    webhookId = new URL(admin.url()).searchParams.get('hook')!;
    const deliveries = admin.locator('.ant-card').filter({ hasText: '投递记录：' });
    const delivery = deliveries.getByRole('row').filter({ hasText: '测试投递' });
    await delivery.getByText('已送达').waitFor({ timeout: 20_000 });
    const cells = await delivery.getByRole('cell').allTextContents();
    expect(cells.slice(0, 4)).toEqual(['测试投递', '已送达', '204', '2']);
    expect(received.map((h) => h['x-duban-event'])).toEqual(['webhook.test', 'webhook.test']);
    await admin.mouse.move(0, 0); // no hover colour in the view looked at
    await inspect(admin, 'admin-webhooks', troubles);
  }, 120_000);

  it('works on a phone without horizontal scrolling', async () => {
    const phone = await open(PHONE);
    await phone.goto(`${stack.api.url}/login`);
    await signIn(phone, 'admin', DEMO_PASSWORD);
    for (const [path, name, ready] of [
      ['/admin/departments', 'admin-departments-phone', '信息化科'],
      ['/admin/users', 'admin-users-phone', '张三'],
      [`/admin/webhooks?hook=${webhookId}`, 'admin-webhooks-phone', '已送达'],
      ['/me', 'me-phone', '修改密码'],
    ] as const) {
      await phone.goto(`${stack.api.url}${path}`);
      await phone.getByText(ready).first().waitFor();
      expect({ path, scrollWidth: await scrollWidth(phone) }).toEqual({ path, scrollWidth: PHONE.width });
      await inspect(phone, name, troubles);
    }
  }, 120_000);

  it('saw no 5xx, no script error and no serious accessibility violation', () => {
    expect(troubles.serverErrors).toEqual([]);
    expect(troubles.consoleErrors).toEqual([]);
    expect(troubles.violations).toEqual([]);
  });
});
