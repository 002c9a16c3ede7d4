import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { organizations, users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/http/request-context";
import { takeSignInAttempt } from "./password-limits";
import { checkPassword } from "./passwords";
import { auditUncheckedRefusal } from "./sign-in-audit";
import { startSession } from "./session-store";
import { deviceCookieValue, deviceIdFor } from "./sign-in-device";
import { signInSchema } from "@/lib/validation/user";
import type { Role } from "@/lib/permissions/catalog";

export type SessionIdentity = { userId: string; organizationId: string; role: Role; sessionId: string };

export type SignInResult =
  | { ok: true; identity: SessionIdentity; deviceCookie: string }
  | { ok: false; reason: "invalid_credentials" | "inactive_user" | "inactive_organization" | "busy" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * Checks an e-mail and password. Every outcome is audited. The result never says whether the
 * e-mail or the password was wrong; "inactive" is only revealed to whoever knows the password.
 * `deviceCookie`: the browser's device cookie (lib/auth/sign-in-device.ts), if any; a successful
 * sign-in returns a new one to set.
 */
export async function verifyCredentials(input: unknown, context: RequestContext, deviceCookie?: string): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid_credentials" };
  const { email, password } = parsed.data;
  const db = await getDb();

  const [row] = await db
    .select({ user: users, organizationActive: organizations.active })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(users.email, email))
    .limit(1);
  const user = row?.user;
  const refuse = async (reason: Exclude<SignInResult, { ok: true }>["reason"]) => {
    const event = {
      organizationId: user?.organizationId ?? null,
      action: "sign_in.failed" as const,
      actorUserId: user?.id ?? null,
      targetType: user ? ("user" as const) : undefined,
      targetId: user?.id ?? null,
      targetUserId: user?.id ?? null,
      context,
      details: { email, reason },
    };
    // Refusals of unchecked attempts are counted per minute; a checked password has its own event.
    if (reason === "rate_limited" || reason === "busy") await auditUncheckedRefusal(event);
    else await recordAuditEvent(db, event);
  };

  // The attempt is counted before the password is checked (lib/auth/password-limits.ts).
  const attempt = await takeSignInAttempt(email, context.ip, deviceIdFor(deviceCookie, email));
  if (!attempt.ok) {
    await refuse("rate_limited");
    return { ok: false, reason: "rate_limited", retryAfterSeconds: attempt.retryAfterSeconds };
  }
  const check = await checkPassword(user?.passwordHash, password);
  if (check === "busy") {
    // Nobody failed anything: the process is at its cap of password checks.
    await attempt.settle("not_checked");
    await refuse("busy");
    return { ok: false, reason: "busy" };
  }
  if (!row || !user || check === "mismatch") {
    await refuse("invalid_credentials");
    return { ok: false, reason: "invalid_credentials" };
  }

  await attempt.settle("matched");
  const inactive = !row.organizationActive ? "inactive_organization" : !user.active ? "inactive_user" : null;
  if (inactive !== null) {
    await refuse(inactive);
    return { ok: false, reason: inactive };
  }
  // The session starts with its audit event, in one transaction.
  const sessionId = await db.transaction(async (tx) => {
    await tx.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
    await recordAuditEvent(tx, {
      organizationId: user.organizationId,
      action: "sign_in.succeeded",
      actorUserId: user.id,
      targetType: "user",
      targetId: user.id,
      targetUserId: user.id,
      context,
      details: { email },
    });
    return startSession(tx, user);
  });
  const identity = { userId: user.id, organizationId: user.organizationId, role: user.role, sessionId };
  return { ok: true, identity, deviceCookie: deviceCookieValue(email) };
}
