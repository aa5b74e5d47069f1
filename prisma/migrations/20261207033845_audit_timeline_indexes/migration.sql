-- DropIndex
DROP INDEX "AuditEvent_teamId_createdAt_idx";

-- DropIndex
DROP INDEX "SignInEvent_userId_createdAt_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_teamId_createdAt_id_idx" ON "AuditEvent"("teamId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "AuditEvent_teamId_action_createdAt_idx" ON "AuditEvent"("teamId", "action", "createdAt");

-- CreateIndex
CREATE INDEX "SignInEvent_userId_createdAt_id_idx" ON "SignInEvent"("userId", "createdAt" DESC, "id" DESC);
