import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { PageQuery } from '@duban/http';
import { DefinitionInvalidError, type PublishedWorkflow, WorkflowsService } from '@duban/workflows';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth.types.js';
import { DefinitionValidDto, PublishedVersionDto, WorkflowDetailDto, WorkflowHistoryDto, WorkflowListDto } from './workflows.dto.js';

/** What the OpenAPI document says of a definition beyond API.md's example: the rules added to the language since. */
const DEFINITION_BODY = {
  description: [
    'A workflow definition (API.md, Workflow definitions). Also:',
    'durations `Nwde`: the end (23:59:59.999 local) of the N-th working day counted from the next day (自次日起算; `13wd` keeps the clock time instead);',
    'reminders[].card: a card shown with the reminder (a yellow warning before the due date);',
    'transitions[].window {within?: duration from entering the state, beforeDue?: true}: when the action may be taken (409 action-outside-window after);',
    'transitions[].maxExtension: on a transition requiring dueAt, how far past the due date in force the new one may lie',
    '(400 extension-too-long);',
    'transitions[].waitsForChildren: whether the action waits until the task’s child tasks are all closed (409 children-open before);',
    'default true for a transition into a terminal state, false otherwise;',
    'states[].callback {within, notify}: a call-back (回访) due within that long of entering the state, done by a rating',
    '(the state needs a transition requiring rating); a `callback` notice when none came;',
    'lateNotices "working" (default) | "exact": the overdue notice and escalations of an end-of-day due date go out',
    'at the start of the next working period, or at the instant.',
    'Reminders counted in working time, or before an end-of-day due date, go out at working instants.',
  ].join(' '),
  schema: { type: 'object', additionalProperties: true },
};

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('workflows')
export class WorkflowsController {
  constructor(@Inject(WorkflowsService) private readonly workflows: WorkflowsService) {}

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({ summary: '校验流程定义 Validate a workflow definition' })
  @ApiBody(DEFINITION_BODY)
  @ApiOkResponse({ type: DefinitionValidDto })
  @ApiUnprocessableEntityResponse({ description: 'definition-invalid, with errors:[{path, message}]' })
  async validate(@Body() definition: unknown): Promise<{ valid: true }> {
    const errors = await this.workflows.check(definition);
    if (errors.length > 0) throw new DefinitionInvalidError(errors);
    return { valid: true };
  }

  @Roles('admin')
  @Post()
  @ApiOperation({
    summary: '发布流程 Publish a workflow version',
    description: 'Admins only; an existing key publishes its next version. A definition equal to the latest version’s is refused (409 workflow-unchanged).',
  })
  @ApiBody(DEFINITION_BODY)
  @ApiCreatedResponse({ type: PublishedVersionDto })
  @ApiConflictResponse({ description: 'workflow-unchanged: identical to the latest version, with its `version`' })
  @ApiUnprocessableEntityResponse({ description: 'definition-invalid, with errors:[{path, message}]' })
  publish(@Body() definition: unknown, @CurrentUser() user: AuthUser) {
    return this.workflows.publish(definition, user.id);
  }

  @Get()
  @ApiOperation({ summary: '流程列表 List workflows', description: 'The latest version of each.' })
  @ApiOkResponse({ type: WorkflowListDto })
  list(@Query() query: PageQuery) {
    return this.workflows.latestVersions(query.page, query.limit);
  }

  @Get(':key')
  @ApiOperation({ summary: '流程定义（最新版） Get a workflow’s latest version' })
  @ApiOkResponse({ type: WorkflowDetailDto })
  @ApiNotFoundResponse({ description: 'workflow-not-found' })
  async latest(@Param('key') key: string) {
    return present(await this.workflows.get(key));
  }

  @Get(':key/versions')
  @ApiOperation({ summary: '流程版本历史 List a workflow’s versions', description: 'Newest first, each with who published it (null: the seed).' })
  @ApiOkResponse({ type: WorkflowHistoryDto })
  @ApiNotFoundResponse({ description: 'workflow-not-found' })
  async history(@Param('key') key: string) {
    return { items: await this.workflows.history(key) };
  }

  @Get(':key/versions/:version')
  @ApiOperation({ summary: '流程定义（指定版本） Get a workflow version' })
  @ApiOkResponse({ type: WorkflowDetailDto })
  @ApiNotFoundResponse({ description: 'workflow-not-found' })
  async version(@Param('key') key: string, @Param('version', ParseIntPipe) version: number) {
    return present(await this.workflows.get(key, version));
  }
}

/** The definition as published, with its version and who published it when. */
function present(workflow: PublishedWorkflow) {
  return { ...workflow.definition, version: workflow.version, publishedAt: workflow.publishedAt, publishedBy: workflow.publishedBy };
}
