import { isDuration } from '@duban/calendar';
import { BUILT_IN_ACTS, isBuiltInAct } from './acts.js';
import { CARDS, KPI_ROLES, LATE_NOTICES, RATING_VALUES, REQUIRABLE_INPUTS, TASK_ROLES } from './definition.js';

export interface DefinitionError {
  /** JSON path of the offending field, e.g. `transitions[2].to`. */
  path: string;
  message: string;
}

type Json = Record<string, unknown>;

const KEY = /^[a-z][a-z0-9-]{0,62}$/;
const ACTION = /^[a-z][a-zA-Z0-9_-]{0,62}$/;

const TOP_FIELDS = [
  'key',
  'name',
  'calendar',
  'deadline',
  'states',
  'transitions',
  'reminders',
  'escalations',
  'progress',
  'urgent',
  'lateNotices',
  'coOpinions',
];
const STATE_FIELDS = ['key', 'label', 'initial', 'terminal', 'pauseClock', 'sla', 'callback'];
const TRANSITION_FIELDS = [
  'action',
  'label',
  'from',
  'to',
  'allowed',
  'requires',
  'branches',
  'limit',
  'kpi',
  'window',
  'maxExtension',
  'proposes',
  'grants',
  'waitsForChildren',
];

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** The errors found so far and the checks every part of a definition shares. */
class Checks {
  readonly errors: DefinitionError[] = [];

