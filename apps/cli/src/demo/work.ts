import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, type Role } from '@duban/db';
import { PlansModule, PlansService } from '@duban/plans';
import { type Caller, TasksModule, TasksService } from '@duban/tasks';
import { WorkflowRuntime } from '@duban/workflows';
import { DataSource } from 'typeorm';

/** The copy of seed 004 kept in the repository (dist/apps/cli/src/demo → apps/cli/demo). */
const DEFAULT_PLAN_FILE = fileURLToPath(new URL('../../../../../apps/cli/demo/shaoguan-2023-plan.txt', import.meta.url));

const DEMO_REF = 'demo-12345-';

/** A user as the demo reads one back to act as it. */
interface UserRow {
  id: string;
  roles: Role[];
  department_id: string | null;
}

interface Ticket {
  title: string;
  department: string;
  urgent?: boolean;
  /** How long before now the ticket was dispatched. */
  age: string;
  /** What happened since, in order: action and its inputs, by the department's lead (owner) or the supervisor. */
  steps: { action: string; by: 'owner' | 'supervisor'; comment?: string; rating?: string; dueIn?: string }[];
}

const accept = { action: 'accept', by: 'owner' } as const;

/**
 * Hotline tickets in every state: just dispatched, waiting past the acceptance limit, in hand,
 * overdue (the worker cards them as it starts), suspended, returned, asking for an extension,
 * closed and rated, and one reopened after an unsatisfied rating.
 */
const TICKETS: Ticket[] = [
  { title: '反映武江区新华南小区电梯长期故障', department: 'sg-wjq', age: '1h', steps: [] },
  { title: '咨询社保卡遗失补办流程', department: 'sg-rsj', age: '2h', steps: [] },
  { title: '投诉浈江区风采路夜间施工噪音扰民', department: 'sg-zjq', age: '3wd', steps: [] },
  { title: '反映曲江区马坝镇自来水浑浊', department: 'sg-qjq', urgent: true, age: '2h', steps: [] },
  { title: '咨询新生儿医保参保登记', department: 'sg-ybj', age: '1wd', steps: [accept] },
  { title: '反映乐昌市城区路灯不亮', department: 'sg-lcs', age: '2wd', steps: [accept] },
  { title: '投诉某物业公司违规收取停车费', department: 'sg-zjj', age: '3wd', steps: [accept] },
  { title: '举报无证经营食品摊点', department: 'sg-scj', age: '4wd', steps: [accept] },
  { title: '反映仁化县丹霞大道积水严重', department: 'sg-rhx', age: '6wd', steps: [accept] },
  { title: '投诉网约车平台拒不退款', department: 'sg-scj', age: '7wd', steps: [accept] },
  { title: '反映南雄市农村公路破损', department: 'sg-nxs', age: '9wd', steps: [accept] },
  { title: '咨询企业开办“一网通办”办理进度', department: 'sg-zsj', age: '10wd', steps: [accept] },
  { title: '反映始兴县农田灌溉水渠堵塞', department: 'sg-sxx', urgent: true, age: '2wd', steps: [accept] },
  {
    title: '投诉餐饮店油烟扰民',
    department: 'sg-sthj',
    age: '3wd',
    steps: [accept, { action: 'suspend', by: 'owner', comment: '需待市民提供具体地址后继续办理' }],
  },
  {
    title: '反映翁源县老旧小区改造进度缓慢',
    department: 'sg-wyx',
    age: '2wd',
    steps: [accept, { action: 'suspend', by: 'owner', comment: '涉及多部门会商，暂停计时' }],
  },
  { title: '反映小区违章搭建', department: 'sg-zrj', age: '1wd', steps: [{ action: 'return', by: 'owner', comment: '非本单位职责，建议转属地街道办理' }] },
  { title: '咨询公积金贷款额度', department: 'sg-fgj', age: '2h', steps: [{ action: 'return', by: 'owner', comment: '应由住房公积金管理中心答复' }] },
  {
    title: '反映新丰县乡镇卫生院就医排队时间长',
    department: 'sg-xfx',
    age: '3wd',
    steps: [accept, { action: 'request-extension', by: 'owner', comment: '需协调市卫健局共同核实，申请延期5个工作日', dueIn: '5wd' }],
  },
  {
    title: '投诉农贸市场缺斤短两',
    department: 'sg-scj',
    age: '4wd',
    steps: [
      accept,
      { action: 'request-extension', by: 'owner', comment: '需现场复秤', dueIn: '3wd' },
      // Granted as asked: the approval gives no date of its own.
      { action: 'approve-extension', by: 'supervisor', comment: '同意延期' },
    ],
  },
  {
    title: '反映乳源县公交班次太少',
    department: 'sg-ryx',
    age: '5wd',
    steps: [accept, { action: 'close', by: 'owner', comment: '已协调公交公司增加早晚高峰班次' }, { action: 'rate', by: 'supervisor', rating: 'satisfied' }],
  },
  {
    title: '咨询高龄津贴申领条件',
    department: 'sg-rsj',
    age: '4wd',
    steps: [accept, { action: 'close', by: 'owner', comment: '已电话告知申领条件及所需材料' }, { action: 'rate', by: 'supervisor', rating: 'satisfied' }],
  },
  {
    title: '反映药店医保卡无法刷卡',
    department: 'sg-ybj',
    age: '3wd',
    steps: [accept, { action: 'close', by: 'owner', comment: '系统故障已修复' }, { action: 'rate', by: 'supervisor', rating: 'basically_satisfied' }],
  },
  {
    title: '投诉景区门票价格不透明',
    department: 'sg-wgl',
    age: '6wd',
    steps: [accept, { action: 'close', by: 'owner', comment: '已责令景区公示价格' }, { action: 'rate', by: 'supervisor', rating: 'basically_satisfied' }],
  },
  {
    title: '反映工业园区企业夜间排放异味',
    department: 'sg-sthj',
    age: '8wd',
    steps: [accept, { action: 'close', by: 'owner', comment: '已现场检测，排放达标' }, { action: 'rate', by: 'supervisor', rating: 'unsatisfied' }],
  },
  { title: '咨询个体工商户年报', department: 'sg-scj', age: '2wd', steps: [accept, { action: 'close', by: 'owner', comment: '已告知网上年报渠道' }] },
  {
    title: '反映浈江区学校周边交通拥堵',
    department: 'sg-gaj',
    age: '5wd',
    steps: [accept, { action: 'close', by: 'owner', comment: '已在上下学时段增派警力疏导' }],
  },
];

