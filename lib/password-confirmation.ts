import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { recordAuditEvent, type RequestContext } from "./audit";
import { verifyPassword } from "./passwords";
import { clearSignInFailures, recordSignInFailure, signInRetryAfter } from "./rate-limit";
import { grantSudo } from "./sudo";

/**
 * Re-checks the signed-in user's password before sensitive changes ("sudo mode"). Failures
 * share the sign-in rate limit, so the prompt is no way around it.
 */
export async function confirmPassword(
  user: { id: string; email: string; organizationId: string },
  password: string,
  context: RequestContext,
): Promise<"confirmed" | "wrong_password" | "rate_limited"> {
  if ((await signInRetryAfter(user.email, context.ip)) > 0) return "rate_limited";
  const db = await getDb();
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
  if (!row || !password || !(await verifyPassword(row.passwordHash, password))) {
    await recordSignInFailure(user.email, context.ip);
    await recordAuditEvent(db, {
      organizationId: user.organizationId,
      action: "auth.failed",
      actorUserId: user.id,
      targetType: "user",
      targetId: user.id,
      targetUserId: user.id,
      context,
      details: { reason: "password_confirmation_failed" },
    });
    return "wrong_password";
  }
  await clearSignInFailures(user.email, context.ip);
  await grantSudo(user.id);
  return "confirmed";
}
