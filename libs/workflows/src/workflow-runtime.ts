import { Inject, Injectable } from '@nestjs/common';
import type { BusinessCalendar } from '@duban/calendar';
import { CalendarsService } from '@duban/calendars';
import { DEFAULT_CALENDAR, withInferredKpiRoles, type WorkflowDefinition } from '@duban/engine';
import { InvalidInputError } from '@duban/http';
import { WorkflowNotFoundError } from './errors.js';
import { type PublishedWorkflow, WorkflowsService } from './workflows.service.js';

/** A workflow version as tasks run on it: its definition and the calendar its time is counted on. */
export interface RunningWorkflow {
  key: string;
  version: number;
  /** KPI roles resolved: declared, or read by action name for versions published before they were. */
  definition: WorkflowDefinition;
  calendar: BusinessCalendar;
}

/** Pinned versions a process remembers; a version never changes once published. */
const DEFINITION_CACHE_SIZE = 10_000;

/**
 * The one place that turns a workflow key (and version) into what the engine runs on. A task is
 * pinned to the version it was created on, so a definition is read once per process; its calendar
 * comes from CalendarsService on every call, which rebuilds it when a calendar day changes
 * anywhere (within its freshness window), so deadlines never run on a stale calendar.
 */
@Injectable()
export class WorkflowRuntime {
  private readonly definitions = new Map<string, WorkflowDefinition>();

  constructor(
    @Inject(WorkflowsService) private readonly workflows: WorkflowsService,
    @Inject(CalendarsService) private readonly calendars: CalendarsService,
  ) {}

  /** The version a task is pinned to. WorkflowNotFoundError (404) when it does not exist. */
  async pinned(key: string, version: number): Promise<RunningWorkflow> {
    const id = `${key}@${version}`;
    let definition = this.definitions.get(id);
    if (!definition) {
      definition = runnable(await this.workflows.get(key, version));
      if (this.definitions.size >= DEFINITION_CACHE_SIZE) this.definitions.clear();
      this.definitions.set(id, definition);
    }
    return { key, version, definition, calendar: await this.calendarOf(definition) };
  }

  /** The latest published version, which new tasks are pinned to; null when the key is unknown. */
  async latest(key: string): Promise<RunningWorkflow | null> {
    let published: PublishedWorkflow;
    try {
      published = await this.workflows.get(key);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
    const definition = runnable(published);
    this.definitions.set(`${published.key}@${published.version}`, definition);
    return { key: published.key, version: published.version, definition, calendar: await this.calendarOf(definition) };
  }

  /**
   * The workflow a request names (a task to create, a plan to import, a report's filter).
   * @throws InvalidInputError (400, field `workflow`) when no version of it is published.
   */
  async named(key: string): Promise<RunningWorkflow> {
    const running = await this.latest(key);
    if (!running) throw new InvalidInputError('workflow', `不存在流程“${key}”。Unknown workflow "${key}".`);
    return running;
  }

  private calendarOf(definition: WorkflowDefinition): Promise<BusinessCalendar> {
    return this.calendars.calendar(definition.calendar ?? DEFAULT_CALENDAR);
  }
}

function runnable(published: PublishedWorkflow): WorkflowDefinition {
  return published.kpiDeclared ? published.definition : withInferredKpiRoles(published.definition);
}
