import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { recordAuditEvent, type RequestContext } from "./audit";
import { settlePasswordAttempt, takePasswordAttempt } from "./password-limits";
import { checkPassword } from "./passwords";
import { grantSudo } from "./sudo";

/**
 * Re-checks the signed-in user's password before sensitive changes ("sudo mode"). Attempts
 * share the sign-in limits, so the prompt is no way around them.
 */
export async function confirmPassword(
  user: { id: string; email: string; organizationId: string; sessionId: string },
  password: string,
  context: RequestContext,
): Promise<"confirmed" | "wrong_password" | "rate_limited"> {
  if (!(await takePasswordAttempt(user.email, context.ip)).ok) return "rate_limited";
  const db = await getDb();
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
  const check = await checkPassword(row?.passwordHash ?? "", password);
  if (check === "busy") {
    await settlePasswordAttempt(user.email, context.ip, "not_checked");
    return "rate_limited";
  }
  if (check === "mismatch") {
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
  await settlePasswordAttempt(user.email, context.ip, "matched");
  await grantSudo(user);
  return "confirmed";
}
