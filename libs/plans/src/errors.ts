import { DomainError } from '@duban/http';

export class PlanNotFoundError extends DomainError {
  readonly status = 404;
  readonly slug = 'plan-not-found';
  readonly title = 'Plan not found';
  constructor(id: string) {
    super(`There is no plan ${id}.`);
  }
}

/** Importing would leave items without an owner; the preview shows which names to fix (aliases). */
export class PlanNamesUnresolvedError extends DomainError {
  readonly status = 422;
  readonly slug = 'plan-names-unresolved';
  readonly title = 'Unit names not found in the organisation';
  constructor(unresolved: { name: string; items: string[] }[]) {
    super(
      `未能匹配的单位名称: ${unresolved.map((u) => `${u.name}（${u.items.join('、')}）`).join('；')}. Add them as departments or aliases, then import again.`,
    );
    this.extensions.unresolved = unresolved;
  }
}

/** An item that names no unit and does not fan out has nobody to own it. */
export class PlanItemsWithoutOwnersError extends DomainError {
  readonly status = 422;
  readonly slug = 'plan-items-without-owners';
  readonly title = 'Plan items without a responsible unit';
  constructor(numbers: string[]) {
    super(`未能识别责任单位的事项: ${numbers.join('、')}. Name their units in the text, then import again.`);
    this.extensions.items = numbers;
  }
}
