import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { testClock, type TestClock } from './support/clock.js';
import { bj, type ImportRecord, kpiDataset } from './support/kpi-dataset.js';
import { startStack, type Stack, stopStack } from './support/stack.js';

/**
 * Issue 18 point 7 on the server: GET /reports/trend over the hand-checked records of
 * test/support/kpi-dataset.ts (see test/reports.e2e-spec.ts for each record's facts), with the
 * clock stopped on Saturday 2025-11-15 10:00 in Beijing, so that the twelve months are
 * 2024-12 … 2025-11; the GET /tasks period filters a report's row opens; a stored bulletin's
 * download. All instants are Beijing time.
 *
 * By hand (closed = closedAt in the month; on time = closedAt ≤ dueAt; satisfied = 满意 or 基本满意 among the rated):
 *  2025-09  closed O2d (on time, 满意): 1, 1/1, 1/1; overdue open at 10-01 00:00: O1f (due 09-29, processing) = 1.
 *  2025-10  closed F1 F2 O2a O2b O1a O1b O1c O1d Ba Bb Bc Bd = 12, late O1a and Bb: 10/12; rated F1 满意, F2 基本满意,
 *           O2a 满意, O1a 不满意, O1b 满意, O1c 基本满意: 5/6; overdue open at 11-01 00:00: O2c, O1f, O1g (closed 11-03), Be = 4.
 *  2025-11  (now 11-15 10:00) closed O1g (11-03, due 10-24: late, 满意): 1, 0/1, 1/1; overdue open now: O2c, O1f, Be, F3 (due
 *           11-03), O1e (due 11-06) = 5; TR-1 (O2, due 11-20) is not, although it would be at the month's end.
 *  the other months: nothing closed, nothing overdue: 0, null, null, 0.
 */
const NOW = '2025-11-15T10:00:00+08:00';
const MONTHS = ['2024-12', '2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11'];

interface TrendMonth {
  month: string;
  from: string;
  to: string;
  overdueAt: string;
  closed: number;
  closedOnTime: number;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  overdueOpen: number;
}

/** The four figures of a month: closed, closedOnTime, satisfactionRate (rounded to 9 places), overdueOpen. */
const figures = (m: TrendMonth) => [m.closed, m.closedOnTime, m.satisfactionRate === null ? null : Number(m.satisfactionRate.toFixed(9)), m.overdueOpen];
const r9 = (n: number) => Number(n.toFixed(9));

function binaryParser(res: NodeJS.ReadableStream, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer | string) => chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'binary')));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
  res.on('error', (err: Error) => callback(err, Buffer.alloc(0)));
}

