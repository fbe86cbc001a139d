import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { DEFAULT_TIMEZONE, localParts, periodBound } from '@duban/calendar';
import { LowercaseIds, uuidParam } from '@duban/http';
import { type Bulletin, bulletinXlsx, ReportsService } from '@duban/reports';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth.types.js';

const BOUND = { message: 'must be a date (2025-10-01, a local date in Asia/Shanghai) or an ISO 8601 date-time with an offset' };
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}$|^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/;

export class KpiQueryDto {
  @ApiPropertyOptional({
    example: '2025-10-01',
    description:
      'Start of the period (included): an ISO 8601 date-time with an offset, or a date, read as the start of that day in ' +
      'Asia/Shanghai (2025-10-01 is 2025-09-30T16:00:00Z). Default: the first day of the current month there.',
  })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, BOUND)
  @IsISO8601({ strict: true }, BOUND)
  from?: string;

  @ApiPropertyOptional({
    example: '2025-11-01T00:00:00+08:00',
    description:
      'End of the period: a date-time (excluded), or a date, that whole day in Asia/Shanghai included (2025-10-31 ends at ' +
      '2025-10-31T16:00:00Z). Default: the end of the current month there.',
  })
  @IsOptional()
  @Matches(DATE_OR_INSTANT, BOUND)
  @IsISO8601({ strict: true }, BOUND)
  to?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @LowercaseIds()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({ example: 'hotline-ticket' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{1,62}$/, { message: 'must be a workflow key' })
  workflow?: string;
}

export class BulletinQueryDto extends KpiQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'xlsx'])
  format?: 'json' | 'xlsx';
}

export class TrendQueryDto {
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 36, default: 12, description: 'How many calendar months, ending with the current one' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(36)
  months = 12;

  @ApiPropertyOptional({ format: 'uuid', description: 'One primary lead department (主要牵头单位); outside the caller’s reach: 403 department-out-of-reach' })
  @IsOptional()
  @LowercaseIds()
  @IsUUID()
  departmentId?: string;

  @ApiPropertyOptional({ example: 'hotline-ticket' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{1,62}$/, { message: 'must be a workflow key' })
  workflow?: string;
}

export class TrendMonthDto {
  @ApiProperty({ example: '2026-01', description: 'The calendar month in Asia/Shanghai' }) month!: string;
  @ApiProperty({ format: 'date-time', description: 'Its first instant there (included): 2026-01 starts at 2025-12-31T16:00:00Z' }) from!: string;
  @ApiProperty({ format: 'date-time', description: 'The next month’s first instant (excluded)' }) to!: string;
  @ApiProperty({ format: 'date-time', description: 'The instant overdueOpen is counted at: `to` for a month that is over, now for the current one' })
  overdueAt!: string;
  @ApiProperty({ description: 'Tasks closed in [from, to), as closed of GET /reports/kpis for that month' }) closed!: number;
  @ApiProperty({ description: 'Of them closed on time (closedAt ≤ dueAt)' }) closedOnTime!: number;
  @ApiProperty({ type: Number, nullable: true, description: '按时办结率 closedOnTime / closed, as /reports/kpis; null when nothing was closed' })
  onTimeRate!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '满意率 (satisfied + basically satisfied) / rated among those closed, as /reports/kpis; null when none was rated',
  })
  satisfactionRate!: number | null;
  @ApiProperty({
    description:
      'Tasks overdue and open at overdueAt: created before it, due before it, and not closed at it (closedAt null or ≥ overdueAt), as ' +
      'overdueOpen of /reports/kpis at the month’s end; for the current month at now rather than at its end, which is still to come',
  })
  overdueOpen!: number;
}

export class TrendDto {
  @ApiProperty({ type: [TrendMonthDto], description: 'Oldest first, the current month last' }) months!: TrendMonthDto[];
}

export class StoredBulletinQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'xlsx'])
  format?: 'json' | 'xlsx';
}

/** The KPIs of API.md (Reports); rates are fractions 0–1, null for a zero denominator. */
export class KpisDto {
  @ApiProperty() created!: number;
  @ApiProperty() closed!: number;
  @ApiProperty() closedOnTime!: number;
  @ApiProperty({ type: Number, nullable: true }) onTimeRate!: number | null;
  @ApiProperty({ type: Number, nullable: true }) earlyRate!: number | null;
  @ApiProperty({ type: Number, nullable: true }) avgHandlingWorkingDays!: number | null;
  @ApiProperty({ type: Number, nullable: true }) acceptedOnTimeRate!: number | null;
  @ApiProperty({ type: Number, nullable: true }) satisfactionRate!: number | null;
  @ApiProperty() yellowCards!: number;
  @ApiProperty() redCards!: number;
  @ApiProperty() extensions!: number;
  @ApiProperty() returns!: number;
  @ApiProperty() overdueOpen!: number;
  @ApiProperty({ description: 'Urges (催办) in the period' }) urges!: number;
}

export class DepartmentKpisDto extends KpisDto {
  @ApiProperty({ format: 'uuid' }) departmentId!: string;
  @ApiProperty({ example: '市发展改革委' }) departmentName!: string;
  @ApiProperty({ description: '1 is best; ties share a rank' }) rank!: number;
}

