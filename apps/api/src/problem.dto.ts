import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One invalid field of a problem: where, and one message (Chinese first, then English). */
export class FieldErrorDto {
  @ApiProperty({ example: 'dueAt', description: 'The field as the request spells it (`a.b.0.c`, a query parameter, a header)' })
  path!: string;

  @ApiProperty({ example: '须为 ISO 8601 日期时间，如 2025-10-20T17:30:00+08:00。must be an ISO 8601 date-time with an offset' })
  message!: string;
}

/**
 * Every 4xx and 5xx body (RFC 9457 problem+json). Extension members sit beside these:
 * `allowedActions` (409 action-not-allowed, stale-version, 400 action-unknown), `state`, `version`, …
 */
export class ProblemDto {
  @ApiProperty({ example: 'urn:duban:problem:action-not-allowed' }) type!: string;
  @ApiProperty({ example: 'action-not-allowed', description: 'The stable code clients match on: the last segment of `type`' }) code!: string;
  @ApiProperty({ example: 'Action not allowed in this state' }) title!: string;
  @ApiProperty({ example: 409 }) status!: number;

  @ApiPropertyOptional({ example: '任务当前为“待签收”，不能办理“办结”；当前可办理：accept。 "close" cannot be taken while the task is "dispatched".' })
  detail?: string;

  @ApiPropertyOptional({ example: '/api/v1/tasks/7d0c…/actions' }) instance?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'One entry per invalid field' }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ type: [String], description: 'What the caller may do instead (action names)' }) allowedActions?: string[];
}