  err(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  unknown(obj: Json, allowed: string[], base: string): void {
    for (const field of Object.keys(obj)) {
      if (!allowed.includes(field)) this.err(base ? `${base}.${field}` : field, `未知字段“${field}”。unknown field "${field}"`);
    }
  }

  duration(value: unknown, path: string, required = true): void {
    if (value === undefined && !required) return;
    if (!isDuration(value)) this.err(path, '须为时长，如 30m、24h、3d、2wh、5wd 或 13wde。must be a duration such as 30m, 24h, 3d, 2wh, 5wd or 13wde');
  }

  roles(value: unknown, path: string): void {
    if (!Array.isArray(value) || value.length === 0) {
      this.err(path, `须为非空的角色列表（${TASK_ROLES.join('、')}）。must be a non-empty list of roles (${TASK_ROLES.join(', ')})`);
      return;
    }
    value.forEach((role, i) => {
      if (!(TASK_ROLES as readonly unknown[]).includes(role))
        this.err(
          `${path}[${i}]`,
          `未知角色“${String(role)}”，可用角色：${TASK_ROLES.join('、')}。unknown role "${String(role)}"; roles are ${TASK_ROLES.join(', ')}`,
        );
    });
  }

  card(value: unknown, path: string): void {
    if (value !== undefined && !(CARDS as readonly unknown[]).includes(value))
      this.err(path, '须为 "yellow"（黄牌）或 "red"（红牌）。must be "yellow" or "red"');
  }
}

/** What the states section declares, for the checks of the sections after it. */
interface StateFacts {
  keys: Set<string>;
  terminal: Set<string>;
  initial: string | undefined;
}

/** Transition edges from each state, branches included, for the reachability check. */
type Edges = Map<string, Set<string>>;

/**
 * Every error of a definition at once, each with its path, so an admin fixes them in one go.
 * Accepts any JSON value: a definition comes straight from an HTTP body.
 */
export function validateDefinition(input: unknown): DefinitionError[] {
  const c = new Checks();
  if (!isObject(input)) {
    c.err('', '流程定义须为 JSON 对象。a workflow definition must be a JSON object');
    return c.errors;
  }
  c.unknown(input, TOP_FIELDS, '');
  if (!isText(input.key) || !KEY.test(input.key))
    c.err('key', '须由小写字母、数字和“-”组成，并以字母开头。must be lower-case letters, digits and "-", starting with a letter');
  if (!isText(input.name)) c.err('name', '必填。is required');
  if (input.calendar !== undefined && (!isText(input.calendar) || !KEY.test(input.calendar))) c.err('calendar', '须为工作日历的键。must be a calendar key');
  c.duration(input.deadline, 'deadline', false);
  const states = checkStates(c, input.states);
  const edges = checkTransitions(c, input.transitions, states);
  checkGrants(c, input.transitions);
  checkReachability(c, input.states, states, edges);
  checkReminders(c, input.reminders);
  checkEscalations(c, input.escalations);
  checkProgress(c, input.progress);
  checkUrgent(c, input.urgent, states.keys);
  checkCallbacks(c, input.states, input.transitions);
  checkCoOpinions(c, input.coOpinions, input.transitions);
  if (input.lateNotices !== undefined && !(LATE_NOTICES as readonly unknown[]).includes(input.lateNotices)) {
    c.err('lateNotices', `须为以下之一：${LATE_NOTICES.join('、')}。must be one of ${LATE_NOTICES.join(', ')}`);
  }
  return c.errors;
}

function checkStates(c: Checks, list: unknown): StateFacts {
  const facts: StateFacts = { keys: new Set(), terminal: new Set(), initial: undefined };
  if (!Array.isArray(list) || list.length === 0) {
    c.err('states', '须为非空列表。must be a non-empty list');
    return facts;
  }
  const initials: number[] = [];
  list.forEach((state: unknown, i) => {
    const path = `states[${i}]`;
    if (!isObject(state)) return c.err(path, '须为对象。must be an object');
    c.unknown(state, STATE_FIELDS, path);
    if (!isText(state.key) || !KEY.test(state.key)) c.err(`${path}.key`, '须由小写字母、数字和“-”组成。must be lower-case letters, digits and "-"');
    else if (facts.keys.has(state.key)) c.err(`${path}.key`, `状态键“${state.key}”重复。duplicate state key "${state.key}"`);
    else facts.keys.add(state.key);
    if (!isText(state.label)) c.err(`${path}.label`, '必填。is required');
    for (const flag of ['initial', 'terminal', 'pauseClock'] as const) {
      if (state[flag] !== undefined && typeof state[flag] !== 'boolean') c.err(`${path}.${flag}`, '须为 true 或 false。must be true or false');
    }
    if (state.initial === true) {
      initials.push(i);
      if (typeof state.key === 'string') facts.initial = state.key;
    }
    if (state.terminal === true && typeof state.key === 'string') facts.terminal.add(state.key);
    if (state.initial === true && state.terminal === true) c.err(`${path}.terminal`, '初始状态不能是终止状态。the initial state cannot be terminal');
    if (state.sla !== undefined) checkSla(c, state.sla, `${path}.sla`);
  });
  if (initials.length === 0) c.err('states', '须有且仅有一个初始状态，现在没有。exactly one state must be initial; none is');
  if (initials.length > 1)
    initials
      .slice(1)
      .forEach((i) => c.err(`states[${i}].initial`, '须有且仅有一个初始状态，这是多出的一个。exactly one state must be initial; this is another'));
  if (facts.terminal.size === 0) c.err('states', '至少须有一个终止状态。at least one state must be terminal');
  return facts;
}

function checkSla(c: Checks, sla: unknown, path: string): void {
  if (!isObject(sla)) return c.err(path, '须为含 limit（时限）和 breach（超时处理）的对象。must be an object with limit and breach');
  c.unknown(sla, ['limit', 'breach'], path);
  c.duration(sla.limit, `${path}.limit`);
  if (!isObject(sla.breach))
    return c.err(`${path}.breach`, '须为含 notify（通知对象）和可选 card（牌）的对象。must be an object with notify and an optional card');
  c.unknown(sla.breach, ['notify', 'card'], `${path}.breach`);
  c.roles(sla.breach.notify, `${path}.breach.notify`);
  c.card(sla.breach.card, `${path}.breach.card`);
}

function checkTransitions(c: Checks, list: unknown, states: StateFacts): Edges {
  const edges: Edges = new Map();
  if (!Array.isArray(list) || list.length === 0) {
    c.err('transitions', '须为非空列表。must be a non-empty list');
    return edges;
  }
  // "<from>\0<action>" pairs: one transition per action and state.
  const seen = new Set<string>();
  list.forEach((t: unknown, i) => checkTransition(c, t, `transitions[${i}]`, states, edges, seen));
  return edges;
}

function addEdge(edges: Edges, from: string, to: string): void {
  if (!edges.has(from)) edges.set(from, new Set());
  edges.get(from)!.add(to);
}

function checkTransition(c: Checks, t: unknown, path: string, states: StateFacts, edges: Edges, seen: Set<string>): void {
  if (!isObject(t)) return c.err(path, '须为对象。must be an object');
  c.unknown(t, TRANSITION_FIELDS, path);
  const action = isText(t.action) && ACTION.test(t.action) ? t.action : undefined;
  if (!action) c.err(`${path}.action`, '须由字母、数字、“-”或“_”组成，并以字母开头。must be a name of letters, digits, "-" or "_", starting with a letter');
  else if (isBuiltInAct(action)) {
    c.err(
      `${path}.action`,
      `“${action}”（${BUILT_IN_ACTS[action].label}）是所有流程内置的操作，不能定义为流转。` +
        `"${action}" (${BUILT_IN_ACTS[action].label}) is a built-in act of every workflow and cannot be defined as a transition`,
    );
  }
  if (t.label !== undefined && !isText(t.label)) c.err(`${path}.label`, '填写时不能为空。must be a non-empty text when given');
  const targetKnown = isText(t.to) && states.keys.has(t.to);
  if (!targetKnown) c.err(`${path}.to`, isText(t.to) ? `未知状态“${t.to}”。unknown state "${t.to}"` : '必填。is required');
  if (!Array.isArray(t.from) || t.from.length === 0) c.err(`${path}.from`, '须为非空的状态列表。must be a non-empty list of states');
  else
    t.from.forEach((from: unknown, j) => {
      if (!isText(from) || !states.keys.has(from)) return c.err(`${path}.from[${j}]`, `未知状态“${String(from)}”。unknown state "${String(from)}"`);
      if (action) {
        const pair = `${from}\u0000${action}`;
        if (seen.has(pair))
          c.err(`${path}.action`, `流转重复：从“${from}”出发的“${action}”定义了两次。duplicate transition: "${action}" from "${from}" is defined twice`);
        seen.add(pair);
      }
      if (targetKnown) addEdge(edges, from, t.to as string);
    });
  if (t.limit !== undefined && (!Number.isInteger(t.limit) || (t.limit as number) < 1))
    c.err(`${path}.limit`, '须为不小于 1 的整数次数。must be a whole number of times, at least 1');
  if (t.branches !== undefined) checkBranches(c, t, path, states, edges);
  c.roles(t.allowed, `${path}.allowed`);
  if (t.requires !== undefined) {
    if (!Array.isArray(t.requires))
      c.err(`${path}.requires`, `须为以下输入项的列表：${REQUIRABLE_INPUTS.join('、')}。must be a list of ${REQUIRABLE_INPUTS.join(', ')}`);
    else
      t.requires.forEach((r: unknown, j) => {
        if (!(REQUIRABLE_INPUTS as readonly unknown[]).includes(r))
          c.err(
            `${path}.requires[${j}]`,
            `未知输入项“${String(r)}”，可用：${REQUIRABLE_INPUTS.join('、')}。unknown input "${String(r)}"; inputs are ${REQUIRABLE_INPUTS.join(', ')}`,
          );
      });
  }
  if (t.kpi !== undefined) checkKpi(c, t, path, states);
  if (t.window !== undefined) checkWindow(c, t.window, `${path}.window`);
  if (t.waitsForChildren !== undefined && typeof t.waitsForChildren !== 'boolean')
    c.err(`${path}.waitsForChildren`, '须为 true 或 false。must be true or false');
  checkDueDate(c, t, path);
}

const requiresDueAt = (t: Json) => Array.isArray(t.requires) && t.requires.includes('dueAt');

/**
 * The due-date attributes (dueDateRule): `proposes` and `grants` take only "dueAt" and exclude
 * each other; a request is no extension (the approval is); `maxExtension` caps a date the
 * transition takes, so it needs one.
 */
function checkDueDate(c: Checks, t: Json, path: string): void {
  for (const field of ['proposes', 'grants'] as const) {
    if (t[field] !== undefined && t[field] !== 'dueAt') c.err(`${path}.${field}`, '须为 "dueAt"。must be "dueAt"');
  }
  if (t.proposes !== undefined && t.grants !== undefined)
    c.err(`${path}.grants`, '同一流转不能既申请又批准办理期限。a transition cannot both propose and grant a due date');
  if (t.proposes !== undefined && t.kpi === 'extension')
    c.err(`${path}.kpi`, '申请期限不算延期，批准它的流转才算。a request for a date is not an extension: the transition that grants it is');
  if (t.maxExtension !== undefined) {
    c.duration(t.maxExtension, `${path}.maxExtension`);
    if (!requiresDueAt(t) && t.proposes === undefined && t.grants === undefined) {
      c.err(`${path}.maxExtension`, '仅适用于需要、申请或批准 dueAt 的流转。applies only to a transition that requires, proposes or grants dueAt');
    }
  }
}

/** A grant that does not require a date of its own grants the one asked for: some transition must ask. */
function checkGrants(c: Checks, list: unknown): void {
  if (!Array.isArray(list)) return;
  const proposed = list.some((t) => isObject(t) && t.proposes === 'dueAt');
  list.forEach((t: unknown, i) => {
    if (isObject(t) && t.grants === 'dueAt' && !requiresDueAt(t) && !proposed) {
      c.err(
        `transitions[${i}].grants`,
        '批准的是申请的期限，但没有流转申请期限（proposes: "dueAt"）；或改为需要 dueAt。' +
          'grants the date a request asked for, but no transition proposes one (proposes: "dueAt"); or require dueAt',
      );
    }
  });
}

/** When an action may be taken: within a duration of entering its state, and/or before the due date. */
function checkWindow(c: Checks, w: unknown, path: string): void {
  if (!isObject(w)) return c.err(path, '须为含 within 和/或 beforeDue 的对象。must be an object with within and/or beforeDue');
  c.unknown(w, ['within', 'beforeDue'], path);
  c.duration(w.within, `${path}.within`, false);
  if (w.beforeDue !== undefined && typeof w.beforeDue !== 'boolean') c.err(`${path}.beforeDue`, '须为 true 或 false。must be true or false');
  if (w.within === undefined && w.beforeDue !== true)
    c.err(path, '须给出 within（自进入状态起的时长）和/或 beforeDue: true。must give within (a duration from entering the state) and/or beforeDue: true');
}

function checkBranches(c: Checks, t: Json, path: string, states: StateFacts, edges: Edges): void {
  if (!Array.isArray(t.branches)) return c.err(`${path}.branches`, '须为 {rating, to} 的列表。must be a list of {rating, to}');
  t.branches.forEach((b: unknown, j) => {
    const bp = `${path}.branches[${j}]`;
    if (!isObject(b)) return c.err(bp, '须为含 rating 和 to 的对象。must be an object with rating and to');
    c.unknown(b, ['rating', 'to'], bp);
    if (!Array.isArray(b.rating) || b.rating.length === 0 || !b.rating.every((r) => (RATING_VALUES as readonly unknown[]).includes(r))) {
      c.err(`${bp}.rating`, `须为非空列表，取值：${RATING_VALUES.join('、')}。must be a non-empty list of ${RATING_VALUES.join(', ')}`);
    }
    if (!isText(b.to) || !states.keys.has(b.to)) return c.err(`${bp}.to`, isText(b.to) ? `未知状态“${b.to}”。unknown state "${b.to}"` : '必填。is required');
    if (!(Array.isArray(t.requires) && t.requires.includes('rating')))
      c.err(`${path}.requires`, '按评价分支的流转须需要 rating。must include rating when the transition branches on it');
    if (Array.isArray(t.from)) for (const from of t.from) if (isText(from) && states.keys.has(from)) addEdge(edges, from, b.to);
  });
}

/**
 * What a transition counts as in the reports. An extension sets a new due date, so it must
 * require or grant one; an acceptance (签收) is of a task just assigned, so it leaves the initial state.
 */
function checkKpi(c: Checks, t: Json, path: string, states: StateFacts): void {
  if (!(KPI_ROLES as readonly unknown[]).includes(t.kpi))
    return c.err(`${path}.kpi`, `须为以下之一：${KPI_ROLES.join('、')}。must be one of ${KPI_ROLES.join(', ')}`);
  if (t.kpi === 'extension' && !requiresDueAt(t) && t.grants !== 'dueAt') {
    c.err(
      `${path}.requires`,
      '计为延期的流转须需要 dueAt（或批准期限）。must include dueAt (or the transition grant it) when the transition counts as an extension',
    );
  }
  if (t.kpi === 'acceptance' && states.initial && Array.isArray(t.from) && !t.from.includes(states.initial)) {
    c.err(
      `${path}.from`,
      `计为签收的流转须从初始状态“${states.initial}”出发。must include the initial state "${states.initial}" when the transition counts as acceptance`,
    );
  }
}

function checkReachability(c: Checks, list: unknown, states: StateFacts, edges: Edges): void {
  const { initial, keys, terminal } = states;
  if (!initial || !keys.has(initial)) return;
  const reached = new Set([initial]);
  const queue = [initial];
  while (queue.length > 0) {
    for (const next of edges.get(queue.shift()!) ?? []) {
      if (!reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  if (Array.isArray(list)) {
    list.forEach((state: unknown, i) => {
      if (isObject(state) && isText(state.key) && keys.has(state.key) && !reached.has(state.key)) {
        c.err(`states[${i}]`, `从初始状态“${initial}”无法到达状态“${state.key}”。state "${state.key}" cannot be reached from the initial state "${initial}"`);
      }
    });
  }
  if (terminal.size > 0 && ![...terminal].some((t) => reached.has(t)))
    c.err('states', '从初始状态无法到达任何终止状态。no terminal state can be reached from the initial state');
}

function checkReminders(c: Checks, list: unknown): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) return c.err('reminders', '须为列表。must be a list');
  list.forEach((r: unknown, i) => {
    const path = `reminders[${i}]`;
    if (!isObject(r)) return c.err(path, '须为对象。must be an object');
    c.unknown(r, ['before', 'notify', 'card'], path);
    c.duration(r.before, `${path}.before`);
    c.roles(r.notify, `${path}.notify`);
    c.card(r.card, `${path}.card`);
  });
}

function checkEscalations(c: Checks, list: unknown): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) return c.err('escalations', '须为列表。must be a list');
  let previous = 0;
  list.forEach((e: unknown, i) => {
    const path = `escalations[${i}]`;
    if (!isObject(e)) return c.err(path, '须为对象。must be an object');
    c.unknown(e, ['level', 'after', 'notify', 'card'], path);
    if (!Number.isInteger(e.level) || (e.level as number) < 1) c.err(`${path}.level`, '须为从 1 起的整数。must be a whole number from 1');
    else if ((e.level as number) <= previous)
      c.err(`${path}.level`, `级别须严格递增，${String(e.level)} 排在 ${previous} 之后。levels must increase strictly; ${String(e.level)} follows ${previous}`);
    if (Number.isInteger(e.level)) previous = Math.max(previous, e.level as number);
    c.duration(e.after, `${path}.after`);
    c.roles(e.notify, `${path}.notify`);
    c.card(e.card, `${path}.card`);
  });
}

