// The Prisma client on the pg driver adapter (no native engine). Created lazily from DATABASE_URL, which the
// server sets before anything imports this (embedded PostgreSQL or the configured server).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

const globalForPrisma = globalThis as unknown as { keywardPrisma?: PrismaClient };

function create(): PrismaClient {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set: the server resolves it before serving.");
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}

/** The process-wide client. A getter rather than a module constant so tests can point it at their database. */
export function db(): PrismaClient {
  globalForPrisma.keywardPrisma ??= create();
  return globalForPrisma.keywardPrisma;
}

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.keywardPrisma?.$disconnect();
  globalForPrisma.keywardPrisma = undefined;
}

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
