import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
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

const requestId = (req: Request) => (typeof req.id === 'string' ? req.id : null);

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
  constructor(@Inject(PlansService) private readonly plans: PlansService) {}

  @Post('import/preview')
  @Roles('admin')
  @HttpCode(200)
  preview(@Body() body: PreviewPlanDto) {
    return this.plans.preview(body.text, body.year);
  }

  @Post('import')
  @Roles('admin')
  async import(@CurrentUser() user: AuthUser, @Body() body: ImportPlanDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const result = await this.plans.import(user, body, { requestId: requestId(req) });
    res.status(result.status);
    return result.body;
  }

  /** Scoped like tasks: only plans with a task the caller may see, counted over those tasks. */
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: PageQuery) {
    return this.plans.list(user, query.page, query.limit);
  }

  /** 404 for a plan none of whose tasks the caller may see, as for an unknown plan. */
  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.plans.get(user, id);
  }
}
