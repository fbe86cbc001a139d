import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD, startStack, type Stack, stopStack } from '../support/stack.js';
import { waitFor } from '../support/test-env.js';
import { DESK, inspect, openContext, PHONE, scrollWidth, signIn, type Troubles } from './browser.js';

interface Definition {
  version: number;
  states: { key: string; label: string; sla?: { limit: string } }[];
  transitions: { action: string; label?: string; from: string[]; to: string }[];
}

/**
 * Issue 18, point 3 through the browser only: an admin opens a workflow, sees it drawn, breaks
 * its definition and sees each error at its path, fixes it, changes an SLA limit, sees the diff,
 * publishes (a new version in the history and in the api), and a publish without change is
 * refused in Chinese. Desk and phone, no 5xx, no script error, no serious accessibility violation.
 */
describe('web console: workflow configuration (browser)', () => {
  let stack: Stack;
  const troubles: Troubles = { serverErrors: [], consoleErrors: [], violations: [] };
  const closers: (() => Promise<void>)[] = [];
  let admin: Page;

  const open = async (viewport: typeof DESK) => {
    const { context, close } = await openContext(viewport, troubles);
    closers.push(close);
    return context.newPage();
  };
  const latest = async () =>
    (await request(stack.api.url).get('/api/v1/workflows/hotline-ticket').set('Authorization', stack.org.token.admin).expect(200)).body as Definition;

  const editor = () => admin.getByRole('textbox', { name: '流程定义（JSON）' });
  /** Selects the first match of `text` in the editor through its search panel (Ctrl+F, Enter, Escape), as a keyboard user would. */
  const select = async (text: string) => {
    await editor().click();
    await admin.keyboard.press('Control+f');
    const field = admin.getByRole('textbox', { name: '查找' });
    await field.fill(text);
    // The panel takes the query on a key's release.
    await field.press('End');
    await field.press('Enter');
    await field.press('Escape');
    await waitFor(async () => (await admin.evaluate<string>('String(document.getSelection())')) === text, `"${text}" selected in the editor`);
  };
  /** The marks in the editor (lint ranges, split by the highlighting's spans): the text marked on each line. */
  const marks = () =>
    admin.evaluate<string[]>(`[...document.querySelectorAll('.cm-line')]
      .filter((line) => line.querySelector('.cm-lintRange-error'))
      .map((line) => [...line.querySelectorAll('.cm-lintRange-error')].map((mark) => mark.textContent).join(''))`);
  const errorList = () => admin.getByTestId('definition-errors');

  beforeAll(async () => {
    stack = await startStack();
  }, 120_000);

  afterAll(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await stopStack(stack);
  });

  it('opens 流程配置 from the admin home and lists the workflows with their versions', async () => {
    admin = await open(DESK);
    await admin.goto(`${stack.api.url}/`);
    await signIn(admin, 'admin', DEMO_PASSWORD);
    await admin.waitForURL(/\/admin$/);
    await admin.getByRole('link', { name: '流程配置' }).click();
    await admin.waitForURL(/\/admin\/workflows$/);
    for (const name of ['12345热线工单', '工作要点任务', '建议提案办理']) {
      const row = admin.getByRole('row').filter({ has: admin.getByRole('link', { name, exact: false }) });
      await row.first().getByText('第 1 版').waitFor();
    }
    await inspect(admin, 'admin-workflows', troubles);
  }, 90_000);

  it('draws the workflow: every state by its label, every transition by its label', async () => {
    await admin.getByRole('link', { name: '12345热线工单' }).click();
    await admin.waitForURL(/\/admin\/workflows\/hotline-ticket$/);
    const definition = await latest();
    const diagram = admin.getByTestId('workflow-diagram');
    for (const state of definition.states) await diagram.locator('.react-flow__node').filter({ hasText: state.label }).first().waitFor();
    const drawn = (await diagram.textContent()) ?? '';
    const missing = definition.transitions.map((t) => t.label ?? t.action).filter((label) => !drawn.includes(label));
    expect(missing).toEqual([]);
    expect(await diagram.locator('.react-flow__edge').count()).toBeGreaterThan(3);
    await admin.getByText('校验通过，可以发布。').waitFor();
    await admin.getByText('与已发布的第 1 版相同，没有改动。').waitFor();
    await admin.getByTestId('workflow-history').getByText('系统预置').waitFor();
    await inspect(admin, 'admin-workflow', troubles);
  }, 60_000);

  it('shows each error of a broken definition at its path, in the list and marked in the text', async () => {
    const list = errorList();
    // The editor draws only the lines in view: each mark is looked at where it was typed.
    await select('2wh');
    await admin.keyboard.type('2 hours');
    await list
      .getByRole('listitem')
      .filter({ hasText: 'states[0].sla.limit' })
      .getByText(/须为时长/)
      .waitFor();
    await waitFor(async () => (await marks()).includes('"limit": "2 hours"'), 'the SLA limit marked in the editor');
    await select('"limit": 1');
    await admin.keyboard.press('ArrowRight');
    await admin.keyboard.press('Backspace');
    await admin.keyboard.type('0');
    await list.getByText('发现 2 处错误').waitFor();
    await list
      .getByRole('listitem')
      .filter({ hasText: 'states[0].sla.limit' })
      .getByText(/须为时长/)
      .waitFor();
    await list
      .getByRole('listitem')
      .filter({ hasText: /^transitions\[\d+\]\.limit/ })
      .getByText(/须为不小于 1 的整数次数/)
      .waitFor();
    await waitFor(async () => (await marks()).includes('"limit": 0'), 'the action limit marked in the editor');
    await inspect(admin, 'admin-workflow-errors', troubles);

    // A JSON syntax error is told at once, by line and column, before anything is sent.
    await select('"limit": 0');
    await admin.keyboard.press('ArrowRight');
    await admin.keyboard.press('Backspace');
    await list.getByText('JSON 格式有误，修正后再校验流程定义').waitFor();
    await list.getByText('JSON 语法错误：此处应为一个值').waitFor();
    expect(await admin.getByRole('button', { name: '发布新版本' }).isDisabled()).toBe(true);
  }, 60_000);

  it('is clean again once fixed; a changed SLA limit shows in the diff and publishes as version 2', async () => {
    await admin.keyboard.type('1');
    await select('2 hours');
    await admin.keyboard.type('2wh');
    await admin.getByText('校验通过，可以发布。').waitFor();
    await admin.getByText('与已发布的第 1 版相同，没有改动。').waitFor();
    expect(await marks()).toEqual([]);

    await select('2wh');
    await admin.keyboard.type('4wh');
    const diff = admin.getByTestId('definition-diff');
    await diff.getByText('- "limit": "2wh",', { exact: false }).waitFor();
    await diff.getByText('+ "limit": "4wh",', { exact: false }).waitFor();
    await admin.getByText('相对已发布的第 1 版：增加 1 行，删除 1 行。').waitFor();
    await admin.getByText('校验通过，可以发布。').waitFor();
    await inspect(admin, 'admin-workflow-diff', troubles);

    await admin.getByRole('button', { name: '发布新版本' }).click();
    await admin.getByText('已发布第 2 版。').waitFor();
    await admin.getByText('已发布第 2 版', { exact: true }).waitFor();
    const history = admin.getByTestId('workflow-history');
    await history.getByRole('row').filter({ hasText: '第 2 版' }).getByText('系统管理员').waitFor();
    await history.getByRole('row').filter({ hasText: '第 1 版' }).getByText('系统预置').waitFor();
    await admin.getByText('与已发布的第 2 版相同，没有改动。').waitFor();
    const published = await latest();
    expect({ version: published.version, limit: published.states.find((s) => s.key === 'dispatched')?.sla?.limit }).toEqual({ version: 2, limit: '4wh' });
  }, 60_000);

  it('refuses a second publish without change, saying so in Chinese; no version 3', async () => {
    await admin.getByRole('button', { name: '发布新版本' }).click();
    await admin.getByText(/^未发布：流程定义与已发布的第 2 版完全相同，未发布新版本；请修改后再发布。/).waitFor();
    expect(await admin.getByText('已发布第 2 版。').count()).toBe(0);
    expect((await latest()).version).toBe(2);
    expect(await admin.getByTestId('workflow-history').getByRole('row').filter({ hasText: '第 3 版' }).count()).toBe(0);
    await inspect(admin, 'admin-workflow-refused', troubles);
  }, 60_000);

  it('fits a phone (390 × 844) without sideways scrolling, the list and the workflow', async () => {
    const phone = await open(PHONE);
    await phone.goto(`${stack.api.url}/admin/workflows`);
    await signIn(phone, 'admin', DEMO_PASSWORD);
    await phone.waitForURL(/\/admin\/workflows$/);
    await phone.getByRole('link', { name: '12345热线工单' }).waitFor();
    expect(await scrollWidth(phone)).toBe(PHONE.width);
    await inspect(phone, 'phone-admin-workflows', troubles);
    await phone.getByRole('link', { name: '12345热线工单' }).click();
    await phone.getByTestId('workflow-diagram').locator('.react-flow__node').filter({ hasText: '待签收' }).waitFor();
    await phone.getByText('校验通过，可以发布。').waitFor();
    expect(await scrollWidth(phone)).toBe(PHONE.width);
    await inspect(phone, 'phone-admin-workflow', troubles);
  }, 60_000);

  it('met no server error, no script error and no serious accessibility violation on any page', () => {
    expect(troubles.serverErrors).toEqual([]);
    expect(troubles.consoleErrors).toEqual([]);
    expect(troubles.violations).toEqual([]);
  });
});
