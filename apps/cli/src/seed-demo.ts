import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { type ChineseDaysData, DEFAULT_TIMEZONE, DEFAULT_WORKING_HOURS, fromChineseDays, governingYearOf } from '@duban/calendar';
import { SeedEnv, validateEnv } from '@duban/config';
import { createDataSource, type Role } from '@duban/db';
import { BUILTIN_WORKFLOWS } from '@duban/engine';
import { hashPassword, verifyPassword } from '@duban/org';
import type { DataSource } from 'typeorm';
import { BUREAUS, CITY_GOVERNMENT, COUNTIES, type DemoDepartment, SUPERVISION_OFFICE } from './demo/shaoguan.js';
import { seedWork } from './demo/work.js';
import { runCommand } from './run.js';

interface DemoUser {
  username: string;
  displayName: string;
  roles: Role[];
  /** Department code; the department is given only to a user who has none. */
  department?: string;
}

const ADMIN_DEPARTMENT = 'sg-zsj';

/** Every user of the demo: admin, a supervisor in the supervision office, a lead and a handler per department. */
const DEMO_USERS: DemoUser[] = [
  { username: 'admin', displayName: '系统管理员', roles: ['admin'], department: ADMIN_DEPARTMENT },
  { username: 'supervisor', displayName: '督查室主任', roles: ['supervisor'], department: SUPERVISION_OFFICE.code },
  ...[...BUREAUS, ...COUNTIES].flatMap((d) => [
    { username: `${d.login}-lead`, displayName: `${d.aliases.find((a) => a.startsWith('市')) ?? d.name}负责人`, roles: ['lead'] as Role[], department: d.code },
    {
      username: `${d.login}-handler`,
      displayName: `${d.aliases.find((a) => a.startsWith('市')) ?? d.name}经办人`,
      roles: ['handler'] as Role[],
      department: d.code,
    },
  ]),
];

runCommand('seed:demo', async () => {
  const env = validateEnv(SeedEnv, process.env);
  const ds = createDataSource({ url: env.DATABASE_URL, poolSize: 2, applicationName: 'duban-seed' });
  await ds.initialize();
  try {
    const full = env.DEMO_SCOPE === 'full';
    if (full) console.log(`seed:demo: departments: ${await seedDepartments(ds)} added`);
    const passwordHash = await hashPassword(env.DEMO_PASSWORD);
    const counts = { created: 0, reset: 0, unchanged: 0 };
    for (const user of full ? DEMO_USERS : DEMO_USERS.filter((u) => u.username === 'admin')) {
      const inserted: unknown[] = await ds.query(
        `INSERT INTO users (username, display_name, roles, password_hash, department_id)
         VALUES ($1, $2, $3, $4, (SELECT id FROM departments WHERE code = $5))
         ON CONFLICT ((lower(username))) DO NOTHING
         RETURNING id`,
        [user.username, user.displayName, user.roles, passwordHash, full ? (user.department ?? null) : null],
      );
      if (full && user.department) {
        await ds.query(
          // A department given ends the user's tokens, as any department change does (README, Sessions).
          `UPDATE users u SET department_id = d.id, token_version = u.token_version + 1
             FROM departments d WHERE d.code = $2 AND lower(u.username) = lower($1) AND u.department_id IS NULL`,
          [user.username, user.department],
        );
      }
      if (inserted.length > 0) {
        counts.created++;
        continue;
      }
      // DEMO_PASSWORD is the password of every demo user (API.md): a database seeded earlier
      // with another one gets this one, so the login the start script prints always works.
      // Names, roles and everything else an admin edited stay as they are.
      const [existing] = (await ds.query(`SELECT id, password_hash FROM users WHERE lower(username) = lower($1)`, [user.username])) as {
        id: string;
        password_hash: string;
      }[];
      if (await verifyPassword(existing!.password_hash, env.DEMO_PASSWORD)) {
        counts.unchanged++;
      } else {
        // A new password ends the user's tokens, as any password change does.
        await ds.query(`UPDATE users SET password_hash = $2, token_version = token_version + 1, updated_at = now() WHERE id = $1`, [
          existing!.id,
          passwordHash,
        ]);
        counts.reset++;
      }
    }
    console.log(`seed:demo: ${counts.created} user(s) created, ${counts.reset} given DEMO_PASSWORD, ${counts.unchanged} already as seeded`);
    console.log(`seed:demo: calendar cn: ${await seedCalendar(ds)} day(s) added`);
    for (const line of await seedWorkflows(ds)) console.log(`seed:demo: ${line}`);
  } finally {
    await ds.destroy();
  }
  // Plans and tickets go through the services the api uses: the same checks, timers and audit trail.
  if (env.DEMO_SCOPE === 'full') for (const line of await seedWork(env.DATABASE_URL, env.DEMO_PLAN_FILE)) console.log(`seed:demo: ${line}`);
});

