import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { requireAdmin } from "@/lib/session";

export const metadata: Metadata = { title: "Personal access tokens" };

export default async function AdminTokensPage() {
  await requireAdmin();
  return <NotBuiltYet title="Personal access tokens" what="The organization's token table comes next." />;
}