function checkProgress(c: Checks, p: unknown): void {
  if (p === undefined) return;
  if (!isObject(p)) return c.err('progress', '须为含 every、day 和 notify 的对象。must be an object with every, day and notify');
  c.unknown(p, ['every', 'day', 'notify'], 'progress');
  if (p.every !== 'month' && p.every !== 'week') c.err('progress.every', '须为 "month"（每月）或 "week"（每周）。must be "month" or "week"');
  const max = p.every === 'week' ? 7 : 28;
  if (!Number.isInteger(p.day) || (p.day as number) < 1 || (p.day as number) > max) {
    c.err(
      'progress.day',
      p.every === 'week'
        ? '须为星期几，1（周一）到 7（周日）。must be a weekday from 1 (Monday) to 7 (Sunday)'
        : '须为每月的第 1 到 28 日。must be a day of the month from 1 to 28',
    );
  }
  c.roles(p.notify, 'progress.notify');
}

function checkUrgent(c: Checks, u: unknown, stateKeys: Set<string>): void {
  if (u === undefined) return;
  if (!isObject(u)) return c.err('urgent', '须为含 deadline 和/或 sla 的对象。must be an object with deadline and/or sla');
  c.unknown(u, ['deadline', 'sla'], 'urgent');
  c.duration(u.deadline, 'urgent.deadline', false);
  if (u.sla === undefined) return;
  if (!isObject(u.sla)) return c.err('urgent.sla', '须为状态键到时长的映射。must map state keys to durations');
  for (const [key, limit] of Object.entries(u.sla)) {
    if (!stateKeys.has(key)) c.err(`urgent.sla.${key}`, `未知状态“${key}”。unknown state "${key}"`);
    c.duration(limit, `urgent.sla.${key}`);
  }
}

