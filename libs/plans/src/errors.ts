import { DomainError } from '@duban/http';

export class PlanNotFoundError extends DomainError.of(404, 'plan-not-found', 'Plan not found') {
  constructor(id: string) {
    super(`There is no plan ${id}.`);
  }
}

/** Importing would leave items without an owner; the preview shows which names to fix (aliases). */
export class PlanNamesUnresolvedError extends DomainError.of(422, 'plan-names-unresolved', 'Unit names not found in the organisation') {
  constructor(unresolved: { name: string; items: string[] }[]) {
    super(
      `未能匹配的单位名称: ${unresolved.map((u) => `${u.name}（${u.items.join('、')}）`).join('；')}. Add them as departments or aliases, then import again.`,
    );
    this.extensions.unresolved = unresolved;
  }
}

/** An item that names no unit and does not fan out has nobody to own it. */
export class PlanItemsWithoutOwnersError extends DomainError.of(422, 'plan-items-without-owners', 'Plan items without a responsible unit') {
  constructor(numbers: string[]) {
    super(`未能识别责任单位的事项: ${numbers.join('、')}. Name their units in the text, then import again.`);
    this.extensions.items = numbers;
  }
}
