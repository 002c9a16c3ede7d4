import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db";
import { applications, personalAccessTokens as tokens, users } from "@/db/schema";
import { adminOnlyScopesOfToken, applicationOfToken, liveScopesOfToken } from "@/lib/applications/granted-scopes-sql";

// A token as every view of it reads it: the row, its owner, its application, and what it holds
// of that application's catalog now (lib/applications/scopes.ts), in one statement.
const columns = {
  token: tokens,
  owner: { username: users.username, displayName: users.displayName, role: users.role },
  application: { id: applications.id, name: applications.name, slug: applications.slug, builtIn: applications.builtIn },
  granted: {
    live: liveScopesOfToken,
    adminOnly: adminOnlyScopesOfToken,
    archived: sql<boolean>`${applications.archivedAt} is not null`,
  },
};

/** `select … from tokens join owner join application`; add where / order / limit / for update. */
export function selectTokensWithOwner(executor: Executor) {
  return executor.select(columns).from(tokens).innerJoin(users, eq(users.id, tokens.userId)).innerJoin(applications, applicationOfToken);
}
