import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { requireAdmin } from "@/lib/session";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireAdmin();
  return <NotBuiltYet title="Token policy" what="Editing the organization's token policy comes in a later release." />;
}
