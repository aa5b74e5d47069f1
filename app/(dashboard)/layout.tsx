import { Logo } from "@/components/logo";
import { UserMenu } from "@/components/dashboard/user-menu";
import { requireSession } from "@/lib/auth/current";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const session = await requireSession();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-4 px-4 sm:px-6">
          <Logo href="/dashboard" />
          <UserMenu name={session.user.name} email={session.user.email} />
        </div>
      </header>
      {children}
    </div>
  );
}
