import { MigrateEnv, validateEnv } from '@duban/config';
import { auditOwnershipStatements, createDataSource } from '@duban/db';
import { migrateQueueSchema, QUEUE_SCHEMA } from '@duban/queues';
import { runCommand } from './run.js';

// Any fixed number: it only has to differ from other advisory locks Duban takes.
const MIGRATION_LOCK = 4_242_001;

runCommand('migrate', async () => {
  const env = validateEnv(MigrateEnv, process.env);
  const ds = createDataSource({ url: env.DATABASE_URL, poolSize: 2, applicationName: 'duban-migrate' });
  await ds.initialize();
  // Several containers may start `migrate` at once; the lock lets one apply and the rest find nothing to do.
  const lock = ds.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    if (applied.length === 0) {
      console.log('migrate: database is up to date, no pending migrations');
    } else {
      console.log(`migrate: applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
    }
    // BullMQ's own tables and functions, for QUEUE_BACKEND=postgres; made whatever the backend, so switching needs no second step.
    console.log(`migrate: queue schema "${QUEUE_SCHEMA}" at BullMQ version ${await migrateQueueSchema(env.DATABASE_URL)}`);
    if (env.AUDIT_OWNER_ROLE && env.AUDIT_APP_ROLE) {
      const statements = auditOwnershipStatements(env.AUDIT_OWNER_ROLE, env.AUDIT_APP_ROLE);
      await ds.transaction(async (tx) => {
        for (const statement of statements) await tx.query(statement);
      });
      console.log(`migrate: audit tables owned by ${env.AUDIT_OWNER_ROLE}; ${env.AUDIT_APP_ROLE} may read and append only`);
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
    await ds.destroy();
  }
});
