-- CreateTable
CREATE TABLE "MasterKeyVersion" (
    "version" INTEGER NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MasterKeyVersion_pkey" PRIMARY KEY ("version")
);
