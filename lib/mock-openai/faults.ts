// Failures on demand: `x-mock-fault: <fault>` on one request, or setFault / POST /__mock/faults for the next N.
import type http from "node:http";
import { z } from "zod";
import { invalidRequest, sendError, type OpenAIError } from "./http";
import { MOCK_FAULTS, type MockFault } from "./types";

export const faultControlSchema = z.object({
  fault: z.enum(MOCK_FAULTS).nullable(),
  times: z.number().int().min(0).max(1_000_000).default(1),
});

const faultHeaderSchema = z.enum(MOCK_FAULTS);
const delayHeaderSchema = z.coerce.number().min(0).max(600_000);

// How long slow-start holds the headers back when the request does not say.
export const SLOW_START_MS = 2000;

export const FLOOD_MAX_BYTES = 1024 * 1024 * 1024;
const floodBytesSchema = z.coerce.number().int().min(1).max(FLOOD_MAX_BYTES);

export class FaultQueue {
  private fault: MockFault | null = null;
  private left = 0;

  set(fault: MockFault | null, times = 1): void {
    this.fault = times > 0 ? fault : null;
    this.left = this.fault ? times : 0;
  }

  take(): MockFault | null {
    if (!this.fault) return null;
    const fault = this.fault;
    this.left -= 1;
    if (this.left <= 0) this.fault = null;
    return fault;
  }
}

// A header a test got wrong must fail loudly (400), not run the request as if no fault had been asked for.
export function faultFromHeader(value: string | string[] | undefined): MockFault | null | "invalid" {
  if (value === undefined) return null;
  const parsed = faultHeaderSchema.safeParse(value);
  return parsed.success ? parsed.data : "invalid";
}

export function floodBytesFromHeader(value: string | string[] | undefined): number | undefined | "invalid" {
  if (value === undefined) return undefined;
  const parsed = floodBytesSchema.safeParse(value);
  return parsed.success ? parsed.data : "invalid";
}

export function delayFromHeader(value: string | string[] | undefined): number | undefined | "invalid" {
  if (value === undefined) return undefined;
  const parsed = delayHeaderSchema.safeParse(value);
  return parsed.success ? parsed.data : "invalid";
}

const RATE_LIMIT_HEADERS = {
  "retry-after": "2",
  "x-ratelimit-limit-requests": "500",
  "x-ratelimit-remaining-requests": "0",
  "x-ratelimit-reset-requests": "2s",
  "x-ratelimit-limit-tokens": "30000",
  "x-ratelimit-remaining-tokens": "0",
  "x-ratelimit-reset-tokens": "2s",
};

const ERRORS: Record<"401" | "429" | "500", OpenAIError> = {
  "401": invalidRequest(
    "Incorrect API key provided: sk-mo*****ault. You can find your API key at https://platform.openai.com/account/api-keys.",
    null,
    "invalid_api_key",
  ),
  "429": {
    message: "Rate limit reached for requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 2s.",
    type: "requests",
    param: null,
    code: "rate_limit_exceeded",
  },
  "500": {
    message: "The server had an error while processing your request. Sorry about that!",
    type: "server_error",
    param: null,
    code: null,
  },
};

// Answers the faults that are plain error responses; false when the fault shapes the response another way.
export function sendFaultError(res: http.ServerResponse, fault: MockFault): boolean {
  if (fault !== "401" && fault !== "429" && fault !== "500") return false;
  sendError(res, Number(fault), ERRORS[fault], fault === "429" ? RATE_LIMIT_HEADERS : undefined);
  return true;
}
