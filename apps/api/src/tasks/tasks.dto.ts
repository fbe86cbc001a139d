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
  ValidateNested,
} from 'class-validator';
import { PageQuery, LowercaseIds } from '@duban/http';
import { CARDS, REQUIRABLE_INPUTS } from '@duban/engine';
import { RATINGS, TASK_SORTS, type TaskSort } from '@duban/tasks';
import { FieldErrorDto } from '../problem.dto.js';

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

  @ApiPropertyOptional({ enum: ['normal', 'urgent'], enumName: 'Priority' })
  @IsOptional()
  @IsIn(['normal', 'urgent'])
  priority?: 'normal' | 'urgent';

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Makes the task a child (分解/转办) of this one: a lead of its lead department may name departments below its own ' +
      '(403 split-outside-department otherwise; a handler of the parent: 403 split-forbidden), as admins and supervisors may name theirs. ' +
      'The child is due by the parent’s due date unless dueAt says earlier (later: 400 child-due-after-parent); a closed parent: 409 parent-closed',
  })
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

const BOOLEAN = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const BOUND = { message: 'must be a date (2025-10-01, a local date in Asia/Shanghai) or an ISO 8601 date-time with an offset' };
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}$|^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/;

export class TaskListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'A state key; none: all states' }) @IsOptional() @IsString() @MaxLength(64) state?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true: open tasks only (not closed); false: closed ones only' })
  @IsOptional()
  @Transform(BOOLEAN)
  @IsBoolean({ message: 'must be true or false' })
  open?: boolean;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The department’s list: tasks it owns, as a lead or a co-unit, and the child tasks split off tasks it leads (分解), which it supervises',
  })
  @IsOptional()
  @LowercaseIds()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Tasks whose primary lead department (主要牵头单位, the first lead) is this: how reports and GET /tasks/summary count a task',
  })
  @IsOptional()
  @LowercaseIds()
  @IsUUID()
  primaryDepartmentId?: string;

  @ApiPropertyOptional({ description: 'A workflow key' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,62}$/, { message: 'must be a workflow key' })
  workflow?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true: open, not paused and past the due date; false: the others' })
  @IsOptional()
  @Transform(BOOLEAN)
  @IsBoolean({ message: 'must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ enum: ['yellow', 'red', 'none'], description: 'The card out on the task (黄牌/红牌), or none' })
  @IsOptional()
  @IsIn(['yellow', 'red', 'none'])
  card?: 'yellow' | 'red' | 'none';

  @ApiPropertyOptional({
    enum: ['green', 'yellow', 'red'],
    description:
      'The light (红黄绿灯) as each item shows it now: red = red card or overdue; yellow = yellow card, or less than a fifth of the ' +
      'working time allowed left; green = the others',
  })
  @IsOptional()
  @IsIn(['green', 'yellow', 'red'])
  light?: 'green' | 'yellow' | 'red';

  @ApiPropertyOptional({ type: Boolean, description: 'true: escalated (督办, escalationLevel > 0); false: not escalated' })
  @IsOptional()
  @Transform(BOOLEAN)
  @IsBoolean({ message: 'must be true or false' })
  escalated?: boolean;

  @ApiPropertyOptional({
    example: '2025-10-01',
    description: 'Due on or after: an ISO 8601 date-time with an offset, or a date (the start of that day in Asia/Shanghai)',
  })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, BOUND)
  @IsISO8601({ strict: true }, BOUND)
  dueFrom?: string;

  @ApiPropertyOptional({
    example: '2025-10-31',
    description: 'Due on or before: an ISO 8601 date-time with an offset, or a date (that whole day in Asia/Shanghai included)',
  })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, BOUND)
  @IsISO8601({ strict: true }, BOUND)
  dueTo?: string;

  @ApiPropertyOptional({
    example: '2025-10-01',
    description:
      'Created on or after: an ISO 8601 date-time with an offset, or a date (the start of that day in Asia/Shanghai). With createdTo, ' +
      'the tasks GET /reports/kpis counts as created in that period',
  })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, BOUND)
  @IsISO8601({ strict: true }, BOUND)
  createdFrom?: string;

  @ApiPropertyOptional({
    example: '2025-10-31',
    description: 'Created on or before: an ISO 8601 date-time with an offset (included), or a date (that whole day in Asia/Shanghai included)',
  })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, BOUND)
  @IsISO8601({ strict: true }, BOUND)
  createdTo?: string;

  @ApiPropertyOptional({
    example: '2025-10-01',
    description:
      'Closed on or after: an ISO 8601 date-time with an offset, or a date (the start of that day in Asia/Shanghai). With closedTo, ' +
      'the tasks GET /reports/kpis and /reports/trend count as closed in that period (按时办结率 and 满意率 are over them)',
  })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, BOUND)
  @IsISO8601({ strict: true }, BOUND)
  closedFrom?: string;

  @ApiPropertyOptional({
    example: '2025-10-31',
    description: 'Closed on or before: an ISO 8601 date-time with an offset (included), or a date (that whole day in Asia/Shanghai included)',
  })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, BOUND)
  @IsISO8601({ strict: true }, BOUND)
  closedTo?: string;

  @ApiPropertyOptional({
    enum: ['me'],
    description:
      '待我审批: open tasks waiting on the caller as a supervisor of their lead department, their creator or an admin: in a state ' +
      'whose transitions only such roles may take (an extension request, a submission for review, a returned ticket, a reply to rate)',
  })
  @IsOptional()
  @IsIn(['me'])
  awaiting?: 'me';

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @LowercaseIds() @IsUUID() parentId?: string;

  @ApiPropertyOptional({
    example: 'DB-00000123',
    description: 'Part of the title, or a ref: DB-00000123, 00000123 and 123 all find DB-00000123 (besides titles containing 123)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    enum: TASK_SORTS,
    description:
      'Order: dueAt (soonest due first), -dueAt (latest first), urgency (red, then yellow, then green, each soonest due first; the ' +
      '/work default). None: newest first. Tasks without a due date come last.',
  })
  @IsOptional()
  @IsIn(TASK_SORTS)
  sort?: TaskSort;
}

