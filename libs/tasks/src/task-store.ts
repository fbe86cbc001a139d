import { Injectable } from '@nestjs/common';
import { auditInsert } from '@duban/audit';
import type { PlannedTimer, TimerKind } from '@duban/engine';
import type { EntityManager } from 'typeorm';
import { type Scope, scopeCondition } from './scope.js';
import { CHANGEABLE_COLUMNS, type ChangeableColumn, TASK_COLUMNS, type TaskRow } from './task-row.js';
import type { CardFact, NewTaskRow, NewOutboxEvent, TaskFact, TaskInsert, TaskUpdate } from './task-writes.js';

/** A timer row as firing claims it. */
export interface ClaimedTimer {
  id: string;
  task_id: string;
  key: string;
  kind: TimerKind;
  due_at: Date;
  notify: PlannedTimer['notify'];
  level: number | null;
  card: 'yellow' | 'red' | null;
}

/** The columns of a new task in the insert statement's input, with their SQL types. */
const INSERT_COLUMNS = {
  id: 'uuid',
  workflow_key: 'text',
  workflow_version: 'int',
  title: 'text',
  body: 'text',
  state: 'text',
  state_entered_at: 'timestamptz',
  parent_id: 'uuid',
  external_ref: 'text',
  import_key: 'text',
  priority: 'text',
  due_at: 'timestamptz',
  paused_since: 'timestamptz',
  card: 'text',
  data: 'jsonb',
  created_by: 'uuid',
  created_at: 'timestamptz',
  closed_at: 'timestamptz',
  plan_id: 'uuid',
  primary_department_id: 'uuid',
  accepted_at: 'timestamptz',
  accepted_on_time: 'boolean',
  paused_working_ms: 'bigint',
  yellow_from: 'timestamptz',
  handling_working_days: 'float8',
  closed_early: 'boolean',
  rating: 'text',
  rated_at: 'timestamptz',
  audit_seq: 'int',
  audit_hash: 'text',
  supervising_department_ids: 'uuid[]',
} as const satisfies Record<Exclude<keyof NewTaskRow, 'ref'> | 'audit_seq' | 'audit_hash', string>;

const recordset = (columns: Record<string, string>) =>
  Object.entries(columns)
    .map(([name, type]) => `${name} ${type}`)
    .join(', ');

/**
 * The only writer of a task's protocol: its row and `version`, the head of its audit chain and
 * the links appended to it, its pending timers, its outbox events, its dated report facts
 * (task_events) and its co-units' opinions (task_co_opinions). Every writer (creation, plan and history import, actions, timer firing) hands
 * it rows decided by the pure rules; each call is one statement, inside the caller's
 * transaction, which must hold the lock of every task it updates (`lock`, `lockForTimers`).
 */
