/**
 * Historical tickets for the reports e2e test (test/reports.e2e-spec.ts): a hand-checkable data
 * set around the 2025 National Day holiday. The expected KPI figures are worked out by hand in
 * the spec, next to each assertion; this module only holds the records.
 *
 * The `cn` calendar around the period (Asia/Shanghai, 08:30–12:00 and 14:00–17:30, 7 h a day):
 *
 *   Sep 22 Mon W · 23 Tue W · 24 Wed W · 25 Thu W · 26 Fri W · 27 Sat off · 28 Sun W (make-up)
 *   Sep 29 Mon W · 30 Tue W · Oct 1 … Oct 8 holiday
 *   Oct  9 Thu W · 10 Fri W · 11 Sat W (make-up) · 12 Sun off
 *   Oct 13 … 17 Mon–Fri W · 18, 19 off · 20 … 24 W · 25, 26 off · 27 … 31 W · Nov 1, 2 off · Nov 3 Mon W
 */

export type Rating = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

export interface ImportRecord {
  workflow: string;
  title: string;
  leadDepartmentIds: string[];
  coDepartmentIds?: string[];
  externalRef?: string;
  createdAt?: string;
  acceptedAt?: string;
  dueAt?: string;
  closedAt?: string;
  state: string;
  priority?: 'normal' | 'urgent';
  /** A rating as API.md spells it, or any other text for the rejected records. */
  rating?: string;
  pausedWorkingMs?: number;
  extensions?: number | { at: string }[];
  returned?: number | { at: string }[];
  cards?: { color: 'yellow' | 'red'; at: string }[];
}

export interface KpiDepartments {
  B: string;
  O1: string;
  O2: string;
  F: string;
}

/** `'2025-10-09 09:00'` → `'2025-10-09T09:00:00.000+08:00'` (Beijing time). */
export function bj(local: string): string {
  const [date, time] = local.split(' ');
  const [hh, mm, ss = '00'] = time!.split(':');
  return `${date}T${hh}:${mm}:${ss}.000+08:00`;
}

/** The October window of the main assertions: [from, to). */
export const OCTOBER = { from: '2025-10-01T00:00:00.000+08:00', to: '2025-11-01T00:00:00.000+08:00' };
/** The last week of October: F, O2 and B close nothing in it. */
export const LAST_WEEK = { from: '2025-10-27T00:00:00.000+08:00', to: '2025-11-01T00:00:00.000+08:00' };

/**
 * 20 records (19 `hotline-ticket`, 1 `plan-item`), in this order. Index → externalRef:
 *  0 KPI-F1  1 KPI-F2  2 KPI-F3  3 KPI-F4 (plan-item)
 *  4 KPI-O2a 5 KPI-O2b 6 KPI-O2c 7 KPI-O2d
 *  8 KPI-O1a 9 KPI-O1b 10 KPI-O1c 11 KPI-O1d 12 KPI-O1e 13 KPI-O1f 14 KPI-O1g
 * 15 KPI-Ba 16 KPI-Bb 17 KPI-Bc 18 KPI-Bd 19 KPI-Be
 */
