import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it, vi } from "vitest";

// Capture what the real logger writes by swapping pino's destination for an in-memory stream.
async function capture(log: (logger: pino.Logger) => void): Promise<string> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  vi.resetModules();
  vi.doMock("pino", async (importOriginal) => {
    const actual = await importOriginal<typeof import("pino")>();
    const factory = Object.assign((options: pino.LoggerOptions) => actual.default(options, sink), actual.default);
    return { ...actual, default: factory };
  });
  const { logger } = await import("./logger");
  log(logger);
  vi.doUnmock("pino");
  return lines.join("");
}

describe("logger redaction", () => {
  it("redacts secret fields wherever they are nested", async () => {
    const out = await capture((logger) =>
      logger.info(
        {
          password: "hunter2-hunter2",
          user: { apiKey: "abc", token: "t0k3n" },
          headers: { "set-cookie": "sid=1", authorization: "Bearer zzz" },
        },
        "login",
      ),
    );
    for (const secret of ["hunter2-hunter2", "t0k3n", "sid=1", "Bearer zzz", '"abc"'])
      expect(out).not.toContain(secret);
    expect(out).toContain("[redacted]");
  });

  it("redacts secrets by shape inside messages and errors", async () => {
    const openaiKey = "sk-proj-" + "A1b2C3d4E5f6G7h8I9j0".repeat(2);
    const out = await capture((logger) => {
      logger.warn(`upstream rejected ${openaiKey}`);
      logger.error(
        { err: new Error(`connect postgres://admin:pw@db:5432/x failed for kw_live_abcdefghijklmnop`) },
        "boom",
      );
    });
    expect(out).not.toContain(openaiKey);
    expect(out).not.toContain("admin:pw");
    expect(out).not.toContain("kw_live_abcdefghijklmnop");
  });

  it("keeps ordinary fields", async () => {
    const out = await capture((logger) => logger.info({ teamId: "t1", count: 3 }, "ok"));
    expect(JSON.parse(out)).toMatchObject({ teamId: "t1", count: 3, msg: "ok" });
  });

  it("keeps a logged error's message, code and stack, and still removes a secret inside them", async () => {
    const canary = "sk-" + "canary0123456789".repeat(2);
    const error = Object.assign(new Error(`upstream refused ${canary}: quota exceeded`), { code: "EQUOTA" });
    const out = await capture((logger) => logger.error({ err: error }, "request failed"));
    const line = JSON.parse(out) as { err: { type: string; message: string; code: string; stack: string } };
    expect(line.err.type).toBe("Error");
    expect(line.err.message).toBe("upstream refused [redacted]: quota exceeded");
    expect(line.err.code).toBe("EQUOTA");
    expect(line.err.stack).toContain("logger.test.ts");
    expect(out).not.toContain(canary);
  });

  it("keeps the cause's message and the hint of a wrapped error", async () => {
    const cause = new Error("could not access directory /data/postgres: Permission denied");
    const error = new Error("Embedded PostgreSQL failed to start.\nHint: chmod o+x /data", { cause });
    const out = await capture((logger) => logger.fatal({ err: error }, "start-up failed"));
    const line = JSON.parse(out) as { err: { message: string; stack: string } };
    expect(line.err.message).toContain("Hint: chmod o+x /data");
    expect(line.err.message).toContain("Permission denied");
  });

  it("says what a thrown non-Error was", async () => {
    const out = await capture((logger) => logger.error({ err: { reason: "refused", status: 503 } }, "odd throw"));
    const line = JSON.parse(out) as { err: { type: string; message: string } };
    expect(line.err).toEqual({ type: "Object", message: '{"reason":"refused","status":503}' });
  });

  it("drops the live objects a library hangs on an error, and keeps what went wrong", async () => {
    // What pg's pool emits when a connection dies: the error, with the whole Client attached.
    const client = { connectionParameters: { user: "postgres", host: "db.internal", port: 5432 }, _types: {} };
    const error = Object.assign(new Error("terminating connection due to administrator command"), {
      code: "57P01",
      client,
    });
    const out = await capture((logger) => logger.warn({ err: error }, "pool connection lost"));
    const line = JSON.parse(out) as { err: { message: string; code: string; client: unknown } };
    expect(line.err.message).toBe("terminating connection due to administrator command");
    expect(line.err.code).toBe("57P01");
    expect(line.err.client).toBe("[omitted]");
    expect(out).not.toContain("db.internal");
  });
});
