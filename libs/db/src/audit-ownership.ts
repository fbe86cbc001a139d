/**
 * The audit tables handed to an owner of their own (AUDIT_OWNER_ROLE), the application's role
 * (AUDIT_APP_ROLE) left with reading and appending: the append-only triggers hold only against a
 * role that neither owns the tables nor is a superuser, since an owner may disable them.
 * Idempotent; `migrate` runs it after the migrations, as a role allowed to give tables away.
 */
export function auditOwnershipStatements(owner: string, app: string): string[] {
  const o = quoteIdent(owner);
  const a = quoteIdent(app);
  return [
    `ALTER TABLE audit_entries OWNER TO ${o}`,
    `ALTER TABLE audit_anchors OWNER TO ${o}`,
    `ALTER FUNCTION audit_append_only() OWNER TO ${o}`,
    `REVOKE ALL ON audit_entries, audit_anchors FROM ${a}`,
    `GRANT SELECT, INSERT ON audit_entries, audit_anchors TO ${a}`,
    `GRANT USAGE ON SEQUENCE audit_anchors_id_seq TO ${a}`,
  ];
}

/** A PostgreSQL identifier, quoted. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
