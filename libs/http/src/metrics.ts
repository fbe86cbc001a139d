import { Controller, Get, Header, Inject, Injectable, Module } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { Public } from './public.decorator.js';

/** One registry per application instance, so that two apps in one process never collide. */
@Injectable()
export class MetricsRegistry extends Registry {
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor() {
    super();
    collectDefaultMetrics({ register: this });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this],
    });
  }
}

/** Times every request, matched or not, under its route template. */
export function httpMetrics(registry: MetricsRegistry) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const stop = registry.httpDuration.startTimer();
    res.once('finish', () => {
      // The route template, not the URL: /tasks/:id is one series, not one per task.
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const template = routePath !== undefined ? `${req.baseUrl}${routePath}` : undefined;
      // Nest answers unknown paths through a catch-all route; those are not a route of ours.
      const route = template === undefined || template.includes('*') ? 'unmatched' : template;
      stop({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}

@Controller('metrics')
export class MetricsController {
  constructor(@Inject(MetricsRegistry) private readonly registry: MetricsRegistry) {}

  @Public()
  @Get()
  @ApiOperation({ summary: '监控指标 Prometheus metrics' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ schema: { type: 'string' } })
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

/** GET /metrics (Prometheus text) at the root of the listener. */
@Module({ providers: [MetricsRegistry], controllers: [MetricsController], exports: [MetricsRegistry] })
export class MetricsModule {}
