import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { DEFAULT_TIMEZONE, localParts, periodBound } from '@duban/calendar';
import { LowercaseIds } from '@duban/http';
import { bulletinXlsx, ReportsService } from '@duban/reports';
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
    res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${bulletin.title}.xlsx`)}`);
    res.end(await bulletinXlsx(bulletin));
  }

  @Get('bulletins')
  @ApiOperation({ summary: '已发布通报 Stored monthly bulletins' })
  @ApiOkResponse({ type: [StoredBulletinDto] })
  published() {
    return this.reports.storedBulletins();
  }
}
