import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '@duban/http';
import { DefinitionInvalidError, type PublishedWorkflow, WorkflowsService } from '@duban/workflows';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth.types.js';

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
  schema: { type: 'object' },
};

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('workflows')
export class WorkflowsController {
  constructor(@Inject(WorkflowsService) private readonly workflows: WorkflowsService) {}

  @Post('validate')
  @HttpCode(200)
  @ApiBody(DEFINITION_BODY)
  async validate(@Body() definition: unknown): Promise<{ valid: true }> {
    const errors = await this.workflows.check(definition);
    if (errors.length > 0) throw new DefinitionInvalidError(errors);
    return { valid: true };
  }

  @Roles('admin')
  @Post()
  @ApiBody(DEFINITION_BODY)
  publish(@Body() definition: unknown, @CurrentUser() user: AuthUser) {
    return this.workflows.publish(definition, user.id);
  }

  @Get()
  list(@Query() query: PageQuery) {
    return this.workflows.latestVersions(query.page, query.limit);
  }

  @Get(':key')
  async latest(@Param('key') key: string) {
    return present(await this.workflows.get(key));
  }

  @Get(':key/versions/:version')
  async version(@Param('key') key: string, @Param('version', ParseIntPipe) version: number) {
    return present(await this.workflows.get(key, version));
  }
}

/** The definition as published, with its version and who published it when. */
function present(workflow: PublishedWorkflow) {
  return { ...workflow.definition, version: workflow.version, publishedAt: workflow.publishedAt, publishedBy: workflow.publishedBy };
}
