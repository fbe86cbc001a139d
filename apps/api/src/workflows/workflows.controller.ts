import { Body, Controller, Get, HttpCode, Inject, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { PageQuery } from '@duban/http';
import { DefinitionInvalidError, type PublishedWorkflow, WorkflowsService } from '@duban/workflows';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth.types.js';

const DEFINITION_BODY = { description: 'A workflow definition (API.md, Workflow definitions)', schema: { type: 'object' } };

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
