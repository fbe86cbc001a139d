import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImportEnv, validateEnv } from '@duban/config';
import { dataSourceOptions, type Role } from '@duban/db';
import { ndjsonRecords, TaskImportService, TasksModule } from '@duban/tasks';
import { DataSource } from 'typeorm';
import { runCommand } from './run.js';

/**
 * `npm run import -- tasks.ndjson`: historical tasks from an earlier system, the same checks and
 * rows and line limit as POST /tasks/import, read line by line with a progress bar on stderr. Recorded in the
 * audit trail as imported by IMPORT_USER (an admin).
 */
runCommand('import', async () => {
  const env = validateEnv(ImportEnv, process.env);
  const file = process.argv[2];
  if (!file) throw new Error('usage: npm run import -- <file.ndjson>');
  const size = (await stat(file)).size;
  const module: DynamicModule = {
    module: class ImportModule {},
    imports: [TypeOrmModule.forRoot(dataSourceOptions({ url: env.DATABASE_URL, poolSize: 2, applicationName: 'duban-import' })), TasksModule],
  };
  const app = await NestFactory.createApplicationContext(module, { logger: ['error', 'warn'] });
  try {
    const [user] = await app
      .get(DataSource)
      .query<{ id: string; roles: Role[]; department_id: string | null }[]>(
        `SELECT id, roles, department_id FROM users WHERE lower(username) = lower($1) AND 'admin' = ANY(roles)`,
        [env.IMPORT_USER],
      );
    if (!user) throw new Error(`IMPORT_USER ${env.IMPORT_USER} is not an admin here`);
    const stream = createReadStream(file);
    const started = Date.now();
    const progress = (done: number) => {
      const fraction = size === 0 ? 1 : stream.bytesRead / size;
      const bar = '#'.repeat(Math.round(fraction * 30)).padEnd(30, '.');
      const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
      if (process.stderr.isTTY) process.stderr.write(`\r[${bar}] ${(fraction * 100).toFixed(1)}%  ${done} records  ${rate}/s`);
    };
    // Split as the API splits a streamed import: a line longer than any record stops the import
    // at its first MiB instead of being read whole into memory.
    const result = await app
      .get(TaskImportService)
      .import({ id: user.id, roles: user.roles, departmentId: user.department_id }, ndjsonRecords(stream), { requestId: null }, progress);
    if (process.stderr.isTTY) process.stderr.write('\n');
    for (const r of result.rejected.slice(0, 20)) console.log(`record ${r.index}: ${r.errors.map((e) => `${e.path || '(record)'} ${e.message}`).join('; ')}`);
    if (result.rejected.length > 20) console.log(`… and ${result.rejected.length - 20} more rejected records`);
    const seconds = (Date.now() - started) / 1000;
    console.log(`import: ${result.imported} imported, ${result.skipped} already there, ${result.rejected.length} rejected in ${seconds.toFixed(1)} s`);
    if (result.rejected.length > 0) process.exitCode = 2;
  } finally {
    await app.close();
  }
});
