import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { persons } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/http/request-context";
import { takeConfirmationAttempt } from "./password-limits";
import { checkPassword } from "./passwords";
import { grantSudo } from "./sudo";

/**
 * Re-checks the signed-in person's password before sensitive changes ("sudo mode"). Attempts are
 * limited per session: only whoever holds the session can spend them, so strangers guessing the
 * account's password at sign-in cannot lock its owner out of the prompt.
 */
export async function confirmPassword(
  user: { id: string; personId: string; organizationId: string; sessionId: string },
  password: string,
  context: RequestContext,
): Promise<"confirmed" | "wrong_password" | "rate_limited" | "busy"> {
  const attempt = await takeConfirmationAttempt(user.personId, user.sessionId);
  if (!attempt.ok) return "rate_limited";
  const db = await getDb();
  const [row] = await db.select({ passwordHash: persons.passwordHash }).from(persons).where(eq(persons.id, user.personId));
  const check = await checkPassword(row?.passwordHash ?? "", password);
  if (check === "busy") {
    await attempt.settle("not_checked");
    return "busy";
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
  await attempt.settle("matched");
  await grantSudo({ personId: user.personId, sessionId: user.sessionId });
  return "confirmed";
}
