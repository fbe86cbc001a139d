import { Controller, Get, HttpStatus, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { problemFor, PROBLEM_CONTENT_TYPE, Public } from '@duban/http';
import { AppRedis } from '@duban/queues';
import type { Response } from 'express';

const CHECK_TIMEOUT_MS = 1500;

@ApiTags('ops')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(TypeOrmHealthIndicator) private readonly db: TypeOrmHealthIndicator,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    /** Null without REDIS_URL: health then reports PostgreSQL alone, the only service in use. */
    @Inject(AppRedis) private readonly redis: AppRedis | null,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: '健康检查 Health' })
  @ApiOkResponse({
    description: '{status:"ok", info:{database:{status:"up"}, redis:{status:"up"}}} (redis only when REDIS_URL is set)',
    schema: {
      type: 'object',
      required: ['status', 'info'],
      properties: {
        status: { type: 'string', enum: ['ok'] },
        info: { type: 'object', additionalProperties: { type: 'object', properties: { status: { type: 'string', enum: ['up'] } } } },
      },
    },
  })
  @ApiServiceUnavailableResponse({ description: 'problem+json naming the dependency that is down' })
  async check(@Res({ passthrough: true }) res: Response): Promise<unknown> {
    try {
      // Each check runs afresh: a dependency that comes back is reported up on the next call.
      const redis = this.redis;
      return await this.health.check([
        () => this.db.pingCheck('database').withTimeout(CHECK_TIMEOUT_MS),
        ...(redis
          ? [
              () =>
                this.indicators
                  .check('redis')
                  .attempt(async () => {
                    await redis.ping();
                  })
                  .withTimeout(CHECK_TIMEOUT_MS),
            ]
          : []),
      ]);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      const body = err.getResponse() as { info?: object; error?: Record<string, unknown>; details?: object };
      const down = Object.keys(body.error ?? {});
      res.status(HttpStatus.SERVICE_UNAVAILABLE).type(PROBLEM_CONTENT_TYPE);
      return { ...problemFor(503, `Unavailable: ${down.join(', ')}`), info: body.info, error: body.error, details: body.details };
    }
  }
}
