// Input schemas for accounts: sign-up, sign-in, password change.
import { z } from "zod";
import { safeText } from "@/lib/validations/text";
import { PASSWORD_MAX_LENGTH, passwordProblems } from "@/lib/auth/password";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "That e-mail address is too long.")
  .pipe(z.email("Enter a valid e-mail address."));

export const nameSchema = safeText().trim().min(1, "Enter your name.").max(100, "Use at most 100 characters.");

// Sign-in only bounds the length: the rules apply when a password is chosen, not when it is used.
export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

function strongPassword<T extends { password: string; email?: string; name?: string }>(
  value: T,
  ctx: z.RefinementCtx,
): void {
  for (const message of passwordProblems(value.password, { email: value.email, name: value.name })) {
    ctx.addIssue({ code: "custom", path: ["password"], message });
  }
}

// Invite tokens are 32 random bytes in base64url.
export const inviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "This invitation link is not valid.");

export const signUpSchema = z
  .object({
    name: nameSchema,
    email: emailSchema,
    password: z.string(),
    teamName: safeText().trim().max(100).optional(),
    /** Signing up through an invitation: the account joins that team, and no team of its own is made. */
    inviteToken: z.union([inviteTokenSchema, z.literal("").transform(() => undefined)]).optional(),
  })
  .superRefine(strongPassword);
export type SignUpInput = z.infer<typeof signUpSchema>;

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(PASSWORD_MAX_LENGTH),
    password: z.string(),
  })
  .superRefine((value, ctx) => {
    strongPassword(value, ctx);
    if (value.password === value.currentPassword) {
      ctx.addIssue({
        code: "custom",
        path: ["password"],
        message: "Choose a password different from the current one.",
      });
    }
  });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;
