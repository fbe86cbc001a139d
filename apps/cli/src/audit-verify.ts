import { EvidenceCheck, PgAttachmentStore } from '@duban/attachments';
import { AuditService } from '@duban/audit';
import { AuditVerifyEnv, validateEnv } from '@duban/config';
import { createDataSource } from '@duban/db';
import { runCommand } from './run.js';

/** Checks every task's hash chain, every anchor and every task's files against its chain; exit code 1 when anything is broken. */
runCommand('audit:verify', async () => {
  const env = validateEnv(AuditVerifyEnv, process.env);
  const ds = createDataSource({ url: env.DATABASE_URL, poolSize: 2, applicationName: 'duban-audit-verify' });
  await ds.initialize();
  try {
    const result = await new AuditService(ds).verifyAll((tasks) => {
      if (process.stderr.isTTY) process.stderr.write(`\raudit:verify: ${tasks} task(s) checked…`);
    }, env.AUDIT_ANCHOR_LOG);
    if (process.stderr.isTTY) process.stderr.write('\n');
    const brokenAnchors = result.anchors.filter((a) => !a.valid);
    console.log(`audit:verify: ${result.tasks} task(s), ${result.entries} entries checked; ${result.broken.length} broken chain(s)`);
    console.log(`audit:verify: ${result.anchors.length} anchor(s) checked; ${brokenAnchors.length} broken`);
    if (env.AUDIT_ANCHOR_LOG) console.log(`audit:verify: anchors judged by the anchor log ${env.AUDIT_ANCHOR_LOG}`);
    if (result.broken.length > 0) {
      const first = result.broken[0]!;
      console.log(`audit:verify: first broken link: task ${first.taskId} at seq ${first.brokenAt}`);
      for (const b of result.broken.slice(0, 100)) console.log(`audit:verify: broken chain: task ${b.taskId} at seq ${b.brokenAt}`);
    }
    for (const anchor of brokenAnchors) console.log(`audit:verify: anchor ${anchor.id} (cutoff ${anchor.cutoff.toISOString()}): ${anchor.problem}`);
    const evidence = await new EvidenceCheck(ds, new PgAttachmentStore(ds)).checkAll();
    const problems = evidence.broken.flatMap((b) => b.problems.map((p) => ({ taskId: b.taskId, ...p })));
    console.log(`audit:verify: ${evidence.files} file(s) checked; ${problems.length} not as audited`);
    for (const p of problems.slice(0, 100)) console.log(`audit:verify: file ${p.id} "${p.filename}" of task ${p.taskId} (seq ${p.seq}): ${p.problem}`);
    if (result.broken.length > 0 || brokenAnchors.length > 0 || problems.length > 0) process.exitCode = 1;
  } finally {
    await ds.destroy();
  }
});