@Injectable()
export class TaskStore {
  /**
   * Inserts new tasks with their owners, first audit links, timers, events and facts.
   * A task whose external_ref or import_key exists already (or comes twice in `inserts`) is left
   * out with everything of it; ids and refs are fresh, so those are the only conflicts.
   * @returns the ids inserted, in no particular order.
   */
  async insert(tx: EntityManager, inserts: readonly TaskInsert[]): Promise<string[]> {
    if (inserts.length === 0) return [];
    const params: unknown[] = [
      JSON.stringify(inserts.map((i) => ({ ...i.task, audit_seq: i.link.seq, audit_hash: i.link.hash }))),
      JSON.stringify(inserts.flatMap((i) => i.owners.map((o, position) => ({ task_id: i.task.id, department_id: o.departmentId, role: o.role, position })))),
    ];
    const names = Object.keys(INSERT_COLUMNS).join(', ');
    const inserted = `SELECT id FROM ins`;
    const rows = (await tx.query(
      `WITH input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(ref text, ${recordset(INSERT_COLUMNS)})),
            ins AS (INSERT INTO tasks (ref, updated_at, ${names})
                    SELECT coalesce(ref, 'DB-' || lpad(nextval('task_ref_seq')::text, 8, '0')), coalesce(closed_at, created_at), ${names} FROM input
                    ON CONFLICT DO NOTHING RETURNING id),
            owners AS (INSERT INTO task_owners (task_id, department_id, role, position)
                       SELECT o.task_id, o.department_id, o.role, o.position
                         FROM jsonb_to_recordset($2::jsonb) AS o(task_id uuid, department_id uuid, role text, position smallint)
                        WHERE o.task_id IN (${inserted})),
            ${sideEffects(
              params,
              inserts.map((i) => i.link),
              inserts.flatMap((i) => i.events.map((e) => ({ ...e, taskId: i.task.id }))),
              inserts.flatMap((i) => i.facts.map((f) => ({ ...f, taskId: i.task.id }))),
              inserted,
            )},
            timers AS (${timerRows(
              params,
              inserts.flatMap((i) => i.timers.map((t) => ({ ...t, taskId: i.task.id }))),
            )}
                       WHERE p.task_id IN (${inserted}))
       ${inserted}`,
      params,
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * Applies changes to locked tasks: their columns, `version`, `updated_at` (= `now`), the audit
   * links appended and the new head, the timers (replaced or added), events and facts.
   */
  async update(tx: EntityManager, updates: readonly TaskUpdate[], now: Date): Promise<void> {
    if (updates.length === 0) return;
    const params: unknown[] = [
      JSON.stringify(updates.map((u) => ({ id: u.id, changes: u.changes, bump: u.versionBump, seq: u.links.at(-1)!.seq, hash: u.links.at(-1)!.hash }))),
      now,
    ];
    const columns = [...new Set(updates.flatMap((u) => Object.keys(u.changes)))] as ChangeableColumn[];
    const sets = columns.map((c) => `${c} = CASE WHEN a.changes ? '${c}' THEN ${changed(c)} ELSE t.${c} END`);
    const parts = [
      `task AS (UPDATE tasks t SET ${[...sets, 'version = t.version + a.bump', 'updated_at = $2', 'audit_seq = a.seq', 'audit_hash = a.hash'].join(', ')}
                  FROM jsonb_to_recordset($1::jsonb) AS a(id uuid, changes jsonb, bump int, seq int, hash text) WHERE t.id = a.id)`,
      sideEffects(
        params,
        updates.flatMap((u) => u.links),
        updates.flatMap((u) => u.events.map((e) => ({ ...e, taskId: u.id }))),
        updates.flatMap((u) => u.facts.map((f) => ({ ...f, taskId: u.id }))),
      ),
      ...timerWrites(params, updates),
      ...coOpinionWrites(params, updates),
      ...withdrawals(params, updates),
      ...ownerWrites(params, updates),
    ];
    await tx.query(`WITH ${parts.join(',\n')} SELECT 1`, params);
  }

  /** Numbers for new tasks (DB-00000042), taken before their rows are built because their events name them. */
  async allocateRefs(tx: EntityManager, count: number): Promise<string[]> {
    const rows = (await tx.query(`SELECT 'DB-' || lpad(nextval('task_ref_seq')::text, 8, '0') AS ref FROM generate_series(1, $1)`, [count])) as {
      ref: string;
    }[];
    return rows.map((r) => r.ref);
  }

  /** Locks one task the scope lets its caller see; null when it does not exist or is not theirs. */
  async lock(tx: EntityManager, id: string, scope: Scope): Promise<TaskRow | null> {
    const params: unknown[] = [id];
    const [row] = (await tx.query(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1 AND ${scopeCondition(scope, params)} FOR UPDATE OF t`,
      params,
    )) as TaskRow[];
    return row ?? null;
  }

  /** Locks the tasks of these timers in id order, so that two batches never wait on each other in a cycle. */
  async lockForTimers(tx: EntityManager, timerIds: readonly string[]): Promise<TaskRow[]> {
    return (await tx.query(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id IN (SELECT task_id FROM timers WHERE id = ANY($1::uuid[])) ORDER BY t.id FOR UPDATE OF t`,
      [timerIds],
    )) as TaskRow[];
  }

  /** Locks these tasks in id order, as lockForTimers does, whatever their scope: for the system's own writes (a re-plan). */
  async lockMany(tx: EntityManager, ids: readonly string[]): Promise<TaskRow[]> {
    return (await tx.query(`SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = ANY($1::uuid[]) ORDER BY t.id FOR UPDATE OF t`, [ids])) as TaskRow[];
  }

  /**
   * Marks fired at `now` (the database's clock) every live timer due by then of the tasks whose
   * asked timers are due, and returns them in due order: a task's due backlog (after an outage,
   * a reopening, a resumption) fires as one, whichever of its jobs comes first; at the same
   * instant a reminder comes before the overdue notice, which comes before the escalation levels
   * in turn. An asked timer not yet due claims nothing: no job fires a timer early, whatever its
   * host's clock says. This claim is what makes each timer fire once, whatever the number of
   * jobs that carry it. The caller holds the tasks' locks.
   */
  async claimTimers(tx: EntityManager, timerIds: readonly string[], now: Date): Promise<ClaimedTimer[]> {
    return (await tx.query(
      // Inside a CTE so that the driver returns the rows (a bare UPDATE … RETURNING comes back as [rows, count]).
      // `asked` is materialized and carries the bound as a column: with `due_at <= $2` as a
      // constant the planner scanned the live-timers index for everything due (a burst's whole
      // backlog, which it believes small) in every batch; through `a.upto` it looks up each task.
      `WITH asked AS MATERIALIZED (SELECT DISTINCT task_id, $2::timestamptz AS upto FROM timers
                                    WHERE id = ANY($1::uuid[]) AND status IN ('pending', 'enqueued') AND due_at <= $2),
            claimed AS (UPDATE timers tm SET status = 'fired', fired_at = $2 FROM asked a
                         WHERE tm.task_id = a.task_id AND tm.due_at <= a.upto AND tm.status IN ('pending', 'enqueued')
                        RETURNING tm.id, tm.task_id, tm.key, tm.kind, tm.due_at, tm.notify, tm.level, tm.card)
       SELECT * FROM claimed
        ORDER BY due_at, CASE kind WHEN 'reminder' THEN 0 WHEN 'overdue' THEN 1 WHEN 'escalation' THEN 2 ELSE 3 END, level NULLS FIRST, id`,
      [timerIds, now],
    )) as ClaimedTimer[];
  }

  /** When this user last took the action on the task (the urge's 10-minute pause); null when never. */
  async lastTakenBy(tx: EntityManager, taskId: string, action: string, userId: string): Promise<Date | null> {
    const [{ at }] = (await tx.query(`SELECT max(at) AS at FROM audit_entries WHERE task_id = $1 AND action = $2 AND actor_id = $3`, [
      taskId,
      action,
      userId,
    ])) as { at: Date | null }[];
    return at;
  }

  /** The task's cards in force (not withdrawn), oldest first: what a withdrawal picks from and leaves. */
  async cardsInForce(tx: EntityManager, taskId: string): Promise<CardFact[]> {
    return (await tx.query(
      `SELECT id::text AS id, CASE kind WHEN 'red_card' THEN 'red' ELSE 'yellow' END AS card, at FROM task_events
        WHERE task_id = $1 AND kind IN ('yellow_card', 'red_card') AND withdrawn_at IS NULL ORDER BY at, id`,
      [taskId],
    )) as CardFact[];
  }

  /** How often the task has taken the action: what a limited action (one extension per ticket) is counted against. */
  async timesTaken(tx: EntityManager, taskId: string, action: string): Promise<number> {
    const [{ n }] = (await tx.query(`SELECT count(*)::int AS n FROM audit_entries WHERE task_id = $1 AND action = $2`, [taskId, action])) as { n: number }[];
    return n;
  }
}

/** The co-units' opinions of the updates, each replacing its unit's earlier one on the task. */
function coOpinionWrites(params: unknown[], updates: readonly TaskUpdate[]): string[] {
  const rows = updates.flatMap((u) =>
    (u.coOpinions ?? []).map((o) => ({
      task_id: u.id,
      department_id: o.departmentId,
      at: o.at,
      comment: o.comment,
      attachment_ids: o.attachmentIds,
      actor_id: o.actorId,
    })),
  );
  if (rows.length === 0) return [];
  params.push(JSON.stringify(rows));
  return [
    `opinions AS (INSERT INTO task_co_opinions (task_id, department_id, at, comment, attachment_ids, actor_id)
                  SELECT o.task_id, o.department_id, o.at, o.comment, o.attachment_ids, o.actor_id
                    FROM jsonb_to_recordset($${params.length}::jsonb)
                         AS o(task_id uuid, department_id uuid, at timestamptz, comment text, attachment_ids uuid[], actor_id uuid)
                  ON CONFLICT (task_id, department_id) DO UPDATE
                    SET at = EXCLUDED.at, comment = EXCLUDED.comment, attachment_ids = EXCLUDED.attachment_ids, actor_id = EXCLUDED.actor_id)`,
  ];
}

/**
 * Replaced owner lists: owners no longer named are deleted, the others inserted or given their
 * new role and position; the two statements touch disjoint rows (one statement sees none of the
 * other's changes). The owners' trigger keeps the task's owner arrays, which scope reads.
 */
function ownerWrites(params: unknown[], updates: readonly TaskUpdate[]): string[] {
  const replaced = updates.filter((u) => u.owners);
  if (replaced.length === 0) return [];
  params.push(
    JSON.stringify(replaced.flatMap((u) => u.owners!.map((o, position) => ({ task_id: u.id, department_id: o.departmentId, role: o.role, position })))),
    replaced.map((u) => u.id),
  );
  const [rows, ids] = [params.length - 1, params.length];
  return [
    `owners_gone AS (DELETE FROM task_owners o WHERE o.task_id = ANY($${ids}::uuid[])
                      AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($${rows}::jsonb) AS n(task_id uuid, department_id uuid)
                                       WHERE n.task_id = o.task_id AND n.department_id = o.department_id))`,
    `owners_set AS (INSERT INTO task_owners (task_id, department_id, role, position)
                    SELECT n.task_id, n.department_id, n.role, n.position
                      FROM jsonb_to_recordset($${rows}::jsonb) AS n(task_id uuid, department_id uuid, role text, position smallint)
                    ON CONFLICT (task_id, department_id) DO UPDATE SET role = EXCLUDED.role, position = EXCLUDED.position)`,
  ];
}

/**
 * Withdrawn cards: their facts are marked withdrawn at the write's instant ($2) and leave the
 * reports; only facts of the tasks updated, which the caller holds locked.
 */
function withdrawals(params: unknown[], updates: readonly TaskUpdate[]): string[] {
  const withdrawn = updates.flatMap((u) => (u.withdrawnFacts ?? []).map((id) => ({ task_id: u.id, id })));
  if (withdrawn.length === 0) return [];
  params.push(JSON.stringify(withdrawn));
  return [
    `withdrawn AS (UPDATE task_events e SET withdrawn_at = $2 FROM jsonb_to_recordset($${params.length}::jsonb) AS w(task_id uuid, id bigint)
                    WHERE e.id = w.id AND e.task_id = w.task_id AND e.withdrawn_at IS NULL)`,
  ];
}

/** The new value of a changeable column, read from the input's `changes`. */
function changed(column: ChangeableColumn): string {
  const type = CHANGEABLE_COLUMNS[column];
  if (type === 'jsonb') return `(a.changes -> '${column}')`;
  // A JSON array's text is not an array literal: its elements are read one by one.
  if (type === 'uuid[]') return `ARRAY(SELECT jsonb_array_elements_text(a.changes -> '${column}'))::uuid[]`;
  return `(a.changes ->> '${column}')::${type}`;
}

type Of<T> = T & { taskId: string };

/** The audit, outbox and task_events CTEs, optionally only for the tasks `onlyFor` (a subquery) returns. */
function sideEffects(
  params: unknown[],
  links: Parameters<typeof auditInsert>[0],
  events: Of<NewOutboxEvent>[],
  facts: Of<TaskFact>[],
  onlyFor?: string,
): string {
  const parts = [`audit AS (${auditInsert(links, params, onlyFor)})`];
  const where = onlyFor ? ` WHERE r.task_id IN (${onlyFor})` : '';
  if (events.length > 0) {
    params.push(JSON.stringify(events.map((e) => ({ task_id: e.taskId, event: e.event, payload: e.payload }))));
    parts.push(`events AS (INSERT INTO outbox (event, task_id, payload)
                SELECT r.event, r.task_id, r.payload FROM jsonb_to_recordset($${params.length}::jsonb) AS r(task_id uuid, event text, payload jsonb)${where})`);
  }
  if (facts.length > 0) {
    params.push(JSON.stringify(facts.map((f) => ({ task_id: f.taskId, department_id: f.departmentId, kind: f.kind, at: f.at }))));
    parts.push(`facts AS (INSERT INTO task_events (task_id, department_id, kind, at)
                SELECT r.task_id, r.department_id, r.kind, r.at
                  FROM jsonb_to_recordset($${params.length}::jsonb) AS r(task_id uuid, department_id uuid, kind text, at timestamptz)${where})`);
  }
  return parts.join(',\n');
}

/** `INSERT INTO timers … SELECT … FROM <planned rows> AS p`, for the caller to finish with a WHERE or ON CONFLICT. */
function timerRows(params: unknown[], timers: Of<PlannedTimer>[]): string {
  params.push(
    JSON.stringify(
      timers.map((t) => ({ task_id: t.taskId, key: t.key, kind: t.kind, due_at: t.dueAt, notify: t.notify, level: t.level ?? null, card: t.card ?? null })),
    ),
  );
  return `INSERT INTO timers (task_id, key, kind, due_at, notify, level, card)
          SELECT p.task_id, p.key, p.kind, p.due_at, p.notify, p.level, p.card
            FROM jsonb_to_recordset($${params.length}::jsonb) AS p(task_id uuid, key text, kind text, due_at timestamptz, notify text[], level int, card text)`;
}

/**
 * A live timer whose planned instant moved (same key, another due_at) is moved, and a cancelled
 * one planned again comes back: either is given a new id, as a new timer is, and made pending,
 * so that the pump enqueues it at its instant and a job of its old id that still waits in BullMQ
 * finds nothing to fire.
 */
const RENEWED = `id = gen_random_uuid(), status = 'pending', job_id = NULL`;

/**
 * Replaced timer sets: pending timers no longer planned are cancelled, planned keys that exist
 * stay as they are unless cancelled or moved (RENEWED), fired ones are history and untouched;
 * the two statements touch disjoint rows. Added timers go in unless their key exists. Moved
 * timers (a re-plan) move when they are live and their instant changed; nothing else is touched.
 */
function timerWrites(params: unknown[], updates: readonly TaskUpdate[]): string[] {
  const parts: string[] = [];
  const replaced = updates.flatMap((u) => (u.timers && 'replace' in u.timers ? [{ id: u.id, timers: u.timers.replace }] : []));
  if (replaced.length > 0) {
    params.push(JSON.stringify(replaced.map((r) => ({ task_id: r.id, keys: r.timers.map((t) => t.key) }))));
    parts.push(`cancelled AS (UPDATE timers tm SET status = 'cancelled' FROM jsonb_to_recordset($${params.length}::jsonb) AS r(task_id uuid, keys text[])
                               WHERE tm.task_id = r.task_id AND tm.status IN ('pending', 'enqueued') AND NOT (tm.key = ANY(r.keys)))`);
    const rows = timerRows(
      params,
      replaced.flatMap((r) => r.timers.map((t) => ({ ...t, taskId: r.id }))),
    );
    parts.push(`planned AS (${rows} ON CONFLICT (task_id, key) DO UPDATE SET ${RENEWED}, due_at = EXCLUDED.due_at
                 WHERE timers.status = 'cancelled' OR (timers.status IN ('pending', 'enqueued') AND timers.due_at <> EXCLUDED.due_at))`);
  }
  const added = updates.flatMap((u) => (u.timers && 'add' in u.timers ? u.timers.add.map((t) => ({ ...t, taskId: u.id })) : []));
  if (added.length > 0) parts.push(`added AS (${timerRows(params, added)} ON CONFLICT (task_id, key) DO NOTHING)`);
  const moved = updates.flatMap((u) => (u.timers && 'move' in u.timers ? u.timers.move.map((t) => ({ task_id: u.id, key: t.key, due_at: t.dueAt })) : []));
  if (moved.length > 0) {
    params.push(JSON.stringify(moved));
    parts.push(`moved AS (UPDATE timers tm SET ${RENEWED}, due_at = m.due_at
                            FROM jsonb_to_recordset($${params.length}::jsonb) AS m(task_id uuid, key text, due_at timestamptz)
                           WHERE tm.task_id = m.task_id AND tm.key = m.key AND tm.status IN ('pending', 'enqueued') AND tm.due_at <> m.due_at)`);
  }
  return parts;
}
