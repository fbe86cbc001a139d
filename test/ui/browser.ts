import { AxeBuilder } from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ROOT } from '../support/test-env.js';

/** Debian's chromium (scripts/test.sh installs it with fonts-noto-cjk when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test/ui/screenshots');

/** UI.md's launch flags: this machine has no network, and nothing may phone home. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DESK = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** What went wrong in the browser, collected over every page of a context. */
export interface Troubles {
  /** Responses with a status ≥ 500. */
  serverErrors: string[];
  /** Uncaught exceptions and console errors (other than the browser's line for a 4xx the page expected and handled). */
  consoleErrors: string[];
  /** axe-core's serious and critical violations, by page. */
  violations: string[];
}

/** The suite's one Chromium (a file's modules are its own in Jest), shared by its open contexts and closed with the last. */
let shared: { browser: Promise<Browser>; contexts: number } | undefined;

/**
 * A browser context with a fresh profile (incognito: nothing shared with the suite's other
 * contexts), in Chinese and Beijing time. Contexts share one browser process, launched with a
 * fresh user-data dir of its own (Playwright makes one per launch): launching takes seconds on a
 * busy machine, a context milliseconds.
 */
export async function openContext(
  viewport: { width: number; height: number },
  troubles: Troubles,
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const browser = shared ?? { browser: chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS }), contexts: 0 };
  shared = browser;
  browser.contexts++;
  let context: BrowserContext;
  try {
    context = await (await browser.browser).newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  } catch (err) {
    await release(browser);
    throw err;
  }
  const watch = (page: Page) => {
    page.on('response', (r) => {
      if (r.status() >= 500) troubles.serverErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    page.on('pageerror', (e) => troubles.consoleErrors.push(`uncaught: ${e.message}`));
    page.on('console', (m) => {
      // A 4xx the page asked for and showed (a wrong password's 401) is logged by the browser as
      // a failed resource: that is a response, checked by status above, not a script error.
      if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) {
        troubles.consoleErrors.push(`${page.url()}: ${m.text()}`);
      }
    });
  };
  context.on('page', watch);
  let closed = false;
  return {
    context,
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        await release(browser);
      }
    },
  };
}

/** Closes the shared browser once its last context is closed. */
async function release(browser: NonNullable<typeof shared>): Promise<void> {
  browser.contexts--;
  if (browser.contexts > 0) return;
  if (shared === browser) shared = undefined;
  await (await browser.browser.catch(() => undefined))?.close();
}

/** Signs in through /login as a user would; resolves once the console left the login page. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** What the page's animations report (the test build has no DOM types). */
interface Animation {
  playState: string;
  effect: { getTiming(): { iterations?: number } } | null;
}

/**
 * A main page as it is now: a full-page screenshot under test/ui/screenshots/ (for a person to
 * look at), and axe-core's serious and critical violations added to `troubles` (checked at the end).
 * `skip` leaves out of axe (not of the screenshot) the parts, by CSS selector, that another
 * inspect of the same page checks in full: axe takes a minute over a year of day buttons on a
 * busy machine, and the second look at the same components finds nothing the first did not.
 */
export async function inspect(page: Page, name: string, troubles: Troubles, skip: string[] = []): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Not while a list is still loading (Ant Design greys it out under a spinner).
  await page.waitForFunction(() => {
    const { document } = globalThis as unknown as { document: { querySelector(selector: string): unknown } };
    return !document.querySelector('.ant-spin-spinning');
  });
  // Nor mid-animation: a dialog fading in or a clicked button's wave blends its colours with the
  // background for a moment, which axe reads as a contrast fault no person ever sees. Endless
  // animations (a spinner, a processing dot) are left running.
  // Both waits are functions, not strings: Playwright polls a string predicate through eval, which
  // the console's CSP refuses (only the first check runs outside it, so a spinner showing then hung).
  await page.waitForFunction(() => {
    const { document } = globalThis as unknown as { document: { getAnimations(): Animation[] } };
    return !document.getAnimations().some((a) => a.playState === 'running' && a.effect?.getTiming().iterations !== Infinity);
  });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  // Only violations are read: axe then names (builds a unique selector for) one passing node per
  // rule instead of every node of the page; that was a third of its time (same violations found).
  const axe = new AxeBuilder({ page }).options({ resultTypes: ['violations'] });
  for (const selector of skip) axe.exclude(selector);
  const { violations } = await axe.analyze();
  for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
    troubles.violations.push(`${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
}

/** Whether the page scrolls sideways (wider than its viewport). */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.scrollingElement.scrollWidth');
}

/** Counts the gzip size of every script the page loads from /assets/, from now on. */
export function countScripts(page: Page): { gzipBytes: () => Promise<number>; files: string[] } {
  const bodies: Promise<number>[] = [];
  const files: string[] = [];
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/assets/') && url.pathname.endsWith('.js')) {
      files.push(url.pathname);
      bodies.push(r.body().then((b) => gzipSync(b).length));
    }
  });
  return { files, gzipBytes: async () => (await Promise.all(bodies)).reduce((a, b) => a + b, 0) };
}

/** `2027年1月15日 17:30`: how the console words an instant in Beijing time. */
export function moment(at: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}
