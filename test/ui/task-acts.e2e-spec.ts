import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import request from 'supertest';
import { startStack, type Stack, stopStack } from '../support/stack.js';
import { freePort, type RunningApp, startBuilt, waitFor } from '../support/test-env.js';
import { DESK, inspect, openContext, PHONE, scrollWidth, signIn, type Troubles } from './browser.js';

const PASSWORD = 'password-123';
const DAY = 86_400_000;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * A PDF of about `size` bytes: one page whose content stream is padded with a comment, so that an
 * upload takes long enough under a throttled network to be seen in progress.
 */
function pdf(size: number): Buffer {
  const padding = `% ${'督办佐证材料 '.repeat(Math.ceil(size / 20))}`.slice(0, size);
  const stream = `BT /F1 12 Tf 72 720 Td (Progress report) Tj ET\n${padding}\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}endstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body);
}

/**
 * Issue 18, point 6 through the browser only (two contexts, the supervisor's and the lead's),
 * against the built api and worker on a private database: the supervisor urges two overdue tasks
 * at once from 督办台 and the lead finds both notices; the supervisor gives a yellow card on the
 * task page (a second one is refused in Chinese); the lead reports progress with a PDF whose upload
 * shows its progress, the report's timeline entry names the file, and the supervisor downloads the
 * same bytes; the lead splits a task between two of its units and the children appear under it.
 */
describe('web console: supervisors’ acts, files and splitting (browser)', () => {
  let stack: Stack;
  let worker: RunningApp;
  const troubles: Troubles = { serverErrors: [], consoleErrors: [], violations: [] };
  const closers: (() => Promise<void>)[] = [];
  let supervisor: Page;
  let lead: Page;
  type Created = { id: string; ref: string; title: string };
  const overdue: Created[] = [];
  let carded: Created;
  let reported: Created;
  let split: Created;
  const evidence = pdf(1_200_000);
  const evidenceName = '整改进度佐证材料.pdf';
  const units = ['数据共享组', '数据治理组'];

  const http = () => request(stack.api.url);
  const open = async (viewport: typeof DESK): Promise<Page> => {
    const { context, close } = await openContext(viewport, troubles);
    closers.push(close);
    return context.newPage();
  };
  /** A plan item of the lead's department (O1), due in `dueInMs`, as the admin creates it through the API. */
  const createTask = async (title: string, dueInMs: number): Promise<Created> =>
    (
      await http()
        .post('/api/v1/tasks')
        .set('Authorization', stack.org.token.admin)
        .send({ workflow: 'plan-item', title, leadDepartmentIds: [stack.org.dept.O1], dueAt: new Date(Date.now() + dueInMs).toISOString() })
        .expect(201)
    ).body as Created;
  const accept = (id: string) => http().post(`/api/v1/tasks/${id}/actions`).set('Authorization', stack.org.token.lead).send({ action: 'accept' }).expect(200);

  beforeAll(async () => {
    stack = await startStack();
    const port = await freePort();
    worker = await startBuilt('apps/worker/src/main.js', { ...stack.testEnv.env, WORKER_PORT: String(port) }, port, '/health');
    // Two units under the lead's department (数据资源科), for 分解.
    for (const [i, name] of units.entries()) {
      await http()
        .post('/api/v1/departments')
        .set('Authorization', stack.org.token.admin)
        .send({ code: `o1-${i}`, name, kind: 'office', parentId: stack.org.dept.O1 })
        .expect(201);
    }
    overdue.push(await createTask('整改政务数据目录缺项', 2_000), await createTask('补录共享交换平台接口清单', 2_000));
    carded = await createTask('推进电子证照互认共享', 20 * DAY);
    reported = await createTask('建设政务数据质量监测系统', 30 * DAY);
    await accept(reported.id);
    split = await createTask('推进公共数据开放', 30 * DAY);
    await accept(split.id);
    const overdueTotal = async () =>
      (await http().get('/api/v1/tasks').query({ overdue: 'true', limit: 1 }).set('Authorization', stack.org.token.supervisor).expect(200)).body
        .total as number;
    await waitFor(async () => (await overdueTotal()) === 2, 'the two 2-second tasks to be overdue', 15_000);
    supervisor = await open(DESK);
    lead = await open(DESK);
  }, 180_000);

  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await worker?.stop();
    await stopStack(stack ?? {});
  });

  it('urges the two overdue tasks at once from 督办台 已逾期 with one comment, answering for each, though one moved on after ticking', async () => {
    await supervisor.goto(`${stack.api.url}/supervision`);
    await signIn(supervisor, 'supervisor', PASSWORD);
    await supervisor.waitForURL(/\/supervision$/);
    await supervisor.getByTestId('queue-tab-overdue').click();
    for (const t of overdue) {
      await supervisor.getByTestId('queue-row').filter({ hasText: t.title }).waitFor();
      await supervisor.getByLabel(`选择 ${t.ref}`).check();
    }
    // After the ticking, one of them moves on (the lead accepts it through the API): the urge still goes through.
    await accept(overdue[0]!.id);
    await supervisor.getByRole('button', { name: '催办所选（2）' }).click();
    const dialog = supervisor.getByRole('dialog');
    const form = dialog.getByRole('form', { name: '批量催办' });
    for (const t of overdue) await form.getByText(`${t.ref} ${t.title}`).waitFor();
    await form.getByLabel('催办意见').fill('请于本周五前报送整改情况');
    await inspect(supervisor, 'acts-bulk-urge', troubles);
    await form.getByRole('button', { name: '确认催办' }).click();
    await dialog.getByTestId('bulk-result').getByText('已催办 2 项').waitFor();
    expect(await dialog.getByText('未能催办').count()).toBe(0);
    await dialog.getByTestId('bulk-result').getByRole('button', { name: '关闭' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // Urged a moment ago: the same two again are refused, each named with the api's reason.
    for (const t of overdue) await supervisor.getByLabel(`选择 ${t.ref}`).check();
    await supervisor.getByRole('button', { name: '催办所选（2）' }).click();
    await dialog.getByLabel('催办意见').fill('再次催办');
    await dialog.getByRole('button', { name: '确认催办' }).click();
    await dialog.getByText('2 项未能催办').waitFor();
    for (const t of overdue) await dialog.getByText(new RegExp(`^${t.ref} ${t.title}：您已于.+催办过此任务，10分钟内不能重复催办`)).waitFor();
    await dialog.getByTestId('bulk-result').getByRole('button', { name: '关闭' }).click();
  }, 90_000);

  it('shows the lead two new 【催办】 notices on /notifications', async () => {
    await lead.goto(`${stack.api.url}/notifications`);
    await signIn(lead, 'lead', PASSWORD);
    await lead.waitForURL(/\/notifications$/);
    for (const t of overdue) await lead.getByText(new RegExp(`^【催办】${t.title}（${t.ref}）`)).waitFor({ timeout: 15_000 });
    await inspect(lead, 'acts-notifications', troubles);
  }, 60_000);

  it('gives a yellow card from the task page; a second yellow one is refused in Chinese', async () => {
    await supervisor.goto(`${stack.api.url}/tasks/${carded.id}`);
    await supervisor.getByRole('button', { name: '亮牌', exact: true }).click();
    const form = supervisor.getByRole('form', { name: '亮牌' });
    await form.getByRole('radio', { name: '黄牌' }).check();
    await form.getByLabel('办理意见').fill('进度滞后，予以黄牌警示');
    await form.getByRole('button', { name: '确认亮牌' }).click();
    await form.waitFor({ state: 'detached' });
    const header = supervisor.locator('.ant-descriptions');
    await header.getByText('黄牌').waitFor();
    await supervisor.getByText('意见：进度滞后，予以黄牌警示').waitFor();
    await supervisor.getByRole('button', { name: '亮牌', exact: true }).click();
    await form.getByText('任务当前已亮黄牌').waitFor();
    await form.getByRole('radio', { name: '黄牌' }).check();
    await form.getByLabel('办理意见').fill('再次警示');
    await form.getByRole('button', { name: '确认亮牌' }).click();
    await form.getByRole('alert').filter({ hasText: '亮牌只能升级（黄牌→红牌）' }).waitFor();
    // What was typed stays beside the refusal.
    expect(await form.getByLabel('办理意见').inputValue()).toBe('再次警示');
    await inspect(supervisor, 'acts-card', troubles);
  }, 60_000);

  it('reports progress with a PDF uploaded with its progress (one over 20 MB refused first); the report’s timeline entry names the file', async () => {
    await lead.goto(`${stack.api.url}/tasks/${reported.id}`);
    await lead.getByRole('button', { name: '进度填报', exact: true }).click();
    const form = lead.getByRole('form', { name: '进度填报' });
    await form.getByLabel('进度（%）').fill('60');
    // A file over the api's 20 MB is refused before it is sent, with its size, and is not listed.
    const scan = '整改台账扫描件.pdf';
    await form.locator('input[type=file]').setInputFiles({ name: scan, mimeType: 'application/pdf', buffer: Buffer.alloc(25 * 1024 * 1024) });
    await lead.getByText(`「${scan}」大小为 25.0 MB，超过每个文件 20 MB 的上限，未上传。`).waitFor();
    expect(await form.getByText(scan).count()).toBe(0);
    // A slow line (about 4 s for the file), so the bar is seen moving.
    const cdp = await lead.context().newCDPSession(lead);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 300 * 1024 });
    await form.locator('input[type=file]').setInputFiles({ name: evidenceName, mimeType: 'application/pdf', buffer: evidence });
    const bar = form.getByRole('progressbar', { name: `${evidenceName} 上传进度` });
    await waitFor(
      async () => {
        const now = Number((await bar.getAttribute('aria-valuenow', { timeout: 10_000 })) ?? 0);
        return now > 0 && now < 100;
      },
      'the upload part-way',
      15_000,
    );
    // The report waits for the file.
    expect(await form.getByRole('button', { name: '确认进度填报' }).isDisabled()).toBe(true);
    // Off the 进度填报 button: Ant Design's hover blue is no colour the page rests in.
    await lead.mouse.move(0, 0);
    await inspect(lead, 'acts-upload-progress', troubles);
    await bar.waitFor({ state: 'hidden', timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await form.getByRole('button', { name: '确认进度填报' }).click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });
    const entry = timelineEntry(lead, '进度填报');
    await entry.getByText('进度 60%').waitFor();
    await entry.getByRole('button', { name: evidenceName }).waitFor();
    await lead.locator('.ant-card').filter({ hasText: '附件（1）' }).getByText(evidenceName).waitFor();
    await inspect(lead, 'acts-report', troubles);
  }, 90_000);

  it('lets the supervisor download the file from the task page, byte for byte', async () => {
    await supervisor.goto(`${stack.api.url}/tasks/${reported.id}`);
    await timelineEntry(supervisor, '进度填报').getByRole('button', { name: evidenceName }).waitFor();
    const files = supervisor.locator('.ant-card').filter({ hasText: '附件（1）' });
    const [download] = await Promise.all([supervisor.waitForEvent('download'), files.getByRole('button', { name: '下载', exact: true }).click()]);
    expect(download.suggestedFilename()).toBe(evidenceName);
    const bytes = readFileSync((await download.path())!);
    expect(sha256(bytes)).toBe(sha256(evidence));
  }, 60_000);

  it('lets the lead split a task between two of its units; the children appear under it', async () => {
    await lead.goto(`${stack.api.url}/tasks/${split.id}`);
    await lead.getByRole('button', { name: '分解', exact: true }).click();
    const form = lead.getByRole('form', { name: '分解任务' });
    const select = form.getByLabel('下级单位');
    for (const unit of units) {
      await select.click();
      await lead.locator('.ant-select-item-option').filter({ hasText: unit }).click();
    }
    await lead.keyboard.press('Escape');
    for (const unit of units) expect(await form.getByLabel(`${unit} 子任务标题`).inputValue()).toBe(`${split.title}（${unit}）`);
    await form.getByLabel(`${units[1]} 子任务标题`).fill('公共数据开放：数据治理组清单编制');
    await inspect(lead, 'acts-split', troubles);
    await form.getByRole('button', { name: '确认分解' }).click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });
    const children = lead.locator('.ant-card').filter({ hasText: '下级任务（2）' });
    await children.getByRole('link', { name: new RegExp(`${split.title}（${units[0]}）`) }).waitFor();
    await children.getByRole('link', { name: /公共数据开放：数据治理组清单编制/ }).waitFor();
    for (const unit of units) await children.getByText(unit, { exact: true }).waitFor();
    await inspect(lead, 'acts-children', troubles);
  }, 60_000);

  it('fits a phone (390 × 844) without sideways scrolling on 督办台 with its choices and a task with its files', async () => {
    const phone = await open(PHONE);
    await phone.goto(`${stack.api.url}/supervision?queue=overdue`);
    await signIn(phone, 'supervisor', PASSWORD);
    await phone.getByLabel(`选择 ${overdue[0]!.ref}`).check();
    await phone.getByRole('button', { name: '催办所选（1）' }).waitFor();
    expect({ page: 'supervision', scrollWidth: await scrollWidth(phone) }).toEqual({ page: 'supervision', scrollWidth: PHONE.width });
    await inspect(phone, 'phone-acts-supervision', troubles);
    await phone.goto(`${stack.api.url}/tasks/${reported.id}`);
    await timelineEntry(phone, '进度填报').getByRole('button', { name: evidenceName }).waitFor();
    expect({ page: 'task', scrollWidth: await scrollWidth(phone) }).toEqual({ page: 'task', scrollWidth: PHONE.width });
    await inspect(phone, 'phone-acts-task', troubles);
  }, 60_000);

  it('met no server error, no script error and no serious accessibility violation on any page', () => {
    expect(troubles.serverErrors).toEqual([]);
    expect(troubles.consoleErrors).toEqual([]);
    expect(troubles.violations).toEqual([]);
  });
});

/** The timeline entry of an action, by its label (the latest when several). */
function timelineEntry(page: Page, label: string): Locator {
  return page
    .locator('.ant-timeline-item')
    .filter({ has: page.getByText(label, { exact: true }) })
    .last();
}
