import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
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
  kpis(@CurrentUser() user: AuthUser, @Query() q: KpiQueryDto) {
    return this.reports.kpis(query(q), user);
  }

  @Get('bulletin')
  async bulletin(@CurrentUser() user: AuthUser, @Query() q: BulletinQueryDto, @Res({ passthrough: true }) res: Response) {
    const bulletin = await this.reports.bulletin(query(q), user);
    if (q.format !== 'xlsx') return bulletin;
    res.setHeader('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${bulletin.title}.xlsx`)}`);
    res.end(await bulletinXlsx(bulletin));
  }

  @Get('bulletins')
  published() {
    return this.reports.storedBulletins();
  }
}
