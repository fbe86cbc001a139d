import { Init1763892000000 } from './1763892000000-init.js';
import { CalendarsWorkflows1763895600000 } from './1763895600000-calendars-workflows.js';
import { OrgTasksAudit1763899200000 } from './1763899200000-org-tasks-audit.js';
import { TaskScopeArrays1763902800000 } from './1763902800000-task-scope-arrays.js';
import { NotificationsWebhooks1763906400000 } from './1763906400000-notifications-webhooks.js';
import { TaskAuditHead1763910000000 } from './1763910000000-task-audit-head.js';
import { Plans1763913600000 } from './1763913600000-plans.js';
import { TaskFacts1763917200000 } from './1763917200000-task-facts.js';
import { TaskOwnerLists1763920800000 } from './1763920800000-task-owner-lists.js';
import { WorkflowKpiRoles1763924400000 } from './1763924400000-workflow-kpi-roles.js';
import { UserSessions1763931600000 } from './1763931600000-user-sessions.js';
import { TaskImportKey1763935200000 } from './1763935200000-task-import-key.js';
import { EffectsDone1763938800000 } from './1763938800000-effects-done.js';
import { CalendarYears1763940000000 } from './1763940000000-calendar-years.js';
import { TaskCallback1763950000000 } from './1763950000000-task-callback.js';
import { DatabaseClock1763960000000 } from './1763960000000-database-clock.js';
import { TimerReplans1763963600000 } from './1763963600000-timer-replans.js';
import { Attachments1763970000000 } from './1763970000000-attachments.js';
import { BuiltInActs1763980000000 } from './1763980000000-built-in-acts.js';
import { TaskRequestedDueAt1763981000000 } from './1763981000000-task-requested-due-at.js';
import { TaskSupervisingDepartments1763982000000 } from './1763982000000-task-supervising-departments.js';
import { TaskCoOpinions1763983000000 } from './1763983000000-task-co-opinions.js';
import { TaskLists1763985000000 } from './1763985000000-task-lists.js';
import { PlanRevisionNotices1764100000000 } from './1764100000000-plan-revision-notices.js';
import { LoginFailures1764300000000 } from './1764300000000-login-failures.js';
import { TimerJobs1764400000000 } from './1764400000000-timer-jobs.js';

/** In order of application; a migration is added here when it is written. */
export const MIGRATIONS = [
  Init1763892000000,
  CalendarsWorkflows1763895600000,
  OrgTasksAudit1763899200000,
  TaskScopeArrays1763902800000,
  NotificationsWebhooks1763906400000,
  TaskAuditHead1763910000000,
  Plans1763913600000,
  TaskFacts1763917200000,
  TaskOwnerLists1763920800000,
  WorkflowKpiRoles1763924400000,
  UserSessions1763931600000,
  TaskImportKey1763935200000,
  EffectsDone1763938800000,
  CalendarYears1763940000000,
  TaskCallback1763950000000,
  DatabaseClock1763960000000,
  TimerReplans1763963600000,
  Attachments1763970000000,
  BuiltInActs1763980000000,
  TaskRequestedDueAt1763981000000,
  TaskSupervisingDepartments1763982000000,
  TaskCoOpinions1763983000000,
  TaskLists1763985000000,
  PlanRevisionNotices1764100000000,
  LoginFailures1764300000000,
  TimerJobs1764400000000,
];
