import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { startStack, type Stack, stopStack } from '../support/stack.js';
import { DESK, inspect, openContext, PHONE, scrollWidth, signIn, type Troubles } from './browser.js';

const PASSWORD = 'password-123';

/** The Beijing year and month `back` months before the current one. */
function beijingMonth(back: number): { y: number; m: number } {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).split('-').map(Number);
  const d = new Date(Date.UTC(y!, m! - 1 - back, 1));
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1 };
}

/** `day` of the month `back` months ago at `time`, Beijing time, as an ISO instant. */
function at(back: number, day: number, time: string): string {
  const { y, m } = beijingMonth(back);
  return `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}T${time}:00+08:00`;
}

/** Last month as /reports takes it (local dates, both included) and as /tasks shows it. */
function lastMonth(): { from: string; to: string; words: string } {
  const { y, m } = beijingMonth(1);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${last}`, words: `${y}年${m}月1日至${y}年${m}月${last}日` };
}

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
const monthWords = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

interface TrendMonth {
  month: string;
  closed: number;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  overdueOpen: number;
}

/**
 * Issue 18 point 7 through the browser: a supervisor reads the twelve-month trend (its figures in
 * the table under the chart, as GET /reports/trend gives them), opens a department's row of last
 * month and lands on /tasks listing exactly the tasks that row counts, and downloads a stored
 * monthly bulletin as XLSX; desk and phone, no 5xx, no script error, no serious axe violation.
 */
describe('web console: reports trend, drill-down, stored bulletins (browser)', () => {
  let stack: Stack;
  const troubles: Troubles = { serverErrors: [], consoleErrors: [], violations: [] };
  const closers: (() => Promise<void>)[] = [];
  let supervisor: Page;
  let bulletinTitle: string;
  const http = () => request(stack.api.url);
  const open = async (viewport: typeof DESK) => {
    const { context, close } = await openContext(viewport, troubles);
    closers.push(close);
    return context.newPage();
  };

  beforeAll(async () => {
    stack = await startStack();
    const { dept, token } = stack.org;
    const ticket = (ref: string, title: string, lead: string, rest: Record<string, unknown>) => ({
      workflow: 'hotline-ticket',
      title,
      leadDepartmentIds: [lead],
      externalRef: ref,
      ...rest,
    });
    // Last month and the one before, so that every instant is in the past whenever the test runs.
    await http()
      .post('/api/v1/tasks/import')
      .set('Authorization', token.admin)
      .send([
        ticket('UI-1', '反映小区供水压力不足', dept.O1, {
          createdAt: at(1, 3, '09:00'),
          dueAt: at(1, 10, '17:30'),
          closedAt: at(1, 8, '10:00'),
          state: 'closed',
          rating: 'satisfied',
        }),
        ticket('UI-2', '反映公交站牌信息错误', dept.O1, {
          createdAt: at(1, 5, '09:00'),
          dueAt: at(1, 12, '17:30'),
          closedAt: at(1, 15, '10:00'),
          state: 'closed',
          rating: 'unsatisfied',
        }),
        ticket('UI-3', '咨询居住证办理流程', dept.O1, {
          createdAt: at(2, 10, '09:00'),
          dueAt: at(2, 17, '17:30'),
          closedAt: at(2, 14, '16:00'),
          state: 'closed',
          rating: 'basically_satisfied',
        }),
        ticket('UI-4', '反映道路井盖缺失', dept.O1, { createdAt: at(1, 18, '09:00'), dueAt: at(1, 20, '17:30'), state: 'processing' }),
        ticket('UI-5', '反映政务大厅空调故障', dept.O2, {
          createdAt: at(1, 6, '09:00'),
          dueAt: at(1, 13, '17:30'),
          closedAt: at(1, 9, '11:00'),
          state: 'closed',
        }),
        ticket('UI-6', '反映农资价格异常', dept.F, {
          createdAt: at(1, 6, '09:00'),
          dueAt: at(1, 13, '17:30'),
          closedAt: at(1, 9, '11:00'),
          state: 'closed',
          rating: 'satisfied',
        }),
      ])
      .expect(200);
    // Last month's bulletin as the monthly job keeps it.
    const { from, to } = lastMonth();
    const bulletin = (await http().get('/api/v1/reports/bulletin').query({ from, to }).set('Authorization', token.admin).expect(200)).body;
    bulletinTitle = bulletin.title as string;
    await stack.db.query(`INSERT INTO bulletins (period_from, period_to, title, content) VALUES ($1, $2, $3, $4::jsonb)`, [
      bulletin.from,
      bulletin.to,
      bulletin.title,
      JSON.stringify(bulletin),
    ]);
  }, 180_000);

  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await stopStack(stack ?? {});
  });

  it('shows the supervisor the twelve-month trend: the table under the chart has the figures of GET /reports/trend', async () => {
    supervisor = await open(DESK);
    await supervisor.goto(`${stack.api.url}/reports`);
    await signIn(supervisor, 'supervisor', PASSWORD);
    await supervisor.waitForURL(/\/reports$/);
    const months = (await http().get('/api/v1/reports/trend').set('Authorization', stack.org.token.supervisor).expect(200)).body.months as TrendMonth[];
    expect(months).toHaveLength(12);
    // O1 and O2 (supervised) last month: UI-1 on time, UI-2 late, UI-5 on time; rated 满意 and 不满意; UI-4 overdue at its end. F's UI-6 is not counted.
    expect(months[10]).toMatchObject({ closed: 3, satisfactionRate: 0.5, overdueOpen: 1 });
    expect(months[10]!.onTimeRate).toBeCloseTo(2 / 3, 9);
    expect(months[9]).toMatchObject({ closed: 1, onTimeRate: 1, satisfactionRate: 1, overdueOpen: 0 });

    const table = supervisor.getByTestId('trend-table');
    await table.waitFor();
    for (const m of months) {
      const row = table.getByRole('row').filter({ has: supervisor.getByRole('cell', { name: monthWords(m.month), exact: true }) });
      await row.waitFor();
      expect(await row.getByRole('cell').allTextContents()).toEqual([
        monthWords(m.month),
        String(m.closed),
        percent(m.onTimeRate),
        percent(m.satisfactionRate),
        String(m.overdueOpen),
      ]);
    }
    await supervisor.locator('[data-testid=trend-chart] canvas').first().waitFor();
    await inspect(supervisor, 'reports-trend-desk', troubles);
  }, 90_000);

  it('opens a department’s row of last month and lands on /tasks listing exactly the tasks that row counts', async () => {
    const period = lastMonth();
    // The stored bulletin's 查看指标 shows its month in the KPI table.
    await supervisor.getByRole('button', { name: `查看指标：${bulletinTitle}` }).click();
    const rows = (
      await http().get('/api/v1/reports/kpis').query({ from: period.from, to: period.to }).set('Authorization', stack.org.token.supervisor).expect(200)
    ).body.byDepartment as {
      departmentId: string;
      departmentName: string;
      closed: number;
    }[];
    const o1 = rows.find((r) => r.departmentId === stack.org.dept.O1)!;
    expect(o1.closed).toBe(2);
    const kpiTable = supervisor.locator('.ant-card').filter({ hasText: '各单位指标' });
    const row = kpiTable.getByRole('row').filter({ hasText: '数据资源科' });
    // The row of last month: 2 closed (the 办结 column).
    await row.getByRole('cell', { name: '2', exact: true }).first().waitFor();
    await row.getByRole('link', { name: '数据资源科', exact: true }).click();
    await supervisor.waitForURL(/\/tasks\?/);
    const url = new URL(supervisor.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ primaryDepartmentId: stack.org.dept.O1, closedFrom: period.from, closedTo: period.to });

    const listed = (
      await http()
        .get('/api/v1/tasks')
        .query({ primaryDepartmentId: stack.org.dept.O1, closedFrom: period.from, closedTo: period.to })
        .set('Authorization', stack.org.token.supervisor)
        .expect(200)
    ).body as { total: number; items: { ref: string; externalRef: string }[] };
    expect(listed.items.map((t) => t.externalRef).sort()).toEqual(['UI-1', 'UI-2']);
    expect(listed.total).toBe(o1.closed);
    // The filters say why the list is what it is.
    await supervisor.getByText(`办结日期：${period.words}`).waitFor();
    await supervisor.getByText('主办单位：数据资源科').waitFor();
    for (const t of listed.items) await supervisor.getByRole('row').filter({ hasText: t.ref }).waitFor();
    expect(
      await supervisor
        .getByRole('row')
        .filter({ hasText: /DB-\d{8}/ })
        .count(),
    ).toBe(listed.total);
    await inspect(supervisor, 'reports-drilldown-desk', troubles);
  }, 60_000);

  it('downloads a stored monthly bulletin: its XLSX as published', async () => {
    await supervisor.getByRole('link', { name: '统计报表' }).click();
    await supervisor.waitForURL(/\/reports$/);
    const item = supervisor.getByTestId('stored-bulletin').filter({ hasText: bulletinTitle });
    await item.getByText(`统计期间 ${lastMonth().words}`).waitFor();
    const [download] = await Promise.all([supervisor.waitForEvent('download'), item.getByRole('button', { name: `下载${bulletinTitle}（XLSX）` }).click()]);
    expect(download.suggestedFilename()).toBe(`${bulletinTitle}.xlsx`);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.getCell(1, 1).value).toBe(bulletinTitle);
  }, 60_000);

  it('on a phone: the trend, the rows and the bulletins fit 390 px without scrolling sideways', async () => {
    const phone = await open(PHONE);
    await phone.goto(`${stack.api.url}/reports`);
    await signIn(phone, 'supervisor', PASSWORD);
    await phone.waitForURL(/\/reports$/);
    await phone.getByTestId('trend-table').waitFor();
    await phone.locator('[data-testid=trend-chart] canvas').first().waitFor();
    await phone.getByTestId('stored-bulletin').first().waitFor();
    await inspect(phone, 'reports-trend-phone', troubles);
    expect(await scrollWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    const period = lastMonth();
    await phone.goto(`${stack.api.url}/tasks?primaryDepartmentId=${stack.org.dept.O1}&closedFrom=${period.from}&closedTo=${period.to}`);
    await phone.getByText(`办结日期：${period.words}`).waitFor();
    await inspect(phone, 'reports-drilldown-phone', troubles);
    expect(await scrollWidth(phone)).toBeLessThanOrEqual(PHONE.width);
  }, 90_000);

  it('had no 5xx, no script error and no serious accessibility violation', () => {
    expect(troubles).toEqual({ serverErrors: [], consoleErrors: [], violations: [] });
  });
});
