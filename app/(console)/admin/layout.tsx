import type { ReactNode } from "react";
import { requireAdmin } from "@/lib/auth/session";

// Reps get 404 here; each admin page and action checks again, because layouts do not
// re-run on every navigation and actions can be called directly.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdmin();
  return children;
}
