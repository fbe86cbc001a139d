import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AttachmentsService } from '@duban/attachments';
import { DEFAULT_TIMEZONE, LOCAL_DATE, periodBound } from '@duban/calendar';
import { RequestValidationError, uuidParam } from '@duban/http';
import { TaskImportService, TasksService } from '@duban/tasks';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import { arrayItems, isNdjson, ndjsonItems } from './import-items.js';
import type { AuthUser } from '../auth/auth.types.js';
import { AuditVerificationDto } from '../attachments/attachments.dto.js';
import { CreateTaskDto, DatedOccurrenceDoc, ImportTaskRecordDoc, TaskActionDto, TaskListDto, TaskListQuery, TaskSummaryDto, TaskViewDto } from './tasks.dto.js';

const requestId = (req: Request) => (typeof req.id === 'string' ? req.id : null);

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
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first response (24 h)' })
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateTaskDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw new RequestValidationError([{ path: 'Idempotency-Key', message: 'must be 1–200 visible ASCII characters' }]);
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
  @ApiOkResponse({ type: TaskListDto })
  list(@CurrentUser() user: AuthUser, @Query() query: TaskListQuery) {
    const { page, limit, dueFrom, dueTo, ...filter } = query;
    // A date is a local day in the bureau's zone; an instant given as `dueTo` is included.
    const dueBefore = dueTo === undefined ? undefined : LOCAL_DATE.test(dueTo) ? periodBound(dueTo, DEFAULT_TIMEZONE, true) : new Date(Date.parse(dueTo) + 1);
    return this.tasks.list(user, { ...filter, dueFrom: dueFrom === undefined ? undefined : periodBound(dueFrom, DEFAULT_TIMEZONE), dueBefore }, page, limit);
  }

  @Get('summary')
  @ApiOperation({
    summary: 'The supervisor’s desk (督办台): open tasks by primary lead department, counted by light, overdue and card',
    description:
      'Over the open tasks the caller may see. Each count is the total GET /tasks answers with primaryDepartmentId, open=true and ' +
      'the matching light, overdue=true or card.',
  })
  @ApiOkResponse({ type: TaskSummaryDto })
  summary(@CurrentUser() user: AuthUser) {
    return this.tasks.summary(user);
  }

  @Get(':id')
  @ApiOkResponse({ type: TaskViewDto })
  get(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.tasks.get(user, id);
  }

  @Post(':id/actions')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskViewDto })
  act(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() body: TaskActionDto, @Req() req: Request) {
    return this.tasks.act(user, id, body, { requestId: requestId(req) });
  }

  @Get(':id/audit')
  async audit(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    const entries = await this.tasks.auditTrail(user, id);
    return entries.map((e) => ({
      seq: e.seq,
      at: e.at.toISOString(),
      actorId: e.actorId,
      actorRole: e.actorRole,
      action: e.action,
      fromState: e.fromState,
      toState: e.toState,
      data: e.data,
      requestId: e.requestId,
      prevHash: e.prevHash,
      hash: e.hash,
    }));
  }

  @Get(':id/audit/verify')
  @ApiOperation({
    summary: 'Verify the task’s audit chain and its files',
    description: 'The first broken link, else the first file whose row or bytes no longer match the audit entry that added it.',
  })
  @ApiOkResponse({ type: AuditVerificationDto })
  verify(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.attachments.verify(user, id);
  }
}
