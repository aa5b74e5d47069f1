// Outgoing mail: SMTP when SMTP_URL is set, otherwise an .eml file under DATA_DIR/mail for the operator.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

export type Mail = { to: string; subject: string; text: string; html: string };
export type Delivery = { via: "smtp" } | { via: "file"; file: string };

let transport: nodemailer.Transporter | undefined;

function smtp(url: string): nodemailer.Transporter {
  transport ??= nodemailer.createTransport(url);
  return transport;
}

export async function sendMail(mail: Mail): Promise<Delivery> {
  const { SMTP_URL, MAIL_FROM, DATA_DIR } = env();
  const message = { from: MAIL_FROM, ...mail };
  if (SMTP_URL) {
    await smtp(SMTP_URL).sendMail(message);
    logger.info({ to: mail.to, subject: mail.subject }, "mail sent");
    return { via: "smtp" };
  }
  const built = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail(message);
  const dir = path.resolve(DATA_DIR, "mail");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(
    dir,
    `${new Date().toISOString().replace(/[:.]/g, "-")}-${built.messageId.replace(/[^\w.-]/g, "")}.eml`,
  );
  await writeFile(file, built.message as Buffer, { mode: 0o600 });
  logger.info({ to: mail.to, subject: mail.subject, file }, "SMTP_URL is not set: mail written to a file");
  return { via: "file", file };
}

export function mailIsConfigured(): boolean {
  return Boolean(env().SMTP_URL);
}