/** One department's row on the supervisor's desk (督办台). */
export class DepartmentSummaryDto {
  @ApiProperty({ format: 'uuid', description: 'The primary lead department (主要牵头单位) the tasks are counted for' }) departmentId!: string;
  @ApiProperty({ example: '市政务服务数据管理局' }) departmentName!: string;
  @ApiProperty({ description: 'Open tasks (GET /tasks?primaryDepartmentId=…&open=true answers this total)' }) open!: number;
  @ApiProperty({ description: 'Of them green (…&open=true&light=green)' }) green!: number;
  @ApiProperty({ description: 'Of them yellow (…&open=true&light=yellow)' }) yellow!: number;
  @ApiProperty({ description: 'Of them red (…&open=true&light=red)' }) red!: number;
  @ApiProperty({ description: 'Of them overdue (…&open=true&overdue=true)' }) overdue!: number;
  @ApiProperty({ description: 'Of them with a yellow card out (…&open=true&card=yellow)' }) yellowCards!: number;
  @ApiProperty({ description: 'Of them with a red card out (…&open=true&card=red)' }) redCards!: number;
}

/** The same counts over every row. */
export class SummaryTotalsDto {
  @ApiProperty() open!: number;
  @ApiProperty() green!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() red!: number;
  @ApiProperty() overdue!: number;
  @ApiProperty() yellowCards!: number;
  @ApiProperty() redCards!: number;
}

export class TaskSummaryDto {
  @ApiProperty({
    type: [DepartmentSummaryDto],
    description:
      'By primary lead department, most red first: the departments with open tasks in the caller’s scope, and every department ' +
      'a supervisor supervises or a lead works in, with zeros when nothing is open',
  })
  items!: DepartmentSummaryDto[];

  @ApiProperty({ type: SummaryTotalsDto, description: 'Sums over items' }) totals!: SummaryTotalsDto;
}

