import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { startStack, type Stack, stopStack } from '../support/stack.js';
import { freePort, type RunningApp, startBuilt, waitFor } from '../support/test-env.js';
import { countScripts, DESK, moment, openContext, PHONE, inspect, scrollWidth, signIn, type Troubles } from './browser.js';

const PASSWORD = 'password-123';
const DAY = 86_400_000;
/** UI.md: login → /work downloads at most 700 KB of compressed JavaScript. */
const INITIAL_JS_LIMIT = 700 * 1024;

/**
 * Issue 17 through the browser only: a department lead works a plan item (签收, 进度填报,
 * 申请延期) and a supervisor approves the extension on the task page, while the lead's open page
 * follows without a reload. Against the built api and worker on a private database.
 */
describe('web console (browser)', () => {
  let stack: Stack;
  let worker: RunningApp;
  const troubles: Troubles = { serverErrors: [], consoleErrors: [], violations: [] };
  const closers: (() => Promise<void>)[] = [];
  let lead: Page;
  let task: { id: string; ref: string; title: string };

  const open = async (viewport: typeof DESK): Promise<BrowserContext> => {
    const { context, close } = await openContext(viewport, troubles);
    closers.push(close);
    return context;
  };

  /** A plan item for the lead's department (O1), due in `days` days, as the admin creates it through the API. */
  const createTask = async (title: string, days: number, extra: object = {}) => {
    const res = await request(stack.api.url)
      .post('/api/v1/tasks')
      .set('Authorization', stack.org.token.admin)
      .send({
        workflow: 'plan-item',
        title,
        leadDepartmentIds: [stack.org.dept.O1],
        coDepartmentIds: [stack.org.dept.O2],
        dueAt: new Date(Date.now() + days * DAY).toISOString(),
        ...extra,
      })
      .expect(201);
    return res.body as { id: string; ref: string; title: string };
  };

  const unreadCount = async (page: Page) => Number(await page.getByTestId('unread-count').getAttribute('data-count'));

  beforeAll(async () => {
    stack = await startStack();
    const port = await freePort();
    worker = await startBuilt('apps/worker/src/main.js', { ...stack.testEnv.env, WORKER_PORT: String(port) }, port, '/health');
    task = await createTask('推进政务数据共享交换平台建设', 30);
    await createTask('完善一网通办事项清单', 3);
    await createTask('整合12345热线知识库', 10, { parentId: task.id });
  }, 120_000);

  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await worker?.stop();
    await stopStack(stack);
  });

  it('signs the lead in (a wrong password is refused in Chinese) and lands on 我的待办 within the JavaScript budget', async () => {
    lead = await (await open(DESK)).newPage();
    const scripts = countScripts(lead);
    await lead.goto(`${stack.api.url}/`);
    await lead.waitForURL(/\/login/);
    await lead.getByLabel('用户名').fill('lead');
    await lead.getByLabel('密码').fill('wrong-password');
    await lead.getByRole('button', { name: '登录' }).click();
    await lead.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
    await inspect(lead, 'login', troubles);
    await signIn(lead, 'lead', PASSWORD);
    await lead.waitForURL(/\/work$/);
    await lead.getByRole('link', { name: task.title }).waitFor();
    await lead.getByText('红').or(lead.getByText('绿')).first().waitFor();
    const gzip = await scripts.gzipBytes();
    process.stdout.write(`login → /work: ${scripts.files.length} scripts, ${(gzip / 1024).toFixed(1)} KB gzip\n`);
    expect(gzip).toBeLessThanOrEqual(INITIAL_JS_LIMIT);
    await lead.getByRole('link', { name: /消息，\d+ 条未读/ }).waitFor();
    await inspect(lead, 'work', troubles);
  }, 120_000);

  it('finds the task by its ref in 全部任务 and opens it', async () => {
    await lead.getByRole('link', { name: '全部任务' }).click();
    await lead.waitForURL(/\/tasks$/);
    await lead.getByRole('searchbox', { name: '搜索标题或编号' }).fill(task.ref);
    await lead.getByRole('searchbox', { name: '搜索标题或编号' }).press('Enter');
    await lead.waitForURL(new RegExp(`q=${task.ref}`));
    await waitFor(async () => (await lead.getByRole('link', { name: '完善一网通办事项清单' }).count()) === 0, 'the list filtered to the ref');
    await inspect(lead, 'tasks', troubles);
    await lead.getByRole('link', { name: task.title }).click();
    await lead.waitForURL(new RegExp(`/tasks/${task.id}$`));
    await lead.getByText('工作要点任务').first().waitFor();
    await lead.getByText('待签收').first().waitFor();
    await lead.getByText('主办').first().waitFor();
    await lead.getByText('数据资源科').first().waitFor();
    await lead.getByText('链路完整').waitFor();
  }, 60_000);

  /** The extension the lead asks for: about two months on, at 17:30 Beijing time. */
  const extended = new Date(Date.now() + 60 * DAY);
  extended.setUTCHours(9, 30, 0, 0);

  it('accepts, reports progress 40 and asks for an extension, each through the form its action requires', async () => {
    await act(lead, '签收', async () => undefined);
    await lead.getByText('已签收').first().waitFor();
    await act(lead, '进度填报', async (form) => {
      await form.getByLabel('进度（%）').fill('40');
      if (await form.getByLabel('办理意见').count()) await form.getByLabel('办理意见').fill('平台已完成招标');
    });
    await lead.getByText('进度 40%').waitFor();
    await lead.getByText('推进中').first().waitFor();
    await act(lead, '申请延期', async (form) => {
      expect(await form.getByLabel('进度（%）').count()).toBe(0);
      if (await form.getByLabel('新的办理期限').count()) await pickDate(form, extended);
      await form.getByLabel('办理意见').fill('设备到货延迟，申请延期两个月');
    });
    await lead.getByText('延期审核中').first().waitFor();
    await lead.getByText('意见：设备到货延迟，申请延期两个月').waitFor();
    await inspect(lead, 'task', troubles);
  }, 60_000);

  it('lets the supervisor approve on the task page; the lead’s open page shows the new due date and a new notice without a reload', async () => {
    const before = await unreadCount(lead);
    const supervisor = await (await open(DESK)).newPage();
    await supervisor.goto(`${stack.api.url}/tasks/${task.id}`);
    await signIn(supervisor, 'supervisor', PASSWORD);
    await supervisor.waitForURL(new RegExp(`/tasks/${task.id}$`));
    await act(supervisor, '同意延期', async (form) => {
      if (await form.getByLabel('新的办理期限').count()) await pickDate(form, extended);
      await form.getByLabel('办理意见').fill('同意延期');
    });
    await supervisor.getByText(moment(extended)).first().waitFor();
    await waitFor(async () => (await unreadCount(lead)) > before, 'the lead’s unread count to rise', 10_000);
    await lead.getByText(moment(extended)).first().waitFor({ timeout: 10_000 });
    await lead.getByText('同意延期').first().waitFor();
  }, 90_000);

  it('shows the lead’s inbox, marks all read, and opens a task from a notice', async () => {
    await lead.getByRole('link', { name: /消息，\d+ 条未读/ }).click();
    await lead.waitForURL(/\/notifications$/);
    await lead.getByText(`【同意延期】${task.title}`).waitFor();
    await inspect(lead, 'notifications', troubles);
    await lead.getByRole('button', { name: '全部已读' }).click();
    await waitFor(async () => (await unreadCount(lead)) === 0, 'no unread notices');
    await lead.getByRole('button', { name: '查看任务' }).first().click();
    await lead.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
  }, 60_000);

  it('fits a phone (390 × 844) without sideways scrolling on 我的待办, a task and 消息', async () => {
    const phone = await (await open(PHONE)).newPage();
    await phone.goto(`${stack.api.url}/work`);
    await signIn(phone, 'lead', PASSWORD);
    await phone.getByRole('link', { name: task.title }).waitFor();
    const pages: [string, string, string][] = [
      ['/work', task.title, 'phone-work'],
      [`/tasks/${task.id}`, '办理过程', 'phone-task'],
      ['/notifications', `【同意延期】${task.title}`, 'phone-notifications'],
    ];
    for (const [path, text, name] of pages) {
      await phone.goto(`${stack.api.url}${path}`);
      await phone.getByText(text).first().waitFor();
      expect({ path, scrollWidth: await scrollWidth(phone) }).toEqual({ path, scrollWidth: PHONE.width });
      await inspect(phone, name, troubles);
    }
  }, 90_000);

  it('met no server error, no script error and no serious accessibility violation on any page', () => {
    expect(troubles.serverErrors).toEqual([]);
    expect(troubles.consoleErrors).toEqual([]);
    expect(troubles.violations).toEqual([]);
  });
});

/** Opens an action's form by its button, lets `fill` fill it, submits, and waits for it to close. */
async function act(page: Page, label: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: label, exact: true }).click();
  const form = page.getByRole('form', { name: label });
  await form.waitFor();
  await fill(form);
  await form.getByRole('button', { name: `确认${label}` }).click();
  await form.waitFor({ state: 'detached', timeout: 15_000 });
}

/** Types a moment into the form's 新的办理期限 picker as `YYYY-MM-DD HH:mm` (Beijing time) and confirms it. */
async function pickDate(form: ReturnType<Page['locator']>, at: Date): Promise<void> {
  const picker = form.getByLabel('新的办理期限');
  await picker.click();
  const [, y, m, d, hm] = /^(\d+)年(\d+)月(\d+)日 (\d\d:\d\d)$/.exec(moment(at))!;
  await picker.fill(`${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')} ${hm}`);
  await picker.press('Enter');
}
