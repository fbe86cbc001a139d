import type { RequirableInput } from './definition.js';

/**
 * Acts every workflow has besides its transitions (API.md Tasks, "Built-in acts"): 催办 (urge),
 * 亮牌 (card by hand) and 撤销亮牌 (withdraw a card given by mistake). They change no state; who
 * may take them is the engine's rule, not a definition's. `requires` names the inputs the
 * console asks for (`card` is the colour, yellow or red).
 */
export const BUILT_IN_ACTS = {
  urge: { label: '催办', requires: ['comment'] },
  card: { label: '亮牌', requires: ['card', 'comment'] },
  'withdraw-card': { label: '撤销亮牌', requires: ['comment'] },
} as const satisfies Record<string, { label: string; requires: readonly (RequirableInput | 'card')[] }>;

export type BuiltInAct = keyof typeof BUILT_IN_ACTS;

/** Whether `action` names a built-in act rather than a transition of the definition. */
export function isBuiltInAct(action: string): action is BuiltInAct {
  return Object.hasOwn(BUILT_IN_ACTS, action);
}
