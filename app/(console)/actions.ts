"use server";

import { signOut } from "@/lib/auth";

export async function signOutUser(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}
