import { durationInWords, momentInWords } from '@duban/calendar';
import type { ClosedWindow, MissingInput, RequirableInput, TaskRole } from '@duban/engine';
import { DomainError } from '@duban/http';

/** Unknown and not-yours are the same answer: nobody learns that a task exists. */
export class TaskNotFoundError extends DomainError.of(404, 'task-not-found', 'Task not found') {
  constructor(id: string) {
    super(`There is no task ${id} that you may see.`);
  }
}

export class ActionNotAllowedError extends DomainError.of(409, 'action-not-allowed', 'Action not allowed in this state') {
  constructor(action: string, state: string, allowedActions: string[]) {
    super(`"${action}" cannot be taken while the task is "${state}".`);
    this.extensions.state = state;
    this.extensions.allowedActions = allowedActions;
  }
}

export class ActionLimitReachedError extends DomainError.of(409, 'action-limit-reached', 'Action taken as often as allowed') {
  constructor(action: string, limit: number, allowedActions: string[]) {
    super(`"${action}" may be taken ${limit} time(s) per task, and this task has.`);
    this.extensions.allowedActions = allowedActions;
  }
}

/** What an action outside its time window is called in the answer: its label and the state's, and the calendar's zone. */
export interface WindowContext {
  action: string;
  actionLabel: string;
  stateLabel: string;
  timezone: string;
}

/**
 * The action's time window (transition `window`) has closed: 退单 more than 2 working days after
 * the dispatch, 延期申请 after the due date. The detail says, in Chinese first, which limit and when it passed.
 */
export class ActionOutsideWindowError extends DomainError.of(409, 'action-outside-window', 'Action outside its time window') {
  constructor(window: ClosedWindow, ctx: WindowContext, allowedActions: string[]) {
    const at = momentInWords(window.closedAt, ctx.timezone);
    super(
      window.rule === 'within'
        ? `“${ctx.actionLabel}”须在进入“${ctx.stateLabel}”后${durationInWords(window.within)}内办理，时限已于${at}届满，现不能再${ctx.actionLabel}。` +
            ` "${ctx.action}" may be taken only within ${window.within} of entering "${ctx.stateLabel}"; that ended at ${window.closedAt.toISOString()}.`
        : `“${ctx.actionLabel}”须在办理期限（${at}）前提出，现已超过期限。` +
            ` "${ctx.action}" may be taken only before the due date, ${window.closedAt.toISOString()}.`,
    );
    this.extensions.rule = window.rule;
    this.extensions.closedAt = window.closedAt.toISOString();
    this.extensions.allowedActions = allowedActions;
  }
}

/** What each requirable input is called on a form, for the answer that says it is missing. */
const INPUT_WORDS: Record<RequirableInput, string> = {
  comment: '办理意见',
  rating: '评价结果',
  dueAt: '新的办理期限',
  progress: '完成进度',
  assignee: '经办人',
  contact: '联系人及联系电话',
  cc: '抄送单位',
  attachment: '附件',
};

/**
 * Required inputs the action lacks (a reply letter without its contact, cc list and signed file):
 * 400 with one error per field, named as the request body spells it, in the order the transition
 * requires them; the same problem type as any other invalid field.
 */
