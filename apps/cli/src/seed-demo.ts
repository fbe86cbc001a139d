import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { type ChineseDaysData, DEFAULT_TIMEZONE, DEFAULT_WORKING_HOURS, fromChineseDays } from '@duban/calendar';
import { SeedEnv, validateEnv } from '@duban/config';
import { createDataSource, type Role } from '@duban/db';
import { BUILTIN_WORKFLOWS } from '@duban/engine';
import { hashPassword, verifyPassword } from '@duban/org';
import type { DataSource } from 'typeorm';
import { runCommand } from './run.js';

interface DemoUser {
  username: string;
  displayName: string;
  roles: Role[];
}

const DEMO_USERS: DemoUser[] = [{ username: 'admin', displayName: '系统管理员', roles: ['admin'] }];

runCommand('seed:demo', async () => {
  const env = validateEnv(SeedEnv, process.env);
  const ds = createDataSource({ url: env.DATABASE_URL, poolSize: 2, applicationName: 'duban-seed' });
  await ds.initialize();
  try {
    const passwordHash = await hashPassword(env.DEMO_PASSWORD);
    const counts = { created: 0, reset: 0, unchanged: 0 };
    for (const user of DEMO_USERS) {
      const inserted: unknown[] = await ds.query(
        `INSERT INTO users (username, display_name, roles, password_hash)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT ((lower(username))) DO NOTHING
         RETURNING id`,
        [user.username, user.displayName, user.roles, passwordHash],
      );
      if (inserted.length > 0) {
        counts.created++;
        continue;
      }
      // DEMO_PASSWORD is the password of every demo user (API.md): a database seeded earlier
      // with another one gets this one, so the login the start script prints always works.
      // Names, roles and everything else an admin edited stay as they are.
      const [existing] = (await ds.query(`SELECT id, password_hash FROM users WHERE lower(username) = lower($1)`, [
        user.username,
      ])) as { id: string; password_hash: string }[];
      if (await verifyPassword(existing!.password_hash, env.DEMO_PASSWORD)) {
        counts.unchanged++;
      } else {
        await ds.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [existing!.id, passwordHash]);
        counts.reset++;
      }
    }
    console.log(
      `seed:demo: ${counts.created} user(s) created, ${counts.reset} given DEMO_PASSWORD, ${counts.unchanged} already as seeded`,
    );
    console.log(`seed:demo: calendar cn: ${await seedCalendar(ds)} day(s) added`);
    for (const line of await seedWorkflows(ds)) console.log(`seed:demo: ${line}`);
  } finally {
    await ds.destroy();
  }
});

/**
 * The demo calendar `cn`: Asia/Shanghai, office hours, and the holidays and make-up workdays
 * (调休) that the chinese-days package carries. Days an admin already set are left alone.
 */
async function seedCalendar(ds: DataSource): Promise<number> {
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as ChineseDaysData;
  const days = fromChineseDays(data);
  return ds.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO calendars (key, name, timezone, working_hours) VALUES ('cn', '中国工作日历（国务院节假日安排）', $1, $2::jsonb)
       ON CONFLICT (key) DO NOTHING`,
      [DEFAULT_TIMEZONE, JSON.stringify(DEFAULT_WORKING_HOURS)],
    );
    const added: unknown[] = await tx.query(
      `INSERT INTO calendar_days (calendar_key, date, kind, note)
       SELECT 'cn', d.date::date, d.kind, d.note FROM jsonb_to_recordset($1::jsonb) AS d(date text, kind text, note text)
       ON CONFLICT (calendar_key, date) DO NOTHING
       RETURNING date`,
      [JSON.stringify(days)],
    );
    if (added.length > 0) await tx.query(`UPDATE calendars SET updated_at = clock_timestamp() WHERE key = 'cn'`);
    return added.length;
  });
}

/** The built-in workflows: published once, and again only when the shipped definition changed. */
async function seedWorkflows(ds: DataSource): Promise<string[]> {
  const lines: string[] = [];
  for (const workflow of BUILTIN_WORKFLOWS) {
    const [latest] = (await ds.query(`SELECT version, definition FROM workflow_versions WHERE key = $1 ORDER BY version DESC LIMIT 1`, [
      workflow.key,
    ])) as { version: number; definition: unknown }[];
    if (latest && isDeepStrictEqual(latest.definition, JSON.parse(JSON.stringify(workflow)))) {
      lines.push(`workflow ${workflow.key} v${latest.version} already published`);
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
