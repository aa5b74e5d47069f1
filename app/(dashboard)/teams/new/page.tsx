// /teams/new — create another team.
import type { Metadata } from "next";
import { ActionForm } from "@/components/action-form";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/submit-button";
import { createTeamAction } from "@/lib/actions/create-team";

export const metadata: Metadata = { title: "Create a team" };

export default function NewTeamPage() {
  return (
    <main className="mx-auto max-w-lg px-6 py-10">
      <Card title="Create a team" description="You'll be its owner. Each team has its own members, keys and audit log.">
        <ActionForm action={createTeamAction} className="space-y-4">
          <Field label="Team name" name="name" required minLength={2} maxLength={60} placeholder="Research" />
          <SubmitButton pendingLabel="Creating…">Create team</SubmitButton>
        </ActionForm>
      </Card>
    </main>
  );
}
