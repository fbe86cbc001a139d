import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { buildOrg, type Org } from './support/org-fixture.js';
import { createTestEnv, type RunningApp, startSeededApi, type TestEnv } from './support/test-env.js';
import { BULK_FAULTS, bulkRecords, type ImportRecord, kpiDataset, LAST_WEEK, OCTOBER } from './support/kpi-dataset.js';

/**
 * Reports over imported history. Every expected figure below is worked out by hand from the
 * records of test/support/kpi-dataset.ts and the normative definitions of API.md (Reports), on
 * the `cn` calendar: Asia/Shanghai, 08:30–12:00 and 14:00–17:30 (7 working hours = 1 working
 * day), Monday–Friday, except 2025-10-01…08 (National Day/Mid-Autumn, off) and the make-up
 * workdays Sun 2025-09-28 and Sat 2025-10-11. All instants below are Beijing time.
 *
 * Per-record facts used in the figures (W = working hours, createdAt→closedAt, before pauses):
 *
 * F 市农业农村局
 *  F1  created 10-09 09:00, accepted 10:00 (1 W ≤ 2 W: on time), due 10-16 17:30, closed 10-14 16:00
 *      (on time; 14 < 16: early), satisfied. Handling 10-09 3+3.5, 10-10 7, 10-11 7 (make-up),
 *      10-13 7, 10-14 3.5+2 = 33 W.
 *  F2  created 09-24 10:00 (before the window), accepted 09-24 (outside), due 10-10 17:30, closed
 *      10-10 11:00 (on time, same day: not early), basically satisfied, one extension dated 09-30.
 *      Handling 09-24 2+3.5, 09-25 7, 09-26 7, 09-28 7 (make-up), 09-29 7, 09-30 7, 10-01…08 0,
 *      10-09 7, 10-10 2.5 = 50 W.
 *  F3  created 10-27, due 11-03 17:30, dispatched: created only (due after `to`, not overdue).
 *  F4  plan-item, created 10-15, due 12-31, in progress: created only.
 * O2 政务服务科
 *  O2a created 10-13 11:00, accepted 14:50 (11:00–12:00 + 14:00–14:50 = 1 h 50 W, on time, although
 *      3 h 50 natural), due 10-20 11:00, closed exactly at 10-20 11:00 (on time, not early), satisfied.
 *      Handling 10-13 1+3.5, 10-14…17 4×7, 10-20 2.5 = 35 W.
 *  O2b urgent, created 10-21 11:50, accepted 14:05 (135 natural minutes > 30: late, although only
 *      15 working minutes), due 10-22 11:50 (14:50 with the 1 W paused), closed 10-21 17:00 (on time,
 *      early), unrated, paused 1 W.
 *      Handling 11:50–12:00 + 14:00–17:00 = 3 h 10 − 1 h = 2 h 10 = 130 working minutes.
 *  O2c created 10-09 10:00, accepted 10:30 (on time), due 10-16 10:00, processing: overdue at `to`;
 *      extension dated 10-15 and return dated 10-09 10:10, both inside.
 *  O2d entirely in September (closed 09-26, card 09-25): counts nowhere.
 * O1 数据资源科
 *  O1a created 09-26 15:00, accepted 09-28 (outside), due 10-09 17:30, closed 10-11 10:00 (late),
 *      unsatisfied; extensions: 1 → dated at createdAt 09-26 (outside); return dated 09-26 (outside);
 *      yellow 10-09 17:30 and red 10-11 08:30 (both inside).
 *      Handling 09-26 2.5, 09-28, 09-29, 09-30, 10-09, 10-10 5×7, 10-11 1.5 = 39 W.
 *  O1b leads [O1, O2] (primary O1), co B; created 10-16 09:00, accepted 09:30 (on time), due 10-23
 *      09:00, closed 10-22 16:00 (on time, early), satisfied. Handling 10-16 3+3.5, 10-17, 10-20,
 *      10-21 3×7, 10-22 3.5+2 = 33 W.
 *  O1c created 10-27 08:00 (before work), accepted 10:25 (from 08:30: 1 h 55 W, on time, although 2 h
 *      25 natural), due 10-29 17:30 as set, paused 50,400,000 ms = 14 W, so due 10-31 17:30 in force
 *      (paused time counts toward on time), closed exactly then (on time, not early), basically
 *      satisfied. Handling 10-27…10-31 5×7 = 35 − 14 = 21 W.
 *  O1d created 10-22 14:00, accepted 10-23 09:00 (3.5 + 0.5 = 4 W: late), due 10-29 14:00, closed
 *      10-24 10:00 (on time, early), unrated; returned: 1 → dated 10-22 (inside).
 *      Handling 10-22 3.5, 10-23 7, 10-24 1.5 = 12 W.
 *  O1e created 10-30, due 11-06, dispatched: created only.
 *  O1f created 09-22, accepted 09-22 (outside), due 09-29 10:00, processing: overdue at `to`;
 *      extensions 09-29 (outside) and 10-20 (inside); yellow 09-29 (outside), red 10-09 (inside).
 *  O1g created 10-17 17:00 (Fri), accepted 10-20 09:45 (0.5 + 1.25 = 1.75 W: on time), due 10-24
 *      17:00, closed 11-03 (≥ `to`: not closed in October, overdue open at `to`), yellow 10-24 (inside).
 * B 市政务服务数据管理局
 *  Ba  created 09-30 16:30, accepted 10-09 09:20 (09-30 1 h + 10-09 50 min across the holiday = 1 h 50
 *      W: on time), due 10-15 16:30, closed 10-15 07:30 (on time; the same Beijing day as the due
 *      date, so NOT early — in UTC it would be 10-14 23:30), unrated. Handling 09-30 1, 10-09,
 *      10-10, 10-11, 10-13, 10-14 5×7, 10-15 0 (before 08:30) = 36 W.
 *  Bb  created 10-10 16:00, accepted 10-11 09:30 (10-10 1.5 + make-up 10-11 1 = 2.5 W: late), due
 *      10-17 16:00, closed 10-20 09:30 (late), unrated; extensions: 1 → dated 10-10 (inside); yellow
 *      10-17 (inside). Handling 10-10 1.5, 10-11 7, 10-13…17 5×7, 10-20 1 = 44.5 W.
 *  Bc  created 10-13 09:00, accepted 11:30 (2.5 W: late), due 10-20 09:00, closed 10-17 15:00 (on
 *      time, early), unrated; returned: 2 → dated 10-13 (inside). Handling 10-13 3+3.5, 10-14…16
 *      3×7, 10-17 3.5+1 = 32 W.
 *  Bd  urgent, created 10-20 10:00, accepted 10:20 (20 natural min ≤ 30: on time), due 10-21 10:00,
 *      closed 10-20 16:00 (on time, early), unrated. Handling 2 + 2 = 4 W.
 *  Be  created 10-28 09:00, due 10-30 09:00, dispatched: overdue at `to`; yellow 10-30 (inside),
 *      red exactly at 11-01 00:00 = `to` (outside).
 */

