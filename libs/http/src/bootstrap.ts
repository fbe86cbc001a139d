import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { httpMetrics, MetricsRegistry } from './metrics.js';
import { ProblemFilter } from './problem.js';
import { createValidationPipe } from './validation.js';

export interface HttpAppOptions {
  bodyLimit: string;
  trustProxy?: string;
}

/** What every Duban HTTP listener shares: logs, security headers, body limits, errors, shutdown. */
export function configureHttpApp(app: NestExpressApplication, options: HttpAppOptions): void {
  app.useLogger(app.get(Logger));
  app.flushLogs();
  if (options.trustProxy) app.set('trust proxy', options.trustProxy);
  app.disable('x-powered-by');
  app.use(httpMetrics(app.get(MetricsRegistry)));
  app.use(helmet());
  app.useBodyParser('json', { limit: options.bodyLimit });
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
}
