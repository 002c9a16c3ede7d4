import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { requireAdmin } from "@/lib/session";

export const metadata: Metadata = { title: "Reps" };

export default async function RepsPage() {
  await requireAdmin();
  return <NotBuiltYet title="Service reps" what="Creating, editing and deactivating reps comes in a later release." />;
}
