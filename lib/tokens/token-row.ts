import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { applications, applicationScopes, personalAccessTokens as tokens, users } from "@/db/schema";
import { applicationOfToken } from "@/lib/applications/granted-scopes-sql";
import type { TokenWithOwner } from "./view";

// A token as every view of it reads it: the row, its owner, its application, and what it holds
// of that application's catalog now (lib/applications/scopes.ts).
const columns = {
  token: tokens,
  owner: { username: users.username, displayName: users.displayName, role: users.role },
  application: { id: applications.id, name: applications.name, slug: applications.slug, builtIn: applications.builtIn },
  archived: sql<boolean>`${applications.archivedAt} is not null`,
};

/** `select … from tokens join owner join application`; add where / order / limit / for update, then withGrants. */
export function selectTokensWithOwner(executor: Executor) {
  return executor.select(columns).from(tokens).innerJoin(users, eq(users.id, tokens.userId)).innerJoin(applications, applicationOfToken);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectTokensWithOwner>["execute"]>>[number];

/**
 * Adds to each row what its token holds of its application's live scopes, read once for the
 * applications of all the rows (a page holds few), in catalog order.
 */
export async function withGrants(executor: Executor, organizationId: string, rows: Row[]): Promise<TokenWithOwner[]> {
  const applicationIds = [...new Set(rows.map((row) => row.application.id))];
  const live =
    applicationIds.length === 0
      ? []
      : await executor
          .select({
            applicationId: applicationScopes.applicationId,
            scope: applicationScopes.scope,
            adminOnly: applicationScopes.adminOnly,
          })
          .from(applicationScopes)
          .where(
            and(
              eq(applicationScopes.organizationId, organizationId),
              inArray(applicationScopes.applicationId, applicationIds),
              isNull(applicationScopes.deprecatedAt),
            ),
          )
          .orderBy(asc(applicationScopes.position), asc(applicationScopes.scope));
  return rows.map(({ token, owner, application, archived }) => {
    const stored = new Set(token.permissions);
    const held = live.filter((scope) => scope.applicationId === application.id && stored.has(scope.scope));
    return {
      token,
      owner,
      application,
      granted: {
        live: held.map((scope) => scope.scope),
        adminOnly: held.filter((scope) => scope.adminOnly).map((scope) => scope.scope),
        archived,
      },
    };
  });
}
