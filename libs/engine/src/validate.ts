import { isDuration } from '@duban/calendar';
import { CARDS, RATING_VALUES, REQUIRABLE_INPUTS, TASK_ROLES } from './definition.js';

export interface DefinitionError {
  /** JSON path of the offending field, e.g. `transitions[2].to`. */
  path: string;
  message: string;
}

type Json = Record<string, unknown>;

const KEY = /^[a-z][a-z0-9-]{0,62}$/;
const ACTION = /^[a-z][a-zA-Z0-9_-]{0,62}$/;

const TOP_FIELDS = ['key', 'name', 'calendar', 'deadline', 'states', 'transitions', 'reminders', 'escalations', 'progress', 'urgent'];
const STATE_FIELDS = ['key', 'label', 'initial', 'terminal', 'pauseClock', 'sla'];
const TRANSITION_FIELDS = ['action', 'label', 'from', 'to', 'allowed', 'requires', 'branches', 'limit'];

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/**
 * Every error of a definition at once, each with its path, so an admin fixes them in one go.
 * Accepts any JSON value: a definition comes straight from an HTTP body.
 */
export function validateDefinition(input: unknown): DefinitionError[] {
  const errors: DefinitionError[] = [];
  const err = (path: string, message: string) => errors.push({ path, message });

  if (!isObject(input)) {
    err('', 'a workflow definition must be a JSON object');
    return errors;
  }
  const unknown = (obj: Json, allowed: string[], base: string) => {
    for (const field of Object.keys(obj)) {
      if (!allowed.includes(field)) err(base ? `${base}.${field}` : field, `unknown field "${field}"`);
    }
  };
  const duration = (value: unknown, path: string, required = true) => {
    if (value === undefined && !required) return;
    if (!isDuration(value)) err(path, 'must be a duration such as 30m, 24h, 3d, 2wh or 5wd');
  };
  const roles = (value: unknown, path: string) => {
    if (!Array.isArray(value) || value.length === 0) {
      err(path, `must be a non-empty list of roles (${TASK_ROLES.join(', ')})`);
      return;
    }
    value.forEach((role, i) => {
      if (!(TASK_ROLES as readonly unknown[]).includes(role)) err(`${path}[${i}]`, `unknown role "${String(role)}"; roles are ${TASK_ROLES.join(', ')}`);
    });
  };
  const card = (value: unknown, path: string) => {
    if (value !== undefined && !(CARDS as readonly unknown[]).includes(value)) err(path, 'must be "yellow" or "red"');
  };

  unknown(input, TOP_FIELDS, '');
  if (!isText(input.key) || !KEY.test(input.key)) err('key', 'must be lower-case letters, digits and "-", starting with a letter');
  if (!isText(input.name)) err('name', 'is required');
  if (input.calendar !== undefined && (!isText(input.calendar) || !KEY.test(input.calendar))) err('calendar', 'must be a calendar key');
  duration(input.deadline, 'deadline', false);

  // States
  const stateKeys = new Set<string>();
  const terminal = new Set<string>();
  let initial: string | undefined;
  if (!Array.isArray(input.states) || input.states.length === 0) {
    err('states', 'must be a non-empty list');
  } else {
    const initials: number[] = [];
    input.states.forEach((state: unknown, i) => {
      const path = `states[${i}]`;
      if (!isObject(state)) return err(path, 'must be an object');
      unknown(state, STATE_FIELDS, path);
      if (!isText(state.key) || !KEY.test(state.key)) err(`${path}.key`, 'must be lower-case letters, digits and "-"');
      else if (stateKeys.has(state.key)) err(`${path}.key`, `duplicate state key "${state.key}"`);
      else stateKeys.add(state.key);
      if (!isText(state.label)) err(`${path}.label`, 'is required');
      for (const flag of ['initial', 'terminal', 'pauseClock'] as const) {
        if (state[flag] !== undefined && typeof state[flag] !== 'boolean') err(`${path}.${flag}`, 'must be true or false');
      }
      if (state.initial === true) {
        initials.push(i);
        if (typeof state.key === 'string') initial = state.key;
      }
      if (state.terminal === true && typeof state.key === 'string') terminal.add(state.key);
      if (state.initial === true && state.terminal === true) err(`${path}.terminal`, 'the initial state cannot be terminal');
      if (state.sla !== undefined) {
        if (!isObject(state.sla)) err(`${path}.sla`, 'must be an object with limit and breach');
        else {
          unknown(state.sla, ['limit', 'breach'], `${path}.sla`);
          duration(state.sla.limit, `${path}.sla.limit`);
          if (!isObject(state.sla.breach)) err(`${path}.sla.breach`, 'must be an object with notify and an optional card');
          else {
            unknown(state.sla.breach, ['notify', 'card'], `${path}.sla.breach`);
            roles(state.sla.breach.notify, `${path}.sla.breach.notify`);
            card(state.sla.breach.card, `${path}.sla.breach.card`);
          }
        }
      }
    });
    if (initials.length === 0) err('states', 'exactly one state must be initial; none is');
    if (initials.length > 1) initials.slice(1).forEach((i) => err(`states[${i}].initial`, 'exactly one state must be initial; this is another'));
    if (terminal.size === 0) err('states', 'at least one state must be terminal');
  }

  // Transitions
  const edges = new Map<string, Set<string>>();
  if (!Array.isArray(input.transitions) || input.transitions.length === 0) {
    err('transitions', 'must be a non-empty list');
  } else {
    const seen = new Set<string>();
    input.transitions.forEach((t: unknown, i) => {
      const path = `transitions[${i}]`;
      if (!isObject(t)) return err(path, 'must be an object');
      unknown(t, TRANSITION_FIELDS, path);
      const action = isText(t.action) && ACTION.test(t.action) ? t.action : undefined;
      if (!action) err(`${path}.action`, 'must be a name of letters, digits, "-" or "_", starting with a letter');
      if (t.label !== undefined && !isText(t.label)) err(`${path}.label`, 'must be a non-empty text when given');
      const targetKnown = isText(t.to) && stateKeys.has(t.to);
      if (!targetKnown) err(`${path}.to`, isText(t.to) ? `unknown state "${t.to}"` : 'is required');
      if (!Array.isArray(t.from) || t.from.length === 0) err(`${path}.from`, 'must be a non-empty list of states');
      else
        t.from.forEach((from: unknown, j) => {
          if (!isText(from) || !stateKeys.has(from)) return err(`${path}.from[${j}]`, `unknown state "${String(from)}"`);
          if (action) {
            const pair = `${from}\u0000${action}`;
            if (seen.has(pair)) err(`${path}.action`, `duplicate transition: "${action}" from "${from}" is defined twice`);
            seen.add(pair);
          }
          if (targetKnown) {
            if (!edges.has(from)) edges.set(from, new Set());
            edges.get(from)!.add(t.to as string);
          }
        });
      if (t.limit !== undefined && (!Number.isInteger(t.limit) || (t.limit as number) < 1)) err(`${path}.limit`, 'must be a whole number of times, at least 1');
      if (t.branches !== undefined) {
        if (!Array.isArray(t.branches)) err(`${path}.branches`, 'must be a list of {rating, to}');
        else
          t.branches.forEach((b: unknown, j) => {
            const bp = `${path}.branches[${j}]`;
            if (!isObject(b)) return err(bp, 'must be an object with rating and to');
            unknown(b, ['rating', 'to'], bp);
            if (!Array.isArray(b.rating) || b.rating.length === 0 || !b.rating.every((r) => (RATING_VALUES as readonly unknown[]).includes(r))) {
              err(`${bp}.rating`, `must be a non-empty list of ${RATING_VALUES.join(', ')}`);
            }
            if (!isText(b.to) || !stateKeys.has(b.to)) return err(`${bp}.to`, isText(b.to) ? `unknown state "${b.to}"` : 'is required');
            if (!(Array.isArray(t.requires) && t.requires.includes('rating'))) err(`${path}.requires`, 'must include rating when the transition branches on it');
            if (Array.isArray(t.from)) for (const from of t.from) if (isText(from) && stateKeys.has(from)) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(b.to);
          });
      }
      roles(t.allowed, `${path}.allowed`);
      if (t.requires !== undefined) {
        if (!Array.isArray(t.requires)) err(`${path}.requires`, `must be a list of ${REQUIRABLE_INPUTS.join(', ')}`);
        else
          t.requires.forEach((r: unknown, j) => {
            if (!(REQUIRABLE_INPUTS as readonly unknown[]).includes(r)) err(`${path}.requires[${j}]`, `unknown input "${String(r)}"; inputs are ${REQUIRABLE_INPUTS.join(', ')}`);
          });
      }
    });
  }

  // Reachability from the initial state.
  if (initial && stateKeys.has(initial)) {
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
    if (Array.isArray(input.states)) {
      input.states.forEach((state: unknown, i) => {
        if (isObject(state) && isText(state.key) && stateKeys.has(state.key) && !reached.has(state.key)) {
          err(`states[${i}]`, `state "${state.key}" cannot be reached from the initial state "${initial}"`);
        }
      });
    }
    if (terminal.size > 0 && ![...terminal].some((t) => reached.has(t))) {
      err('states', 'no terminal state can be reached from the initial state');
    }
  }

  // Reminders, escalations, progress
  if (input.reminders !== undefined) {
    if (!Array.isArray(input.reminders)) err('reminders', 'must be a list');
    else
      input.reminders.forEach((r: unknown, i) => {
        const path = `reminders[${i}]`;
        if (!isObject(r)) return err(path, 'must be an object');
        unknown(r, ['before', 'notify'], path);
        duration(r.before, `${path}.before`);
        roles(r.notify, `${path}.notify`);
      });
  }
  if (input.escalations !== undefined) {
    if (!Array.isArray(input.escalations)) err('escalations', 'must be a list');
    else {
      let previous = 0;
      input.escalations.forEach((e: unknown, i) => {
        const path = `escalations[${i}]`;
        if (!isObject(e)) return err(path, 'must be an object');
        unknown(e, ['level', 'after', 'notify', 'card'], path);
        if (!Number.isInteger(e.level) || (e.level as number) < 1) err(`${path}.level`, 'must be a whole number from 1');
        else if ((e.level as number) <= previous) err(`${path}.level`, `levels must increase strictly; ${String(e.level)} follows ${previous}`);
        if (Number.isInteger(e.level)) previous = Math.max(previous, e.level as number);
        duration(e.after, `${path}.after`);
        roles(e.notify, `${path}.notify`);
        card(e.card, `${path}.card`);
      });
    }
  }
  if (input.progress !== undefined) {
    const p = input.progress;
    if (!isObject(p)) err('progress', 'must be an object with every, day and notify');
    else {
      unknown(p, ['every', 'day', 'notify'], 'progress');
      if (p.every !== 'month' && p.every !== 'week') err('progress.every', 'must be "month" or "week"');
      const max = p.every === 'week' ? 7 : 28;
      if (!Number.isInteger(p.day) || (p.day as number) < 1 || (p.day as number) > max) {
        err('progress.day', p.every === 'week' ? 'must be a weekday from 1 (Monday) to 7 (Sunday)' : 'must be a day of the month from 1 to 28');
      }
      roles(p.notify, 'progress.notify');
    }
  }
  if (input.urgent !== undefined) {
    const u = input.urgent;
    if (!isObject(u)) err('urgent', 'must be an object with deadline and/or sla');
    else {
      unknown(u, ['deadline', 'sla'], 'urgent');
      duration(u.deadline, 'urgent.deadline', false);
      if (u.sla !== undefined) {
        if (!isObject(u.sla)) err('urgent.sla', 'must map state keys to durations');
        else
          for (const [key, limit] of Object.entries(u.sla)) {
            if (!stateKeys.has(key)) err(`urgent.sla.${key}`, `unknown state "${key}"`);
            duration(limit, `urgent.sla.${key}`);
          }
      }
    }
  }
  return errors;
}
