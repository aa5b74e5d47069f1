// Refusals in OpenAI's shape ({ error: { message, type, param, code } }) with the status OpenAI uses, so SDKs
// raise their usual error classes. Bodies are built once where the message is constant.
export type OpenAIErrorBody = { error: { message: string; type: string; param: string | null; code: string | null } };

export type ProxyError = { status: number; body: string; code: string | null; headers?: Record<string, string> };

export function openAIError(
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
  headers?: Record<string, string>,
): ProxyError {
  const body: OpenAIErrorBody = { error: { message, type, param, code } };
  return { status, body: JSON.stringify(body), code, headers };
}

export const ERRORS = {
  missingKey: openAIError(
    401,
    "You didn't provide an API key. Use your Keyward key (kw_live_…) as the Bearer token.",
    "invalid_request_error",
    "missing_api_key",
  ),
  invalidKey: openAIError(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
  expiredKey: openAIError(401, "This API key has expired.", "invalid_request_error", "invalid_api_key"),
  twoFactorRequired: openAIError(
    403,
    "This team requires two-factor authentication: the key's holder must turn it on before the key works again.",
    "invalid_request_error",
    "two_factor_required",
  ),
  ipNotAllowed: openAIError(
    403,
    "This API key may not be used from your IP address.",
    "invalid_request_error",
    "ip_not_allowed",
  ),
  unknownUrl: (method: string, path: string) =>
    openAIError(404, `Unknown request URL: ${method} ${path}.`, "invalid_request_error", "unknown_url"),
  endpointScope: (group: string, access: string) =>
    openAIError(
      403,
      `This API key does not have ${access} access to the ${group} endpoints.`,
      "invalid_request_error",
      "insufficient_permissions",
    ),
  modelNotAllowed: (model: string) =>
    openAIError(
      404,
      `The model \`${model}\` does not exist or this API key does not have access to it.`,
      "invalid_request_error",
      "model_not_found",
      "model",
    ),
  invalidJson: openAIError(
    400,
    "We could not parse the JSON body of your request.",
    "invalid_request_error",
    "invalid_json",
  ),
  bodyTooLarge: openAIError(413, "The request body is too large.", "invalid_request_error", "request_too_large"),
  noUpstream: openAIError(
    503,
    "This team has no enabled OpenAI key. Ask an admin to add one.",
    "api_error",
    "no_upstream_key",
  ),
  upstreamUnavailable: openAIError(
    502,
    "The upstream API could not be reached. Try again.",
    "api_error",
    "upstream_unavailable",
  ),
  upstreamTimeout: openAIError(504, "The upstream API did not answer in time.", "api_error", "upstream_timeout"),
  internal: openAIError(500, "Keyward could not process this request.", "api_error", "internal_error"),
} as const;
