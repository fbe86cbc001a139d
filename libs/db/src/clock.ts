/** Anything that runs SQL: a DataSource, an EntityManager (a transaction's), a pg client. */
interface Queryable {
  query(sql: string): Promise<unknown>;
}

/**
 * The database's current time (`duban_now()`, milliseconds), Duban's one clock: whether a
 * timer is due and every instant written (audit, notices, report facts) come from it, never
 * from the host's clock. Inside a transaction, read it after taking the locks, so that times
 * along a task's audit chain never go backwards.
 */
export async function databaseNow(db: Queryable): Promise<Date> {
  const [{ now }] = (await db.query(`SELECT duban_now() AS now`)) as [{ now: Date }];
  return now;
}