export function kpiDataset(d: KpiDepartments): ImportRecord[] {
  const ticket = (
    ref: string,
    title: string,
    lead: string[],
    rest: Omit<ImportRecord, 'workflow' | 'title' | 'leadDepartmentIds' | 'externalRef'>,
  ): ImportRecord => ({
    workflow: 'hotline-ticket',
    title: `${ref} ${title}`,
    leadDepartmentIds: lead,
    externalRef: ref,
    ...rest,
  });
  return [
    // ---------------------------------------------------------------- F 市农业农村局
    ticket('KPI-F1', '反映农贸市场摊位费过高', [d.F], {
      createdAt: bj('2025-10-09 09:00'),
      acceptedAt: bj('2025-10-09 10:00'),
      dueAt: bj('2025-10-16 17:30'),
      closedAt: bj('2025-10-14 16:00'),
      state: 'closed',
      rating: 'satisfied',
    }),
    ticket('KPI-F2', '反映农田灌溉用水不足', [d.F], {
      createdAt: bj('2025-09-24 10:00'),
      acceptedAt: bj('2025-09-24 10:30'),
      dueAt: bj('2025-10-10 17:30'),
      closedAt: bj('2025-10-10 11:00'),
      state: 'closed',
      rating: 'basically_satisfied',
      extensions: [{ at: bj('2025-09-30 17:00') }],
    }),
    ticket('KPI-F3', '咨询农机购置补贴申领', [d.F], {
      createdAt: bj('2025-10-27 09:00'),
      dueAt: bj('2025-11-03 17:30'),
      state: 'dispatched',
    }),
    {
      workflow: 'plan-item',
      title: 'KPI-F4 推进高标准农田数字化建设',
      leadDepartmentIds: [d.F],
      externalRef: 'KPI-F4',
      createdAt: bj('2025-10-15 09:00'),
      dueAt: bj('2025-12-31 17:30'),
      state: 'in-progress',
    },
    // ---------------------------------------------------------------- O2 政务服务科
    ticket('KPI-O2a', '反映政务大厅取号难', [d.O2], {
      createdAt: bj('2025-10-13 11:00'),
      acceptedAt: bj('2025-10-13 14:50'),
      dueAt: bj('2025-10-20 11:00'),
      closedAt: bj('2025-10-20 11:00'),
      state: 'closed',
      rating: 'satisfied',
    }),
    ticket('KPI-O2b', '反映不动产登记窗口停办', [d.O2], {
      priority: 'urgent',
      createdAt: bj('2025-10-21 11:50'),
      acceptedAt: bj('2025-10-21 14:05'),
      dueAt: bj('2025-10-22 11:50'),
      closedAt: bj('2025-10-21 17:00'),
      state: 'closed',
      pausedWorkingMs: 3_600_000,
    }),
    ticket('KPI-O2c', '反映社保卡补办进度慢', [d.O2], {
      createdAt: bj('2025-10-09 10:00'),
      acceptedAt: bj('2025-10-09 10:30'),
      dueAt: bj('2025-10-16 10:00'),
      state: 'processing',
      extensions: [{ at: bj('2025-10-15 10:00') }],
      returned: [{ at: bj('2025-10-09 10:10') }],
    }),
    ticket('KPI-O2d', '咨询营业执照办理材料', [d.O2], {
      createdAt: bj('2025-09-22 09:00'),
      acceptedAt: bj('2025-09-22 09:10'),
      dueAt: bj('2025-09-29 09:00'),
      closedAt: bj('2025-09-26 10:00'),
      state: 'closed',
      rating: 'satisfied',
      cards: [{ color: 'yellow', at: bj('2025-09-25 09:00') }],
    }),
    // ---------------------------------------------------------------- O1 数据资源科
    ticket('KPI-O1a', '反映公共数据开放平台无法下载', [d.O1], {
      createdAt: bj('2025-09-26 15:00'),
      acceptedAt: bj('2025-09-28 09:00'),
      dueAt: bj('2025-10-09 17:30'),
      closedAt: bj('2025-10-11 10:00'),
      state: 'closed',
      rating: 'unsatisfied',
      extensions: 1,
      returned: [{ at: bj('2025-09-26 16:00') }],
      cards: [
        { color: 'yellow', at: bj('2025-10-09 17:30') },
        { color: 'red', at: bj('2025-10-11 08:30') },
      ],
    }),
    ticket('KPI-O1b', '反映健康码数据错误', [d.O1, d.O2], {
      coDepartmentIds: [d.B],
      createdAt: bj('2025-10-16 09:00'),
      acceptedAt: bj('2025-10-16 09:30'),
      dueAt: bj('2025-10-23 09:00'),
      closedAt: bj('2025-10-22 16:00'),
      state: 'closed',
      rating: 'satisfied',
    }),
    ticket('KPI-O1c', '反映电子证照无法调用', [d.O1], {
      createdAt: bj('2025-10-27 08:00'),
      acceptedAt: bj('2025-10-27 10:25'),
      // As set: the 14 working hours paused move it on to 10-31 17:30, the due date in force.
      dueAt: bj('2025-10-29 17:30'),
      closedAt: bj('2025-10-31 17:30'),
      state: 'closed',
      rating: 'basically_satisfied',
      pausedWorkingMs: 50_400_000,
    }),
    ticket('KPI-O1d', '反映数据共享接口超时', [d.O1], {
      createdAt: bj('2025-10-22 14:00'),
      acceptedAt: bj('2025-10-23 09:00'),
      dueAt: bj('2025-10-29 14:00'),
      closedAt: bj('2025-10-24 10:00'),
      state: 'closed',
      returned: 1,
    }),
    ticket('KPI-O1e', '咨询数据目录编制要求', [d.O1], {
      createdAt: bj('2025-10-30 09:00'),
      dueAt: bj('2025-11-06 09:00'),
      state: 'dispatched',
    }),
    ticket('KPI-O1f', '反映人口库信息更新滞后', [d.O1], {
      createdAt: bj('2025-09-22 10:00'),
      acceptedAt: bj('2025-09-22 10:30'),
      dueAt: bj('2025-09-29 10:00'),
      state: 'processing',
      extensions: [{ at: bj('2025-09-29 09:00') }, { at: bj('2025-10-20 09:00') }],
      cards: [
        { color: 'yellow', at: bj('2025-09-29 10:00') },
        { color: 'red', at: bj('2025-10-09 10:00') },
      ],
    }),
    ticket('KPI-O1g', '反映门户网站栏目长期未更新', [d.O1], {
      createdAt: bj('2025-10-17 17:00'),
      acceptedAt: bj('2025-10-20 09:45'),
      dueAt: bj('2025-10-24 17:00'),
      closedAt: bj('2025-11-03 10:00'),
      state: 'closed',
      rating: 'satisfied',
      cards: [{ color: 'yellow', at: bj('2025-10-24 17:00') }],
    }),
    // ---------------------------------------------------------------- B 市政务服务数据管理局
    ticket('KPI-Ba', '反映粤省事登录异常', [d.B], {
      createdAt: bj('2025-09-30 16:30'),
      acceptedAt: bj('2025-10-09 09:20'),
      dueAt: bj('2025-10-15 16:30'),
      closedAt: bj('2025-10-15 07:30'),
      state: 'closed',
    }),
    ticket('KPI-Bb', '反映一网通办平台办件退回无说明', [d.B], {
      createdAt: bj('2025-10-10 16:00'),
      acceptedAt: bj('2025-10-11 09:30'),
      dueAt: bj('2025-10-17 16:00'),
      closedAt: bj('2025-10-20 09:30'),
      state: 'closed',
      extensions: 1,
      cards: [{ color: 'yellow', at: bj('2025-10-17 16:00') }],
    }),
    ticket('KPI-Bc', '反映12345热线转接等待过长', [d.B], {
      createdAt: bj('2025-10-13 09:00'),
      acceptedAt: bj('2025-10-13 11:30'),
      dueAt: bj('2025-10-20 09:00'),
      closedAt: bj('2025-10-17 15:00'),
      state: 'closed',
      returned: 2,
    }),
    ticket('KPI-Bd', '反映政务服务网无法访问', [d.B], {
      priority: 'urgent',
      createdAt: bj('2025-10-20 10:00'),
      acceptedAt: bj('2025-10-20 10:20'),
      dueAt: bj('2025-10-21 10:00'),
      closedAt: bj('2025-10-20 16:00'),
      state: 'closed',
    }),
    ticket('KPI-Be', '反映自助终端长期故障', [d.B], {
      createdAt: bj('2025-10-28 09:00'),
      dueAt: bj('2025-10-30 09:00'),
      state: 'dispatched',
      cards: [
        { color: 'yellow', at: bj('2025-10-30 09:00') },
        // Exactly at `to`: outside [from, to).
        { color: 'red', at: '2025-11-01T00:00:00.000+08:00' },
      ],
    }),
  ];
}

