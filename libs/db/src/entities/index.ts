import { CalendarDayEntity, CalendarEntity } from './calendar.entity.js';
import { UserEntity } from './user.entity.js';
import { WorkflowVersionEntity } from './workflow-version.entity.js';

export * from './calendar.entity.js';
export * from './user.entity.js';
export * from './workflow-version.entity.js';

/** Every entity the data source knows; a new entity is registered here and nowhere else. */
export const ENTITIES = [UserEntity, CalendarEntity, CalendarDayEntity, WorkflowVersionEntity];