describe('reports: the monthly trend, the period filters of GET /tasks, a stored bulletin', () => {
  let clock: TestClock;
  let stack: Stack;
  let dataset: ImportRecord[];
  const http = () => request(stack.api.url);
  const trend = async (token: string, query: Record<string, string> = {}) => {
    const res = await http().get('/api/v1/reports/trend').query(query).set('Authorization', token);
    if (res.status !== 200) throw new Error(`trend ${JSON.stringify(query)}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.months as TrendMonth[];
  };
  const refs = async (token: string, query: Record<string, string>) => {
    const res = await http()
      .get('/api/v1/tasks')
      .query({ ...query, limit: 100 })
      .set('Authorization', token)
      .expect(200);
    expect(res.body.items).toHaveLength(res.body.total);
    return (res.body.items as { externalRef: string }[]).map((t) => t.externalRef).sort();
  };

  beforeAll(async () => {
    clock = await testClock();
    stack = await startStack(clock.env);
    await clock.stopAt(NOW);
    dataset = [
      ...kpiDataset(stack.org.dept),
      {
        workflow: 'hotline-ticket',
        title: 'TR-1 反映路灯不亮',
        leadDepartmentIds: [stack.org.dept.O2],
        externalRef: 'TR-1',
        createdAt: bj('2025-11-10 09:00'),
        dueAt: bj('2025-11-20 17:30'),
        state: 'dispatched',
      },
    ];
    const imported = await http().post('/api/v1/tasks/import').set('Authorization', stack.org.token.admin).send(dataset).expect(200);
    expect(imported.body).toEqual({ imported: 21, skipped: 0, rejected: [] });
    // Starting a stack (database, migrations, seed, api) on a shared machine can take more than the default minute.
  }, 180_000);

  afterAll(async () => {
    await clock?.release();
    await stopStack(stack ?? {});
  });

  it('an admin: twelve Beijing months ending with the current one, each figure as worked out by hand', async () => {
    const months = await trend(stack.org.token.admin);
    expect(months.map((m) => m.month)).toEqual(MONTHS);
    expect(months[0]).toMatchObject({ from: '2024-11-30T16:00:00.000Z', to: '2024-12-31T16:00:00.000Z', overdueAt: '2024-12-31T16:00:00.000Z' });
    expect(months[11]).toMatchObject({ from: '2025-10-31T16:00:00.000Z', to: '2025-11-30T16:00:00.000Z', overdueAt: '2025-11-15T02:00:00.000Z' });
    const byMonth = Object.fromEntries(months.map((m) => [m.month, m]));
    expect(figures(byMonth['2025-09']!)).toEqual([1, 1, 1, 1]);
    expect(figures(byMonth['2025-10']!)).toEqual([12, 10, r9(5 / 6), 4]);
    expect(byMonth['2025-10']!.onTimeRate).toBeCloseTo(10 / 12, 9);
    expect(figures(byMonth['2025-11']!)).toEqual([1, 0, 1, 5]);
    expect(byMonth['2025-11']!.onTimeRate).toBe(0);
    for (const m of months.slice(0, 9)) expect({ [m.month]: figures(m) }).toEqual({ [m.month]: [0, 0, null, 0] });
    for (const m of months.slice(0, 9)) expect(m.onTimeRate).toBeNull();
  });

  it('agrees with GET /reports/kpis for every month that is over (same definitions): closed, rates and overdueOpen at its end', async () => {
    const months = await trend(stack.org.token.supervisor);
    for (const m of months.slice(0, 11)) {
      const { totals } = (
        await http().get('/api/v1/reports/kpis').query({ from: m.from, to: m.to }).set('Authorization', stack.org.token.supervisor).expect(200)
      ).body;
      expect({ [m.month]: [m.closed, m.closedOnTime, m.onTimeRate, m.satisfactionRate, m.overdueOpen] }).toEqual({
        [m.month]: [totals.closed, totals.closedOnTime, totals.onTimeRate, totals.satisfactionRate, totals.overdueOpen],
      });
    }
  });

  it('scoped as /reports/kpis: a supervisor its supervised departments, a lead its own; another department is 403', async () => {
    // The supervisor of B reads B, O1 and O2 but not F: October without F1 and F2, November without F3.
    const supervised = Object.fromEntries((await trend(stack.org.token.supervisor)).map((m) => [m.month, figures(m)]));
    expect(supervised['2025-10']).toEqual([10, 8, r9(3 / 4), 4]);
    expect(supervised['2025-11']).toEqual([1, 0, 1, 4]);
    // S2's supervisor reads F alone.
    const f = Object.fromEntries((await trend(stack.org.token.supervisor2)).map((m) => [m.month, figures(m)]));
    expect(f['2025-10']).toEqual([2, 2, 1, 0]);
    expect(f['2025-11']).toEqual([0, 0, null, 1]);
    // The lead of O1: O1a O1b O1c O1d closed in October (O1a late; O1a 不满意, O1b 满意, O1c 基本满意), O1f and O1g overdue at its end.
    const o1 = Object.fromEntries((await trend(stack.org.token.lead)).map((m) => [m.month, figures(m)]));
    expect(o1['2025-10']).toEqual([4, 3, r9(2 / 3), 2]);
    expect(o1['2025-11']).toEqual([1, 0, 1, 2]);
    expect(await trend(stack.org.token.supervisor, { departmentId: stack.org.dept.O1 })).toEqual(await trend(stack.org.token.lead));

    for (const [token, departmentId] of [
      [stack.org.token.supervisor, stack.org.dept.F],
      [stack.org.token.lead, stack.org.dept.O2],
    ] as const) {
      const res = await http().get('/api/v1/reports/trend').query({ departmentId }).set('Authorization', token).expect(403);
      expect(res.body).toMatchObject({ type: 'urn:duban:problem:department-out-of-reach', departmentId });
    }
    await http().get('/api/v1/reports/trend').set('Authorization', stack.org.token.handler).expect(403);
  });

  it('months= and workflow= narrow it; nonsense and an unknown workflow are a 400 naming the parameter, as for /reports/kpis', async () => {
    const three = await trend(stack.org.token.admin, { months: '3' });
    expect(three.map((m) => m.month)).toEqual(['2025-09', '2025-10', '2025-11']);
    // The one plan-item (F4) never closed nor overdue: hotline tickets alone give the same October.
    const tickets = await trend(stack.org.token.admin, { months: '3', workflow: 'hotline-ticket' });
    expect(tickets).toEqual(three);
    const plans = await trend(stack.org.token.admin, { months: '3', workflow: 'plan-item' });
    expect(plans.map(figures)).toEqual([
      [0, 0, null, 0],
      [0, 0, null, 0],
      [0, 0, null, 0],
    ]);
    for (const months of ['0', '37', 'x', '1.5']) {
      const res = await http().get('/api/v1/reports/trend').query({ months }).set('Authorization', stack.org.token.admin).expect(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('months');
    }
    const unknown = await http().get('/api/v1/reports/trend').query({ workflow: 'no-such-flow' }).set('Authorization', stack.org.token.admin).expect(400);
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual(['workflow']);
  });

  it('GET /tasks created/closed period filters list exactly what a department’s KPI row counts', async () => {
    const { dept, token } = stack.org;
    const october = { from: '2025-10-01', to: '2025-10-31' };
    const rows = (await http().get('/api/v1/reports/kpis').query(october).set('Authorization', token.supervisor).expect(200)).body.byDepartment as {
      departmentId: string;
      created: number;
      closed: number;
    }[];
    const o1 = rows.find((r) => r.departmentId === dept.O1)!;
    const closed = await refs(token.supervisor, { primaryDepartmentId: dept.O1, closedFrom: october.from, closedTo: october.to });
    // O1g closed on 11-03 is not among them; O1c closed at 10-31 17:30 is (the whole last day is included).
    expect(closed).toEqual(['KPI-O1a', 'KPI-O1b', 'KPI-O1c', 'KPI-O1d']);
    expect(closed).toHaveLength(o1.closed);
    const created = await refs(token.supervisor, { primaryDepartmentId: dept.O1, createdFrom: october.from, createdTo: october.to });
    expect(created).toEqual(['KPI-O1b', 'KPI-O1c', 'KPI-O1d', 'KPI-O1e', 'KPI-O1g']);
    expect(created).toHaveLength(o1.created);
    // The lead's own list (read from the department's owner entries) filters the same way.
    expect(await refs(token.lead, { closedFrom: october.from, closedTo: october.to, primaryDepartmentId: dept.O1 })).toEqual(closed);
    // O1b is co-owned by B and led second by O2: in their lists, not counted in their rows.
    expect(await refs(token.lead2, { closedFrom: october.from, closedTo: october.to })).toEqual(['KPI-O1b', 'KPI-O2a', 'KPI-O2b']);
    // An instant bound is included: O1c closed at exactly 17:30.
    expect(await refs(token.admin, { primaryDepartmentId: dept.O1, closedFrom: '2025-10-31T17:30:00+08:00', closedTo: '2025-10-31T17:30:00+08:00' })).toEqual([
      'KPI-O1c',
    ]);
    expect(await refs(token.admin, { primaryDepartmentId: dept.O1, closedFrom: '2025-10-31', closedTo: '2025-10-31T17:29:59.999+08:00' })).toEqual([]);
    // A Beijing date starts at 16:00 UTC the day before: Ba, closed 10-15 07:30 in Beijing (10-14 23:30 UTC), is a 10-15 closing.
    expect(await refs(token.admin, { primaryDepartmentId: dept.B, closedFrom: '2025-10-15', closedTo: '2025-10-15' })).toEqual(['KPI-Ba']);
    const bad = await http().get('/api/v1/tasks').query({ closedFrom: '2025-13-01', createdTo: 'yesterday' }).set('Authorization', token.admin).expect(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['closedFrom', 'createdTo']);
  });

  it('a stored bulletin downloads as it was published: the same JSON, and XLSX bytes; an unknown one is 404', async () => {
    const { token, dept } = stack.org;
    const bulletin = (
      await http().get('/api/v1/reports/bulletin').query({ from: '2025-10-01', to: '2025-10-31' }).set('Authorization', token.admin).expect(200)
    ).body;
    // Stored as the monthly job stores it: with the department of each row.
    const kpis = (await http().get('/api/v1/reports/kpis').query({ from: '2025-10-01', to: '2025-10-31' }).set('Authorization', token.admin).expect(200)).body
      .byDepartment as { departmentId: string; departmentName: string }[];
    const departmentIds = bulletin.rows.map((r: (string | number)[]) => kpis.find((k) => k.departmentName === r[1])!.departmentId);
    const [{ id }] = (
      await stack.db.query(`INSERT INTO bulletins (period_from, period_to, title, content) VALUES ($1, $2, $3, $4::jsonb) RETURNING id`, [
        bulletin.from,
        bulletin.to,
        bulletin.title,
        JSON.stringify({ ...bulletin, departmentIds }),
      ])
    ).rows;
    const list = (await http().get('/api/v1/reports/bulletins').set('Authorization', token.supervisor).expect(200)).body;
    expect(list).toEqual([expect.objectContaining({ id, title: '2025年10月督办事项办理情况通报', from: bulletin.from, to: bulletin.to })]);

    // Published figures stay as published even when the history changes afterwards.
    await stack.db.query(`UPDATE bulletins SET content = jsonb_set(content, '{rows,0,1}', '"已改名单位"') WHERE id = $1`, [id]);
    const json = (await http().get(`/api/v1/reports/bulletins/${id}`).set('Authorization', token.admin).expect(200)).body;
    expect(json.rows[0][1]).toBe('已改名单位');
    expect(json.rows.slice(1)).toEqual(bulletin.rows.slice(1));
    expect(json).not.toHaveProperty('departmentIds');
    const published = json.rows as (string | number)[][];
    const rowsOf = (...ids: string[]) => published.filter((_, i) => ids.includes(departmentIds[i]));

    // Scoped as GET /reports/bulletin: a lead reads its own department's row, a supervisor those it supervises (ranks as published).
    const seen = async (t: string) => (await http().get(`/api/v1/reports/bulletins/${id}`).set('Authorization', t).expect(200)).body.rows;
    expect(await seen(token.lead)).toEqual(rowsOf(dept.O1));
    expect(await seen(token.lead)).toHaveLength(1);
    expect(await seen(token.lead2)).toEqual(rowsOf(dept.O2));
    const supervised = (
      (await http().get('/api/v1/reports/kpis').query({ from: '2025-10-01', to: '2025-10-31' }).set('Authorization', token.supervisor).expect(200)).body
        .byDepartment as { departmentId: string }[]
    ).map((k) => k.departmentId);
    expect(await seen(token.supervisor)).toEqual(rowsOf(...supervised));
    expect((await seen(token.supervisor)).length).toBeLessThan(published.length);
    const leadXlsx = await http()
      .get(`/api/v1/reports/bulletins/${id}`)
      .query({ format: 'xlsx' })
      .set('Authorization', token.lead)
      .buffer(true)
      .parse(binaryParser as never)
      .expect(200);
    const leadBook = new ExcelJS.Workbook();
    await leadBook.xlsx.load(leadXlsx.body as unknown as ArrayBuffer);
    expect(leadBook.worksheets[0]!.rowCount).toBe(3);
    expect(leadBook.worksheets[0]!.getCell(3, 2).value).toBe(rowsOf(dept.O1)[0]![1]);

    const xlsx = await http()
      .get(`/api/v1/reports/bulletins/${id}`)
      .query({ format: 'xlsx' })
      .set('Authorization', token.admin)
      .buffer(true)
      .parse(binaryParser as never)
      .expect(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['content-disposition']).toContain(encodeURIComponent('2025年10月督办事项办理情况通报.xlsx'));
    const bytes = xlsx.body as Buffer;
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getCell(1, 1).value).toBe('2025年10月督办事项办理情况通报');
    expect(sheet.getCell(3, 2).value).toBe('已改名单位');

    const missing = await http().get('/api/v1/reports/bulletins/00000000-0000-4000-8000-000000000000').set('Authorization', token.admin).expect(404);
    expect(missing.body.type).toBe('urn:duban:problem:bulletin-not-found');
    await http().get('/api/v1/reports/bulletins/not-an-id').set('Authorization', token.admin).expect(400);
    await http().get(`/api/v1/reports/bulletins/${id}`).set('Authorization', token.handler).expect(403);

    // An older bulletin, stored without the departments of its rows: a lead's row is found by its department's name.
    const [older] = (
      await stack.db.query(`INSERT INTO bulletins (period_from, period_to, title, content) VALUES ($1, $2, $3, $4::jsonb) RETURNING id`, [
        '2025-08-31T16:00:00Z',
        '2025-09-30T16:00:00Z',
        '2025年9月督办事项办理情况通报',
        JSON.stringify(bulletin),
      ])
    ).rows;
    const olderRows = (await http().get(`/api/v1/reports/bulletins/${older.id}`).set('Authorization', token.lead).expect(200)).body.rows;
    expect(olderRows).toEqual(bulletin.rows.filter((r: (string | number)[]) => r[1] === '数据资源科'));
    expect(olderRows).toHaveLength(1);
  });
});