/** The contact person a reply letter names (联系人：谢迪生，联系电话：13631094784). */
export class ReplyContactDto {
  @ApiProperty({ example: '谢迪生', description: 'The contact person (联系人)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ example: '13631094784', description: 'Their phone (联系电话): digits, with spaces, + - ( ) or 转 for an extension' })
  @IsString()
  @Matches(/^(?=.*\d)[\d +()（）\-－转,，、/]{3,40}$/, { message: 'must be a phone number: digits, with spaces, + - ( ) or 转 for an extension' })
  phone!: string;
}

export class TaskActionDto {
  @ApiProperty({
    example: 'accept',
    description:
      'A transition of the task’s workflow, or a built-in act of every workflow: urge (催办; supervisors, the creator, admins; ' +
      '409 urged-recently within 10 minutes of the same user’s last urge), card (亮牌; supervisors, admins; only upwards, else 409 card-not-higher), ' +
      'withdraw-card (撤销亮牌; admins)',
  })
  @Matches(/^[a-z][a-zA-Z0-9_-]{0,62}$/, { message: 'must be an action name' })
  action!: string;

  @ApiPropertyOptional({ enum: CARDS, description: 'The card given by hand (action "card"): yellow, then red; no other action takes it' })
  @IsOptional()
  @IsIn(CARDS)
  card?: (typeof CARDS)[number];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) comment?: string;
  @ApiPropertyOptional({ enum: RATINGS }) @IsOptional() @IsIn(RATINGS) rating?: (typeof RATINGS)[number];

  @ApiPropertyOptional({
    example: '2025-10-20T17:30:00+08:00',
    description:
      'The new due date of an extension, or the date a request for one asks for (request-extension: required, recorded as the task’s ' +
      'requestedDueAt, the due date stays); in the future, and no further than the transition’s maxExtension past the due date in force ' +
      '(hotline request- and approve-extension: 10wde), else 400 extension-too-long naming dueAt. approve-extension without it grants the requested date',
  })
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
    description:
      'Files of this task (POST /tasks/:id/attachments) the action carries, recorded in its audit entry; 400 for any other. ' +
      'A transition that requires attachment wants at least one (proposal-reply reply: the signed reply letter)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @LowercaseIds()
  @IsUUID('all', { each: true })
  attachmentIds?: string[];

  @ApiPropertyOptional({
    type: ReplyContactDto,
    description:
      'The contact person and phone a reply letter names; required by a transition that requires contact (proposal-reply reply: 答复代表), ' +
      'refused by any other; recorded in the audit entry',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReplyContactDto)
  contact?: ReplyContactDto;

  @ApiPropertyOptional({
    type: [String],
    example: ['市政协提案委', '市政府督查室', '市发展改革局'],
    description:
      'The units a reply letter is copied to (抄送), by name as the letter prints them (some are outside the system); required (at least one) ' +
      'by a transition that requires cc, refused by any other; recorded in the audit entry',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  cc?: string[];
}

export class TaskOwnerDto {
  @ApiProperty({ format: 'uuid' }) departmentId!: string;
  @ApiProperty({ enum: ['lead', 'co'], description: 'lead 主办, co 协办' }) role!: 'lead' | 'co';
  @ApiProperty({ example: '市发展改革委' }) departmentName!: string;
}

/** An action the caller may take now: the button and the inputs of its form. */
export class TaskActionViewDto {
  @ApiProperty({ example: 'request-extension' }) action!: string;
  @ApiProperty({ example: '申请延期', description: 'The transition’s label (default: the action), or the built-in act’s (催办, 亮牌, 撤销亮牌)' })
  label!: string;

  @ApiProperty({
    type: [String],
    enum: [...REQUIRABLE_INPUTS, 'card'],
    example: ['comment'],
    description: 'Inputs the form must ask for: comment, rating, dueAt, progress, assignee (sent as assigneeId); card (the colour) for 亮牌',
  })
  requires!: string[];
}

/** The working time left until the due date, as UI.md words it. */
export class TaskTimeLeftDto {
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ example: 2, description: 'Whole working days left, or past the due date when overdue' }) workingDays!: number;
  @ApiProperty({ example: '剩余 2 个工作日' }) words!: string;
}

export class CalendarWarningDto {
  @ApiProperty({ enum: ['calendar-year-missing'] }) code!: 'calendar-year-missing';
  @ApiProperty({ type: [Number], example: [2027], description: 'Years between creation and due date without a holiday schedule' }) missingYears!: number[];
  @ApiProperty({ example: '期限跨越了工作日历尚无节假日安排的年份（2027年），其间节假日按工作日计算，期限可能不准确。' }) message!: string;
}

/** A co-unit's opinion (会办意见) on a task. */
export class CoOpinionDto {
  @ApiProperty({ format: 'uuid' }) departmentId!: string;
  @ApiProperty({ example: '市发展和改革局' }) departmentName!: string;
  @ApiProperty({ format: 'date-time', description: 'When the co-unit gave it (its latest, when it gave more than one)' }) at!: string;
  @ApiProperty({ example: '同意主办单位答复意见。' }) comment!: string;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Files of the task it came with' }) attachmentIds!: string[];
}

/** The task a child was split from (分解). */
export class ParentRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'DB-00000042' }) ref!: string;
  @ApiProperty({ example: '推进政务服务“一网通办”' }) title!: string;
}

/** A task's children (分解给下级单位) at a glance. */
export class ChildrenSummaryDto {
  @ApiProperty({ description: 'Child tasks (parentId = this task), open or closed' }) total!: number;
  @ApiProperty({ description: 'Children not closed yet' }) open!: number;
  @ApiProperty({ description: 'Open children whose light is green (green + yellow + red = open)' }) green!: number;
  @ApiProperty({ description: 'Open children whose light is yellow' }) yellow!: number;
  @ApiProperty({ description: 'Open children whose light is red' }) red!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 100,
    description: 'Mean progress of the children in whole percent, a closed child counting 100 and one never reported 0; null without children',
  })
  progress!: number | null;
}

