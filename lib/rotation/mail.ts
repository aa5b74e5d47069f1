// The rotation reminder e-mail. It names the key by its label (name and prefix or masked hint): never a secret.
import type { Mail } from "@/lib/mail/send";
import { escapeHtml } from "@/lib/mail/templates";
import type { RotationItem } from "./due";

const KIND_LABEL = { member: "API key", management: "management key", upstream: "OpenAI key" } as const;

export function reminderEmail(input: {
  to: string;
  teamName: string;
  item: Pick<RotationItem, "kind" | "label" | "dueAt" | "expiresAt">;
  offsetDays: number;
  link: string;
}): Mail {
  const { item } = input;
  const kind = KIND_LABEL[item.kind];
  const due = item.dueAt.toISOString().slice(0, 10);
  const when =
    input.offsetDays === 0
      ? `is due for rotation today (${due})`
      : `is due for rotation in ${input.offsetDays} days, on ${due}`;
  const subject =
    input.offsetDays === 0
      ? `Rotate your ${kind} ${item.label} today`
      : `Your ${kind} ${item.label} is due for rotation in ${input.offsetDays} days`;
  const paragraphs = [
    `The ${kind} ${item.label} in ${input.teamName} ${when}.`,
    item.kind === "member"
      ? "Roll it: you get a new key with the same name and scopes, and the old one keeps working for the overlap you choose, so nothing breaks while you switch."
      : item.kind === "management"
        ? "Create its successor and revoke it once your scripts use the new one."
        : "Add a new OpenAI key and remove the old one, or store an OpenAI Admin key and let Keyward rotate it for you.",
    ...(item.expiresAt
      ? [
          `The team's policy expires keys that are not rotated: this one stops working on ${item.expiresAt.toISOString().slice(0, 10)}.`,
        ]
      : []),
  ];
  const text = [...paragraphs, `Open it: ${input.link}`].join("\n\n");
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(input.link)}">Open it in Keyward</a></p>`,
  ].join("\n");
  return { to: input.to, subject, text, html };
}
