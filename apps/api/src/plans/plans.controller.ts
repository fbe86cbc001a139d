import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery, uuidParam } from '@duban/http';
import { PlansService } from '@duban/plans';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth.types.js';

/** Plans run to a few tens of thousands of characters; a whole year's compendium stays well inside. */
const MAX_PLAN_TEXT = 500_000;

export class PreviewPlanDto {
  @ApiProperty({ description: 'The plan as pasted: 工作要点, 实施方案, 任务分工方案…' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PLAN_TEXT)
  text!: string;

  @ApiPropertyOptional({ description: 'The plan year; read from the title when absent', example: 2023 })
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

export class ImportPlanDto extends PreviewPlanDto {
  @ApiPropertyOptional({ default: 'plan-item', description: 'Workflow of the created tasks' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{1,62}$/, { message: 'must be a workflow key' })
  workflow?: string;
}

class PreviewOwnerDto {
  @ApiProperty({ example: '市发展改革委', description: 'As written, with the city prefix inherited' }) name!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null when unresolved' }) departmentId!: string | null;
  @ApiProperty({ enum: ['lead', 'co'] }) role!: 'lead' | 'co';
}

class PreviewItemDto {
  @ApiProperty({ example: '(一)', description: 'As printed' }) number!: string;
  @ApiProperty({ type: String, nullable: true }) section!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [PreviewOwnerDto] }) owners!: PreviewOwnerDto[];
  @ApiProperty({ type: [String], format: 'uuid', description: 'County departments the item fans out to, one child task each' }) fanOut!: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '6月底前' }) dueText!: string | null;
  @ApiProperty({ type: [String] }) targets!: string[];
  @ApiProperty({ type: [String] }) warnings!: string[];
}

class UnresolvedNameDto {
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String], description: 'Numbers of the items naming it' }) items!: string[];
}

export class PlanPreviewDto {
  @ApiProperty() title!: string;
  @ApiProperty({ example: 2023 }) year!: number;
  @ApiProperty({ type: [PreviewItemDto] }) items!: PreviewItemDto[];
  @ApiProperty({ type: [String], description: 'Unit names matching no department' }) unresolved!: string[];
  @ApiProperty({ type: [UnresolvedNameDto] }) unresolvedIn!: UnresolvedNameDto[];
  @ApiProperty({ type: [String] }) warnings!: string[];
}

export class PlanImportedDto {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ description: '0 when the same plan was imported before' }) tasksCreated!: number;
}

export class PlanSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ example: 'plan-item' }) workflow!: string;
  @ApiProperty({ description: 'Items (top-level tasks)' }) itemCount!: number;
  @ApiProperty({ description: 'Tasks, counties’ shares included' }) taskCount!: number;
  @ApiProperty() closedCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class PlanListDto {
  @ApiProperty({ type: [PlanSummaryDto] }) items!: PlanSummaryDto[];
  @ApiProperty() total!: number;
}

class LightCountsDto {
  @ApiProperty() green!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() red!: number;
}

class DoneOfDto {
  @ApiProperty() done!: number;
  @ApiProperty() total!: number;
}

class PlanDepartmentDto {
  @ApiProperty({ format: 'uuid' }) departmentId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() tasks!: number;
  @ApiProperty() closed!: number;
  @ApiProperty({ type: LightCountsDto }) byLight!: LightCountsDto;
}

class PlanItemDto {
  @ApiProperty({ format: 'uuid' }) taskId!: string;
  @ApiProperty({ example: 'DB-00000123' }) ref!: string;
  @ApiProperty({ type: String, nullable: true }) number!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ enum: ['green', 'yellow', 'red'], enumName: 'Light' }) light!: 'green' | 'yellow' | 'red';
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt!: string | null;
  @ApiProperty({ description: '0–1' }) progress!: number;
  @ApiProperty({ type: DoneOfDto }) children!: DoneOfDto;
}

export class PlanRollupDto extends PlanSummaryDto {
  @ApiProperty({ description: 'Overall progress 0–1, each item counting equally' }) progress!: number;
  @ApiProperty({ type: LightCountsDto }) byLight!: LightCountsDto;
  @ApiProperty({ type: DoneOfDto, description: 'Fanned-out children done of all' }) children!: DoneOfDto;
  @ApiProperty({ type: [PlanDepartmentDto] }) byDepartment!: PlanDepartmentDto[];
  @ApiProperty({ type: [PlanItemDto] }) items!: PlanItemDto[];
}

const requestId = (req: Request) => (typeof req.id === 'string' ? req.id : null);

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
  constructor(@Inject(PlansService) private readonly plans: PlansService) {}

  @Post('import/preview')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({ summary: '预览工作要点 Preview a plan import', description: 'Admins only; nothing is saved.' })
  @ApiOkResponse({ type: PlanPreviewDto })
  preview(@Body() body: PreviewPlanDto) {
    return this.plans.preview(body.text, body.year);
  }

  @Post('import')
  @Roles('admin')
  @ApiOperation({ summary: '导入工作要点 Import a plan', description: 'Admins only: 201 when tasks were created, 200 for the same plan again.' })
  @ApiCreatedResponse({ type: PlanImportedDto })
  @ApiOkResponse({ type: PlanImportedDto })
  @ApiConflictResponse({ description: 'plan-changed, with differences, unless revise: true' })
  async import(@CurrentUser() user: AuthUser, @Body() body: ImportPlanDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const result = await this.plans.import(user, body, { requestId: requestId(req) });
    res.status(result.status);
    return result.body;
  }

  /** Scoped like tasks: only plans with a task the caller may see, counted over those tasks. */
  @Get()
  @ApiOperation({ summary: '工作要点列表 List plans' })
  @ApiOkResponse({ type: PlanListDto })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQuery) {
    return this.plans.list(user, query.page, query.limit);
  }

  /** 404 for a plan none of whose tasks the caller may see, as for an unknown plan. */
  @Get(':id')
  @ApiOperation({ summary: '工作要点进展 A plan’s roll-up' })
  @ApiOkResponse({ type: PlanRollupDto })
  @ApiNotFoundResponse({ description: 'plan-not-found' })
  get(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.plans.get(user, id);
  }
}
