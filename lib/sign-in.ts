import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { organizations, users } from "@/db/schema";
import { recordAuditEvent, type RequestContext } from "./audit";
import { verifyDecoyPassword, verifyPassword } from "./passwords";
import { clearSignInFailures, recordSignInFailure, signInRetryAfter } from "./rate-limit";
import { signInSchema } from "./validation/user";

export type SessionIdentity = { userId: string; organizationId: string; role: "admin" | "rep" };

export type SignInResult =
  | { ok: true; identity: SessionIdentity }
  | { ok: false; reason: "invalid_credentials" | "inactive_user" | "inactive_organization" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * Checks an e-mail and password. Every outcome is audited. The result never says whether the
 * e-mail or the password was wrong; "inactive" is only revealed to whoever knows the password.
 */
export async function verifyCredentials(input: unknown, context: RequestContext): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: "invalid_credentials" };
  const { email, password } = parsed.data;
  const db = await getDb();

  const retryAfterSeconds = await signInRetryAfter(email, context.ip);
  if (retryAfterSeconds > 0) {
    await recordAuditEvent(db, {
      organizationId: null,
      action: "sign_in.failed",
      context,
      details: { email, reason: "rate_limited" },
    });
    return { ok: false, reason: "rate_limited", retryAfterSeconds };
  }

  const [row] = await db
    .select({ user: users, organizationActive: organizations.active })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(users.email, email))
    .limit(1);

  const passwordMatches = row
    ? await verifyPassword(row.user.passwordHash, password)
    : await verifyDecoyPassword(password);

  if (!row || !passwordMatches) {
    await recordSignInFailure(email, context.ip);
    await recordAuditEvent(db, {
      organizationId: row?.user.organizationId ?? null,
      action: "sign_in.failed",
      actorUserId: row?.user.id ?? null,
      targetType: row ? "user" : undefined,
      targetId: row?.user.id ?? null,
      targetUserId: row?.user.id ?? null,
      context,
      details: { email, reason: "invalid_credentials" },
    });
    return { ok: false, reason: "invalid_credentials" };
  }

  const { user } = row;
  const reason = !row.organizationActive ? "inactive_organization" : !user.active ? "inactive_user" : null;
  await clearSignInFailures(email, context.ip);
  await db.transaction(async (tx) => {
    if (reason === null) {
      await tx.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
    }
    await recordAuditEvent(tx, {
      organizationId: user.organizationId,
      action: reason === null ? "sign_in.succeeded" : "sign_in.failed",
      actorUserId: user.id,
      targetType: "user",
      targetId: user.id,
      targetUserId: user.id,
      context,
      details: reason === null ? { email } : { email, reason },
    });
  });
  if (reason !== null) return { ok: false, reason };
  return { ok: true, identity: { userId: user.id, organizationId: user.organizationId, role: user.role } };
}
