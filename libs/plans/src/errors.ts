import { DomainError } from '@duban/http';
import type { PlanDifferences } from './plan-diff.js';

export class PlanNotFoundError extends DomainError.of(404, 'plan-not-found', 'Plan not found') {
  constructor(id: string) {
    super(`There is no plan ${id}.`);
  }
}

/** Importing would leave items without an owner; the preview shows which names to fix (aliases). */
export class PlanNamesUnresolvedError extends DomainError.of(422, 'plan-names-unresolved', 'Unit names not found in the organisation') {
  constructor(unresolved: { name: string; items: string[] }[]) {
    super(
      `以下单位名称在组织机构中找不到：${unresolved.map((u) => `${u.name}（事项${u.items.join('、')}）`).join('；')}。请为其选择对应单位（登记为别名）或新建单位后再导入，本次未导入任何事项。` +
        ' Add them as departments or aliases, then import again.',
    );
    this.extensions.unresolved = unresolved;
  }
}

/** An item that names no unit and does not fan out has nobody to own it. */
export class PlanItemsWithoutOwnersError extends DomainError.of(422, 'plan-items-without-owners', 'Plan items without a responsible unit') {
  constructor(numbers: string[]) {
    super(
      `以下事项没有写明责任单位：${numbers.join('、')}。请在原文中注明牵头单位后再导入，本次未导入任何事项。 Name their units in the text, then import again.`,
    );
    this.extensions.items = numbers;
  }
}

/**
 * The plan (same title and year) was imported before and its text has changed: nothing is
 * written until the import says `revise: true` (API.md Plans); `differences` lists what would be.
 */
export class PlanChangedError extends DomainError.of(409, 'plan-changed', 'The plan was imported before and has changed') {
  constructor(title: string, planId: string, differences: PlanDifferences) {
    super(
      `计划《${title}》已导入，内容有变化：新增${differences.added.length}项、删除${differences.removed.length}项、修改${differences.changed.length}项；` +
        `确认后带 revise: true 再导入，本次未导入任何事项。 The plan was imported before and has changed: import with revise: true to apply the differences.`,
    );
    this.extensions.existingPlanId = planId;
    this.extensions.differences = differences;
  }
}