/**
 * A call-back (回访) is due within a duration of entering its state and done by a rating, so the
 * state needs a transition from it that requires one.
 */
function checkCallbacks(c: Checks, states: unknown, transitions: unknown): void {
  if (!Array.isArray(states)) return;
  states.forEach((state: unknown, i) => {
    if (!isObject(state) || state.callback === undefined) return;
    const path = `states[${i}].callback`;
    const cb = state.callback;
    if (!isObject(cb)) return c.err(path, '须为含 within 和 notify 的对象。must be an object with within and notify');
    c.unknown(cb, ['within', 'notify'], path);
    c.duration(cb.within, `${path}.within`);
    c.roles(cb.notify, `${path}.notify`);
    const rated =
      Array.isArray(transitions) &&
      transitions.some((t) => isObject(t) && Array.isArray(t.from) && t.from.includes(state.key) && Array.isArray(t.requires) && t.requires.includes('rating'));
    if (!rated)
      c.err(
        path,
        `回访以评价完成：状态“${String(state.key)}”须有一个需要 rating 的流出流转。` +
          `the call-back is done by a rating: "${String(state.key)}" needs a transition from it that requires rating`,
      );
  });
}

/**
 * The co-units' opinions (会办意见): due `within` of the assignment, given by taking `action`,
 * which must be a transition co-owners may take; reminders `before` the due date, and a late
 * notice, each telling the roles they name.
 */
