// Key rotation's queues on the job runner (lib/jobs/queue.ts): the sweep, scheduled every minute (pg-boss's
// cron fires once per cluster) — member and management keys (lib/rotation/sweep.ts), then the OpenAI keys
// (lib/rotation/upstream.ts) — and the reminder e-mails it enqueues, retried with backoff.
import { z } from "zod";
import type { QueueSpec } from "@/lib/jobs/queue";
import { logger } from "@/lib/logger";
import { sendMail } from "@/lib/mail/send";
import { systemClock, type Clock } from "./clock";
import { ROTATION_MAIL_QUEUE, ROTATION_SWEEP_QUEUE, runRotationSweep } from "./sweep";
import { autoRotateDue, finishUpstreamRotations } from "./upstream";

export const ROTATION_SWEEP_CRON = "* * * * *";

const mailJobSchema = z.object({
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  reminderId: z.string(),
});

export function rotationSweepQueue(clock: Clock = systemClock): QueueSpec {
  return {
    name: ROTATION_SWEEP_QUEUE,
    retryLimit: 2,
    retryDelaySeconds: 30,
    expireInSeconds: 5 * 60,
    handler: async () => {
      const now = clock();
      const result = await runRotationSweep(now);
      if (result.reminders + result.expired + result.overlapsEnded > 0) logger.info(result, "key rotation sweep");
      // The OpenAI keys: finish rotations whose overlap ended, then rotate what is overdue (Admin key teams).
      const retired = await finishUpstreamRotations(now);
      const rotated = await autoRotateDue(now);
      if (retired.retired + retired.failed + rotated.length > 0)
        logger.info({ ...retired, rotated: rotated.length }, "OpenAI key rotation sweep");
    },
  };
}

export function rotationMailQueue(options: { retryDelaySeconds?: number } = {}): QueueSpec {
  return {
    name: ROTATION_MAIL_QUEUE,
    retryLimit: 8,
    retryDelaySeconds: options.retryDelaySeconds ?? 30,
    expireInSeconds: 60,
    handler: async (data) => {
      const parsed = mailJobSchema.safeParse(data);
      if (!parsed.success) return; // not ours to retry
      const { reminderId, ...mail } = parsed.data;
      await sendMail(mail);
      logger.info({ reminderId }, "rotation reminder mailed");
    },
  };
}

export function rotationQueues(clock: Clock = systemClock): QueueSpec[] {
  return [rotationSweepQueue(clock), rotationMailQueue()];
}