export class KpiReportDto {
  @ApiProperty({ type: KpisDto }) totals!: KpisDto;
  @ApiProperty({ type: [DepartmentKpisDto] }) byDepartment!: DepartmentKpisDto[];
}

export class BulletinDto {
  @ApiProperty({ example: '2025年10月督办工作通报' }) title!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ type: [String] }) columns!: string[];
  @ApiProperty({ type: 'array', items: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }] } } }) rows!: (string | number)[][];
}

export class StoredBulletinDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** The period a query names, in the bureau's zone: a date is a local day; none, the current month. */
function query(q: KpiQueryDto, now = new Date()) {
  const { year, month } = localParts(now, DEFAULT_TIMEZONE);
  const monthStart = (m: number) => periodBound(`${m > 12 ? year + 1 : year}-${String(((m - 1) % 12) + 1).padStart(2, '0')}-01`, DEFAULT_TIMEZONE);
  return {
    from: q.from === undefined ? monthStart(month) : periodBound(q.from, DEFAULT_TIMEZONE),
    to: q.to === undefined ? monthStart(month + 1) : periodBound(q.to, DEFAULT_TIMEZONE, true),
    departmentId: q.departmentId,
    workflow: q.workflow,
  };
}

@ApiTags('reports')
@ApiBearerAuth()
// API.md: supervisors see the departments they supervise, leads their own, admins all.
@Roles('admin', 'supervisor', 'lead')
@Controller('reports')
export class ReportsController {
  constructor(@Inject(ReportsService) private readonly reports: ReportsService) {}

  /** Scoped: a supervisor reads the departments it supervises, a lead its own, an admin all; another departmentId answers 403. */
  @Get('kpis')
  @ApiOperation({ summary: '考核指标 KPIs by department' })
  @ApiOkResponse({ type: KpiReportDto })
  kpis(@CurrentUser() user: AuthUser, @Query() q: KpiQueryDto) {
    return this.reports.kpis(query(q), user);
  }

  @Get('bulletin')
  @ApiOperation({ summary: '通报 The ranking bulletin', description: 'JSON, or an XLSX file with format=xlsx.' })
  @ApiProduces('application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ type: BulletinDto })
  async bulletin(@CurrentUser() user: AuthUser, @Query() q: BulletinQueryDto, @Res({ passthrough: true }) res: Response) {
    const bulletin = await this.reports.bulletin(query(q), user);
    if (q.format !== 'xlsx') return bulletin;
    await sendXlsx(res, bulletin);
  }

  /**
   * 按时办结率, 满意率 and overdueOpen by month, for the last `months` calendar months in
   * Asia/Shanghai, the current one last. Rates as /reports/kpis; overdueOpen at each month's end
   * (the current month: now). Scoped as /reports/kpis; another departmentId answers 403.
   */
  @Get('trend')
  @ApiOperation({
    summary: '月度趋势 KPI trend by month',
    description:
      'The totals over the departments the caller may read (supervisors those they supervise, leads their own, admins all), one entry per ' +
      'Asia/Shanghai calendar month ending with the current one. closed, onTimeRate and satisfactionRate are those of GET /reports/kpis ' +
      'for the month; overdueOpen counts the tasks created before overdueAt, due before it and not closed at it (closedAt null or ≥ it), ' +
      'where overdueAt is the month’s end, or now for the current month.',
  })
  @ApiOkResponse({ type: TrendDto })
  @ApiForbiddenResponse({ description: 'department-out-of-reach' })
  async trend(@CurrentUser() user: AuthUser, @Query() q: TrendQueryDto): Promise<TrendDto> {
    return { months: await this.reports.trend({ months: q.months, now: new Date(), departmentId: q.departmentId, workflow: q.workflow }, user) };
  }

  @Get('bulletins')
  @ApiOperation({ summary: '已发布通报 Stored monthly bulletins' })
  @ApiOkResponse({ type: [StoredBulletinDto] })
  published() {
    return this.reports.storedBulletins();
  }

  @Get('bulletins/:id')
  @ApiOperation({
    summary: '已发布通报下载 A stored monthly bulletin',
    description:
      'As it was published (its figures then, not today’s, ranks among all departments): JSON, or the XLSX file with format=xlsx. Scoped as ' +
      'GET /reports/bulletin: the rows of the departments the caller may read (supervisors those they supervise, leads their own, admins all).',
  })
  @ApiProduces('application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ type: BulletinDto })
  @ApiNotFoundResponse({ description: 'bulletin-not-found' })
  async stored(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Query() q: StoredBulletinQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Bulletin | undefined> {
    const bulletin = await this.reports.storedBulletin(id, user);
    if (q.format !== 'xlsx') return bulletin;
    await sendXlsx(res, bulletin);
  }
}

async function sendXlsx(res: Response, bulletin: Bulletin): Promise<void> {
  res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${bulletin.title}.xlsx`)}`);
  res.end(await bulletinXlsx(bulletin));
}
