-- AlterTable
ALTER TABLE "KeyUsage" ADD COLUMN     "estimatedRequests" INTEGER NOT NULL DEFAULT 0;
