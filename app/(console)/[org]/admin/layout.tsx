import type { ReactNode } from "react";
import { requireAdmin } from "@/lib/auth/session";

// Reps get 404 here; each admin page and action checks again, because layouts do not
// re-run on every navigation and actions can be called directly.
export default async function AdminLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  await requireAdmin((await params).org);
  return children;
}
