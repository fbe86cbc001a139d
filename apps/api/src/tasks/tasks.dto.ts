import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQuery, LowercaseIds } from '@duban/http';
import { RATINGS } from '@duban/tasks';

const INSTANT = { message: 'must be an ISO 8601 date-time with an offset, e.g. 2025-10-20T17:30:00+08:00' };
const WITH_OFFSET = /T.*(Z|[+-]\d{2}:?\d{2})$/;

export class CreateTaskDto {
  @ApiProperty({ example: 'hotline-ticket' })
  @Matches(/^[a-z][a-z0-9-]{0,62}$/, { message: 'must be a workflow key' })
  workflow!: string;

  @ApiProperty({ example: '关于推进政务数据共享的工作' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  body?: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @LowercaseIds()
  @IsUUID('all', { each: true })
  leadDepartmentIds!: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @LowercaseIds()
  @IsUUID('all', { each: true })
  coDepartmentIds?: string[];

  @ApiPropertyOptional({ example: '2025-12-31T17:30:00+08:00' })
  @IsOptional()
  @IsISO8601({ strict: true }, INSTANT)
  @Matches(WITH_OFFSET, INSTANT)
  dueAt?: string;

  @ApiPropertyOptional({ enum: ['normal', 'urgent'] })
  @IsOptional()
  @IsIn(['normal', 'urgent'])
  priority?: 'normal' | 'urgent';

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @LowercaseIds()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ example: '12345-20251001-0001' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  externalRef?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

export class TaskListQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) state?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @LowercaseIds() @IsUUID() departmentId?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z][a-z0-9-]{0,62}$/, { message: 'must be a workflow key' }) workflow?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ enum: ['yellow', 'red', 'none'] }) @IsOptional() @IsIn(['yellow', 'red', 'none']) card?: 'yellow' | 'red' | 'none';
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @LowercaseIds() @IsUUID() parentId?: string;
  @ApiPropertyOptional({ description: 'Part of the title' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
}

export class TaskActionDto {
  @ApiProperty({ example: 'accept' })
  @Matches(/^[a-z][a-zA-Z0-9_-]{0,62}$/, { message: 'must be an action name' })
  action!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) comment?: string;
  @ApiPropertyOptional({ enum: RATINGS }) @IsOptional() @IsIn(RATINGS) rating?: (typeof RATINGS)[number];

  @ApiPropertyOptional({ example: '2025-10-20T17:30:00+08:00' })
  @IsOptional()
  @IsISO8601({ strict: true }, INSTANT)
  @Matches(WITH_OFFSET, INSTANT)
  dueAt?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(100) progress?: number;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @LowercaseIds() @IsUUID() assigneeId?: string;
  @ApiPropertyOptional({ description: 'The version the client last saw; 409 when the task moved on' }) @IsOptional() @IsInt() @Min(1) expectedVersion?: number;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Files of this task (POST /tasks/:id/attachments) the action carries, recorded in its audit entry; 400 for any other',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @LowercaseIds()
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}
