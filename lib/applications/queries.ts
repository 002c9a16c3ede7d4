import { and, asc, count, eq, gt, isNull, or, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { applications, applicationSecrets, personalAccessTokens as tokens } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { notFound } from "@/lib/shared/errors";
import { isUuid } from "@/lib/shared/ids";
import { authorizeApplications } from "./access";
import { loadCatalog, loadCatalogsWhere, type ApplicationCatalog } from "./catalog";

export type ClientSecretView = { id: string; hint: string; createdAt: string; lastUsedAt: string | null };

export type ApplicationSummary = ApplicationCatalog & { liveTokens: number };
export type ApplicationDetail = ApplicationSummary & { clientSecrets: ClientSecretView[] };

/**
 * The organization's applications with their catalogs, for the token pages: every signed-in
 * member picks from them when creating a token (archived ones only filter the list).
 */
export async function listApplicationChoices(actor: Actor): Promise<ApplicationCatalog[]> {
  return loadCatalogsWhere(await getDb(), actor.organizationId);
}

/** Tokens an archive would stop: not revoked, not expired. */
export async function countLiveTokens(executor: Executor, organizationId: string, applicationId: string, now = new Date()) {
  const [row] = await executor
    .select({ n: count() })
    .from(tokens)
    .where(
      and(
        eq(tokens.organizationId, organizationId),
        eq(tokens.applicationId, applicationId),
        isNull(tokens.revokedAt),
        or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now)),
      ),
    );
  return row?.n ?? 0;
}

/** Every application of the organization, with how many live tokens each has (admins). */
export async function listApplications(actor: Actor, now = new Date()): Promise<ApplicationSummary[]> {
  authorizeApplications(actor, "read");
  const db = await getDb();
  const [catalogs, counts] = await Promise.all([
    loadCatalogsWhere(db, actor.organizationId),
    db
      .select({ applicationId: tokens.applicationId, n: count() })
      .from(tokens)
      .where(
        and(
          eq(tokens.organizationId, actor.organizationId),
          isNull(tokens.revokedAt),
          or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now)),
        ),
      )
      .groupBy(tokens.applicationId),
  ]);
  const live = new Map(counts.map((row) => [row.applicationId, row.n]));
  return catalogs.map((catalog) => ({ ...catalog, liveTokens: live.get(catalog.id) ?? 0 }));
}

/** One application with its live client secrets (never their values); another organization's is "not found". */
export async function getApplication(actor: Actor, id: string, now = new Date()): Promise<ApplicationDetail> {
  authorizeApplications(actor, "read");
  if (!isUuid(id)) throw notFound("Application");
  const db = await getDb();
  const catalog = await loadCatalog(db, actor.organizationId, id);
  if (!catalog) throw notFound("Application");
  const [liveTokens, secrets] = await Promise.all([
    countLiveTokens(db, actor.organizationId, id, now),
    db
      .select()
      .from(applicationSecrets)
      .where(
        and(
          eq(applicationSecrets.organizationId, actor.organizationId),
          eq(applicationSecrets.applicationId, id),
          isNull(applicationSecrets.revokedAt),
        ),
      )
      .orderBy(asc(applicationSecrets.createdAt)),
  ]);
  return {
    ...catalog,
    liveTokens,
    clientSecrets: secrets.map((secret) => ({
      id: secret.id,
      hint: secret.hint,
      createdAt: secret.createdAt.toISOString(),
      lastUsedAt: secret.lastUsedAt?.toISOString() ?? null,
    })),
  };
}

/** Whether the organization already has an application with this slug (for slug suggestions). */
export async function slugTaken(executor: Executor, organizationId: string, slug: string): Promise<boolean> {
  const [row] = await executor
    .select({ one: sql`1` })
    .from(applications)
    .where(and(eq(applications.organizationId, organizationId), eq(applications.slug, slug)))
    .limit(1);
  return row !== undefined;
}
