import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD, startStack, type Stack, stopStack } from '../support/stack.js';
import { waitFor } from '../support/test-env.js';
import { DESK, inspect, moment, openContext, PHONE, scrollWidth, signIn, type Troubles } from './browser.js';

const PASSWORD = 'password-123';
const DAY = 86_400_000;

/** The 督办台's counts and the /tasks filters each one stands for (GET /tasks/summary's own definition). */
const COUNT_FILTERS: Record<string, Record<string, string>> = {
  open: {},
  red: { light: 'red' },
  yellow: { light: 'yellow' },
  green: { light: 'green' },
  overdue: { overdue: 'true' },
  yellowCards: { card: 'yellow' },
  redCards: { card: 'red' },
};

/** This month in Asia/Shanghai as the api's date-only period (both days included), as /reports shows by default. */
function thisMonth(): { from: string; to: string } {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).split('-').map(Number);
  const last = new Date(Date.UTC(y!, m!, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, '0')}` };
}

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/**
 * Issue 17 (督办台, plans, reports, admin home) through the browser only, against the built api on
 * a private database: the supervisor's counts agree with GET /tasks, a count opens the list it
 * counts, an extension request is approved from the queue, the KPI table agrees with the api,
 * the 通报 downloads as XLSX, a plan shows its items and counties; desk and phone, no 5xx, no
 * script error, no serious accessibility violation.
 */
describe('web console: supervision, plans, reports (browser)', () => {
  let stack: Stack;
  const troubles: Troubles = { serverErrors: [], consoleErrors: [], violations: [] };
  const closers: (() => Promise<void>)[] = [];
  let supervisor: Page;
  let extension: { id: string; ref: string; title: string };
  let planId: string;
  /** The due date the lead asks for: 45 days on, 17:30 in Beijing. */
  const requestedDue = new Date(Date.now() + 45 * DAY);
  requestedDue.setUTCHours(9, 30, 0, 0);

  const http = () => request(stack.api.url);
  const open = async (viewport: typeof DESK) => {
    const { context, close } = await openContext(viewport, troubles);
    closers.push(close);
    return context.newPage();
  };
  const createTask = async (workflow: string, title: string, department: string, dueInMs: number) =>
    (
      await http()
        .post('/api/v1/tasks')
        .set('Authorization', stack.org.token.admin)
        .send({ workflow, title, leadDepartmentIds: [department], dueAt: new Date(Date.now() + dueInMs).toISOString() })
        .expect(201)
    ).body as { id: string; ref: string; title: string; version: number };
  const act = (token: string, id: string, body: object) => http().post(`/api/v1/tasks/${id}/actions`).set('Authorization', token).send(body).expect(200);
  const total = async (query: Record<string, string>) =>
    (
      await http()
        .get('/api/v1/tasks')
        .query({ ...query, limit: 1 })
        .set('Authorization', stack.org.token.supervisor)
        .expect(200)
    ).body.total as number;

  beforeAll(async () => {
    stack = await startStack();
    const { dept, token } = stack.org;
    // Two county governments under the bureau, for a plan item that fans out to them.
    for (const [code, name] of [
      ['c1', '武江区政府'],
      ['c2', '浈江区政府'],
    ]) {
      await http().post('/api/v1/departments').set('Authorization', token.admin).send({ code, name, kind: 'county', parentId: dept.B }).expect(201);
    }
    // 待我审批: the lead of O1 accepts a plan item and asks for an extension to a date of its own.
    extension = await createTask('plan-item', '推进政务数据共享交换平台建设', dept.O1, 30 * DAY);
    await act(token.lead, extension.id, { action: 'accept' });
    await act(token.lead, extension.id, { action: 'request-extension', dueAt: requestedDue.toISOString(), comment: '设备到货延迟，申请延期一个月' });
    // 已逾期 (red): due in two seconds, overdue by the time the desk is read.
    await createTask('plan-item', '整改12345热线超时工单', dept.O2, 2_000);
    // 黄牌: a task of O2 brought over from the earlier system with its yellow card.
    const imported = await http()
      .post('/api/v1/tasks/import')
      .set('Authorization', token.admin)
      .send([
        {
          workflow: 'plan-item',
          title: '完善一网通办事项清单',
          leadDepartmentIds: [dept.O2],
          externalRef: 'old-1',
          createdAt: new Date(Date.now() - 5 * DAY).toISOString(),
          dueAt: new Date(Date.now() + 10 * DAY).toISOString(),
          state: 'in-progress',
          cards: [{ color: 'yellow', at: new Date(Date.now() - DAY).toISOString() }],
        },
      ])
      .expect(200);
    expect(imported.body).toMatchObject({ imported: 1, rejected: [] });
    // A hotline ticket closed on time this month: O1's on-time rate.
    const ticket = await createTask('hotline-ticket', '市民反映路灯不亮', dept.O1, 5 * DAY);
    await act(token.lead, ticket.id, { action: 'accept' });
    await act(token.lead, ticket.id, { action: 'close', comment: '已修复' });
    const plan = await http()
      .post('/api/v1/plans/import')
      .set('Authorization', token.admin)
      .send({
        text: '某市2026年数字政府工作要点\n一、夯实数据底座\n（一）编制政务数据资源目录。（数据资源科牵头）\n（二）推动县区数据共享落地。（数据资源科、各县(市、区)政府牵头）',
      })
      .expect(201);
    planId = plan.body.planId as string;
    await waitFor(async () => (await total({ overdue: 'true' })) === 1, 'the 2-second task to be overdue', 10_000);
  }, 180_000);

  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await stopStack(stack);
  });

  it('lands the supervisor on 督办台, whose every count is the total of GET /tasks with the same filters', async () => {
    supervisor = await open(DESK);
    await supervisor.goto(`${stack.api.url}/`);
    await signIn(supervisor, 'supervisor', PASSWORD);
    await supervisor.waitForURL(/\/supervision$/);
    const summary = (await http().get('/api/v1/tasks/summary').set('Authorization', stack.org.token.supervisor).expect(200)).body as {
      items: (Record<string, number> & { departmentId: string; departmentName: string })[];
    };
    expect(summary.items.map((r) => r.departmentName)).toEqual(expect.arrayContaining(['数据资源科', '政务服务科']));
    for (const row of summary.items) {
      const shown = supervisor.getByTestId(`summary-${row.departmentId}`);
      await shown.getByText(row.departmentName).waitFor();
      for (const [count, filter] of Object.entries(COUNT_FILTERS)) {
        const expected = await total({ primaryDepartmentId: row.departmentId, open: 'true', ...filter });
        expect({ department: row.departmentName, count, shown: await shown.getByTestId(`count-${count}`).textContent() }).toEqual({
          department: row.departmentName,
          count,
          shown: String(expected),
        });
      }
    }
    const o2 = summary.items.find((r) => r.departmentName === '政务服务科')!;
    expect({ overdue: o2.overdue, yellowCards: o2.yellowCards }).toEqual({ overdue: 1, yellowCards: 1 });
    await supervisor.getByText(extension.title).waitFor();
    await inspect(supervisor, 'supervision', troubles);
  }, 90_000);

  it('opens a count as the /tasks list with those filters, listing as many tasks', async () => {
    const { dept } = stack.org;
    await supervisor.getByLabel('政务服务科在办 2 项').click();
    await supervisor.waitForURL(
      (url) => url.pathname === '/tasks' && url.searchParams.get('primaryDepartmentId') === dept.O2 && url.searchParams.get('open') === 'true',
    );
    await supervisor.getByText('主办单位：政务服务科').waitFor();
    await supervisor.getByText(`共 ${await total({ primaryDepartmentId: dept.O2, open: 'true' })} 项`).waitFor();
    await supervisor.getByRole('link', { name: '整改12345热线超时工单' }).waitFor();
    await supervisor.goBack();
    await supervisor.getByLabel('政务服务科已逾期 1 项').click();
    await supervisor.waitForURL((url) => url.searchParams.get('overdue') === 'true' && url.searchParams.get('primaryDepartmentId') === dept.O2);
    await supervisor.getByRole('link', { name: '整改12345热线超时工单' }).waitFor();
    await waitFor(async () => (await supervisor.getByRole('link', { name: '完善一网通办事项清单' }).count()) === 0, 'the list to keep the overdue task only');
  }, 60_000);

  it('approves the lead’s extension request from 待我审批; the row leaves the queue', async () => {
    await supervisor.goto(`${stack.api.url}/supervision`);
    const row = supervisor.getByTestId('queue-row').filter({ hasText: extension.title });
    await row.getByText('延期审核中').waitFor();
    await row.getByText(`申请延期至 ${moment(requestedDue)}`).waitFor();
    await row.getByRole('button', { name: `审批 ${extension.ref}` }).click();
    const dialog = supervisor.getByRole('dialog');
    await dialog.getByText(`申请延期至 ${moment(requestedDue)}`).waitFor();
    await dialog.getByRole('button', { name: '同意延期', exact: true }).click();
    const form = dialog.getByRole('form', { name: '同意延期' });
    await form.waitFor();
    // Looked at before typing: a field's validation message fading out mid-animation is no real contrast fault.
    await inspect(supervisor, 'supervision-approve', troubles);
    // The approval grants the date asked for; only a workflow that wants a date of its own shows a picker.
    expect(await form.getByLabel('新的办理期限').count()).toBe(0);
    await form.getByLabel('办理意见').fill('同意按申请的期限延期');
    await form.getByRole('button', { name: '确认同意延期' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
    await waitFor(async () => (await row.count()) === 0, 'the approved task to leave 待我审批');
    const task = (await http().get(`/api/v1/tasks/${extension.id}`).set('Authorization', stack.org.token.supervisor).expect(200)).body;
    expect({ state: task.state, dueAt: new Date(task.dueAt).getTime() }).toEqual({ state: 'in-progress', dueAt: requestedDue.getTime() });
    // The other queues: the yellow card and the overdue task.
    await supervisor.getByTestId('queue-tab-yellow').click();
    await supervisor.getByTestId('queue-row').filter({ hasText: '完善一网通办事项清单' }).waitFor();
    await supervisor.getByTestId('queue-tab-overdue').click();
    await supervisor.getByTestId('queue-row').filter({ hasText: '整改12345热线超时工单' }).waitFor();
  }, 60_000);

  it('shows this month’s KPIs as GET /reports/kpis gives them, charted, and downloads the 通报 as XLSX', async () => {
    await supervisor.getByRole('link', { name: '统计报表' }).click();
    await supervisor.waitForURL(/\/reports$/);
    const kpis = (await http().get('/api/v1/reports/kpis').query(thisMonth()).set('Authorization', stack.org.token.supervisor).expect(200)).body as {
      byDepartment: { departmentName: string; rank: number; onTimeRate: number | null; satisfactionRate: number | null; created: number }[];
    };
    expect(kpis.byDepartment.length).toBeGreaterThan(0);
    // The rows of the reports page's own table: while its chunk loads, the desk's table may still be on screen.
    const table = supervisor.locator('.ant-card').filter({ hasText: '各单位指标' });
    await table.waitFor();
    for (const row of kpis.byDepartment) {
      const shown = table.getByRole('row').filter({ hasText: row.departmentName });
      await shown.first().waitFor();
      const cells = await shown.first().getByRole('cell').allTextContents();
      expect({ name: row.departmentName, rank: cells[0], onTime: cells[5] }).toEqual({
        name: row.departmentName,
        rank: String(row.rank),
        onTime: percent(row.onTimeRate),
      });
    }
    expect(kpis.byDepartment.find((r) => r.departmentName === '数据资源科')?.onTimeRate).toBe(1);
    await supervisor.getByRole('row').filter({ hasText: '数据资源科' }).getByText('100.0%').first().waitFor();
    await waitFor(async () => (await supervisor.locator('[data-testid=kpi-chart] canvas').count()) > 0, 'the chart drawn');
    await inspect(supervisor, 'reports', troubles);

    const [download] = await Promise.all([supervisor.waitForEvent('download'), supervisor.getByRole('button', { name: '下载通报（XLSX）' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.length).toBeGreaterThan(1000);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  }, 60_000);

  it('lists the plan and shows its roll-up: items with light and progress, by department, the counties of a fanned-out item', async () => {
    await supervisor.getByRole('link', { name: '工作计划' }).click();
    await supervisor.waitForURL(/\/plans$/);
    await supervisor.getByRole('link', { name: '某市2026年数字政府工作要点' }).click();
    await supervisor.waitForURL(new RegExp(`/plans/${planId}$`));
    await supervisor.getByRole('link', { name: /编制政务数据资源目录/ }).waitFor();
    const fanned = supervisor.getByRole('row').filter({ hasText: '推动县区数据共享落地' });
    await fanned.getByText('0 / 2').waitFor();
    await fanned.getByRole('button', { name: '展开行' }).click();
    await supervisor.getByTestId('plan-child').filter({ hasText: '武江区政府' }).waitFor();
    await supervisor.getByTestId('plan-child').filter({ hasText: '浈江区政府' }).waitFor();
    await inspect(supervisor, 'plan', troubles);
  }, 60_000);

  it('fits a phone (390 × 844) without sideways scrolling on 督办台, a plan and 统计报表', async () => {
    const phone = await open(PHONE);
    await phone.goto(`${stack.api.url}/supervision`);
    await signIn(phone, 'supervisor', PASSWORD);
    const pages: [string, string, string][] = [
      ['/supervision', '政务服务科', 'phone-supervision'],
      [`/plans/${planId}`, '推动县区数据共享落地', 'phone-plan'],
      ['/reports', '数据资源科', 'phone-reports'],
    ];
    for (const [path, text, name] of pages) {
      await phone.goto(`${stack.api.url}${path}`);
      await phone.getByText(text).first().waitFor();
      if (path === '/reports') await waitFor(async () => (await phone.locator('[data-testid=kpi-chart] canvas').count()) > 0, 'the chart drawn');
      expect({ path, scrollWidth: await scrollWidth(phone) }).toEqual({ path, scrollWidth: PHONE.width });
      await inspect(phone, name, troubles);
    }
  }, 90_000);

  it('gives the admin a home listing administration, with the queue board linked', async () => {
    const admin = await open(DESK);
    await admin.goto(`${stack.api.url}/`);
    await signIn(admin, 'admin', DEMO_PASSWORD);
    await admin.waitForURL(/\/admin$/);
    await admin.getByText('单位与用户').waitFor();
    expect(await admin.getByRole('link', { name: '队列监控' }).getAttribute('href')).toMatch(/^\/admin\/queues\?access_token=/);
    await inspect(admin, 'admin', troubles);
  }, 60_000);

  it('met no server error, no script error and no serious accessibility violation on any page', () => {
    expect(troubles.serverErrors).toEqual([]);
    expect(troubles.consoleErrors).toEqual([]);
    expect(troubles.violations).toEqual([]);
  });
});
