"use server";

import { headers } from "next/headers";
import { signOut } from "@/lib/auth/next-auth";
import { requestContextFrom } from "@/lib/http/request-context";
import { getCurrentUser } from "@/lib/auth/session";
import { endSession } from "@/lib/auth/session-store";
import { clearSudo } from "@/lib/auth/sudo";

/**
 * Ends the session on the server first, so a failure shows instead of leaving a live session
 * behind a cleared cookie (Auth.js only logs errors of its signOut event), then clears the cookies.
 */
export async function signOutUser(): Promise<void> {
  const user = await getCurrentUser();
  if (user) {
    await endSession(
      { userId: user.id, organizationId: user.organizationId, sessionId: user.sessionId },
      requestContextFrom(await headers()),
    );
  }
  await clearSudo();
  await signOut({ redirectTo: "/login" });
}
