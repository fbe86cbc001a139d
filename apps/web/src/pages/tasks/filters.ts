import type { TaskQuery } from '../../hooks/tasks';

/** The /tasks filters as URL query parameters (a filtered list is bookmarkable), read and written. */
const TEXT = [
  'state',
  'departmentId',
  'primaryDepartmentId',
  'workflow',
  'q',
  'dueFrom',
  'dueTo',
  'createdFrom',
  'createdTo',
  'closedFrom',
  'closedTo',
] as const;
const CARDS = ['yellow', 'red', 'none'] as const;
const LIGHTS = ['green', 'yellow', 'red'] as const;
const SORTS = ['dueAt', '-dueAt', 'urgency'] as const;

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined => (values.includes(value as T) ? (value as T) : undefined);

const positive = (value: string | null, fallback: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

export const PAGE_SIZE = 20;

/** The list query the URL says (unknown or malformed values are left out). */
export function queryFromParams(params: URLSearchParams): TaskQuery {
  const query: TaskQuery = { page: positive(params.get('page'), 1), limit: Math.min(positive(params.get('limit'), PAGE_SIZE), 100) };
  for (const name of TEXT) {
    const value = params.get(name)?.trim();
    if (value) query[name] = value;
  }
  if (params.get('overdue') === 'true') query.overdue = true;
  // Open tasks only: the 督办台's counts link here with it.
  if (params.get('open') === 'true') query.open = true;
  query.card = oneOf(CARDS, params.get('card'));
  query.light = oneOf(LIGHTS, params.get('light'));
  query.sort = oneOf(SORTS, params.get('sort'));
  return query;
}

/** The URL parameters of a query (defaults left out, so a plain list has a plain URL). */
export function paramsFromQuery(query: TaskQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === '' || value === false) continue;
    if (name === 'page' && value === 1) continue;
    if (name === 'limit' && value === PAGE_SIZE) continue;
    params.set(name, String(value));
  }
  return params;
}