export class MissingInputError extends DomainError.of(400, 'validation', 'Bad Request') {
  constructor(action: string, actionLabel: string, missing: readonly MissingInput[]) {
    const errors = missing.map((m) => ({ path: m.field, message: `“${actionLabel}”须提供${INPUT_WORDS[m.requirement]}。 "${action}" needs ${m.field}` }));
    super(errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    this.extensions.errors = errors;
  }
}

/** An extension beyond the transition's `maxExtension` (12345: at most 10 working days): 400 naming dueAt. */
export class ExtensionTooLongError extends DomainError.of(400, 'extension-too-long', 'Extension too long') {
  constructor(maxExtension: string, latest: Date, timezone: string) {
    const message =
      `延期不得超过${durationInWords(maxExtension)}，新的办理期限最晚为${momentInWords(latest, timezone)}。` +
      ` An extension may run at most ${maxExtension} past the due date in force: until ${latest.toISOString()}.`;
    super(message);
    this.extensions.latestDueAt = latest.toISOString();
    this.extensions.errors = [{ path: 'dueAt', message }];
  }
}

export class StaleVersionError extends DomainError.of(409, 'stale-version', 'Task changed meanwhile') {
  constructor(expected: number, actual: number, allowedActions: string[]) {
    super(`The task is at version ${actual}, not ${expected}; reload it and try again.`);
    this.extensions.version = actual;
    this.extensions.allowedActions = allowedActions;
  }
}

export class ActionForbiddenError extends DomainError.of(403, 'action-forbidden', 'Action forbidden') {
  constructor(action: string, allowed: TaskRole[]) {
    super(`"${action}" may be taken only by: ${allowed.join(', ')}.`);
    this.extensions.allowedRoles = allowed;
  }
}

export class DuplicateTaskError extends DomainError.of(409, 'duplicate-external-ref', 'Task exists') {
  constructor(externalRef: string) {
    super(`A task with externalRef "${externalRef}" already exists.`);
  }
}

export class IdempotencyKeyReusedError extends DomainError.of(422, 'idempotency-key-reused', 'Idempotency-Key reused') {
  constructor() {
    super('This Idempotency-Key was used for a different request in the last 24 hours.');
  }
}

export class CreateForbiddenError extends DomainError.of(403, 'create-forbidden', 'Cannot assign to these departments') {
  constructor(departmentIds: string[]) {
    super('Tasks are assigned by admins, or by supervisors to departments they supervise.');
    this.extensions.departmentIds = departmentIds;
  }
}

/** A supervisor named co-owners outside the departments it supervises; the message names them. */
export class CoOwnersForbiddenError extends DomainError.of(403, 'co-owners-forbidden', 'Cannot add these departments as co-owners') {
  constructor(departments: { id: string; name: string | null }[]) {
    const names = departments.map((d) => d.name ?? d.id).join('、');
    super(`只能将本单位督办的部门设为配合单位，以下部门不在督办范围内：${names}. Supervisors may add as co-owners only departments they supervise.`);
    this.extensions.departmentIds = departments.map((d) => d.id);
  }
}

/** A new task due before it exists: history goes through POST /tasks/import, which keeps its dates. */
export class DueAtInPastError extends DomainError.of(400, 'due-at-in-past', 'Due date in the past') {
  constructor(dueAt: Date, now: Date) {
    const message =
      `截止时间已过：${dueAt.toISOString()} 早于当前时间 ${now.toISOString()}。` +
      'A new task cannot be due in the past; history is imported with POST /tasks/import.';
    super(message);
    this.extensions.errors = [{ path: 'dueAt', message }];
  }
}

/** A due date the workflow's calendar cannot count working time to (its day index spans some 400 years). */
export class DueAtOutOfRangeError extends DomainError.of(400, 'due-at-out-of-range', 'Due date outside the calendar') {
  constructor(dueAt: Date | string | null | undefined) {
    const shown = dueAt instanceof Date ? (Number.isNaN(dueAt.getTime()) ? String(dueAt) : dueAt.toISOString()) : dueAt;
    const message = `截止时间超出工作日历的范围${shown ? `：${shown}` : ''}。The calendar cannot count working time that far.`;
    super(message);
    this.extensions.errors = [{ path: 'dueAt', message }];
  }
}

/** A JSON-array import with rejected records writes nothing: every rejected record is named with its errors. */
export class ImportRejectedError extends DomainError.of(400, 'import-rejected', 'Import rejected') {
  constructor(rejected: { index: number; errors: { path: string; message: string }[] }[], total: number) {
    super(
      `导入未执行：${total} 条记录中有 ${rejected.length} 条不合格，未写入任何记录。${rejected.length} of ${total} records were rejected; nothing was imported.`,
    );
    this.extensions.rejected = rejected;
    this.extensions.errors = rejected.flatMap((r) => r.errors.map((e) => ({ path: e.path ? `[${r.index}].${e.path}` : `[${r.index}]`, message: e.message })));
  }
}

/**
 * The same user urged the task less than 10 minutes ago (a double click is not two urges): the
 * detail says, in Chinese first and with the year, when the next urge is possible. The acts'
 * errors also carry their slug as `code`, which the console matches on.
 */
export class UrgedRecentlyError extends DomainError.of(409, 'urged-recently', 'Urged a moment ago') {
  constructor(lastUrgeAt: Date, nextAt: Date, timezone: string) {
    super(
      `您已于${momentInWords(lastUrgeAt, timezone)}催办过此任务，10分钟内不能重复催办，请于${momentInWords(nextAt, timezone)}后再催办。` +
        ` You urged this task at ${lastUrgeAt.toISOString()}; the next urge is possible from ${nextAt.toISOString()}.`,
    );
    this.extensions.code = 'urged-recently';
    this.extensions.lastUrgeAt = lastUrgeAt.toISOString();
    this.extensions.nextUrgeAt = nextAt.toISOString();
  }
}

const CARD_WORDS = { yellow: '黄牌', red: '红牌' } as const;

/** A card by hand only goes up (yellow, then red): the same or a lower card than the task carries is refused. */
export class CardNotHigherError extends DomainError.of(409, 'card-not-higher', 'A card only goes up') {
  constructor(current: 'yellow' | 'red', asked: 'yellow' | 'red') {
    super(
      `任务已亮${CARD_WORDS[current]}，亮牌只能升级（黄牌→红牌），不能再亮${CARD_WORDS[asked]}。` +
        ` The task carries a ${current} card; a card only goes up (yellow, then red), so ${asked} cannot be given.`,
    );
    this.extensions.code = 'card-not-higher';
    this.extensions.card = current;
  }
}

export class NoCardToWithdrawError extends DomainError.of(409, 'no-card-to-withdraw', 'No card to withdraw') {
  constructor() {
    super('任务当前没有黄牌或红牌，无可撤销。 The task carries no card to withdraw.');
    this.extensions.code = 'no-card-to-withdraw';
  }
}

/** A task as the splitting errors name it: its number and its title. */
export interface NamedTask {
  id: string;
  ref: string;
  title: string;
}

const named = (tasks: readonly NamedTask[]) => tasks.map((t) => `${t.ref}《${t.title}》`).join('、');

/**
 * 分解 is a lead's act: a handler or a co-owning unit of the task may not hand it on to sub-units
 * (DOMAIN.md: a department lead receives the task and hands it on).
 */
export class SplitForbiddenError extends DomainError.of(403, 'split-forbidden', 'Only a lead of the task may split it') {
  constructor(parent: NamedTask) {
    super(`只有任务 ${parent.ref} 牵头单位的负责人可以将其分解给下级单位。Only a lead of the task's lead department may split it among sub-units.`);
    this.extensions.parentId = parent.id;
  }
}

/** A child for a department that is not below the splitting lead's own: a sibling county, a bureau. */
export class SplitOutsideError extends DomainError.of(403, 'split-outside-department', 'Not a sub-unit of the lead department') {
  constructor(own: string, departments: { id: string; name: string }[]) {
    super(
      `只能分解给${own}的下级单位，以下单位不在其下：${departments.map((d) => d.name).join('、')}。` + ` A task is split only among departments below ${own}.`,
    );
    this.extensions.departmentIds = departments.map((d) => d.id);
  }
}

/** A child task due after its parent: the parent could not be finished on time. 400 naming dueAt. */
export class ChildDueAfterParentError extends DomainError.of(400, 'child-due-after-parent', 'Child due after its parent') {
  constructor(parent: NamedTask & { dueAt: Date }, timezone: string) {
    const message =
      `子任务的截止时间不得晚于上级任务 ${parent.ref} 的截止时间（${momentInWords(parent.dueAt, timezone)}）。` +
      ` A child task may not be due after its parent, due ${parent.dueAt.toISOString()}.`;
    super(message);
    this.extensions.parentDueAt = parent.dueAt.toISOString();
    this.extensions.errors = [{ path: 'dueAt', message }];
  }
}

/** A closed task is not split any more: a new share could never hold it back. */
export class ParentClosedError extends DomainError.of(409, 'parent-closed', 'Parent task closed') {
  constructor(parent: NamedTask) {
    super(`上级任务 ${parent.ref}《${parent.title}》已办结，不能再分解。The parent task is closed.`);
    this.extensions.parentId = parent.id;
  }
}

/**
 * The action waits for the task's children (transition `waitsForChildren`): a county cannot
 * report an item done while a town's share is open. The detail names them.
 */
export class ChildrenOpenError extends DomainError.of(409, 'children-open', 'Child tasks still open') {
  constructor(actionLabel: string, open: readonly NamedTask[], allowedActions: string[]) {
    super(
      `尚有 ${open.length} 项子任务未办结：${named(open)}。子任务全部办结后才能“${actionLabel}”。` +
        ` "${actionLabel}" waits until every child task is closed.`,
    );
    this.extensions.openChildren = open.map((t) => ({ id: t.id, ref: t.ref, title: t.title }));
    this.extensions.allowedActions = allowedActions;
  }
}
