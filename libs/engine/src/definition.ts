/** Workflow definitions exactly as API.md writes them (Workflow definitions). */

export const TASK_ROLES = ['owner', 'co-owner', 'assignee', 'supervisor', 'creator', 'admin'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

/**
 * Inputs a transition may require. Besides the basics: a reply letter (建议提案答复函) names a
 * contact person with a phone (`contact`), the units it is copied to (`cc`, 抄送) and comes as a
 * signed file (`attachment`: at least one of the action's attachmentIds).
 */
export const REQUIRABLE_INPUTS = ['comment', 'rating', 'dueAt', 'progress', 'assignee', 'contact', 'cc', 'attachment'] as const;
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
   * The transition asks for a due date instead of setting one (延期申请): its `dueAt` is kept on
   * the task as the requested date for the approver to see; the due date in force stays. See
   * dueDateRule for the whole rule.
   */
  proposes?: 'dueAt';
  /**
   * The transition grants the date asked for (同意延期): its `dueAt` is optional, and without it
   * the task's requested date becomes the due date.
   */
  grants?: 'dueAt';
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

/**
 * 会办: the co-handling units (co-owners) of a task send their opinion (会办意见) to the lead unit
 * within `within` of the assignment (the task's creation; proposals: one month). Each co-unit
 * gives it by taking `action`, a transition that co-owners may take; while some co-unit has not,
 * and the task is in a state that action leaves from, `reminders` go `before` the co-opinion due
 * date (a `co-owner` named there is only a co-unit still owing its opinion) and `late` tells the
 * roles it names at the due date which co-units are missing. Once every co-unit has given its
 * opinion, none of them is planned again.
 */
export interface CoOpinionsDefinition {
  action: string;
  within: string;
  reminders?: CoOpinionReminder[];
  late?: { notify: TaskRole[] };
}

export interface CoOpinionReminder {
  before: string;
  notify: TaskRole[];
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
  /** Opinions the co-handling units owe the lead unit (会办意见); none asked for when absent. */
  coOpinions?: CoOpinionsDefinition;
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

/**
 * 已撤销: the engine's own final state, in every workflow, of a task whose reason went away (an
 * item a revised plan no longer has). No transition leads from it; it is closed but not done: the
 * reports count it neither as closed nor as closed on time. A definition's own state of this key,
 * if it has one, is read instead.
 */
export const WITHDRAWN_STATE: StateDefinition = { key: 'withdrawn', label: '已撤销', terminal: true };

/** The definition's state of this key, or the engine's WITHDRAWN_STATE; undefined for a key neither knows. */
export function stateOf(definition: WorkflowDefinition, key: string): StateDefinition | undefined {
  return definition.states.find((s) => s.key === key) ?? (key === WITHDRAWN_STATE.key ? WITHDRAWN_STATE : undefined);
}

/**
 * A definition published before transitions declared their KPI role, read as the reports read it
 * then: the action `accept` was the acceptance, `return` the return (退单), and any transition
 * setting a new due date (requiring one without proposing it, or granting one) an extension. Only for versions stored before the declaration existed
 * (workflow_versions.kpi_declared false), so that history keeps its meaning.
 */
export function withInferredKpiRoles(definition: WorkflowDefinition): WorkflowDefinition {
  const inferred = (t: TransitionDefinition): KpiRole | undefined => {
    if (t.action === 'accept') return 'acceptance';
    if (t.action === 'return') return 'return';
    // A transition that proposes a date asks for an extension; the one that grants it extends.
    return (t.requires?.includes('dueAt') && !t.proposes) || t.grants === 'dueAt' ? 'extension' : undefined;
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
export function waitsForChildren(definition: WorkflowDefinition, transition: TransitionDefinition, from?: string, to: string = transition.to): boolean {
  if (transition.waitsForChildren !== undefined) return transition.waitsForChildren;
  // By default only a move that closes the task: into a terminal state from an open one (a rating
  // of a closed ticket, or its 不满意 branch back to processing, closes nothing).
  return stateOf(definition, to)?.terminal === true && !(from !== undefined && stateOf(definition, from)?.terminal === true);
}