/** Beijing-time ISO string of an epoch instant. */
export function bjIso(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
}

/** Indices of the bad records of the bulk import and the field each one gets wrong. */
export const BULK_FAULTS: Record<number, string> = {
  17: 'workflow',
  2024: 'leadDepartmentIds',
  5000: 'dueAt',
  7777: 'closedAt',
  9999: 'rating',
};

/**
 * 10,000 records for the NDJSON import: every good one created, due and closed within 2024
 * (Beijing time), so none of them touches an October 2025 figure; the five of BULK_FAULTS are bad.
 */
export function bulkRecords(d: KpiDepartments, unknownDepartmentId: string): ImportRecord[] {
  const depts = [d.O1, d.O2, d.F, d.B];
  const ratings: (Rating | undefined)[] = ['satisfied', 'basically_satisfied', 'unsatisfied', undefined];
  const start = Date.parse('2024-01-01T09:00:00+08:00');
  const records: ImportRecord[] = [];
  for (let i = 0; i < 10_000; i++) {
    const n = String(i).padStart(5, '0');
    // 50 minutes apart: the last one (i = 9999) is created on 2024-12-13, closed two days later.
    const created = start + i * 50 * 60_000;
    const record: ImportRecord = {
      workflow: 'hotline-ticket',
      title: `历史工单 #${n}`,
      leadDepartmentIds: [depts[i % 4]!],
      externalRef: `BULK-${n}`,
      createdAt: bjIso(created),
      dueAt: bjIso(created + 7 * 86_400_000),
      closedAt: bjIso(created + 2 * 86_400_000),
      state: 'closed',
      priority: i % 10 === 0 ? 'urgent' : 'normal',
    };
    if (i % 2 === 0) record.acceptedAt = bjIso(created + 20 * 60_000);
    const rating = ratings[i % 4];
    if (rating) record.rating = rating;
    records.push(record);
  }
  records[17]!.workflow = 'no-such-workflow';
  records[2024]!.leadDepartmentIds = [unknownDepartmentId];
  delete records[5000]!.dueAt;
  records[7777]!.closedAt = bjIso(Date.parse(records[7777]!.createdAt!) - 86_400_000);
  records[9999]!.rating = 'very_satisfied';
  return records;
}
