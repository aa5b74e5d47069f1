// E-mail bodies. Every interpolated value is escaped for the HTML part.
import type { Role } from "@/lib/generated/prisma/enums";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import type { Mail } from "@/lib/mail/send";

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function inviteEmail(input: {
  to: string;
  link: string;
  teamName: string;
  inviterName: string;
  role: Role;
}): Mail {
  const role = ROLE_LABELS[input.role].toLowerCase();
  const text = [
    `${input.inviterName} invited you to join ${input.teamName} on Keyward as ${role}.`,
    "",
    `Accept the invitation: ${input.link}`,
    "",
    "The link works once and expires in 7 days. If you did not expect this, ignore this e-mail.",
  ].join("\n");
  const html = `<p>${escapeHtml(input.inviterName)} invited you to join <strong>${escapeHtml(input.teamName)}</strong> on Keyward as ${role}.</p>
<p><a href="${escapeHtml(input.link)}">Accept the invitation</a></p>
<p style="color:#666">The link works once and expires in 7 days. If you did not expect this, ignore this e-mail.</p>`;
  return { to: input.to, subject: `Join ${input.teamName} on Keyward`, text, html };
}