function checkCoOpinions(c: Checks, co: unknown, transitions: unknown): void {
  if (co === undefined) return;
  const path = 'coOpinions';
  if (!isObject(co))
    return c.err(path, '须为含 action、within 及可选 reminders、late 的对象。must be an object with action, within, and optional reminders and late');
  c.unknown(co, ['action', 'within', 'reminders', 'late'], path);
  c.duration(co.within, `${path}.within`);
  const named = Array.isArray(transitions) ? transitions.filter((t): t is Json => isObject(t) && t.action === co.action) : [];
  if (!isText(co.action)) c.err(`${path}.action`, '必填：协办单位提交会办意见的流转。is required: the transition by which a co-unit gives its opinion');
  else if (named.length === 0) c.err(`${path}.action`, `没有流转“${co.action}”。no transition "${co.action}"`);
  else if (!named.every((t) => Array.isArray(t.allowed) && t.allowed.includes('co-owner'))) {
    c.err(
      `${path}.action`,
      `会办意见由协办单位提交：每个“${co.action}”流转都须允许 co-owner。co-units give their opinion: every "${co.action}" transition must allow co-owner`,
    );
  }
  if (co.reminders !== undefined) {
    if (!Array.isArray(co.reminders)) c.err(`${path}.reminders`, '须为 {before, notify} 的列表。must be a list of {before, notify}');
    else
      co.reminders.forEach((r: unknown, i) => {
        const rp = `${path}.reminders[${i}]`;
        if (!isObject(r)) return c.err(rp, '须为含 before 和 notify 的对象。must be an object with before and notify');
        c.unknown(r, ['before', 'notify'], rp);
        c.duration(r.before, `${rp}.before`);
        c.roles(r.notify, `${rp}.notify`);
      });
  }
  if (co.late === undefined) return;
  if (!isObject(co.late)) return c.err(`${path}.late`, '须为含 notify 的对象。must be an object with notify');
  c.unknown(co.late, ['notify'], `${path}.late`);
  c.roles(co.late.notify, `${path}.late.notify`);
}
