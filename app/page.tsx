// / — what Keyward is, for someone deciding whether to use it.
import { ButtonLink } from "@/components/ui/button";
import { Logo } from "@/components/logo";

const FEATURES = [
  {
    title: "Your real key stays in the vault",
    body: "The team's OpenAI keys are encrypted with AES-256-GCM under a versioned master key. Nobody sees them again after saving — not even admins.",
  },
  {
    title: "A key per person, scoped to the job",
    body: "Every member gets their own keys with endpoint scopes, model allow-lists, rate limits, budgets, expiry and IP allow-lists.",
  },
  {
    title: "Drop-in for the OpenAI SDK",
    body: "Change baseURL and apiKey, nothing else. Streaming, embeddings and the rest pass through a proxy built for speed.",
  },
  {
    title: "Accountable by default",
    body: "Sign-ins, invites, role changes and every sensitive action land in an append-only audit log your security lead can review.",
  },
];

const SNIPPET = `import OpenAI from "openai";

const openai = new OpenAI({
  baseURL: "https://keyward.your-company.com/v1",
  apiKey: process.env.KEYWARD_KEY, // your own kw_… key
});`;

export default function LandingPage() {
  return (
    <div className="bg-white">
      <header className="mx-auto flex max-w-6xl items-center justify-between px-6 py-5">
        <Logo />
        <nav className="flex items-center gap-2" aria-label="Account">
          <ButtonLink href="/sign-in" variant="ghost">
            Sign in
          </ButtonLink>
          <ButtonLink href="/sign-up">Create a team</ButtonLink>
        </nav>
      </header>

      <main>
        <section className="mx-auto grid max-w-6xl items-center gap-12 px-6 pt-12 pb-20 lg:grid-cols-2">
          <div>
            <p className="text-sm font-semibold tracking-wide text-brand-600 uppercase">
              Self-hosted OpenAI access for teams
            </p>
            <h1 className="mt-3 text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
              Use the OpenAI API as a team without handing anyone the real key.
            </h1>
            <p className="mt-5 text-lg text-slate-600">
              Keyward keeps your team&apos;s OpenAI key encrypted, gives every member their own least-privilege key, and
              proxies their calls — with budgets, rate limits and an audit trail.
            </p>
            <div className="mt-8 flex flex-wrap gap-3">
              <ButtonLink href="/sign-up">Create your team</ButtonLink>
              <ButtonLink href="/sign-in" variant="secondary">
                Sign in
              </ButtonLink>
            </div>
          </div>
          <pre
            className="overflow-x-auto rounded-xl bg-slate-900 p-6 text-sm leading-relaxed text-slate-100 shadow-lg"
            aria-label="Example: the OpenAI SDK pointed at Keyward"
          >
            <code>{SNIPPET}</code>
          </pre>
        </section>

        <section className="border-t border-slate-100 bg-slate-50">
          <div className="mx-auto grid max-w-6xl gap-6 px-6 py-16 sm:grid-cols-2">
            {FEATURES.map((feature) => (
              <div key={feature.title} className="rounded-xl bg-white p-6 ring-1 ring-slate-200">
                <h2 className="font-semibold text-slate-900">{feature.title}</h2>
                <p className="mt-2 text-sm text-slate-600">{feature.body}</p>
              </div>
            ))}
          </div>
        </section>
      </main>

      <footer className="mx-auto max-w-6xl px-6 py-8 text-sm text-slate-500">
        Keyward — open source, self-hostable.
      </footer>
    </div>
  );
}