/** A demo user, read back from the database, as the caller that acts. */
async function callerOf(db: DataSource, username: string): Promise<Caller> {
  const [u] = await db.query<UserRow[]>(`SELECT id, roles, department_id FROM users WHERE lower(username) = lower($1)`, [username]);
  if (!u) throw new Error(`demo user ${username} is missing`);
  return { id: u.id, roles: u.roles, departmentId: u.department_id };
}

/** Imports the demo plan and dispatches the demo tickets, once: a database that has them is left alone. */
export async function seedWork(databaseUrl: string, planFile = DEFAULT_PLAN_FILE): Promise<string[]> {
  const module: DynamicModule = {
    module: class DemoWorkModule {},
    imports: [TypeOrmModule.forRoot(dataSourceOptions({ url: databaseUrl, poolSize: 2, applicationName: 'duban-seed' })), TasksModule, PlansModule],
  };
  const app = await NestFactory.createApplicationContext(module, { logger: ['error', 'warn'] });
  try {
    const db = app.get(DataSource);
    const lines: string[] = [];

    const admin = await callerOf(db, 'admin');
    const text = await readFile(planFile, 'utf8');
    const imported = await app.get(PlansService).import(admin, { text, year: 2023 }, { requestId: null });
    lines.push(
      imported.body.tasksCreated > 0
        ? `plan imported: ${imported.body.tasksCreated} task(s) (plan ${imported.body.planId})`
        : `plan already imported (plan ${imported.body.planId})`,
    );

    const [{ n }] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM tasks WHERE external_ref LIKE $1`, [`${DEMO_REF}%`]);
    if (n > 0) {
      lines.push(`hotline tickets already there (${n})`);
      return lines;
    }
    await dispatchTickets(db, app.get(TasksService), app.get(WorkflowRuntime));
    lines.push(`hotline tickets dispatched: ${TICKETS.length}`);
    return lines;
  } finally {
    await app.close();
  }
}

/** Dispatches each demo ticket as the supervisor, back-dated by its age, then takes its steps in order. */
async function dispatchTickets(db: DataSource, tasks: TasksService, runtime: WorkflowRuntime): Promise<void> {
  const supervisor = await callerOf(db, 'supervisor');
  const creation = await runtime.named('hotline-ticket');
  const leads = await db.query<{ code: string; username: string }[]>(
    `SELECT d.code, u.username FROM departments d JOIN users u ON u.department_id = d.id AND 'lead' = ANY(u.roles)`,
  );
  const loginOf = new Map(leads.map((r) => [r.code, r.username]));
  for (const [i, ticket] of TICKETS.entries()) {
    const [dept] = await db.query<{ id: string }[]>(`SELECT id FROM departments WHERE code = $1`, [ticket.department]);
    const dispatchedAt = creation.calendar.subtract(new Date(), ticket.age);
    const ticketTask = {
      workflow: 'hotline-ticket',
      title: ticket.title,
      body: `市民来电：${ticket.title}，请按时限办理并答复。`,
      leadDepartmentIds: [dept.id],
      priority: ticket.urgent ? ('urgent' as const) : ('normal' as const),
      externalRef: `${DEMO_REF}${String(i + 1).padStart(3, '0')}`,
    };
    const [{ id }] = await db.transaction((tx) => tasks.insertWithin(tx, supervisor, creation, [ticketTask], { requestId: null }, dispatchedAt));
    const owner = await callerOf(db, loginOf.get(ticket.department)!);
    for (const step of ticket.steps) {
      await tasks.act(
        step.by === 'owner' ? owner : supervisor,
        id,
        {
          action: step.action,
          comment: step.comment,
          rating: step.rating,
          dueAt: step.dueIn ? creation.calendar.add(new Date(), step.dueIn) : undefined,
        },
        { requestId: null },
      );
    }
  }
}
