import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { SudoProvider } from "@/components/sudo-provider";
import { requireUser } from "@/lib/auth/session";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  return (
    <>
      <AppHeader user={user} />
      <SudoProvider>
        <main className="page">{children}</main>
      </SudoProvider>
    </>
  );
}
