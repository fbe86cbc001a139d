import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { JwtService } from '@nestjs/jwt';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { AUDIT_QUEUE } from '@duban/audit';
import { problemFor, PROBLEM_CONTENT_TYPE } from '@duban/http';
import { AppQueueStore } from '@duban/queues';
import { EVENTS_QUEUE, MAIL_QUEUE, WEBHOOKS_QUEUE } from '@duban/notifications';
import { UsersService } from '@duban/org';
import { TASK_MAINTENANCE_QUEUE } from '@duban/tasks';
import { TIMER_REPLANS_QUEUE, TIMERS_QUEUE } from '@duban/timers';
import type { TokenClaims } from '../auth/auth.types.js';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'duban_board';

/**
 * Bull Board over every queue, for admins only, on either queue backend (Bull Board reads
 * BullMQ's PostgreSQL backend as well as Redis; its header shows the store in use). A browser cannot send a bearer header on a page
 * load, so the first visit may carry ?access_token=…, which is kept in an HttpOnly cookie
 * limited to this path.
 */
export function mountQueueBoard(app: NestExpressApplication): void {
  const store = app.get(AppQueueStore);
  // Made by the app's QueueStore, which closes them at shutdown.
  const queues = [TIMERS_QUEUE, TIMER_REPLANS_QUEUE, EVENTS_QUEUE, WEBHOOKS_QUEUE, MAIL_QUEUE, AUDIT_QUEUE, TASK_MAINTENANCE_QUEUE].map((q) => store.queue(q.name));
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  // Bull Board's adapter is typed for Redis queues only; it reads PostgreSQL ones through the same API.
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q as unknown as Queue)), serverAdapter, options: { uiConfig: { boardTitle: 'Duban 督办 queues' } } });

  const jwt = app.get(JwtService);
  const users = app.get(UsersService);
  const refuse = (res: Response, status: 401 | 403, detail: string) =>
    res
      .status(status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify({ ...problemFor(status, detail), instance: QUEUE_BOARD_PATH }));

  app.use(QUEUE_BOARD_PATH, async (req: Request, res: Response, next: NextFunction) => {
    const header = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const query = typeof req.query.access_token === 'string' ? req.query.access_token : undefined;
    const cookie = /(?:^|;\s*)duban_board=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const token = header ?? query ?? cookie;
    if (!token) return refuse(res, 401, 'A bearer token is required.');
    let claims: TokenClaims;
    try {
      claims = await jwt.verifyAsync<TokenClaims>(token);
    } catch {
      return refuse(res, 401, 'The bearer token is invalid or has expired.');
    }
    const user = await users.findById(claims.sub).catch(() => null);
    if (!user?.roles.includes('admin')) return refuse(res, 403, 'The queue board is for admins.');
    if (query) {
      res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'strict', path: QUEUE_BOARD_PATH, secure: req.secure });
    }
    next();
  });
  app.use(QUEUE_BOARD_PATH, serverAdapter.getRouter());
}
