// The audit log's filters: a plain GET form, so the filtered view is the URL — shared, bookmarked and
// exported exactly as seen. A refused filter keeps what was typed and says what is wrong, by its label.
import { Button, ButtonLink } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { ACTION_GROUPS, ACTION_GROUP_LABELS } from "@/lib/audit/filters";

export type FilterValues = Partial<Record<"actor" | "group" | "target" | "outcome" | "ip" | "from" | "to", string>>;

export function AuditFilterForm({
  action,
  values,
  errors,
}: {
  action: string;
  values: FilterValues;
  errors: Record<string, string[]>;
}) {
  return (
    <form method="get" action={action} className="space-y-4" aria-label="Filter the audit log">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field
          label="Actor"
          name="actor"
          defaultValue={values.actor}
          errors={errors.actor}
          placeholder="Name or e-mail"
          autoComplete="off"
        />
        <Select label="Action" name="group" defaultValue={values.group ?? ""} errors={errors.group}>
          <option value="">All actions</option>
          {ACTION_GROUPS.map((group) => (
            <option key={group} value={group}>
              {ACTION_GROUP_LABELS[group]}
            </option>
          ))}
        </Select>
        <Field
          label="Target"
          name="target"
          defaultValue={values.target}
          errors={errors.target}
          placeholder="Key, member or id"
          autoComplete="off"
        />
        <Select label="Outcome" name="outcome" defaultValue={values.outcome ?? ""} errors={errors.outcome}>
          <option value="">Any outcome</option>
          <option value="success">Succeeded</option>
          <option value="failure">Failed or refused</option>
        </Select>
        <Field
          label="IP or CIDR"
          name="ip"
          defaultValue={values.ip}
          errors={errors.ip}
          placeholder="10.0.0.0/8"
          autoComplete="off"
          inputMode="text"
        />
        <Field label="From" name="from" type="date" defaultValue={values.from} errors={errors.from} />
        <Field label="To" name="to" type="date" defaultValue={values.to} errors={errors.to} hint="Dates are UTC." />
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit">Apply filters</Button>
        <ButtonLink href={action} variant="secondary">
          Reset
        </ButtonLink>
      </div>
    </form>
  );
}
