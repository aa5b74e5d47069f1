// E-mails about an account's security: a new device, a lock, a 2FA reset. No secret is ever in them.
import type { Mail } from "@/lib/mail/send";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function mail(to: string, subject: string, paragraphs: string[], link?: { href: string; label: string }): Mail {
  const text = [...paragraphs, ...(link ? [`${link.label}: ${link.href}`] : [])].join("\n\n");
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`] : []),
  ].join("\n");
  return { to, subject, text, html };
}

export function newDeviceEmail(input: {
  to: string;
  device: string;
  ip: string | null;
  when: Date;
  securityUrl: string;
}): Mail {
  return mail(
    input.to,
    "New sign-in to your Keyward account",
    [
      `Your Keyward account was signed in from a device or network it has not been used from before.`,
      `Device: ${input.device}. IP address: ${input.ip ?? "unknown"}. Time: ${input.when.toISOString()}.`,
      "If this was you, nothing needs doing. If not, change your password now, turn on two-factor authentication and end the session on your Security page.",
    ],
    { href: input.securityUrl, label: "Review your sessions" },
  );
}

export function accountLockedEmail(input: { to: string; unlockUrl: string }): Mail {
  return mail(
    input.to,
    "Your Keyward account is locked",
    [
      "There were too many failed sign-in attempts on your Keyward account, so signing in is locked, even with the right password.",
      "If these attempts were yours, lift the lock with the link below (it works once, for 24 hours). If they were not, lift it and change your password.",
    ],
    { href: input.unlockUrl, label: "Unlock my account" },
  );
}

export function twoFactorResetEmail(input: { to: string }): Mail {
  return mail(input.to, "Two-factor authentication was reset on your Keyward account", [
    "An operator of your Keyward server turned off two-factor authentication on your account and ended all its sessions, at your request.",
    "Sign in with your password and set up two-factor authentication again. If you did not ask for this, contact your Keyward administrator at once.",
  ]);
}
