// One error class for the app: a code from a closed set, mapped to an HTTP status and a constant message.
import { randomUUID } from "node:crypto";
import { ZodError } from "zod";
import { logger } from "@/lib/logger";

export const ERROR_CODES = {
  bad_request: { status: 400, message: "The request is not valid." },
  unauthorized: { status: 401, message: "Sign in to continue." },
  forbidden: { status: 403, message: "Your role does not allow this." },
  not_found: { status: 404, message: "Not found." },
  conflict: { status: 409, message: "That already exists." },
  payload_too_large: { status: 413, message: "The request body is too large." },
  unprocessable: { status: 422, message: "Some fields are not valid." },
  two_factor_required: {
    status: 403,
    message: "This team requires two-factor authentication: turn it on in your account's security settings.",
  },
  reauthentication_required: {
    status: 403,
    message: "Confirm it is you: enter your password or an authenticator code, then try again.",
  },
  rate_limited: { status: 429, message: "Too many attempts. Try again later." },
  internal: { status: 500, message: "Something went wrong on our side." },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].message,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = "AppError";
  }
  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function zodFieldErrors(error: ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

function prismaCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

/**
 * Maps anything thrown to an AppError. Unknown errors are logged with a correlation id that the client
 * sees; their message and stack never reach the client.
 */
export function toAppError(error: unknown): AppError & { correlationId?: string } {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    return new AppError("unprocessable", ERROR_CODES.unprocessable.message, zodFieldErrors(error));
  }
  const code = prismaCode(error);
  if (code === "P2025") return new AppError("not_found");
  if (code === "P2002") return new AppError("conflict");
  const correlationId = randomUUID();
  logger.error({ err: error, correlationId }, "unhandled error");
  return Object.assign(new AppError("internal", `${ERROR_CODES.internal.message} (reference ${correlationId})`), {
    correlationId,
  });
}

export function errorResponse(error: unknown): Response {
  const appError = toAppError(error);
  return Response.json(
    { error: { code: appError.code, message: appError.message, fields: appError.fieldErrors } },
    { status: appError.status },
  );
}
