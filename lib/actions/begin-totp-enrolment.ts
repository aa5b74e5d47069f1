"use server";
// 2FA set-up, step 1: the password again, then a new secret (QR code and text), not yet in force.
import QRCode from "qrcode";
import { userAction } from "@/lib/actions/safe-action";
import { beginTotpEnrolment } from "@/lib/auth/two-factor";
import { formatSecretForEntry } from "@/lib/auth/totp";
import { passwordConfirmSchema } from "@/lib/validations/two-factor";

export const beginTotpEnrolmentAction = userAction(passwordConfirmSchema, async (input, { session, request }) => {
  const { secret, uri } = await beginTotpEnrolment(session.user.id, input.password, request);
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { secret, secretForEntry: formatSecretForEntry(secret), uri, qrSvg };
});
