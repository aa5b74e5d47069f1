// Input schemas for 2FA, step-up and the team's 2FA policy.
import { z } from "zod";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password";

export { SIGN_IN_ERRORS } from "@/lib/validations/sign-in-errors";

const codeField = z
  .string()
  .trim()
  .min(1, "Enter the code from your authenticator app, or a recovery code.")
  .max(64, "That code is too long.");

export const secondFactorSchema = z.object({ code: codeField });

export const totpCodeSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{3}\s?\d{3}$/, "Enter the 6-digit code from your authenticator app."),
});

export const passwordConfirmSchema = z.object({
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX_LENGTH),
});

export const passwordAndCodeSchema = passwordConfirmSchema.extend({ code: codeField });

export const stepUpSchema = z.object({
  secret: z
    .string()
    .trim()
    .min(1, "Enter your password or a code from your authenticator app.")
    .max(PASSWORD_MAX_LENGTH),
});

export const twoFactorPolicySchema = z.object({
  required: z
    .union([z.literal("on"), z.literal("true"), z.literal(""), z.literal("false")])
    .optional()
    .transform((v) => v === "on" || v === "true"),
  graceDays: z.coerce
    .number({ message: "Enter a number of days." })
    .int("Enter a whole number of days.")
    .min(0, "The grace period cannot be negative.")
    .max(90, "The grace period is at most 90 days.")
    .default(0),
  keysKeepWorking: z
    .union([z.literal("on"), z.literal("true"), z.literal(""), z.literal("false")])
    .optional()
    .transform((v) => v === "on" || v === "true"),
});
export type TwoFactorPolicyInput = z.infer<typeof twoFactorPolicySchema>;
