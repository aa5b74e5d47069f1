// The scopes editor's fields, shared by the new-key form, the key detail page and the team policy. Plain
// inputs (no state): the form's server action parses them (lib/validations/keys.ts). Errors come keyed by
// the scopes' paths (limits.rpm, expiresAt…); each field below names the path it shows, and its label is
// what the message is prefixed with: the one mapping from a path to what the user sees.
import { Field, Select } from "@/components/ui/field";
import { labelled } from "@/components/ui/form-context";
import type { FieldErrors } from "@/lib/api/errors";
import type { TeamKeyPolicy } from "@/lib/keys/policy";
import { ENDPOINT_GROUPS } from "@/lib/keys/endpoint-groups";
import type { KeyScopes } from "@/lib/keys/scopes";

export const ENDPOINT_LABELS: Record<(typeof ENDPOINT_GROUPS)[number], string> = {
  chat: "Chat completions",
  responses: "Responses",
  embeddings: "Embeddings",
  images: "Images",
  audio: "Audio",
  files: "Files",
  batches: "Batches",
  moderations: "Moderations",
  models: "Models",
  fine_tuning: "Fine-tuning",
  assistants: "Assistants, threads, vector stores",
};

type Values = Partial<KeyScopes> & { maxLifetimeDays?: number };

function errorsAt(errors: FieldErrors | undefined, prefix: string): string[] | undefined {
  if (!errors) return undefined;
  const found = Object.entries(errors)
    .filter(([path]) => path === prefix || path.startsWith(`${prefix}.`))
    .flatMap(([, messages]) => messages);
  return found.length ? found : undefined;
}

export function ScopesFields({
  values,
  mode,
  errors,
  maxAccess = "write",
}: {
  values?: Values | TeamKeyPolicy;
  mode: "key" | "policy";
  errors?: FieldErrors;
  maxAccess?: "read" | "write";
}) {
  const v: Values = values ?? { endpoints: {} };
  const access = maxAccess === "read" ? (["none", "read"] as const) : (["none", "read", "write"] as const);
  return (
    <div className="space-y-6">
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">
          {mode === "key" ? "Endpoints this key may call" : "Highest access a key may have"}
        </legend>
        {errors?.endpoints?.length ? (
          <p role="alert" className="mt-1 text-xs text-red-700">
            {labelled("Endpoints", errors.endpoints)}
          </p>
        ) : null}
        <div className="mt-2 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {ENDPOINT_GROUPS.map((group) => (
            <Select
              key={group}
              label={ENDPOINT_LABELS[group]}
              name={`endpoint.${group}`}
              defaultValue={v.endpoints?.[group] ?? "none"}
              errors={errorsAt(errors, `endpoints.${group}`)}
            >
              {access.map((level) => (
                <option key={level} value={level}>
                  {level === "none" ? "No access" : level === "read" ? "Read" : "Read and write"}
                </option>
              ))}
            </Select>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label={mode === "key" ? "Models (optional)" : "Models keys may use (optional)"}
          name="models"
          defaultValue={v.models?.join(", ") ?? ""}
          placeholder="gpt-4o-mini, text-embedding-3-*"
          hint="Comma-separated; * matches anything. Empty: any model."
          errors={errorsAt(errors, "models")}
        />
        <Field
          label="IP allow-list (optional)"
          name="ipAllowList"
          defaultValue={v.ipAllowList?.join(", ") ?? ""}
          placeholder="203.0.113.0/24, 2001:db8::/32"
          hint="IPv4 or IPv6 CIDRs. Empty: any address."
          errors={errorsAt(errors, "ipAllowList")}
        />
        <Field
          label="Requests per minute (optional)"
          name="rpm"
          type="number"
          min={1}
          defaultValue={v.limits?.rpm ?? ""}
          errors={errorsAt(errors, "limits.rpm")}
        />
        <Field
          label="Tokens per minute (optional)"
          name="tpm"
          type="number"
          min={1}
          defaultValue={v.limits?.tpm ?? ""}
          errors={errorsAt(errors, "limits.tpm")}
        />
        <div className="grid grid-cols-[1fr_9rem] gap-2">
          <Field
            label="Budget in USD (optional)"
            name="budgetAmount"
            type="number"
            min={0.01}
            step={0.01}
            defaultValue={v.budget?.amountUsd ?? ""}
            errors={errorsAt(errors, "budget")}
          />
          <Select label="Per" name="budgetPeriod" defaultValue={v.budget?.period ?? "month"}>
            <option value="day">day</option>
            <option value="week">week</option>
            <option value="month">month</option>
            <option value="lifetime">lifetime</option>
          </Select>
        </div>
        {mode === "key" ? (
          <Field
            label="Expires on (optional)"
            name="expiresOn"
            type="date"
            defaultValue={v.expiresAt ? v.expiresAt.slice(0, 10) : ""}
            errors={errorsAt(errors, "expiresAt")}
          />
        ) : (
          <Field
            label="Longest key lifetime in days (optional)"
            name="maxLifetimeDays"
            type="number"
            min={1}
            defaultValue={v.maxLifetimeDays ?? ""}
            errors={errorsAt(errors, "maxLifetimeDays")}
            hint="Counted from each key's creation, existing keys too: lowering it expires keys older than that at once."
          />
        )}
      </div>
    </div>
  );
}
