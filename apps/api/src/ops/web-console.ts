import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ConfigError } from '@duban/config';

/**
 * Where `npm run build` puts the console (vite build apps/web): dist/web, three folders above
 * this file's compiled copy (dist/apps/api/src/ops/). WEB_ROOT (an absolute path) points
 * elsewhere, e.g. at a console built separately.
 */
const BUILT_WEB_ROOT = join(import.meta.dirname, '..', '..', '..', '..', 'web');

/**
 * The console's routes (UI.md "Routes"), each answered with index.html so a bookmark or a reload
 * opens the same page: `/`, `/login`, `/work`, `/tasks[/:id]`, `/notifications`, `/supervision`,
 * `/plans[/:id]`, `/reports`, `/me` and anything under `/admin` but the queue board (`/admin/queues`).
 * Other paths go on to the api: /api/*, /metrics, and a 404 problem for the rest.
 */
const CONSOLE_ROUTE = /^\/(?:|login|work|tasks(?:\/[^/]+)?|notifications|supervision|plans(?:\/[^/]+)?|reports|me|admin(?:\/(?!queues(?:\/|$))[^?]*)?)\/?$/;

/** Whether `path` (no query) is one of the console's routes. */
export function isConsoleRoute(path: string): boolean {
  return CONSOLE_ROUTE.test(path);
}

function webRoot(config: ConfigService): string {
  const configured = config.get<string>('WEB_ROOT')?.trim();
  if (!configured) return BUILT_WEB_ROOT;
  if (!isAbsolute(configured)) throw new ConfigError([{ variable: 'WEB_ROOT', message: 'must be an absolute path' }]);
  return configured;
}

const NOT_BUILT =
  '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>督办控制台未构建</title>' +
  '<p>督办控制台尚未构建：请运行 <code>npm run build</code>（生成 dist/web）后重启 api。API 照常可用：<a href="/api/docs">/api/docs</a>。</p>' +
  '<p>The web console is not built: run <code>npm run build</code> (it writes dist/web) and restart the api. The API works as usual.</p></html>';

/**
 * Serves the console: hashed files under /assets/ for a year as immutable (a new build has new
 * names), index.html on every console route with `no-cache` (revalidated, so a new build is
 * picked up at once). Without a built console the api still runs and those routes say so (503).
 * Mounted before Nest's routes; only GET and HEAD are answered, anything else goes on.
 */
export function mountWebConsole(app: NestExpressApplication): void {
  const root = webRoot(app.get(ConfigService));
  const index = join(root, 'index.html');
  const built = existsSync(index);
  if (built) {
    app.use('/assets', express.static(join(root, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: true }));
  }
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isConsoleRoute(req.path)) return next();
    if (!built) {
      res.status(503).set('Cache-Control', 'no-cache').type('html').send(NOT_BUILT);
      return;
    }
    res.set('Cache-Control', 'no-cache');
    res.sendFile(index, { cacheControl: false }, (err) => err && next(err));
  });
}
