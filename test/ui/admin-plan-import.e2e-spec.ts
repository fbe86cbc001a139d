import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD, startStack, type Stack, stopStack } from '../support/stack.js';
import { ROOT } from '../support/test-env.js';
import { DESK, inspect, moment, openContext, PHONE, scrollWidth, signIn, type Troubles } from './browser.js';

/** This year in Beijing: the excerpt is dated to it, as seed:demo dates the plan, so its deadlines lie ahead. */
const YEAR = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());

/** Lines of seed 004 (韶关市数字政府改革建设2023年工作要点) as the bureau published them, by how they start. */
const SEED = readFileSync(join(ROOT, 'apps/cli/demo/shaoguan-2023-plan.txt'), 'utf8').split('\n');
const excerpt = (...starts: string[]) =>
  starts
    .map((start) => {
      const line = SEED.find((l) => l.startsWith(start));
      if (!line) throw new Error(`seed 004 has no line starting with ${start}`);
      return line;
    })
    .join('\n')
    .replaceAll('2023', YEAR);

/**
 * Item (一) fans out to the counties with a deadline and a target; item (五) names 行政服务中心,
 * which this organisation knows only as 市政务服务中心.
 */
const PLAN = excerpt('韶关市数字政府改革建设', '2023年是', '一、', '(一)', '二、', '(五)');
const TITLE = `韶关市数字政府改革建设${YEAR}年工作要点`;
const FIRST = '紧扣指标任务,统筹推进均衡化发展工作';
const FIFTH = '依托诉求响应平台,搭建政企互动桥梁';

/**
 * Issue 18 point 4 through the browser only: an admin pastes a plan naming a unit the
 * organisation knows by another name, sees it marked 未识别 in red (and the import refused with
 * the api's words), chooses its department in the wizard (saved as that department's alias),
 * imports, and lands on the plan's page; desk and phone, no 5xx, no script error, axe clean.
 */
