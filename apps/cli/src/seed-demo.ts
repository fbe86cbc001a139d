import { SeedEnv, validateEnv } from '@duban/config';
import { createDataSource, type Role } from '@duban/db';
import { hashPassword, verifyPassword } from '@duban/org';
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
  } finally {
    await ds.destroy();
  }
});
