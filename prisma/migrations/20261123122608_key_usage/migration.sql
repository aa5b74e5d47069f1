-- CreateTable
CREATE TABLE "KeyUsage" (
    "keyId" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "model" TEXT NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "promptTokens" BIGINT NOT NULL DEFAULT 0,
    "completionTokens" BIGINT NOT NULL DEFAULT 0,
    "costMicros" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "KeyUsage_pkey" PRIMARY KEY ("keyId","day","model")
);

-- CreateIndex
CREATE INDEX "KeyUsage_teamId_day_idx" ON "KeyUsage"("teamId", "day");
