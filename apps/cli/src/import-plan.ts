import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImportEnv, validateEnv } from '@duban/config';
import { dataSourceOptions, type Role } from '@duban/db';
import { DomainError } from '@duban/http';
import { MAX_PLAN_FILE_BYTES, type PlanPreview, PlanFileTooLargeError, PlansModule, PlansService, readPlanFile } from '@duban/plans';
import { DataSource } from 'typeorm';
import { runCommand } from './run.js';

const USAGE = '用法 (usage): npm run import:plan -- <文件.xlsx|.docx|.txt> [--year 2024] [--workflow plan-item] [--dry-run]';

/** Exit code when the plan itself is refused (what the api answers with a 4xx): the file, its items or its names. */
const REFUSED = 2;

/**
 * `npm run import:plan -- file [--year N] [--workflow key] [--dry-run]`: a plan file (.xlsx, .docx,
 * .txt) read by readPlanFile and imported by PlansService.import as POST /plans/import does, in the
 * name of IMPORT_USER (an admin); `--dry-run` prints the preview and writes nothing. Exit codes:
 * 0 imported (or already there) or previewed, 1 usage or system error, 2 the plan was refused (the
 * Chinese reason on stderr: file type, no items, unit names not found…).
 */
runCommand('import:plan', async () => {
  const { values, positionals } = parseArgs({
    options: { year: { type: 'string' }, workflow: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new Error(USAGE);
  const year = values.year === undefined ? undefined : Number(values.year);
  if (year !== undefined && !(Number.isInteger(year) && year >= 2000 && year <= 2100)) throw new Error(`年度须为 2000–2100 的整数：${values.year}\n${USAGE}`);
  const env = validateEnv(ImportEnv, process.env);
  const filename = basename(file);

  const module: DynamicModule = {
    module: class ImportPlanModule {},
    imports: [TypeOrmModule.forRoot(dataSourceOptions({ url: env.DATABASE_URL, poolSize: 2, applicationName: 'duban-import-plan' })), PlansModule],
  };
  try {
    // Not read whole when it is over the limit, as the api refuses it before buffering it.
    const size = await stat(file).then(
      (s) => s.size,
      () => {
        throw new Error(`找不到文件或无法读取：${file}\n${USAGE}`);
      },
    );
    if (size > MAX_PLAN_FILE_BYTES) throw new PlanFileTooLargeError(filename);
    const document = await readPlanFile(await readFile(file), filename);
    const app = await NestFactory.createApplicationContext(module, { logger: ['error', 'warn'] });
    try {
      const plans = app.get(PlansService);
      if (values['dry-run']) {
        console.log(previewText(await plans.preview({ file: { filename, document } }, year, values.workflow)));
        return;
      }
      const [user] = await app
        .get(DataSource)
        .query<{ id: string; roles: Role[]; department_id: string | null }[]>(
          `SELECT id, roles, department_id FROM users WHERE lower(username) = lower($1) AND 'admin' = ANY(roles)`,
          [env.IMPORT_USER],
        );
      if (!user) throw new Error(`IMPORT_USER ${env.IMPORT_USER} 不是管理员 (is not an admin here)`);
      const caller = { id: user.id, roles: user.roles, departmentId: user.department_id };
      const { body } = await plans.import(caller, { file: { filename, document }, year, workflow: values.workflow }, { requestId: null });
      console.log(
        body.tasksCreated > 0
          ? `import:plan: 已导入「${filename}」，创建 ${body.tasksCreated} 个任务 (plan ${body.planId})`
          : `import:plan: 该计划此前已导入，未重复创建任务 (plan ${body.planId})`,
      );
    } finally {
      await app.close();
    }
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    process.stderr.write(`import:plan: ${err.message}\n`);
    process.exitCode = REFUSED;
  }
});

/** The preview as the console's wizard shows it, one item to a line. */
function previewText(preview: PlanPreview): string {
  const lines = [`标题：${preview.title}`, `年度：${preview.year}`, `事项：${preview.items.length} 项`];
  for (const item of preview.items) {
    const owners = item.owners.map((o) => `${o.name}${o.role === 'co' ? '（配合）' : ''}${o.departmentId ? '' : '〔未识别〕'}`).join('、');
    const fanOut = item.fanOut.length > 0 ? `；分解到 ${item.fanOut.length} 个县区` : '';
    lines.push(`  ${item.number} ${item.title} —— ${owners || '（无责任单位）'}${fanOut}${item.dueText ? `；${item.dueText}` : ''}`);
    for (const warning of item.warnings) lines.push(`      提示：${warning}`);
  }
  if (preview.unresolved.length > 0) lines.push(`未识别单位：${preview.unresolved.join('、')}（导入前请在组织机构中登记为别名或新建单位）`);
  for (const warning of preview.warnings) lines.push(`提示：${warning}`);
  lines.push('（预览，未写入任何数据）');
  return lines.join('\n');
}
