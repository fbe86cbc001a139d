import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { DEMO_PASSWORD, startStack, type Stack, stopStack } from '../support/stack.js';
import { waitFor } from '../support/test-env.js';
import { DESK, inspect, openContext, signIn, type Troubles } from './browser.js';

/**
 * The workflow page publishes versions of its own workflow only: a draft whose key names another
 * workflow is refused at the editor in Chinese and 发布新版本 stays disabled; the key put back, it may be published.
 */
describe('web console: a workflow page publishes only its own workflow (browser)', () => {
  let stack: Stack;
  const troubles: Troubles = { serverErrors: [], consoleErrors: [], violations: [] };
  let close: () => Promise<void> = async () => undefined;
  let admin: Page;

  const editor = () => admin.getByRole('textbox', { name: '流程定义（JSON）' });
  /** Selects the first match of `text` in the editor through its search panel, as a keyboard user would. */
  const select = async (text: string) => {
    await editor().click();
    await admin.keyboard.press('Control+f');
    const field = admin.getByRole('textbox', { name: '查找' });
    await field.fill(text);
    await field.press('End');
    await field.press('Enter');
    await field.press('Escape');
    await waitFor(async () => (await admin.evaluate<string>('String(document.getSelection())')) === text, `"${text}" selected in the editor`);
  };
  const versionOf = async (key: string) =>
    ((await request(stack.api.url).get(`/api/v1/workflows/${key}`).set('Authorization', stack.org.token.admin).expect(200)).body as { version: number })
      .version;

  beforeAll(async () => {
    stack = await startStack();
    const opened = await openContext(DESK, troubles);
    close = opened.close;
    admin = await opened.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await close().catch(() => undefined);
    await stopStack(stack);
  });

  it('refuses a draft keyed for another workflow at the editor, publish disabled; the key put back, publish is offered again', async () => {
    await admin.goto(`${stack.api.url}/admin/workflows/hotline-ticket`);
    await signIn(admin, 'admin', DEMO_PASSWORD);
    await admin.waitForURL(/\/admin\/workflows\/hotline-ticket$/);
    const publish = admin.getByRole('button', { name: '发布新版本' });
    await publish.waitFor();
    await select('"hotline-ticket"');
    await admin.keyboard.type('"plan-item"');
    const refusal = admin.getByTestId('key-mismatch');
    await refusal
      .getByText('流程标识 key “plan-item”与本页流程不符：本页只能发布“12345热线工单”（hotline-ticket）的新版本，请将 key 设为“hotline-ticket”。')
      .waitFor();
    expect(await publish.isDisabled()).toBe(true);
    // Once the api has checked the draft, nothing says it may be published.
    await admin.getByText('校验中…').waitFor({ state: 'detached' });
    expect(await admin.getByText('校验通过，可以发布。').count()).toBe(0);
    await admin.getByText('流程标识与本页流程不符，不能发布（见上方流程定义）。').waitFor();
    await admin.mouse.move(0, 0);
    await inspect(admin, 'admin-workflow-key-mismatch', troubles);
    await select('"plan-item"');
    await admin.keyboard.type('"hotline-ticket"');
    await refusal.waitFor({ state: 'detached' });
    expect(await publish.isEnabled()).toBe(true);
    expect([await versionOf('hotline-ticket'), await versionOf('plan-item')]).toEqual([1, 1]);
  }, 90_000);

  it('met no server error, no script error and no serious accessibility violation', () => {
    expect(troubles.serverErrors).toEqual([]);
    expect(troubles.consoleErrors).toEqual([]);
    expect(troubles.violations).toEqual([]);
  });
});