/** A task as GET /tasks/:id, the list and an action answer it (API.md "Tasks"). */
export class TaskViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'DB-00000123' }) ref!: string;
  @ApiProperty({ example: 'hotline-ticket' }) workflow!: string;
  @ApiProperty() workflowVersion!: number;
  @ApiProperty({ example: '12345热线工单' }) workflowName!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: String, nullable: true }) body!: string | null;
  @ApiProperty({ example: 'assigned' }) state!: string;
  @ApiProperty({ example: '待签收', description: 'The state’s label in the task’s workflow version' }) stateLabel!: string;
  @ApiProperty({ type: [TaskOwnerDto] }) owners!: TaskOwnerDto[];

  @ApiProperty({
    type: [CoOpinionDto],
    description:
      'The co-units (owners with role co, 会办单位) that have sent their opinion, oldest first; a co-unit not listed has not. ' +
      'A co-unit gives it by the definition’s coOpinions.action (proposal-reply: co-opinion)',
  })
  coOpinions!: CoOpinionDto[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentId!: string | null;

  @ApiProperty({ type: ParentRefDto, nullable: true, description: 'The task this one was split from (分解), by number and title; null without a parent' })
  parent!: ParentRefDto | null;

  @ApiProperty({ type: ChildrenSummaryDto, description: 'Its child tasks: how many, how many open, the lights of the open ones and their mean progress' })
  children!: ChildrenSummaryDto;

  @ApiProperty({ type: String, nullable: true }) externalRef!: string | null;
  @ApiProperty({ enum: ['normal', 'urgent'], enumName: 'Priority' }) priority!: 'normal' | 'urgent';
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) assigneeId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '张三', description: 'The assignee’s display name' }) assigneeName!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt!: string | null;

  @ApiProperty({ type: TaskTimeLeftDto, nullable: true, description: 'Null without a due date, once closed, or while the clock is paused' })
  timeLeft!: TaskTimeLeftDto | null;

  @ApiProperty({ example: 'Asia/Shanghai', description: 'The IANA zone of the task’s calendar: show its dates in it' }) timezone!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'The due date a pending extension request asks for (request-extension), which approve-extension grants unless it gives its own; null when none',
  })
  requestedDueAt!: string | null;

  @ApiProperty({
    type: CalendarWarningDto,
    nullable: true,
    description: "Set when the working time from creation to the due date crosses a year the task's calendar has no holiday schedule for; null otherwise",
  })
  calendarWarning!: CalendarWarningDto | null;

  @ApiProperty() overdue!: boolean;
  @ApiProperty({ enum: ['yellow', 'red'], enumName: 'Card', nullable: true, description: '黄牌 / 红牌' }) card!: 'yellow' | 'red' | null;
  @ApiProperty({ enum: ['green', 'yellow', 'red'], enumName: 'Light', description: '红黄绿灯' }) light!: 'green' | 'yellow' | 'red';
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 100 }) progress!: number | null;
  @ApiProperty() escalationLevel!: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [String], description: 'Action names this caller may take now' }) allowedActions!: string[];
  @ApiProperty({ type: [TaskActionViewDto], description: 'allowedActions in the same order, with labels and required inputs' }) actions!: TaskActionViewDto[];
  @ApiProperty({
    description:
      'Whether this caller may split the task now (分解: POST /tasks with parentId, to departments below its own): a lead of an open task’s lead department',
  })
  canSplit!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt!: string | null;
}

export class TaskListDto {
  @ApiProperty({ type: [TaskViewDto] }) items!: TaskViewDto[];
  @ApiProperty({ description: 'All tasks matching, over every page' }) total!: number;
}

/** One link of a task's audit chain, with names and labels for the timeline. */
export class AuditEntryDto {
  @ApiProperty({ example: 1 }) seq!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for the system (timers, calendar changes)' }) actorId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '张三' }) actorName!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '市发展改革委' }) actorDepartmentName!: string | null;
  @ApiProperty({ example: 'owner', description: 'The actor’s task roles, comma-separated, or system' }) actorRole!: string;
  @ApiProperty({ example: 'accept' }) action!: string;
  @ApiProperty({ example: '签收', description: 'Transition or built-in act label, or a word for what the system did (创建, 导入, 到期提醒, 升级督办…)' })
  actionLabel!: string;

