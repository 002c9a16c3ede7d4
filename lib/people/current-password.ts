import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { persons } from "@/db/schema";
import { takeConfirmationAttempt } from "@/lib/auth/password-limits";
import { checkPassword } from "@/lib/auth/passwords";
import type { RequestContext } from "@/lib/http/request-context";
import { invalid } from "@/lib/shared/errors";
import { recordPersonEvent } from "./person-events";

const REFUSALS = {
  rate_limited: "Too many failed attempts. Wait a minute, then try again.",
  busy: "The server is busy; try again in a moment.",
  mismatch: "Incorrect password.",
} as const;

/**
 * The current password that every change to a person's own sign-in asks for (/account): limited per
 * session, like the password prompt, so strangers cannot spend the attempts; a wrong one is
 * audited as auth.failed with `reason`. Throws a field error on `currentPassword` unless it matches.
 */
export async function requireCurrentPassword(
  session: { personId: string; sessionId: string },
  password: string,
  context: RequestContext,
  reason: string,
): Promise<void> {
  if (password === "") throw invalid({ currentPassword: ["Enter your current password."] });
  const attempt = await takeConfirmationAttempt(session.personId, session.sessionId);
  if (!attempt.ok) throw invalid({ currentPassword: [REFUSALS.rate_limited] });
  const db = await getDb();
  const [person] = await db.select({ passwordHash: persons.passwordHash }).from(persons).where(eq(persons.id, session.personId));
  const check = await checkPassword(person?.passwordHash || undefined, password.slice(0, 1024));
  if (check === "match") return attempt.settle("matched");
  if (check === "busy") await attempt.settle("not_checked");
  else await recordPersonEvent(db, session.personId, "auth.failed", context, { reason }, { workingOnly: true });
  throw invalid({ currentPassword: [REFUSALS[check]] });
}
