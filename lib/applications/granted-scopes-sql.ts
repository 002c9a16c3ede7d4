import { sql, type SQL } from "drizzle-orm";
import { applications, applicationScopes, personalAccessTokens as tokens } from "@/db/schema";

// The SQL twins of GrantedScopes (./scopes.ts), for verification, which reads one token with
// them in one statement (on a cache miss only): each is one primary-key probe per stored scope.
// Lists read the page's catalogs once instead (withGrants, lib/tokens/token-row.ts).

const scopesOfToken = (extra: SQL) => sql<string[]>`array(
  select ${applicationScopes.scope} from ${applicationScopes}
  where ${applicationScopes.organizationId} = ${tokens.organizationId}
    and ${applicationScopes.applicationId} = ${tokens.applicationId}
    and ${applicationScopes.scope} = any(${tokens.permissions})
    and ${applicationScopes.deprecatedAt} is null ${extra}
  order by ${applicationScopes.position}, ${applicationScopes.scope})`;

export const liveScopesOfToken = scopesOfToken(sql``);
export const adminOnlyScopesOfToken = scopesOfToken(sql`and ${applicationScopes.adminOnly}`);

/** Join condition: the token's application, within the token's organization. */
export const applicationOfToken = sql`${applications.organizationId} = ${tokens.organizationId} and ${applications.id} = ${tokens.applicationId}`;