/**
 * The Shaoguan organisation: the city government supervised by its supervision office, the
 * bureaus and the ten county governments under it. Departments already there (by code) stay
 * as an admin left them.
 */
async function seedDepartments(ds: DataSource): Promise<number> {
  return ds.transaction(async (tx) => {
    let added = 0;
    const insert = async (d: DemoDepartment, parent: string | null) => {
      const rows: unknown[] = await tx.query(
        `INSERT INTO departments (code, name, kind, aliases, parent_id) VALUES ($1, $2, $3, $4, (SELECT id FROM departments WHERE code = $5))
         ON CONFLICT (code) DO NOTHING RETURNING id`,
        [d.code, d.name, d.kind, d.aliases, parent],
      );
      added += rows.length;
    };
    await insert(CITY_GOVERNMENT, null);
    await insert(SUPERVISION_OFFICE, CITY_GOVERNMENT.code);
    await tx.query(
      `UPDATE departments SET supervisor_department_id = (SELECT id FROM departments WHERE code = $2) WHERE code = $1 AND supervisor_department_id IS NULL`,
      [CITY_GOVERNMENT.code, SUPERVISION_OFFICE.code],
    );
    for (const d of [...BUREAUS, ...COUNTIES]) await insert(d, CITY_GOVERNMENT.code);
    return added;
  });
}

/**
 * The demo calendar `cn`: Asia/Shanghai, office hours, and the holidays and make-up workdays
 * (调休) that the chinese-days package carries, each year of it counted as loaded. Days an admin
 * already set are left alone.
 */
async function seedCalendar(ds: DataSource): Promise<number> {
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const days = fromChineseDays(data).map((d) => ({ ...d, governingYear: governingYearOf(d.date, d.note) }));
  const years = [...new Set(days.map((d) => d.governingYear))];
  return ds.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO calendars (key, name, timezone, working_hours) VALUES ('cn', '中国工作日历（国务院节假日安排）', $1, $2::jsonb)
       ON CONFLICT (key) DO NOTHING`,
      [DEFAULT_TIMEZONE, JSON.stringify(DEFAULT_WORKING_HOURS)],
    );
    const added: unknown[] = await tx.query(
      `INSERT INTO calendar_days (calendar_key, date, kind, note, governing_year)
       SELECT 'cn', d.date::date, d.kind, d.note, d."governingYear"
         FROM jsonb_to_recordset($1::jsonb) AS d(date text, kind text, note text, "governingYear" int)
       ON CONFLICT (calendar_key, date) DO NOTHING
       RETURNING date`,
      [JSON.stringify(days)],
    );
    await tx.query(
      `INSERT INTO calendar_years (calendar_key, year, source) SELECT 'cn', y, 'chinese-days' FROM unnest($1::int[]) AS y
       ON CONFLICT (calendar_key, year) DO NOTHING`,
      [years],
    );
    if (added.length > 0) await tx.query(`UPDATE calendars SET updated_at = clock_timestamp() WHERE key = 'cn'`);
    return added.length;
  });
}

/**
 * The built-in workflows: published once, and again only when the shipped definition differs
 * from the version the seed itself last published (published_by null; an admin's carries the
 * admin). A version an admin published after the seed's stays the latest: scripts/start.sh
 * seeds on every start, and must never undo an admin's change.
 */
async function seedWorkflows(ds: DataSource): Promise<string[]> {
  const lines: string[] = [];
  for (const workflow of BUILTIN_WORKFLOWS) {
    const versions = (await ds.query(`SELECT version, definition, published_by FROM workflow_versions WHERE key = $1 ORDER BY version DESC`, [
      workflow.key,
    ])) as { version: number; definition: unknown; published_by: string | null }[];
    const latest = versions[0];
    const seeded = versions.find((v) => v.published_by === null);
    if (seeded && isDeepStrictEqual(seeded.definition, JSON.parse(JSON.stringify(workflow)))) {
      lines.push(`workflow ${workflow.key} v${seeded.version} already published`);
      continue;
    }
    if (latest && latest.published_by !== null) {
      lines.push(`workflow ${workflow.key} v${latest.version} published by an admin: left as the latest`);
      continue;
    }
    const version = (latest?.version ?? 0) + 1;
    await ds.query(`INSERT INTO workflow_versions (key, version, name, definition) VALUES ($1, $2, $3, $4::jsonb)`, [
      workflow.key,
      version,
      workflow.name,
      JSON.stringify(workflow),
    ]);
    lines.push(`workflow ${workflow.key} v${version} published`);
  }
  return lines;
}
