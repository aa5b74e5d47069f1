-- CreateEnum
CREATE TYPE "AuditDeliveryStatus" AS ENUM ('pending', 'delivered', 'failed');

-- CreateTable
CREATE TABLE "AuditWebhook" (
    "id" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "encryptedSecret" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditWebhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditDelivery" (
    "id" UUID NOT NULL,
    "webhookId" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "status" "AuditDeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastStatusCode" INTEGER,
    "lastError" TEXT,
    "lastAttemptAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditWebhook_teamId_idx" ON "AuditWebhook"("teamId");

-- CreateIndex
CREATE INDEX "AuditDelivery_eventId_idx" ON "AuditDelivery"("eventId");

-- CreateIndex
CREATE INDEX "AuditDelivery_webhookId_createdAt_idx" ON "AuditDelivery"("webhookId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "AuditDelivery_webhookId_eventId_key" ON "AuditDelivery"("webhookId", "eventId");

-- AddForeignKey
ALTER TABLE "AuditWebhook" ADD CONSTRAINT "AuditWebhook_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditDelivery" ADD CONSTRAINT "AuditDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "AuditWebhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;