  @ApiProperty({ type: String, nullable: true }) fromState!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '待签收' }) fromStateLabel!: string | null;
  @ApiProperty({ type: String, nullable: true }) toState!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '办理中' }) toStateLabel!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'comment, progress, dueAt, attachments…' }) data!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty() prevHash!: string;
  @ApiProperty() hash!: string;
}

class ImportRejectionDto {
  @ApiProperty({ description: 'The record’s index (0-based; line for NDJSON)' }) index!: number;
  @ApiProperty({ type: [FieldErrorDto] }) errors!: FieldErrorDto[];
}

export class ImportResultDto {
  @ApiProperty() imported!: number;
  @ApiProperty({ description: 'Records whose externalRef exists already' }) skipped!: number;
  @ApiProperty({ type: [ImportRejectionDto] }) rejected!: ImportRejectionDto[];
}

/** A dated occurrence in an imported record (an extension, a return). */
export class DatedOccurrenceDoc {
  @ApiProperty({ example: '2025-10-14T10:00:00+08:00' }) at!: string;
}

/** A card in an imported record. */
class ImportedCardDoc {
  @ApiProperty({ enum: ['yellow', 'red'] }) color!: 'yellow' | 'red';
  @ApiProperty({ example: '2025-10-15T08:30:00+08:00' }) at!: string;
}

/**
 * One record of POST /tasks/import, for the OpenAPI document: the service reads records one by
 * one (TaskImportService, history-record.ts) and answers each problem with its path.
 */
export class ImportTaskRecordDoc {
  @ApiProperty({ example: 'hotline-ticket' }) workflow!: string;
  @ApiProperty({ example: '反映小区路灯不亮' }) title!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) leadDepartmentIds!: string[];
  @ApiPropertyOptional({ type: [String], format: 'uuid' }) coDepartmentIds?: string[];
  @ApiPropertyOptional({ example: '12345-20251009-0001', description: 'Re-importing the same externalRef does not duplicate the task' })
  externalRef?: string;

  @ApiProperty({ example: '2025-10-09T09:00:00+08:00' }) createdAt!: string;
  @ApiPropertyOptional({ example: '2025-10-09T09:30:00+08:00' }) acceptedAt?: string;

  @ApiProperty({
    example: '2025-10-16T23:59:59.999+08:00',
    description:
      'The due date as it was set (at creation or by the last extension), before any suspension moved it. The due date in force, ' +
      'which the task is judged against (overdue, closed on time, closed early, its timers), is this date moved on by pausedWorkingMs ' +
      'of working time on the workflow’s calendar; GET /tasks/:id shows that one.',
  })
  dueAt!: string;

  @ApiPropertyOptional({ example: '2025-10-17T16:00:00+08:00', description: 'Required for a task in a final state, refused otherwise' })
  closedAt?: string;

  @ApiProperty({ example: 'processing', description: 'A state of the workflow' }) state!: string;
  @ApiPropertyOptional({ enum: ['normal', 'urgent'] }) priority?: 'normal' | 'urgent';
  @ApiPropertyOptional({ enum: RATINGS }) rating?: (typeof RATINGS)[number];

  @ApiPropertyOptional({
    example: 37_800_000,
    minimum: 0,
    description:
      'Working time (ms) the clock was paused (挂起) in suspensions that ended. It counts toward on time: the due date in force is ' +
      'dueAt moved on by it, as a live task’s due date moves when it is resumed; handling time is counted without it. ' +
      'A suspension still running is not in it: give pausedSince.',
  })
  pausedWorkingMs?: number;

  @ApiPropertyOptional({
    example: '2025-10-20T10:00:00+08:00',
    description:
      'Required for a task imported in a paused state (pauseClock, e.g. suspended), refused otherwise: when its clock stopped. ' +
      'Resuming the task moves its due date on by the working time paused since then.',
  })
  pausedSince?: string;

  @ApiPropertyOptional({
    description: 'A count (dated at createdAt) or a list of {at}',
    oneOf: [{ type: 'integer' }, { type: 'array', items: { $ref: '#/components/schemas/DatedOccurrenceDoc' } }],
  })
  extensions?: number | DatedOccurrenceDoc[];

  @ApiPropertyOptional({
    description: 'true, a count or a list of {at} (退单)',
    oneOf: [{ type: 'boolean' }, { type: 'integer' }, { type: 'array', items: { $ref: '#/components/schemas/DatedOccurrenceDoc' } }],
  })
  returned?: boolean | number | DatedOccurrenceDoc[];

  @ApiPropertyOptional({ type: [ImportedCardDoc], description: 'The task’s cards are exactly these' })
  cards?: ImportedCardDoc[];
}
