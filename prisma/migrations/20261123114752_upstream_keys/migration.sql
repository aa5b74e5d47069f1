-- CreateTable
CREATE TABLE "UpstreamKey" (
    "id" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "encryptedKey" TEXT NOT NULL,
    "keyHint" TEXT NOT NULL,
    "organizationId" TEXT,
    "projectId" TEXT,
    "weight" INTEGER NOT NULL DEFAULT 1,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "verifiedAt" TIMESTAMP(3),

    CONSTRAINT "UpstreamKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReencryptionJob" (
    "id" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "toVersion" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ReencryptionJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UpstreamKey_teamId_idx" ON "UpstreamKey"("teamId");

-- CreateIndex
CREATE INDEX "ReencryptionJob_teamId_createdAt_idx" ON "ReencryptionJob"("teamId", "createdAt");

-- AddForeignKey
ALTER TABLE "UpstreamKey" ADD CONSTRAINT "UpstreamKey_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpstreamKey" ADD CONSTRAINT "UpstreamKey_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReencryptionJob" ADD CONSTRAINT "ReencryptionJob_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