const FIELDS = [
  'created',
  'closed',
  'closedOnTime',
  'onTimeRate',
  'earlyRate',
  'avgHandlingWorkingDays',
  'acceptedOnTimeRate',
  'satisfactionRate',
  'yellowCards',
  'redCards',
  'extensions',
  'returns',
  'overdueOpen',
] as const;
type Kpis = Record<(typeof FIELDS)[number], number | null>;
/** A department's figures when nothing happened: counts 0, every rate and the average null. */
const NOTHING: Kpis = {
  created: 0,
  closed: 0,
  closedOnTime: 0,
  onTimeRate: null,
  earlyRate: null,
  avgHandlingWorkingDays: null,
  acceptedOnTimeRate: null,
  satisfactionRate: null,
  yellowCards: 0,
  redCards: 0,
  extensions: 0,
  returns: 0,
  overdueOpen: 0,
};
const RATES = new Set(['onTimeRate', 'earlyRate', 'acceptedOnTimeRate', 'satisfactionRate']);

/** Every field exactly: counts equal, rates to 9 decimals, average days to 6, nulls null. */
function expectKpis(actual: Record<string, unknown>, expected: Kpis, what: string): void {
  for (const field of FIELDS) {
    const value = actual[field];
    const want = expected[field];
    const label = `${what}.${field}`;
    if (want === null) {
      expect({ [label]: value }).toEqual({ [label]: null });
    } else if (field === 'avgHandlingWorkingDays' || RATES.has(field)) {
      expect({ [label]: typeof value }).toEqual({ [label]: 'number' });
      if (Math.abs((value as number) - want) >= 0.5 * 10 ** -(field === 'avgHandlingWorkingDays' ? 6 : 9)) {
        throw new Error(`${label}: expected ${want}, got ${String(value)}`);
      }
      expect(value as number).toBeCloseTo(want, field === 'avgHandlingWorkingDays' ? 6 : 9);
    } else {
      expect({ [label]: value }).toEqual({ [label]: want });
    }
  }
}

interface KpiRow extends Record<string, unknown> {
  departmentId: string;
  rank: number;
}

/** Collects a superagent response body as a Buffer (for the xlsx). */
function binaryParser(res: NodeJS.ReadableStream, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer | string) => chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'binary')));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
  res.on('error', (err: Error) => callback(err, Buffer.alloc(0)));
}

