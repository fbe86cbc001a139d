import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD, startStack, type Stack, stopStack } from '../support/stack.js';
import { DESK, inspect, openContext, signIn, type Troubles } from './browser.js';

/** This year in Beijing: the plans' items are due within it. */
const YEAR = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());

/** A plan in the fixture organisation's units (support/org-fixture), as first circulated and as revised. */
const plan = (title: string) => ({
  first: `${title}
一、夯实数据基础
1．建设城市数据资源目录。（市政务服务数据管理局牵头，市农业农村局配合）
2．推进农业数据共享。（市农业农村局牵头）
3．完善农业统计考核办法。（市农业农村局牵头）`,
  revised: `${title}
一、夯实数据基础
1．建设城市数据资源目录。（市政务服务数据管理局牵头，市农业农村局配合）
2．推进农业数据共享。（政务服务科牵头，${YEAR}年12月20日前完成）
4．建设农业农村大数据平台。（市督查室牵头）`,
});

/**
 * Issue 19 point 5 through the browser: an admin pastes a plan imported before and changed, sees
 * its differences (新增, 删除, 修改 with old → new) in the preview, and revises it with 确认修订;
 * a plan imported by someone else between preview and import answers 409 plan-changed, whose
 * differences the wizard shows, and 确认修订 then revises it. No 5xx, no script error, axe clean.
 */
describe('web console: revising a plan in the import wizard (browser)', () => {
  let stack: Stack;
  const troubles: Troubles = { serverErrors: [], consoleErrors: [], violations: [] };
  const closers: (() => Promise<void>)[] = [];

  const http = () => request(stack.api.url);
  const importApi = (text: string) => http().post('/api/v1/plans/import').set('Authorization', stack.org.token.admin).send({ text });
  const states = async (planId: string) =>
    (await stack.db.query(`SELECT data #>> '{plan,number}' AS number, state FROM tasks WHERE plan_id = $1 ORDER BY ref`, [planId])).rows.map(
      (r) => `${r.number}${r.state}`,
    );
  const paste = async (page: Page, text: string) => {
    await page.goto(`${stack.api.url}/admin/plans/import`);
    await page.getByLabel('工作要点全文').fill(text);
    await page.getByRole('button', { name: '下一步：预览' }).click();
  };

  beforeAll(async () => {
    stack = await startStack();
  }, 180_000);

  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await stopStack(stack);
  });

  it('shows a changed plan’s differences in the preview and revises it with 确认修订', async () => {
    const { first, revised } = plan(`某市${YEAR}年数据工作要点`);
    const planId = (await importApi(first).expect(201)).body.planId as string;
    const { context, close } = await openContext(DESK, troubles);
    closers.push(close);
    const admin = await context.newPage();
    await admin.goto(`${stack.api.url}/`);
    await signIn(admin, 'admin', DEMO_PASSWORD);
    await admin.waitForURL(/\/admin$/);
    await paste(admin, revised);

    const differences = admin.getByTestId('plan-differences');
    await differences.getByText('新增 1 项、删除 1 项、修改 1 项', { exact: false }).waitFor();
    await differences.getByText('4． 建设农业农村大数据平台').waitFor();
    await differences.getByText('3． 完善农业统计考核办法（任务将撤销）').waitFor();
    await differences.getByText('牵头单位：市农业农村局 → 政务服务科').waitFor();
    await differences.getByText(`完成时限：${YEAR}年12月31日 23:59 → ${YEAR}年12月20日 23:59`).waitFor();
    await inspect(admin, 'plan-revise-preview', troubles);

    await admin.getByRole('button', { name: '确认修订' }).click();
    await admin.waitForURL(new RegExp(`/plans/${planId}$`));
    await admin.getByText('已修订：新增 1 项、撤销 1 项、修改 1 项，创建 1 个任务').waitFor();
    expect(await states(planId)).toEqual(['1．assigned', '2．assigned', '3．withdrawn', '4．assigned']);
    // The roll-up loaded (inspect's own wait for spinners is a string the console's CSP refuses to poll).
    await admin.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
    await admin.getByText('建设农业农村大数据平台').first().waitFor();
    await inspect(admin, 'plan-revise-done', troubles);

    // The same text again: nothing differs, and the button imports (nothing is written).
    await paste(admin, revised);
    await admin.getByText('该计划此前已导入，内容没有变化').waitFor();
    await admin.getByRole('button', { name: '导入', exact: true }).waitFor();
    await inspect(admin, 'plan-revise-unchanged', troubles);
  }, 120_000);

  it('shows the differences of a 409 plan-changed (imported meanwhile by someone else) and then revises', async () => {
    const { first, revised } = plan(`某市${YEAR}年农业数据工作要点`);
    const { context, close } = await openContext(DESK, troubles);
    closers.push(close);
    const admin = await context.newPage();
    await admin.goto(`${stack.api.url}/`);
    await signIn(admin, 'admin', DEMO_PASSWORD);
    await admin.waitForURL(/\/admin$/);
    await paste(admin, revised);
    await admin.getByRole('button', { name: '导入', exact: true }).waitFor();
    await expect(admin.getByTestId('plan-differences').count()).resolves.toBe(0);

    // Meanwhile the first version is imported: the wizard's import is refused with the differences.
    const planId = (await importApi(first).expect(201)).body.planId as string;
    await admin.getByRole('button', { name: '导入', exact: true }).click();
    await admin.getByText('计划已变化').waitFor();
    await admin.getByText(`计划《某市${YEAR}年农业数据工作要点》已导入，内容有变化：新增1项、删除1项、修改1项`, { exact: false }).waitFor();
    await admin.getByTestId('plan-differences').getByText('牵头单位：市农业农村局 → 政务服务科').waitFor();
    expect(await states(planId)).toEqual(['1．assigned', '2．assigned', '3．assigned']);
    await inspect(admin, 'plan-revise-conflict', troubles);

    await admin.getByRole('button', { name: '确认修订' }).click();
    await admin.waitForURL(new RegExp(`/plans/${planId}$`));
    expect(await states(planId)).toEqual(['1．assigned', '2．assigned', '3．withdrawn', '4．assigned']);
  }, 120_000);

  it('met no server error, no script error and no serious accessibility violation on any page', () => {
    expect(troubles.serverErrors).toEqual([]);
    expect(troubles.consoleErrors).toEqual([]);
    expect(troubles.violations).toEqual([]);
  });
});
