import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { LowercaseIds } from '@duban/http';
import { bulletinXlsx, ReportsService } from '@duban/reports';
import type { Response } from 'express';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth.types.js';

export class KpiQueryDto {
  @ApiProperty({ example: '2025-10-01T00:00:00+08:00', description: 'Start of the period (included)' })
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  from!: string;

  @ApiProperty({ example: '2025-11-01T00:00:00+08:00', description: 'End of the period (excluded)' })
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  to!: string;

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

const query = (q: KpiQueryDto) => ({ from: new Date(q.from), to: new Date(q.to), departmentId: q.departmentId, workflow: q.workflow });

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