const COLUMNS = [
  '排名',
  '单位',
  '受理量',
  '办结量',
  '按时办结率',
  '提前办结率',
  '平均处理时长(工作日)',
  '签收及时率',
  '满意率',
  '黄牌',
  '红牌',
  '延期',
  '退单',
  '逾期未办结',
  '催办次数',
];

describe('reports: KPIs and the ranking bulletin over imported history', () => {
  let testEnv: TestEnv;
  let api: RunningApp;
  let org: Org;
  let dataset: ImportRecord[];

  const http = () => request(api.url);
  const kpis = async (query: Record<string, string>, who = org.token.admin) => {
    const res = await http().get('/api/v1/reports/kpis').query(query).set('Authorization', who);
    if (res.status !== 200) throw new Error(`kpis ${JSON.stringify(query)}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { totals: Record<string, unknown>; byDepartment: KpiRow[] };
  };
  const byId = (rows: KpiRow[]) => new Map(rows.map((r) => [r.departmentId, r]));
  const findTask = async (q: string, externalRef: string) => {
    const res = await http().get('/api/v1/tasks').query({ q, limit: 100 }).set('Authorization', org.token.admin).expect(200);
    const task = res.body.items.find((t: { externalRef: string }) => t.externalRef === externalRef);
    if (!task)
      throw new Error(`no task with externalRef ${externalRef} among ${JSON.stringify(res.body.items.map((t: { externalRef: string }) => t.externalRef))}`);
    return task;
  };

  beforeAll(async () => {
    testEnv = await createTestEnv({ seededWith: 'demo-password' });
    api = await startSeededApi(testEnv, 'demo-password');
    org = await buildOrg(api.url, 'demo-password');
    dataset = kpiDataset(org.dept);
  });

  afterAll(async () => {
    await api?.stop();
    await testEnv?.dispose();
  });

  it('premises: the cn calendar the figures are computed on (2 working hours from each tricky creation instant)', async () => {
    const add = async (from: string) =>
      Date.parse((await http().get('/api/v1/calendars/cn/add').query({ from, duration: '2wh' }).set('Authorization', org.token.admin).expect(200)).body.result);
    // Ba: 09-30 16:30–17:30 (1 h), 10-01…08 off, 10-09 08:30–09:30.
    expect(await add('2025-09-30T16:30:00.000+08:00')).toBe(Date.parse('2025-10-09T09:30:00+08:00'));
    // Bb: 10-10 16:00–17:30 (1.5 h), Saturday 10-11 is a make-up workday: 08:30–09:00.
    expect(await add('2025-10-10T16:00:00.000+08:00')).toBe(Date.parse('2025-10-11T09:00:00+08:00'));
    // O2a: 11:00–12:00, lunch, 14:00–15:00.
    expect(await add('2025-10-13T11:00:00.000+08:00')).toBe(Date.parse('2025-10-13T15:00:00+08:00'));
    // O1c: created before work, counts from 08:30.
    expect(await add('2025-10-27T08:00:00.000+08:00')).toBe(Date.parse('2025-10-27T10:30:00+08:00'));
    // O1g: Friday 17:00–17:30, weekend, Monday 08:30–10:00.
    expect(await add('2025-10-17T17:00:00.000+08:00')).toBe(Date.parse('2025-10-20T10:00:00+08:00'));
  });

  it('imports the data set as a JSON array: all or nothing, each task is audited as imported, a second import duplicates nothing', async () => {
    await http().post('/api/v1/tasks/import').set('Authorization', org.token.lead).send(dataset).expect(403);

    // Index 20: a state hotline-ticket does not have. The array is refused whole, naming it.
    const bad: ImportRecord = { ...dataset[0]!, externalRef: 'KPI-BAD', title: 'KPI-BAD 状态不存在', state: 'archived' };
    const refused = await http()
      .post('/api/v1/tasks/import')
      .set('Authorization', org.token.admin)
      .send([...dataset, bad])
      .expect(400);
    expect(refused.body.type).toBe('urn:duban:problem:import-rejected');
    expect(refused.body.rejected).toHaveLength(1);
    expect(refused.body.rejected[0].index).toBe(20);
    expect(refused.body.rejected[0].errors.map((e: { path: string }) => e.path)).toContain('state');
    for (const e of refused.body.rejected[0].errors) expect(e.message).toEqual(expect.any(String));
    const none = await http().get('/api/v1/tasks').query({ q: 'KPI-', limit: 100 }).set('Authorization', org.token.admin).expect(200);
    expect(none.body.total).toBe(0);

    const first = await http().post('/api/v1/tasks/import').set('Authorization', org.token.admin).send(dataset).expect(200);
    expect(first.body).toEqual({ imported: 20, skipped: 0, rejected: [] });
    const again = await http().post('/api/v1/tasks/import').set('Authorization', org.token.admin).send(dataset).expect(200);
    expect(again.body).toEqual({ imported: 0, skipped: 20, rejected: [] });
    // 20 tasks whose title holds "KPI-", not 40; the bad one is not among them.
    const all = await http().get('/api/v1/tasks').query({ q: 'KPI-', limit: 100 }).set('Authorization', org.token.admin).expect(200);
    expect(all.body.total).toBe(20);
    expect(all.body.items.map((t: { externalRef: string }) => t.externalRef).sort()).toEqual(dataset.map((r) => r.externalRef).sort());

    const o1c = await findTask('KPI-O1c', 'KPI-O1c');
    expect(o1c).toMatchObject({ workflow: 'hotline-ticket', state: 'closed', externalRef: 'KPI-O1c' });
    expect(Date.parse(o1c.createdAt)).toBe(Date.parse('2025-10-27T08:00:00+08:00'));
    expect(Date.parse(o1c.closedAt)).toBe(Date.parse('2025-10-31T17:30:00+08:00'));
    expect(Date.parse(o1c.dueAt)).toBe(Date.parse('2025-10-31T17:30:00+08:00'));
    const trail = (await http().get(`/api/v1/tasks/${o1c.id}/audit`).set('Authorization', org.token.admin).expect(200)).body;
    expect(trail).toHaveLength(1);
    expect(trail[0].action).toBe('imported');

    const o1b = await findTask('KPI-O1b', 'KPI-O1b');
    expect(o1b.owners).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ departmentId: org.dept.O1, role: 'lead' }),
        expect.objectContaining({ departmentId: org.dept.O2, role: 'lead' }),
        expect.objectContaining({ departmentId: org.dept.B, role: 'co' }),
      ]),
    );
    expect(o1b.owners).toHaveLength(3);
    const open = await findTask('KPI-O2c', 'KPI-O2c');
    expect(open).toMatchObject({ state: 'processing', closedAt: null });
  });

  it('October 2025: every KPI of every department and the totals, ranked', async () => {
    const res = await kpis(OCTOBER);
    const rows = byId(res.byDepartment);
    // S2 has no task: four rows exactly.
    expect([...rows.keys()].sort()).toEqual([org.dept.B, org.dept.O1, org.dept.O2, org.dept.F].sort());
    expect(res.byDepartment).toHaveLength(4);

    // F: on time 2/2 = 1, satisfaction 2/2 = 1 → rank 1, tied with O2.
    expect(rows.get(org.dept.F)!.rank).toBe(1);
    expectKpis(
      rows.get(org.dept.F)!,
      {
        created: 3, // F1 (10-09), F3 (10-27), F4 plan-item (10-15); F2 was created 09-24
        closed: 2, // F1 (10-14), F2 (10-10)
        closedOnTime: 2, // both before their due instant
        onTimeRate: 1, // 2/2
        earlyRate: 0.5, // F1 (10-14 < 10-16); F2 closed on its due day → 1/2
        avgHandlingWorkingDays: 41.5 / 7, // (33 W + 50 W) / 2 = 41.5 W = 5.928571…
        acceptedOnTimeRate: 1, // F1 only (F2 accepted 09-24): 1 W ≤ 2 W → 1/1
        satisfactionRate: 1, // satisfied + basically satisfied / 2 rated
        yellowCards: 0,
        redCards: 0,
        extensions: 0, // F2's extension is dated 09-30
        returns: 0,
        overdueOpen: 0, // F3 due 11-03, F4 due 12-31: after `to`
      },
      'F',
    );

    // O2: on time 2/2 = 1, satisfaction 1/1 = 1 → rank 1 (tie with F: ties share the rank).
    expect(rows.get(org.dept.O2)!.rank).toBe(1);
    expectKpis(
      rows.get(org.dept.O2)!,
      {
        created: 3, // O2a 10-13, O2b 10-21, O2c 10-09 (O2d is September; O1b counts for its primary lead O1)
        closed: 2, // O2a, O2b
        closedOnTime: 2, // O2a exactly at dueAt (≤), O2b 10-21 17:00 ≤ 10-22 11:50
        onTimeRate: 1,
        earlyRate: 0.5, // O2b (21 < 22); O2a closed on its due day → 1/2
        avgHandlingWorkingDays: (35 * 60 + 130) / 2 / 420, // (2100 + 130 working min) / 2 = 1115 min / 420 = 2.654762
        acceptedOnTimeRate: 2 / 3, // O2a (1 h 50 W) ✓, O2b urgent 135 min > 30 ✗, O2c (30 min) ✓
        satisfactionRate: 1, // O2a satisfied; O2b unrated → 1/1
        yellowCards: 0, // O2d's card is 09-25
        redCards: 0,
        extensions: 1, // O2c 10-15
        returns: 1, // O2c 10-09 10:10
        overdueOpen: 1, // O2c due 10-16, still processing
      },
      'O2',
    );

    // O1: on time 3/4, satisfaction 2/3 → rank 3 (after the two tied at 1).
    expect(rows.get(org.dept.O1)!.rank).toBe(3);
    expectKpis(
      rows.get(org.dept.O1)!,
      {
        created: 5, // O1b 10-16, O1c 10-27, O1d 10-22, O1e 10-30, O1g 10-17 (O1a, O1f are September)
        closed: 4, // O1a 10-11, O1b 10-22, O1c 10-31, O1d 10-24 (O1g closed 11-03: after `to`)
        closedOnTime: 3, // O1b, O1c (exactly at due), O1d; O1a late
        onTimeRate: 0.75, // 3/4
        earlyRate: 0.5, // O1b (22 < 23), O1d (24 < 29) → 2/4
        avgHandlingWorkingDays: 3.75, // (39 + 33 + 21 + 12) W / 4 = 26.25 W / 7
        acceptedOnTimeRate: 0.75, // O1b ✓ (30 min), O1c ✓ (1 h 55 W), O1d ✗ (4 W), O1g ✓ (1.75 W) → 3/4
        satisfactionRate: 2 / 3, // O1a unsatisfied, O1b satisfied, O1c basically; O1d unrated → 2/3
        yellowCards: 2, // O1a 10-09, O1g 10-24 (O1f's yellow is 09-29)
        redCards: 2, // O1a 10-11, O1f 10-09
        extensions: 1, // O1f 10-20 (O1f 09-29 and O1a's numeric one dated 09-26 are outside)
        returns: 1, // O1d (numeric, dated 10-22); O1a's is 09-26
        overdueOpen: 2, // O1f (due 09-29, processing), O1g (due 10-24, closed only 11-03)
      },
      'O1',
    );

    // B: on time 3/4 like O1, satisfaction null (nothing rated) → after O1 (nulls last): rank 4.
    expect(rows.get(org.dept.B)!.rank).toBe(4);
    expectKpis(
      rows.get(org.dept.B)!,
      {
        created: 4, // Bb 10-10, Bc 10-13, Bd 10-20, Be 10-28 (Ba 09-30)
        closed: 4, // Ba 10-15, Bb 10-20, Bc 10-17, Bd 10-20
        closedOnTime: 3, // Ba, Bc, Bd; Bb late
        onTimeRate: 0.75,
        earlyRate: 0.5, // Bc (17 < 20), Bd (20 < 21); Ba closed 10-15 07:30, due 10-15: same Beijing day → 2/4
        avgHandlingWorkingDays: 116.5 / 4 / 7, // (36 + 44.5 + 32 + 4) W / 4 = 29.125 W = 4.160714
        acceptedOnTimeRate: 0.5, // Ba ✓ (1 h 50 W over the holiday), Bb ✗ (2.5 W with the make-up Saturday), Bc ✗ (2.5 W), Bd ✓ (urgent, 20 min)
        satisfactionRate: null, // no rated ticket closed in the period
        yellowCards: 2, // Bb 10-17, Be 10-30
        redCards: 0, // Be's red is exactly at `to`
        extensions: 1, // Bb (numeric, dated 10-10)
        returns: 2, // Bc (2, dated 10-13)
        overdueOpen: 1, // Be (due 10-30, dispatched)
      },
      'B',
    );

    expect(res.totals).not.toHaveProperty('rank');
    expectKpis(
      res.totals,
      {
        created: 15, // 3 + 3 + 5 + 4
        closed: 12, // 2 + 2 + 4 + 4
        closedOnTime: 10, // 2 + 2 + 3 + 3
        onTimeRate: 10 / 12, // 0.833333
        earlyRate: 6 / 12, // 1 + 1 + 2 + 2 = 6
        // minutes: F 83 W = 4980, O2 2230, O1 105 W = 6300, B 116.5 W = 6990 → 20500 / 12 / 420 = 4.067460
        avgHandlingWorkingDays: 20500 / 12 / 420,
        acceptedOnTimeRate: 8 / 12, // (1 + 2 + 3 + 2) / (1 + 3 + 4 + 4)
        satisfactionRate: 5 / 6, // (2 + 1 + 2) good / (2 + 1 + 3 + 0) rated
        yellowCards: 4, // 0 + 0 + 2 + 2
        redCards: 2, // 0 + 0 + 2 + 0
        extensions: 3, // 0 + 1 + 1 + 1
        returns: 4, // 0 + 1 + 1 + 2
        overdueOpen: 4, // 0 + 1 + 2 + 1
      },
      'totals',
    );
  });

  it('filters by department and by workflow', async () => {
    // F alone, hotline tickets only: the plan-item F4 drops out of `created`; rank 1 either way.
    const res = await kpis({ ...OCTOBER, departmentId: org.dept.F, workflow: 'hotline-ticket' });
    expect(res.byDepartment.map((r) => r.departmentId)).toEqual([org.dept.F]);
    expect(res.byDepartment[0]!.rank).toBe(1);
    const f: Kpis = {
      created: 2, // F1, F3
      closed: 2,
      closedOnTime: 2,
      onTimeRate: 1,
      earlyRate: 0.5,
      avgHandlingWorkingDays: 41.5 / 7, // (33 + 50) / 2 W
      acceptedOnTimeRate: 1,
      satisfactionRate: 1,
      yellowCards: 0,
      redCards: 0,
      extensions: 0,
      returns: 0,
      overdueOpen: 0,
    };
    expectKpis(res.byDepartment[0]!, f, 'F(hotline)');
    expectKpis(res.totals, f, 'totals(F, hotline)');

    // plan-item over October: F4 only, created and nothing else — every rate null.
    const plan = await kpis({ ...OCTOBER, workflow: 'plan-item' });
    expect(plan.byDepartment.map((r) => [r.departmentId, r.rank])).toEqual([[org.dept.F, 1]]);
    const planKpis: Kpis = { ...NOTHING, created: 1 };
    expectKpis(plan.byDepartment[0]!, planKpis, 'F(plan-item)');
    expectKpis(plan.totals, planKpis, 'totals(plan-item)');
  });

  it('last week of October: departments that closed nothing give nulls and share the last rank', async () => {
    const res = await kpis(LAST_WEEK);
    const rows = byId(res.byDepartment);
    // O2 appears only through its overdue open ticket O2c.
    expect([...rows.keys()].sort()).toEqual([org.dept.B, org.dept.O1, org.dept.O2, org.dept.F].sort());

    expect(rows.get(org.dept.O1)!.rank).toBe(1); // on time 1/1, satisfaction 1/1
    expectKpis(
      rows.get(org.dept.O1)!,
      {
        created: 2, // O1c 10-27, O1e 10-30
        closed: 1, // O1c 10-31 17:30
        closedOnTime: 1, // exactly at due
        onTimeRate: 1,
        earlyRate: 0, // closed on its due day: 0/1, not null
        avgHandlingWorkingDays: 3, // 35 W − 14 W paused = 21 W
        acceptedOnTimeRate: 1, // O1c 1 h 55 W (O1g was accepted 10-20)
        satisfactionRate: 1, // basically satisfied 1/1
        yellowCards: 0, // O1g's is 10-24
        redCards: 0,
        extensions: 0, // O1f's is 10-20
        returns: 0, // O1d's is 10-22
        overdueOpen: 2, // O1f, O1g (same `to` as October)
      },
      'O1 last week',
    );

    // The three others: on-time and satisfaction both null → tied, rank 2 (1 for O1, then 2, 2, 2).
    for (const [name, id] of [
      ['F', org.dept.F],
      ['O2', org.dept.O2],
      ['B', org.dept.B],
    ] as const)
      expect({ [name]: rows.get(id)!.rank }).toEqual({ [name]: 2 });
    expectKpis(rows.get(org.dept.F)!, { ...NOTHING, created: 1 }, 'F last week'); // F3 10-27
    expectKpis(rows.get(org.dept.O2)!, { ...NOTHING, overdueOpen: 1 }, 'O2 last week'); // O2c
    // Be: created 10-28, yellow 10-30, red at `to` excluded
    expectKpis(rows.get(org.dept.B)!, { ...NOTHING, created: 1, yellowCards: 1, overdueOpen: 1 }, 'B last week');

    expectKpis(
      res.totals,
      {
        created: 4, // 1 + 0 + 2 + 1
        closed: 1,
        closedOnTime: 1,
        onTimeRate: 1,
        earlyRate: 0,
        avgHandlingWorkingDays: 3,
        acceptedOnTimeRate: 1,
        satisfactionRate: 1,
        yellowCards: 1,
        redCards: 0,
        extensions: 0,
        returns: 0,
        overdueOpen: 4, // O1f, O1g, O2c, Be
      },
      'totals last week',
    );
  });

  it('lets admins, supervisors and leads (their own department only) read reports, nobody else', async () => {
    // API.md (Reports): "supervisors see the departments they supervise, leads their own, admins all".
    const own = await kpis(OCTOBER, org.token.lead);
    expect(own.byDepartment.map((r) => r.departmentId)).toEqual([org.dept.O1]);
    await http()
      .get('/api/v1/reports/kpis')
      .query({ ...OCTOBER, departmentId: org.dept.O2 })
      .set('Authorization', org.token.lead)
      .expect(403);
    await http().get('/api/v1/reports/kpis').query(OCTOBER).set('Authorization', org.token.handler).expect(403);
    await http()
      .get('/api/v1/reports/bulletin')
      .query({ ...OCTOBER, format: 'json' })
      .set('Authorization', org.token.handler)
      .expect(403);
    await http().get('/api/v1/reports/kpis').query(OCTOBER).set('Authorization', org.token.supervisor).expect(200);
    await http().get('/api/v1/reports/kpis').query(OCTOBER).expect(401);
  });

  // Ordered by rank, then 单位: F 市农业农村局 and O2 政务服务科 tie at 1; 市 (U+5E02, shì) sorts before
  // 政 (U+653F, zhèng) both by code point and by pinyin.
  const BULLETIN_ROWS = [
    // rank, name, created, closed, on time, early, avg days (41.5/7 = 5.9286), accepted (1/1), satisfaction (2/2), Y, R, ext, ret, overdue, urges
    [1, '市农业农村局', 3, 2, '100.00%', '50.00%', '5.93', '100.00%', '100.00%', 0, 0, 0, 0, 0, 0],
    // avg 2.654762 → 2.65; accepted 2/3 → 66.67%
    [1, '政务服务科', 3, 2, '100.00%', '50.00%', '2.65', '66.67%', '100.00%', 0, 0, 1, 1, 1, 0],
    // avg 3.75; accepted 3/4; satisfaction 2/3 → 66.67%
    [3, '数据资源科', 5, 4, '75.00%', '50.00%', '3.75', '75.00%', '66.67%', 2, 2, 1, 1, 2, 0],
    // avg 4.160714 → 4.16; accepted 2/4; satisfaction null → —
    [4, '市政务服务数据管理局', 4, 4, '75.00%', '50.00%', '4.16', '50.00%', '—', 2, 0, 1, 2, 1, 0],
  ];

  it('publishes the October bulletin (通报) as JSON', async () => {
    // Read by an admin: since issue 14.7 B's supervisor ranks only B, O1 and O2, not F (test/scoping-reports).
    const res = await http()
      .get('/api/v1/reports/bulletin')
      .query({ ...OCTOBER, format: 'json' })
      .set('Authorization', org.token.admin)
      .expect(200);
    expect(res.body.title).toContain('2025年10月');
    expect(res.body.title).toContain('通报');
    expect(Date.parse(res.body.from)).toBe(Date.parse(OCTOBER.from));
    expect(Date.parse(res.body.to)).toBe(Date.parse(OCTOBER.to));
    expect(res.body.columns).toEqual(COLUMNS);
    expect(res.body.rows).toEqual(BULLETIN_ROWS);
  });

  it('reads a date-only period as local days in Asia/Shanghai, and names each department in its row', async () => {
    const exact = await kpis(OCTOBER);
    // 2025-10-01 begins at 2025-09-30T16:00Z; the 31st is included, as a date picker means it.
    expect(await kpis({ from: '2025-10-01', to: '2025-10-31' })).toEqual(exact);
    const names = new Map(exact.byDepartment.map((r) => [r.departmentId, (r as unknown as { departmentName: string }).departmentName]));
    expect(names.get(org.dept.B)).toBe('市政务服务数据管理局');
    expect(names.get(org.dept.O1)).toBe('数据资源科');
    const bulletin = await http()
      .get('/api/v1/reports/bulletin')
      .query({ from: '2025-10-01', to: '2025-10-31' })
      .set('Authorization', org.token.admin)
      .expect(200);
    expect(bulletin.body.from).toBe('2025-09-30T16:00:00.000Z');
    expect(bulletin.body.to).toBe('2025-10-31T16:00:00.000Z');
    expect(bulletin.body.title).toContain('2025年10月');
    const bad = await http().get('/api/v1/reports/kpis').query({ from: '2025/10/01' }).set('Authorization', org.token.admin).expect(400);
    expect(bad.body.errors[0].path).toBe('from');
  });

  it('publishes the same bulletin as an xlsx workbook', async () => {
    const json = (
      await http()
        .get('/api/v1/reports/bulletin')
        .query({ ...OCTOBER, format: 'json' })
        .set('Authorization', org.token.admin)
        .expect(200)
    ).body;
    const res = await http()
      .get('/api/v1/reports/bulletin')
      .query({ ...OCTOBER, format: 'xlsx' })
      .set('Authorization', org.token.admin)
      .buffer(true)
      .parse(binaryParser as never)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/);
    expect(Buffer.isBuffer(res.body)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const ws = wb.worksheets[0]!;
    const cells = (row: number, count: number) => Array.from({ length: count }, (_, i) => ws.getRow(row).getCell(i + 1).value);
    expect(ws.getCell('A1').value).toBe(json.title);
    expect(cells(2, 15)).toEqual(COLUMNS);
    // Rates are numbers shown as percentages, handling days numbers: what the JSON shows, sortable in a spreadsheet.
    const asCell = (value: string | number) =>
      typeof value === 'string' && value.endsWith('%')
        ? Number(value.slice(0, -1)) / 100
        : typeof value === 'string' && /^\d+\.\d+$/.test(value)
          ? Number(value)
          : value;
    BULLETIN_ROWS.forEach((row, i) => {
      const got = cells(3 + i, 15);
      row.forEach((value, j) => (typeof asCell(value) === 'number' ? expect(got[j]).toBeCloseTo(asCell(value) as number, 6) : expect(got[j]).toBe(value)));
    });
    const onTime = ws.getRow(3).getCell(COLUMNS.indexOf('按时办结率') + 1);
    expect(typeof onTime.value).toBe('number');
    expect(onTime.numFmt).toContain('%');
    expect(ws.getRow(3).getCell(COLUMNS.indexOf('平均处理时长(工作日)') + 1).numFmt).toBe('0.00');
    // Nothing ranked after the four departments.
    expect(typeof ws.getRow(3 + BULLETIN_ROWS.length).getCell(1).value).not.toBe('number');
  });

  it('imports 10,000 NDJSON records: 9,995 in, the five bad ones rejected by index and field, none twice', async () => {
    const records = bulkRecords(org.dept, randomUUID());
    const ndjson = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
    const post = () => http().post('/api/v1/tasks/import').set('Authorization', org.token.admin).set('content-type', 'application/x-ndjson').send(ndjson);

    const first = await post();
    expect(first.status).toBe(200);
    expect(first.body.imported).toBe(9995);
    expect(first.body.skipped ?? 0).toBe(0);
    const faults = Object.entries(BULK_FAULTS).map(([index, field]) => [Number(index), field] as const);
    const checkRejected = (rejected: { index: number; errors: { path: string; message: string }[] }[]) => {
      expect(rejected.map((r) => r.index)).toEqual(faults.map(([index]) => index));
      for (const [index, field] of faults) {
        const entry = rejected.find((r) => r.index === index)!;
        expect(entry.errors.length).toBeGreaterThan(0);
        // e.g. 'leadDepartmentIds' or 'leadDepartmentIds[0]' / 'leadDepartmentIds.0' for the unknown department
        expect({ index, paths: entry.errors.map((e) => e.path).filter((p) => p === field || p.startsWith(`${field}[`) || p.startsWith(`${field}.`)) }).toEqual({
          index,
          paths: [expect.any(String)],
        });
      }
    };
    checkRejected(first.body.rejected);

    const again = await post();
    expect(again.status).toBe(200);
    expect(again.body.imported).toBe(0);
    expect(again.body.skipped).toBe(9995);
    checkRejected(again.body.rejected);

    const task = await findTask('历史工单 #00042', 'BULK-00042');
    expect(task).toMatchObject({ workflow: 'hotline-ticket', state: 'closed' });
    expect(Date.parse(task.createdAt)).toBe(Date.parse(records[42]!.createdAt!));
    const trail = (await http().get(`/api/v1/tasks/${task.id}/audit`).set('Authorization', org.token.admin).expect(200)).body;
    expect(trail).toHaveLength(1);
    expect(trail[0].action).toBe('imported');

    // 2024 holds exactly the 9,995 good ones: created 2024-01-01 09:00 … 2024-12-13, each closed two
    // days after creation, due seven days after; accepted (even indices) 20 natural minutes after
    // creation, within both 2 working hours and the urgent 30 minutes. Ratings cycle by i % 4:
    // satisfied (2,500 − #2024, #5000), basically (2,500 − #17, #7777), unsatisfied 2,500, unrated.
    const year = await kpis({ from: '2024-01-01T00:00:00.000+08:00', to: '2025-01-01T00:00:00.000+08:00' });
    expect(year.totals).toMatchObject({
      created: 9995,
      closed: 9995,
      closedOnTime: 9995,
      yellowCards: 0,
      redCards: 0,
      extensions: 0,
      returns: 0,
      overdueOpen: 0,
    });
    expect(year.totals.onTimeRate).toBe(1);
    expect(year.totals.earlyRate).toBe(1);
    expect(year.totals.acceptedOnTimeRate).toBe(1);
    expect(year.totals.satisfactionRate as number).toBeCloseTo(4996 / 7496, 9);
    // And October 2025 is untouched by them.
    expect((await kpis(OCTOBER)).totals).toMatchObject({ created: 15, closed: 12, overdueOpen: 4 });
  }, 300_000);
});
