import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery, uuidParam } from '@duban/http';
import { PlansService } from '@duban/plans';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth.types.js';
import { ProblemDto } from '../problem.dto.js';

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

  @ApiPropertyOptional({
    description:
      'For a plan of this title and year imported before: apply the differences (items added, removed, changed); ' +
      'without it a changed plan answers 409 plan-changed',
  })
  @IsOptional()
  @IsBoolean()
  revise?: boolean;
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

const CHANGE_FIELDS = ['leads', 'cos', 'fanOut', 'dueAt', 'title', 'body'];

class PlanFieldChangeDto {
  @ApiProperty({
    enum: CHANGE_FIELDS,
    enumName: 'PlanChangeField',
    description: 'leads 牵头单位, cos 配合单位, fanOut 分解到的县区, dueAt 完成时限, title, body',
  })
  field!: 'leads' | 'cos' | 'fanOut' | 'dueAt' | 'title' | 'body';
  @ApiProperty({ type: String, nullable: true, description: 'Before: unit names joined with 、, an ISO instant for dueAt; null for none' }) from!:
    string | null;
  @ApiProperty({ type: String, nullable: true, description: 'After, as from' }) to!: string | null;
}

class PlanAddedItemDto {
  @ApiProperty({ description: 'Position in the preview’s items' }) index!: number;
  @ApiProperty({ example: '(四十二)' }) number!: string;
  @ApiProperty() title!: string;
}

class PlanRemovedItemDto {
  @ApiProperty({ format: 'uuid', description: 'The item’s task' }) taskId!: string;
  @ApiProperty() number!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'An open task is withdrawn (撤销) by the revision; a closed one is left as it is' }) open!: boolean;
}

class PlanChangedItemDto {
  @ApiProperty({ format: 'uuid', description: 'The item’s task' }) taskId!: string;
  @ApiProperty({ description: 'Position in the preview’s items' }) index!: number;
  @ApiProperty({ description: 'As the new text prints it' }) number!: string;
  @ApiProperty({ description: 'As the new text words it' }) title!: string;
  @ApiProperty({ description: 'An open task is revised; a closed one is left as it is' }) open!: boolean;
  @ApiProperty({ type: [PlanFieldChangeDto] }) changes!: PlanFieldChangeDto[];
}

export class PlanDifferencesDto {
  @ApiProperty({ type: [PlanAddedItemDto], description: 'Items the plan as imported does not have (新增)' }) added!: PlanAddedItemDto[];
  @ApiProperty({ type: [PlanRemovedItemDto], description: 'Items the text no longer has (删除)' }) removed!: PlanRemovedItemDto[];
  @ApiProperty({ type: [PlanChangedItemDto], description: 'Items paired by number and title whose owners, due date or wording changed (修改)' })
  changed!: PlanChangedItemDto[];
}

/** 409 plan-changed: the problem with the differences a `revise: true` import would apply. */
export class PlanChangedProblemDto extends ProblemDto {
  @ApiProperty({ format: 'uuid' }) existingPlanId!: string;
  @ApiProperty({ type: PlanDifferencesDto }) differences!: PlanDifferencesDto;
}

export class PlanPreviewDto {
  @ApiProperty() title!: string;
  @ApiProperty({ example: 2023 }) year!: number;
  @ApiProperty({ type: [PreviewItemDto] }) items!: PreviewItemDto[];
  @ApiProperty({ type: [String], description: 'Unit names matching no department' }) unresolved!: string[];
  @ApiProperty({ type: [UnresolvedNameDto] }) unresolvedIn!: UnresolvedNameDto[];
  @ApiProperty({ type: [String] }) warnings!: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The plan of this title and year imported before; null when none' })
  existingPlanId!: string | null;
  @ApiProperty({ type: PlanDifferencesDto, nullable: true, description: 'How the text differs from that plan; null when none was imported' })
  differences!: PlanDifferencesDto | null;
}

class PlanRevisedDto {
  @ApiProperty({ description: 'Items that became tasks' }) added!: number;
  @ApiProperty({ description: 'Items whose open task was withdrawn (撤销)' }) removed!: number;
  @ApiProperty({ description: 'Items whose open task was revised' }) changed!: number;
}

export class PlanImportedDto {
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ description: 'Tasks created, counties’ shares included; 0 when the same plan was imported before unchanged' }) tasksCreated!: number;
  @ApiPropertyOptional({ type: PlanRevisedDto, description: 'Present when revise: true revised a plan imported before' }) revised?: PlanRevisedDto;
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
  @ApiOperation({
    summary: '导入工作要点 Import a plan',
    description:
      'Admins only: 201 when tasks were created; 200 for the same plan again ' +
      '(unchanged: nothing written; with revise: true: its differences applied, `revised`).',
  })
  @ApiExtraModels(PlanChangedProblemDto)
  @ApiCreatedResponse({ type: PlanImportedDto })
  @ApiOkResponse({ type: PlanImportedDto })
  @ApiConflictResponse({
    description: 'plan-changed: imported before and changed, with its differences; nothing written unless revise: true',
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(PlanChangedProblemDto) } } },
  })
  @ApiUnprocessableEntityResponse({ description: 'plan-names-unresolved, plan-items-without-owners' })
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
