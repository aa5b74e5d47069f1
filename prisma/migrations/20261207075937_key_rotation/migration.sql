-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "lineageId" UUID,
ADD COLUMN     "overlapEndsAt" TIMESTAMP(3),
ADD COLUMN     "rolledFromId" UUID,
ADD COLUMN     "rotationDays" INTEGER;

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "rotationPolicy" JSONB;

-- AlterTable
ALTER TABLE "UpstreamKey" ADD COLUMN     "retiresAt" TIMESTAMP(3),
ADD COLUMN     "serviceAccountId" TEXT;

-- CreateTable
CREATE TABLE "KeyUsageHour" (
    "keyId" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "KeyUsageHour_pkey" PRIMARY KEY ("keyId","hour")
);

-- CreateTable
CREATE TABLE "RotationReminder" (
    "id" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" UUID NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "offsetDays" INTEGER NOT NULL,
    "sent" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RotationReminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OpenAIAdminKey" (
    "teamId" UUID NOT NULL,
    "encryptedKey" TEXT NOT NULL,
    "keyHint" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "autoRotate" BOOLEAN NOT NULL DEFAULT true,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OpenAIAdminKey_pkey" PRIMARY KEY ("teamId")
);

-- CreateIndex
CREATE INDEX "RotationReminder_teamId_idx" ON "RotationReminder"("teamId");

-- CreateIndex
CREATE UNIQUE INDEX "RotationReminder_subjectId_dueAt_offsetDays_key" ON "RotationReminder"("subjectId", "dueAt", "offsetDays");

-- CreateIndex
CREATE INDEX "ApiKey_lineageId_idx" ON "ApiKey"("lineageId");

-- AddForeignKey
ALTER TABLE "RotationReminder" ADD CONSTRAINT "RotationReminder_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OpenAIAdminKey" ADD CONSTRAINT "OpenAIAdminKey_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
