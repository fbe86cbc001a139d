import { SeedEnv, validateEnv } from '@duban/config';
import { createDataSource, type Role } from '@duban/db';
import { hashPassword } from '@duban/org';
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
    let created = 0;
    for (const user of DEMO_USERS) {
      // Existing demo users are left as they are: a second run must not undo an admin's edits.
      const rows: unknown[] = await ds.query(
        `INSERT INTO users (username, display_name, roles, password_hash)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT ((lower(username))) DO NOTHING
         RETURNING id`,
        [user.username, user.displayName, user.roles, passwordHash],
      );
      created += rows.length;
    }
    console.log(`seed:demo: ${created} user(s) created, ${DEMO_USERS.length - created} already present`);
  } finally {
    await ds.destroy();
  }
});
