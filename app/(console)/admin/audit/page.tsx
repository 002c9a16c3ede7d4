import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { requireAdmin } from "@/lib/session";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  await requireAdmin();
  return (
    <NotBuiltYet
      title="Audit log"
      what="Every sign-in and change is already recorded; browsing and exporting the log comes in a later release."
    />
  );
}