describe('web console: plan import wizard (browser)', () => {
  let stack: Stack;
  const troubles: Troubles = { serverErrors: [], consoleErrors: [], violations: [] };
  const closers: (() => Promise<void>)[] = [];
  let centre: string;

  const http = () => request(stack.api.url);
  const open = async (viewport: typeof DESK) => {
    const { context, close } = await openContext(viewport, troubles);
    closers.push(close);
    return context.newPage();
  };
  /** The preview's row (desk) or card (phone) of an item, found by its title. */
  const itemOf = (page: Page, title: string) => page.getByTestId('preview-items').locator('tr, .ant-card').filter({ hasText: title });

  beforeAll(async () => {
    stack = await startStack();
    const { dept, token } = stack.org;
    const create = async (body: object) =>
      (await http().post('/api/v1/departments').set('Authorization', token.admin).send(body).expect(201)).body.id as string;
    for (const [code, name] of [
      ['c1', '武江区政府'],
      ['c2', '浈江区政府'],
    ]) {
      await create({ code, name, kind: 'county', parentId: dept.B });
    }
    centre = await create({ code: 'zwfwzx', name: '市政务服务中心', kind: 'office', aliases: ['政务大厅'] });
  }, 180_000);

  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await stopStack(stack);
  });

  it('imports a pasted plan: the unknown unit is 未识别 in red and refused, its department chosen becomes an alias, and the plan opens', async () => {
    const admin = await open(DESK);
    await admin.goto(`${stack.api.url}/`);
    await signIn(admin, 'admin', DEMO_PASSWORD);
    await admin.waitForURL(/\/admin$/);
    await admin.getByRole('link', { name: '工作要点导入' }).click();
    await admin.waitForURL(/\/admin\/plans\/import$/);

    // 粘贴文本: the text, the year, the workflow by its name.
    await admin.getByLabel('工作要点全文').fill(PLAN);
    await admin.getByLabel('年度').fill(YEAR);
    await admin.getByLabel('办理流程').click();
    await admin.locator('.ant-select-item-option[title="工作要点任务"]').click();
    await inspect(admin, 'plan-import-paste', troubles);
    await admin.getByRole('button', { name: '下一步：预览' }).click();

    // 预览与核对: each item with its owners, counties by name, due date with its year, targets.
    await admin.getByText(TITLE).waitFor();
    const fifth = itemOf(admin, FIFTH);
    const unknown = fifth.getByTestId('preview-owner').filter({ hasText: '市行政服务中心' });
    await unknown.getByText('未识别').waitFor();
    expect(await unknown.getByText('未识别').evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).color)).toBe('rgb(168, 7, 26)');
    await fifth.getByText('市政务服务数据管理局').waitFor();
    const first = itemOf(admin, FIRST);
    await first.getByText('2 个：武江区政府、浈江区政府').waitFor();
    await first.getByText(moment(new Date(`${YEAR}-12-31T23:59:00+08:00`))).waitFor();
    await first.getByText(`${YEAR}年底完成80%以上地市均衡化发展指标任务`).waitFor();
    await admin.getByTestId('unresolved-name').filter({ hasText: '市行政服务中心' }).waitFor();
    await inspect(admin, 'plan-import-preview', troubles);

    // Importing as it is: the api refuses, and the wizard shows its words.
    await admin.getByRole('button', { name: '导入' }).click();
    await admin.getByText('以下单位名称在组织机构中找不到：市行政服务中心（事项(五)）').waitFor();
    await inspect(admin, 'plan-import-refused', troubles);
    expect((await http().get('/api/v1/plans').set('Authorization', stack.org.token.admin).expect(200)).body.total).toBe(0);

    // The admin says which department the name means: saved as its alias, the preview resolves it.
    await admin.getByLabel('“市行政服务中心”对应的单位').fill('政务服务中心');
    await admin.locator('.ant-select-item-option[title="市政务服务中心"]').click();
    await admin.getByRole('button', { name: '保存为别名' }).click();
    await admin.getByText('已将“市行政服务中心”保存为“市政务服务中心”的别名').waitFor();
    await admin.getByTestId('unresolved-names').waitFor({ state: 'detached' });
    await fifth.getByText('市政务服务中心（原文：市行政服务中心）').waitFor();
    await admin.getByText('未能导入').waitFor({ state: 'detached' });
    await expect(fifth.getByText('未识别').count()).resolves.toBe(0);
    const department = (await http().get(`/api/v1/departments/${centre}`).set('Authorization', stack.org.token.admin).expect(200)).body;
    expect(department.aliases).toEqual(['政务大厅', '市行政服务中心']);
    const again = (await http().post('/api/v1/plans/import/preview').set('Authorization', stack.org.token.admin).send({ text: PLAN }).expect(200)).body;
    expect(again.unresolved).toEqual([]);
    await inspect(admin, 'plan-import-resolved', troubles);

    // 导入: the plan's page opens with its items.
    await admin.getByRole('button', { name: '导入' }).click();
    await admin.waitForURL(/\/plans\/[0-9a-f-]{36}$/);
    await admin.getByRole('heading', { name: TITLE }).waitFor();
    await admin.getByText(FIRST).first().waitFor();
    await admin.getByText(FIFTH).first().waitFor();
    const planId = new URL(admin.url()).pathname.split('/').pop();
    const plan = (await http().get(`/api/v1/plans/${planId}`).set('Authorization', stack.org.token.admin).expect(200)).body;
    expect({ title: plan.title, year: plan.year, workflow: plan.workflow, items: plan.items.length, tasks: plan.taskCount }).toEqual({
      title: TITLE,
      year: Number(YEAR),
      workflow: 'plan-item',
      items: 2,
      tasks: 4,
    });
    await inspect(admin, 'plan-import-done', troubles);
  }, 120_000);

  it('fits a phone (390 × 844): from /plans’s 导入工作要点 to a preview with units 未识别, without sideways scrolling', async () => {
    const phone = await open(PHONE);
    await phone.goto(`${stack.api.url}/plans`);
    await signIn(phone, 'admin', DEMO_PASSWORD);
    await phone.goto(`${stack.api.url}/plans`);
    await phone.getByRole('button', { name: '导入工作要点' }).click();
    await phone.waitForURL(/\/admin\/plans\/import$/);
    await phone.getByLabel('工作要点全文').fill(excerpt('韶关市数字政府改革建设', '一、', '(一)', '二、', '(六)'));
    expect(await scrollWidth(phone)).toBe(PHONE.width);
    await inspect(phone, 'phone-plan-import-paste', troubles);
    await phone.getByRole('button', { name: '下一步：预览' }).click();
    const sixth = itemOf(phone, '部署“粤经济”平台,支撑经济态势分析研判');
    await sixth.getByTestId('preview-owner').filter({ hasText: '市统计局' }).getByText('未识别').waitFor();
    await itemOf(phone, FIRST).getByText('2 个：武江区政府、浈江区政府').waitFor();
    await phone.getByTestId('unresolved-name').filter({ hasText: '市发改局' }).waitFor();
    expect(await scrollWidth(phone)).toBe(PHONE.width);
    await inspect(phone, 'phone-plan-import-preview', troubles);
  }, 90_000);

  it('previews counties named among the co-units as shares of their own that also assist the item (兼协办单位)', async () => {
    const admin = await open(DESK);
    await admin.goto(`${stack.api.url}/admin/plans/import`);
    await signIn(admin, 'admin', DEMO_PASSWORD);
    await admin.waitForURL(/\/admin\/plans\/import$/);
    const title = '完善重大项目服务机制，建成项目服务台账';
    await admin
      .getByLabel('工作要点全文')
      .fill(`某市${YEAR}年投资促进工作分工方案\n一、${title}。\n牵头单位：市政务服务数据管理局\n配合单位：各县（市、区）政府`);
    await admin.getByRole('button', { name: '下一步：预览' }).click();
    const item = itemOf(admin, title);
    await item.getByText('2 个：武江区政府、浈江区政府').waitFor();
    await item.getByText('兼协办单位').waitFor();
    // The phrase is no owner of its own: the item's units are the lead alone.
    expect(await item.getByTestId('preview-owner').allInnerTexts()).toEqual([expect.stringContaining('市政务服务数据管理局')]);
    await inspect(admin, 'plan-import-co-fanout', troubles);
  }, 90_000);

  it('met no server error, no script error and no serious accessibility violation on any page', () => {
    expect(troubles.serverErrors).toEqual([]);
    expect(troubles.consoleErrors).toEqual([]);
    expect(troubles.violations).toEqual([]);
  });
});
