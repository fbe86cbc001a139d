import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { pdf } from '../../libs/attachments/src/spec-files.js';
import { planWordProse } from '../../libs/plans/src/spec-files.js';
import { DEMO_PASSWORD, startStack, type Stack, stopStack } from '../support/stack.js';
import { DESK, inspect, openContext, PHONE, scrollWidth, signIn, type Troubles } from './browser.js';

const TITLE = '韶关市政务服务便民热线2024年工作任务分工方案';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * Issue 19 point 1 through the browser: the wizard's 上传文件 sends a Word plan to the preview and
 * then the import (multipart), and a file the api refuses shows its Chinese reason; desk and
 * phone, no 5xx, no script error, axe clean.
 */
describe('web console: plan import from a file (browser)', () => {
  let stack: Stack;
  const troubles: Troubles = { serverErrors: [], consoleErrors: [], violations: [] };
  const closers: (() => Promise<void>)[] = [];

  const open = async (viewport: typeof DESK) => {
    const { context, close } = await openContext(viewport, troubles);
    closers.push(close);
    const page = await context.newPage();
    await page.goto(`${stack.api.url}/admin/plans/import`);
    await signIn(page, 'admin', DEMO_PASSWORD);
    await page.waitForURL(/\/admin\/plans\/import$/);
    return page;
  };

  beforeAll(async () => {
    stack = await startStack();
    for (const [code, name] of [
      ['fg', '市发改局'],
      ['wj', '市卫健局'],
      ['dc', '市政府督查室'],
    ])
      await request(stack.api.url).post('/api/v1/departments').set('Authorization', stack.org.token.admin).send({ code, name, kind: 'bureau' }).expect(201);
  }, 180_000);

  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await stopStack(stack);
  });

  it('uploads a .docx: its items previewed with their units, imported, and the plan opens', async () => {
    const admin = await open(DESK);
    await admin.getByText('上传文件', { exact: true }).click();
    await admin.locator('input[type=file]').setInputFiles({ name: '分工方案.docx', mimeType: DOCX, buffer: await planWordProse() });
    await admin.getByText('已选择：分工方案.docx，可点击或拖入另一个文件替换').waitFor();
    await inspect(admin, 'plan-file-chosen', troubles);

    await admin.getByRole('button', { name: '下一步：预览' }).click();
    await admin.getByText(TITLE).waitFor();
    await admin.getByText('2 项，其中 0 项分解到县区').waitFor();
    const items = admin.getByTestId('preview-items');
    await items.getByText('完善县区工单督办机制').first().waitFor();
    await items.getByTestId('preview-owner').filter({ hasText: '市政府督查室' }).first().waitFor();
    await inspect(admin, 'plan-file-preview', troubles);

    await admin.getByRole('button', { name: '导入' }).click();
    await admin.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
    await admin.getByRole('heading', { name: TITLE }).waitFor();
    const planId = new URL(admin.url()).pathname.split('/').pop();
    const plan = (await request(stack.api.url).get(`/api/v1/plans/${planId}`).set('Authorization', stack.org.token.admin).expect(200)).body;
    expect({ title: plan.title, year: plan.year, items: plan.items.length }).toEqual({ title: TITLE, year: 2024, items: 2 });
    const [{ source }] = (await stack.db.query(`SELECT source FROM plans WHERE id = $1`, [planId])).rows;
    expect(source.split('\n')[0]).toBe(TITLE);
  }, 120_000);

  it('shows the api’s reason for a file it refuses (a PDF named .docx), and lets another be chosen', async () => {
    const phone = await open(PHONE);
    await phone.getByText('上传文件', { exact: true }).click();
    await phone.locator('input[type=file]').setInputFiles({ name: '方案.docx', mimeType: DOCX, buffer: pdf('plan') });
    expect(await scrollWidth(phone)).toBe(PHONE.width);
    await phone.getByRole('button', { name: '下一步：预览' }).click();
    await phone.getByText('无法预览').waitFor();
    await phone.getByText(/文件「方案\.docx」是 PDF 文件.*请导入原始的 \.docx \/ \.xlsx 文件，或将表格文字复制后粘贴导入/).waitFor();
    expect(await scrollWidth(phone)).toBe(PHONE.width);
    await inspect(phone, 'phone-plan-file-refused', troubles);
    await phone.getByRole('button', { name: '上一步' }).click();
    await phone.getByText('已选择：方案.docx，可点击或拖入另一个文件替换').waitFor();
    expect((await stack.db.query(`SELECT count(*)::int AS n FROM plans`)).rows[0].n).toBe(1);
  }, 90_000);

  it('met no server error, no script error and no serious accessibility violation on any page', () => {
    expect(troubles.serverErrors).toEqual([]);
    expect(troubles.consoleErrors).toEqual([]);
    expect(troubles.violations).toEqual([]);
  });
});
