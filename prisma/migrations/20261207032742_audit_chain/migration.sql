-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "hash" TEXT,
ADD COLUMN     "prevHash" TEXT,
ADD COLUMN     "seq" INTEGER;

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "auditRetentionDays" INTEGER NOT NULL DEFAULT 400;

-- CreateTable
CREATE TABLE "AuditChainHead" (
    "teamId" UUID NOT NULL,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "hash" TEXT,
    "prunedThrough" INTEGER NOT NULL DEFAULT 0,
    "anchorHash" TEXT,
    "legacyThrough" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditChainHead_pkey" PRIMARY KEY ("teamId")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_teamId_seq_key" ON "AuditEvent"("teamId", "seq");

-- Hand-written from here on (issue 15, tamper evidence and retention; see lib/audit/chain.ts).

-- Events written before the chain existed: numbered per team in (createdAt, id) order and left unhashed
-- (their JSON was never encoded canonically by the app). Verification checks that none of them is missing or
-- added; their content is sealed from the first chained event on only. The trigger is disabled for this one
-- statement, by the migration's owner, and enabled again in the same transaction.
ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only_row";
UPDATE "AuditEvent" AS e SET "seq" = numbered.n
FROM (
  SELECT "id", row_number() OVER (PARTITION BY "teamId" ORDER BY "createdAt", "id") AS n
  FROM "AuditEvent" WHERE "teamId" IS NOT NULL
) AS numbered
WHERE e."id" = numbered."id";
ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only_row";

INSERT INTO "AuditChainHead" ("teamId", "seq", "hash", "legacyThrough")
SELECT "teamId", max("seq"), NULL, max("seq") FROM "AuditEvent" WHERE "teamId" IS NOT NULL GROUP BY "teamId";

-- The head follows every chained insert, in the inserting statement (no extra round trip for the writer, who
-- holds the head's row lock since lib/audit/chain.ts read it FOR UPDATE), and only if the new event links to
-- it: seq one more, prevHash the head's hash. Every team event written from now on must be chained (the
-- numbered pre-chain rows above are not re-checked). So a team's chain cannot fork or skip even by a bug; a
-- row put in with triggers bypassed leaves the head behind, which verification reports.
CREATE FUNCTION "audit_chain_advance"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."teamId" IS NULL THEN
    RETURN NULL;
  END IF;
  IF NEW."seq" IS NULL OR NEW."hash" IS NULL THEN
    RAISE EXCEPTION 'audit chain: a team event needs its place in the chain (seq and hash)';
  END IF;
  UPDATE "AuditChainHead" SET "seq" = NEW."seq", "hash" = NEW."hash", "updatedAt" = NEW."createdAt"
  WHERE "teamId" = NEW."teamId" AND "seq" = NEW."seq" - 1 AND "hash" IS NOT DISTINCT FROM NEW."prevHash";
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit chain: event % does not follow the head of team %', NEW."seq", NEW."teamId";
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "AuditEvent_chain_advance"
  AFTER INSERT ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_chain_advance"();

-- Still append-only, with one controlled exception: audit_prune() below may delete a team's events older than
-- the minimum retention (90 days). The flag it sets is only a guard against accidents (any session can set a
-- custom setting); what bounds the damage is that the trigger itself refuses to delete anything younger than
-- 90 days, and verification (prunedThrough/anchorHash) notices any row removed other than from the front.
CREATE OR REPLACE FUNCTION "audit_event_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('keyward.audit_prune', true) = 'on'
     AND OLD."createdAt" < (now() AT TIME ZONE 'UTC') - interval '90 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '"AuditEvent" is append-only: % is not allowed', TG_OP
    USING HINT = 'Audit events can be inserted, never updated, deleted or truncated.';
END;
$$;

-- Deletes a team's events before the first one created at or after p_before (never later than 90 days ago):
-- a prefix of the chain, in seq order. Moves the chain's anchor to the last deleted event, so the first
-- remaining one still links to it. SECURITY DEFINER: where the application runs as a role without DELETE on
-- "AuditEvent", it can prune only through this function. Returns how many events were deleted. The caller
-- records "audit.prune" in the same transaction.
CREATE FUNCTION "audit_prune"(p_team uuid, p_before timestamp(3)) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  head "AuditChainHead"%ROWTYPE;
  keep_from bigint;
  anchor_hash text;
  deleted bigint;
BEGIN
  -- Never inside the minimum retention, whatever the caller's clock says (the trigger would refuse anyway).
  p_before := least(p_before, (now() AT TIME ZONE 'UTC') - interval '90 days');
  SELECT * INTO head FROM "AuditChainHead" WHERE "teamId" = p_team FOR UPDATE;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  SELECT min("seq") INTO keep_from FROM "AuditEvent"
  WHERE "teamId" = p_team AND "createdAt" >= p_before AND "seq" > head."prunedThrough";
  keep_from := coalesce(keep_from, head."seq" + 1);
  IF keep_from <= head."prunedThrough" + 1 THEN
    RETURN 0;
  END IF;
  SELECT "hash" INTO anchor_hash FROM "AuditEvent" WHERE "teamId" = p_team AND "seq" = keep_from - 1;
  PERFORM set_config('keyward.audit_prune', 'on', true);
  DELETE FROM "AuditEvent" WHERE "teamId" = p_team AND "seq" < keep_from;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  PERFORM set_config('keyward.audit_prune', '', true);
  UPDATE "AuditChainHead" SET "prunedThrough" = keep_from - 1, "anchorHash" = anchor_hash, "updatedAt" = now()
  WHERE "teamId" = p_team;
  RETURN deleted;
END;
$$;
