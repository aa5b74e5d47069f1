-- Hand-written: the audit trail is append-only, and the database itself enforces it, so neither a bug nor
-- a compromised application role can rewrite history. Rows can be added, never changed or removed.

CREATE FUNCTION "audit_event_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '"AuditEvent" is append-only: % is not allowed', TG_OP
    USING HINT = 'Audit events can be inserted, never updated, deleted or truncated.';
END;
$$;

-- Row level for UPDATE and DELETE; TRUNCATE fires no row triggers, so it needs a statement-level one.
CREATE TRIGGER "AuditEvent_append_only_row"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();

CREATE TRIGGER "AuditEvent_append_only_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();
