import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AttachmentsService } from '@duban/attachments';
import { DEFAULT_TIMEZONE, LOCAL_DATE, periodBound } from '@duban/calendar';
import { RequestValidationError, uuidParam } from '@duban/http';
import { TaskImportService, TasksService } from '@duban/tasks';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import { arrayItems, isNdjson, ndjsonItems } from './import-items.js';
import type { AuthUser } from '../auth/auth.types.js';
import { AuditVerificationDto } from '../attachments/attachments.dto.js';
import {
  AuditEntryDto,
  CreateTaskDto,
  DatedOccurrenceDoc,
  ImportResultDto,
  ImportTaskRecordDoc,
  TaskActionDto,
  TaskListDto,
  TaskListQuery,
  TaskSummaryDto,
  TaskViewDto,
} from './tasks.dto.js';

const requestId = (req: Request) => (typeof req.id === 'string' ? req.id : null);

/** A list filter's lower bound: a date is the start of that local day in the bureau's zone. */
const lowerBound = (bound: string | undefined) => (bound === undefined ? undefined : periodBound(bound, DEFAULT_TIMEZONE));

/** The exclusive end of an upper bound given as included: a date's whole local day, an instant's millisecond. */
const upperBound = (bound: string | undefined) =>
  bound === undefined ? undefined : LOCAL_DATE.test(bound) ? periodBound(bound, DEFAULT_TIMEZONE, true) : new Date(Date.parse(bound) + 1);

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(
    @Inject(TasksService) private readonly tasks: TasksService,
    @Inject(TaskImportService) private readonly imports: TaskImportService,
    @Inject(AttachmentsService) private readonly attachments: AttachmentsService,
  ) {}

  @Post('import')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: '导入历史任务 Import historical tasks', description: 'Admins only. Recorded in each task’s audit as imported.' })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiConsumes('application/json', 'application/x-ndjson')
  @ApiExtraModels(DatedOccurrenceDoc)
  @ApiBody({
    type: ImportTaskRecordDoc,
    isArray: true,
    description:
      'Historical tasks: a JSON array (all or nothing) or NDJSON, one record a line (each bad record rejected alone). ' +
      'Paused time counts toward on time: a record’s due date in force is its dueAt moved on by pausedWorkingMs of working time; ' +
      'a record in a paused state carries pausedSince. Answers {imported, skipped, rejected:[{index, errors}]}.',
  })
  import(@CurrentUser() user: AuthUser, @Req() req: Request) {
    const ctx = { requestId: requestId(req) };
    // NDJSON streams and rejects record by record; a JSON array is all or nothing.
    return isNdjson(req) ? this.imports.import(user, ndjsonItems(req), ctx) : this.imports.importAll(user, arrayItems(req), ctx);
  }

  @Post()
  @ApiOperation({ summary: '交办任务 Create a task', description: 'By admins, or supervisors for the departments they supervise.' })
  @ApiCreatedResponse({ type: TaskViewDto })
  @ApiForbiddenResponse({ description: 'create-forbidden, co-owners-forbidden' })
  @ApiConflictResponse({ description: 'duplicate-external-ref' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first response (24 h)' })
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateTaskDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw new RequestValidationError([{ path: 'Idempotency-Key', message: '须为 1–200 个可见 ASCII 字符。Must be 1–200 visible ASCII characters.' }]);
    }
    const result = await this.tasks.create(
      user,
      { ...body, dueAt: body.dueAt ? new Date(body.dueAt) : undefined },
      { requestId: requestId(req) },
      idempotencyKey,
    );
    res.status(result.status);
    return result.body;
  }

  @Get()
  @ApiOperation({ summary: '任务列表 List tasks', description: 'The tasks the caller may see, newest first, one page.' })
  @ApiOkResponse({ type: TaskListDto })
  list(@CurrentUser() user: AuthUser, @Query() query: TaskListQuery) {
    const { page, limit, dueFrom, dueTo, createdFrom, createdTo, closedFrom, closedTo, ...filter } = query;
    return this.tasks.list(
      user,
      {
        ...filter,
        dueFrom: lowerBound(dueFrom),
        dueBefore: upperBound(dueTo),
        createdFrom: lowerBound(createdFrom),
        createdBefore: upperBound(createdTo),
        closedFrom: lowerBound(closedFrom),
        closedBefore: upperBound(closedTo),
      },
      page,
      limit,
    );
  }

  @Get('summary')
  @ApiOperation({
    summary: '督办台统计 The supervisor’s desk: open tasks by primary lead department, counted by light, overdue and card',
    description:
      'Over the open tasks the caller may see. Each count is the total GET /tasks answers with primaryDepartmentId, open=true and ' +
      'the matching light, overdue=true or card.',
  })
  @ApiOkResponse({ type: TaskSummaryDto })
  summary(@CurrentUser() user: AuthUser) {
    return this.tasks.summary(user);
  }

  @Get(':id')
  @ApiOperation({ summary: '任务详情 Get a task' })
  @ApiOkResponse({ type: TaskViewDto })
  @ApiNotFoundResponse({ description: 'task-not-found: no such task, or not the caller’s to see' })
  get(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.tasks.get(user, id);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @ApiOperation({
    summary: '办理任务 Take an action',
    description: 'A transition of the task’s workflow or a built-in act (urge, card, withdraw-card); answers the task as it is now.',
  })
  @ApiOkResponse({ type: TaskViewDto })
  @ApiBadRequestResponse({ description: 'validation (a required input missing, named in errors), action-unknown (no such action; lists allowedActions)' })
  @ApiForbiddenResponse({ description: 'action-forbidden: the caller’s roles may not take it' })
  @ApiNotFoundResponse({ description: 'task-not-found' })
  @ApiConflictResponse({ description: 'action-not-allowed (lists allowedActions), stale-version, action-limit-reached, action-outside-window' })
  act(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() body: TaskActionDto, @Req() req: Request) {
    return this.tasks.act(user, id, body, { requestId: requestId(req) });
  }

  @Get(':id/audit')
  @ApiOperation({ summary: '办理记录 The task’s audit trail', description: 'In seq order, creation first; with actor names and labels for the timeline.' })
  @ApiOkResponse({ type: [AuditEntryDto] })
  @ApiNotFoundResponse({ description: 'task-not-found' })
  audit(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.tasks.auditTrail(user, id);
  }

  @Get(':id/audit/verify')
  @ApiOperation({
    summary: '校验办理记录 Verify the task’s audit chain and its files',
    description: 'The first broken link, else the first file whose row or bytes no longer match the audit entry that added it.',
  })
  @ApiOkResponse({ type: AuditVerificationDto })
  verify(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.attachments.verify(user, id);
  }
}
