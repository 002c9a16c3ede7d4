import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";

// "/" is a doorway: admins land on the organization's tokens, reps on their own.
export default async function HomePage() {
  const user = await requireUser();
  redirect(user.role === "admin" ? "/admin/tokens" : "/options");
}
