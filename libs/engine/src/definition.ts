/** Workflow definitions exactly as API.md writes them (Workflow definitions). */

export const TASK_ROLES = ['owner', 'co-owner', 'assignee', 'supervisor', 'creator', 'admin'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

export const REQUIRABLE_INPUTS = ['comment', 'rating', 'dueAt', 'progress', 'assignee'] as const;
export type RequirableInput = (typeof REQUIRABLE_INPUTS)[number];

export const CARDS = ['yellow', 'red'] as const;

/**
 * What a transition counts as in the reports (API.md Reports): `acceptance` fixes 签收 (accepted
 * at, on time against the initial state's SLA), `return` is a 退单 and `extension` a 延期, each a
 * dated event of the task's primary lead department. Declared on the transition, never guessed
 * from its action name.
 */
export const KPI_ROLES = ['acceptance', 'return', 'extension'] as const;
export type KpiRole = (typeof KPI_ROLES)[number];
export type Card = (typeof CARDS)[number];

export interface SlaBreach {
  notify: TaskRole[];
  card?: Card;
}

export interface StateDefinition {
  key: string;
  label: string;
  initial?: boolean;
  terminal?: boolean;
  /** Time in this state does not count against the due date (e.g. waiting for the citizen). */
  pauseClock?: boolean;
  /** How long a task may stay in this state, counted from entering it. */
  sla?: { limit: string; breach: SlaBreach };
  /** A call-back (回访) is due within this long of entering the state (closing). */
  callback?: CallbackDefinition;
}

/**
 * 回访: after a ticket is closed the dispatcher calls the citizen back and records a rating.
 * Unless a rating is given within `within` of entering the state, the roles named get a
 * `callback` notice then. Validation wants a transition from the state that requires a rating.
 */
export interface CallbackDefinition {
  within: string;
  notify: TaskRole[];
}

/**
 * When an action may be taken, besides its state (12345: 退单 within 2 working days of the
 * dispatch, 延期申请 only before the due date). Both given: both must hold.
 */
export interface ActionWindow {
  /** Only within this long of entering the state the task is in (the dispatch, for a dispatched ticket). */
  within?: string;
  /** Only before the due date in force; a task without one, or with its clock paused, is never past it. */
  beforeDue?: boolean;
}

export interface TransitionDefinition {
  action: string;
  /** Defaults to the action. */
  label?: string;
  from: string[];
  to: string;
  allowed: TaskRole[];
  requires?: RequirableInput[];
  /** Where the task goes instead of `to` when the rating given is one of these (重办 on 不满意). */
  branches?: RatingBranch[];
  /** How many times one task may take this action (one extension per ticket). */
  limit?: number;
  /** What taking it counts as in the reports; nothing when absent. */
  kpi?: KpiRole;
  /** When it may be taken; always (in its states) when absent. */
  window?: ActionWindow;
  /**
   * How far the new due date may lie after the one in force (an extension of at most `10wde`):
   * only on a transition that requires dueAt.
   */
  maxExtension?: string;
  /**
   * Whether the task must wait until its child tasks (分解给下级单位的子任务) are all closed
   * before taking this action: a county cannot report an item done while a town's share is
   * open. When absent: true for a transition into a terminal state, false otherwise
   * (`waitsForChildren`).
   */
  waitsForChildren?: boolean;
}

export const RATING_VALUES = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;

export interface RatingBranch {
  rating: (typeof RATING_VALUES)[number][];
  to: string;
}

/** Shorter limits for urgent tasks (priority "urgent"); what is not given stays as for normal ones. */
export interface UrgentLimits {
  deadline?: string;
  /** SLA limit per state key. */
  sla?: Record<string, string>;
}

export interface ReminderDefinition {
  before: string;
  notify: TaskRole[];
  /** A card shown with the reminder: the yellow warning (黄牌预警) before the due date. */
  card?: Card;
}

export interface EscalationDefinition {
  level: number;
  after: string;
  notify: TaskRole[];
  card?: Card;
}

/** Long-running items ask their owners for a progress report on a fixed day. */
export interface ProgressDefinition {
  every: 'month' | 'week';
  /** Day of the month (1–28) or of the week (1 = Monday … 7 = Sunday). */
  day: number;
  notify: TaskRole[];
}

export interface WorkflowDefinition {
  key: string;
  name: string;
  /** Calendar key; `cn` when absent. */
  calendar?: string;
  /** Due date from creation unless the task gives one. */
  deadline?: string;
  states: StateDefinition[];
  transitions: TransitionDefinition[];
  reminders?: ReminderDefinition[];
  escalations?: EscalationDefinition[];
  progress?: ProgressDefinition;
  urgent?: UrgentLimits;
  /**
   * When the overdue notice and the escalations of an end-of-day due date (23:59:59, `Nwde`) go
   * out: `working` (the default) at the start of the next working period, `exact` at the instant.
   */
  lateNotices?: LateNotices;
}

export const LATE_NOTICES = ['working', 'exact'] as const;
export type LateNotices = (typeof LATE_NOTICES)[number];

export type TaskPriority = 'normal' | 'urgent';

export const DEFAULT_CALENDAR = 'cn';

export function stateOf(definition: WorkflowDefinition, key: string): StateDefinition | undefined {
  return definition.states.find((s) => s.key === key);
}

/**
 * A definition published before transitions declared their KPI role, read as the reports read it
 * then: the action `accept` was the acceptance, `return` the return (退单), and any transition
 * requiring a new due date an extension. Only for versions stored before the declaration existed
 * (workflow_versions.kpi_declared false), so that history keeps its meaning.
 */
export function withInferredKpiRoles(definition: WorkflowDefinition): WorkflowDefinition {
  const inferred = (t: TransitionDefinition): KpiRole | undefined => {
    if (t.action === 'accept') return 'acceptance';
    if (t.action === 'return') return 'return';
    return t.requires?.includes('dueAt') ? 'extension' : undefined;
  };
  return {
    ...definition,
    transitions: definition.transitions.map((t) => {
      const kpi = inferred(t);
      return kpi ? { ...t, kpi } : t;
    }),
  };
}

/**
 * Whether taking `transition` waits for the task's open children: as the transition says, else
 * when it leads into a terminal state (closing a task leaves nothing of it open). Pure.
 */
export function waitsForChildren(definition: WorkflowDefinition, transition: TransitionDefinition): boolean {
  return transition.waitsForChildren ?? stateOf(definition, transition.to)?.terminal === true;
}
