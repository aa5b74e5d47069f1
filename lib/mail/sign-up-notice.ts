// The e-mail to an account's owner when someone signs up with their address: sign-up answers the same for
// a taken address as for a new one (no enumeration), so this is where the owner hears of it.
import { escapeHtml } from "@/lib/mail/templates";
import type { Mail } from "@/lib/mail/send";

export const SIGN_UP_NOTICE_SUBJECT = "Someone tried to sign up with your address";

export function signUpNoticeEmail(input: { to: string; name: string; signInLink: string; ip: string | null }): Mail {
  const from = input.ip ? ` from the IP address ${input.ip}` : "";
  const text = [
    `Hello ${input.name},`,
    "",
    `Someone tried to create a Keyward account with your e-mail address${from}. You already have one, so nothing`,
    "was created and nothing about your account changed.",
    "",
    `If it was you, sign in instead: ${input.signInLink}`,
    "",
    "If it was not you, you need not do anything. Nobody can sign in without your password.",
  ].join("\n");
  const html = `<p>Hello ${escapeHtml(input.name)},</p>
<p>Someone tried to create a Keyward account with your e-mail address${escapeHtml(from)}. You already have one, so nothing was created and nothing about your account changed.</p>
<p>If it was you, <a href="${escapeHtml(input.signInLink)}">sign in instead</a>.</p>
<p style="color:#666">If it was not you, you need not do anything. Nobody can sign in without your password.</p>`;
  return { to: input.to, subject: SIGN_UP_NOTICE_SUBJECT, text, html };
}
