import { Controller, Get, HttpCode, Inject, Param, type PipeTransform, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { plainToInstance, Transform, Type } from 'class-transformer';
import { Allow, IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, validate } from 'class-validator';
import { flattenValidationErrors, InvalidInputError, PageQuery, RequestValidationError, uuidParam } from '@duban/http';
import { MAX_PLAN_FILE_BYTES, MAX_PLAN_TEXT_CHARS, PLAN_FILE_LIMITS, type PlanSource, PlansService, readPlanFileOffLoop } from '@duban/plans';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth.types.js';
import { ProblemDto } from '../problem.dto.js';
import { PlanFileInterceptor, PlanInput, type PlanRequest } from './plan-file.interceptor.js';

export class PreviewPlanDto {
  @ApiProperty({ description: 'The plan as pasted: 工作要点, 实施方案, 任务分工方案…' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_PLAN_TEXT_CHARS)
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

/** The text fields of a multipart preview, beside `file`: multipart sends them as strings. */
export class PreviewPlanFileDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: `.xlsx, .docx or .txt (UTF-8, UTF-16 or GB18030), at most ${MAX_PLAN_FILE_BYTES / 1024 / 1024} MiB, told by its content`,
  })
  // The file itself arrives beside the fields (multer), never as one of them: allowed here so an
  // instance's own `file` (a class field) passes the whitelist.
  @Allow()
  file!: unknown;

  @ApiPropertyOptional({ description: 'The plan year; read from the title when absent', example: 2024 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

export class ImportPlanFileDto extends PreviewPlanFileDto {
  @ApiPropertyOptional({ default: 'plan-item', description: 'Workflow of the created tasks' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{1,62}$/, { message: 'must be a workflow key' })
  workflow?: string;

  @ApiPropertyOptional({
    type: 'string',
    enum: ['true', 'false'],
    description: 'As for JSON: apply the differences of a plan imported before (multipart sends it as text)',
  })
  @IsOptional()
  // Multipart fields are text: only the words true and false are read as the boolean.
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  revise?: boolean;
}

/**
 * Validates a plan import's body by how it came: JSON as `json` ({text, year…}), multipart as
 * `multipart` (its text fields) with the file required. Unknown fields are refused, as the
 * global ValidationPipe refuses them.
 */
class PlanInputPipe implements PipeTransform<PlanRequest> {
  constructor(
    private readonly json: new () => object,
    private readonly multipart: new () => object,
  ) {}

  async transform(input: PlanRequest): Promise<{ fields: object; file: PlanRequest['file'] }> {
    if (input.multipart && !input.file)
      throw new InvalidInputError(
        'file',
        '没有收到文件：请以 multipart/form-data 的 file 字段上传 .xlsx、.docx 或 .txt 文件 (send the plan in the field "file")',
      );
    const fields = plainToInstance(input.multipart ? this.multipart : this.json, input.body);
    const errors = await validate(fields, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw new RequestValidationError(flattenValidationErrors(errors));
    return { fields, file: input.file };
  }
}

/** The plan a validated input names: the text, or the uploaded file read into a document off the event loop (400/413/415 when it cannot be). */
async function planSource(input: { fields: object; file: PlanRequest['file'] }): Promise<PlanSource> {
  if (!input.file) return { text: (input.fields as PreviewPlanDto).text };
  const filename = input.file.originalname;
  return { file: { filename, document: await readPlanFileOffLoop(input.file.buffer, filename) } };
}

const PROBLEM = 'RFC 9457 problem+json with a stable `type` and a Chinese-first `detail`';
const FILE_PROBLEMS = {
  badRequest:
    `${PROBLEM}: invalid fields (validation), no items found (plan-no-items), an empty file (plan-file-empty), ` +
    'a password-protected file (plan-file-encrypted), a damaged .docx/.xlsx (plan-file-unreadable), a malformed multipart body (malformed-upload)',
  tooLarge:
    `${PROBLEM}: a file over ${MAX_PLAN_FILE_BYTES / 1024 / 1024} MiB (plan-file-too-large); a file whose content expands past ` +
    `${PLAN_FILE_LIMITS.expanded / 1024 / 1024} MiB unzipped, ${PLAN_FILE_LIMITS.cells} cells, ${PLAN_FILE_LIMITS.merges} merged ranges in a sheet ` +
    `or ${PLAN_FILE_LIMITS.chars} characters (plan-file-too-complex, \`limit\` saying which)`,
  unsupported: `${PROBLEM}: old .doc/.xls, PDF, or any content that is not .xlsx/.docx/text, whatever the name (plan-file-type)`,
};

/** Either body, for the OpenAPI document: the same schemas under both content types. */
const planBody = (json: new () => object, multipart: new () => object) => ({
  schema: { oneOf: [{ $ref: getSchemaPath(json) }, { $ref: getSchemaPath(multipart) }] },
  description: 'application/json: the pasted text; multipart/form-data: a file (field `file`) and the text fields',
});

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
  @ApiProperty({
    enum: ['lead', 'co'],
    description:
      'Where the fan-out phrase stood: lead (…、各县（市、区）政府牵头) — the counties own only their shares; ' +
      'co (配合单位：各县（市、区）政府) — each county also becomes a co-unit (配合单位) of the item',
  })
  fanOutRole!: 'lead' | 'co';
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
  @UseInterceptors(PlanFileInterceptor)
  @ApiOperation({
    summary: '预览工作要点 Preview a plan import',
    description: 'Admins only; nothing is saved. The plan as pasted text (JSON) or as a file (multipart: .xlsx, .docx, .txt).',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiExtraModels(PreviewPlanDto, PreviewPlanFileDto)
  @ApiBody(planBody(PreviewPlanDto, PreviewPlanFileDto))
  @ApiOkResponse({ type: PlanPreviewDto })
  @ApiBadRequestResponse({ description: FILE_PROBLEMS.badRequest })
  @ApiPayloadTooLargeResponse({ description: FILE_PROBLEMS.tooLarge })
  @ApiUnsupportedMediaTypeResponse({ description: FILE_PROBLEMS.unsupported })
  async preview(
    @PlanInput(new PlanInputPipe(PreviewPlanDto, PreviewPlanFileDto)) input: { fields: PreviewPlanDto | PreviewPlanFileDto; file: PlanRequest['file'] },
  ) {
    return this.plans.preview(await planSource(input), input.fields.year);
  }

  @Post('import')
  @Roles('admin')
  @UseInterceptors(PlanFileInterceptor)
  @ApiOperation({
    summary: '导入工作要点 Import a plan',
    description:
      'Admins only: 201 when tasks were created; 200 for the same plan again ' +
      '(unchanged: nothing written; with revise: true: its differences applied, `revised`). The plan as pasted text (JSON) or as a file (multipart).',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiExtraModels(ImportPlanDto, ImportPlanFileDto, PlanChangedProblemDto)
  @ApiBody(planBody(ImportPlanDto, ImportPlanFileDto))
  @ApiCreatedResponse({ type: PlanImportedDto })
  @ApiOkResponse({ type: PlanImportedDto })
  @ApiBadRequestResponse({ description: FILE_PROBLEMS.badRequest })
  @ApiConflictResponse({
    description: 'plan-changed: imported before and changed, with its differences; nothing written unless revise: true',
    content: { 'application/problem+json': { schema: { $ref: getSchemaPath(PlanChangedProblemDto) } } },
  })
  @ApiPayloadTooLargeResponse({ description: FILE_PROBLEMS.tooLarge })
  @ApiUnsupportedMediaTypeResponse({ description: FILE_PROBLEMS.unsupported })
  @ApiUnprocessableEntityResponse({ description: 'plan-names-unresolved, plan-items-without-owners' })
  async import(
    @CurrentUser() user: AuthUser,
    @PlanInput(new PlanInputPipe(ImportPlanDto, ImportPlanFileDto)) input: { fields: ImportPlanDto | ImportPlanFileDto; file: PlanRequest['file'] },
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { year, workflow, revise } = input.fields;
    const result = await this.plans.import(user, { ...(await planSource(input)), year, workflow, revise }, { requestId: requestId(req) });
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
