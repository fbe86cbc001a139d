import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A department's task list (GET /tasks for a lead or handler, or an admin's departmentId=) is
 * paged and counted from task_owners alone. Through the GIN owner arrays on tasks, the total of a
 * department owning 20,000 of 1,000,000 tasks visits 20,000 scattered heap pages (≈ 100 ms);
 * here it is an index-only scan of that department's entries (≈ 3 ms), and a page reads just its
 * own rows from tasks. Each owner row carries the columns the list filters and sorts on: copied
 * from the task when the row is inserted and kept equal by a trigger when the task changes.
 */
export class TaskOwnerLists1763920800000 implements MigrationInterface {
  name = 'TaskOwnerLists1763920800000';

  async up(q: QueryRunner): Promise<void> {
    // Workers may be running: no task may change between the copy below and the trigger that
    // keeps it (a card fired in between would never reach its owners' rows). Reads go on.
    await q.query(`LOCK TABLE tasks IN SHARE ROW EXCLUSIVE MODE`);
    // Replaced at the end; kept up to date by the backfill for nothing.
    await q.query(`DROP INDEX "task_owners_department_id_task_id_idx"`);
    await q.query(`
      ALTER TABLE "task_owners"
        ADD "created_at" TIMESTAMP WITH TIME ZONE, ADD "workflow_key" text, ADD "state" text, ADD "card" text,
        ADD "due_at" TIMESTAMP WITH TIME ZONE, ADD "closed_at" TIMESTAMP WITH TIME ZONE, ADD "paused_since" TIMESTAMP WITH TIME ZONE`);
    // Replaced below by one that ignores these columns; as it was, it would rewrite every task's
    // arrays during this backfill and again on every transition.
    await q.query(`DROP TRIGGER task_owners_updated ON task_owners`);
    await q.query(`
      UPDATE task_owners o SET created_at = t.created_at, workflow_key = t.workflow_key, state = t.state, card = t.card,
             due_at = t.due_at, closed_at = t.closed_at, paused_since = t.paused_since
        FROM tasks t WHERE t.id = o.task_id`);
    await q.query(`ALTER TABLE "task_owners" ALTER "created_at" SET NOT NULL, ALTER "workflow_key" SET NOT NULL, ALTER "state" SET NOT NULL`);

    // Whoever inserts an owner row gives only who owns the task; the task itself says the rest.
    await q.query(`
      CREATE FUNCTION task_owner_copy_task() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT t.created_at, t.workflow_key, t.state, t.card, t.due_at, t.closed_at, t.paused_since
          INTO NEW.created_at, NEW.workflow_key, NEW.state, NEW.card, NEW.due_at, NEW.closed_at, NEW.paused_since
          FROM tasks t WHERE t.id = NEW.task_id;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER task_owners_copy_task BEFORE INSERT ON task_owners FOR EACH ROW EXECUTE FUNCTION task_owner_copy_task()`);
    await q.query(`
      CREATE FUNCTION task_owner_follow_task() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE task_owners SET created_at = NEW.created_at, workflow_key = NEW.workflow_key, state = NEW.state, card = NEW.card,
               due_at = NEW.due_at, closed_at = NEW.closed_at, paused_since = NEW.paused_since
         WHERE task_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER tasks_owners_follow AFTER UPDATE ON tasks FOR EACH ROW
        WHEN ((OLD.created_at, OLD.workflow_key, OLD.state, OLD.card, OLD.due_at, OLD.closed_at, OLD.paused_since)
              IS DISTINCT FROM (NEW.created_at, NEW.workflow_key, NEW.state, NEW.card, NEW.due_at, NEW.closed_at, NEW.paused_since))
        EXECUTE FUNCTION task_owner_follow_task()`);

    // The owner arrays on tasks change only when ownership does, not when the copied columns
    // follow the task: a row trigger whose condition is checked before any call, so a transition
    // writes its task once and runs no statement trigger over transition tables. One function
    // now computes the arrays, for inserts and deletes as well.
    await q.query(`
      CREATE FUNCTION task_owner_arrays_set(task_ids uuid[]) RETURNS void LANGUAGE sql AS $$
        UPDATE tasks t SET
          owner_department_ids = coalesce((SELECT array_agg(o.department_id ORDER BY o.position) FROM task_owners o WHERE o.task_id = t.id), '{}'),
          lead_department_ids = coalesce((SELECT array_agg(o.department_id ORDER BY o.position) FROM task_owners o
            WHERE o.task_id = t.id AND o.role = 'lead'), '{}')
        WHERE t.id = ANY(task_ids)
      $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION task_owner_arrays_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM task_owner_arrays_set(ARRAY(SELECT DISTINCT task_id FROM changed));
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION task_owner_arrays_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM task_owner_arrays_set(ARRAY[OLD.task_id, NEW.task_id]);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER task_owners_updated AFTER UPDATE ON task_owners FOR EACH ROW
        WHEN ((OLD.task_id, OLD.department_id, OLD.role, OLD.position) IS DISTINCT FROM (NEW.task_id, NEW.department_id, NEW.role, NEW.position))
        EXECUTE FUNCTION task_owner_arrays_moved()`);

    // Newest first, as GET /tasks orders; the filters' columns ride along for index-only scans
    // (once a vacuum has marked the rewritten pages all-visible: autovacuum soon does).
    await q.query(
      `CREATE INDEX "task_owners_list_idx" ON "task_owners" ("department_id", "created_at" DESC, "task_id" DESC)
        INCLUDE ("workflow_key", "state", "card", "due_at", "closed_at", "paused_since")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "task_owners_list_idx"`);
    await q.query(`CREATE INDEX "task_owners_department_id_task_id_idx" ON "task_owners" ("department_id", "task_id")`);
    await q.query(`DROP TRIGGER task_owners_updated ON task_owners`);
    await q.query(`DROP FUNCTION task_owner_arrays_moved()`);
    // As TaskScopeArrays wrote it, so that the helper can go.
    await q.query(`
      CREATE OR REPLACE FUNCTION task_owner_arrays_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE tasks t SET
          owner_department_ids = coalesce((SELECT array_agg(o.department_id ORDER BY o.position) FROM task_owners o WHERE o.task_id = t.id), '{}'),
          lead_department_ids = coalesce((SELECT array_agg(o.department_id ORDER BY o.position) FROM task_owners o
            WHERE o.task_id = t.id AND o.role = 'lead'), '{}')
        WHERE t.id IN (SELECT task_id FROM changed);
        RETURN NULL;
      END $$`);
    await q.query(`DROP FUNCTION task_owner_arrays_set(uuid[])`);
    await q.query(`CREATE TRIGGER task_owners_updated AFTER UPDATE ON task_owners REFERENCING NEW TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION task_owner_arrays_refresh()`);
    await q.query(`DROP TRIGGER tasks_owners_follow ON tasks`);
    await q.query(`DROP FUNCTION task_owner_follow_task()`);
    await q.query(`DROP TRIGGER task_owners_copy_task ON task_owners`);
    await q.query(`DROP FUNCTION task_owner_copy_task()`);
    await q.query(`
      ALTER TABLE "task_owners" DROP COLUMN "created_at", DROP COLUMN "workflow_key", DROP COLUMN "state", DROP COLUMN "card",
        DROP COLUMN "due_at", DROP COLUMN "closed_at", DROP COLUMN "paused_since"`);
  }
}
