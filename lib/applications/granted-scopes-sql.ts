import { sql, type SQL } from "drizzle-orm";
import { applications, applicationScopes, personalAccessTokens as tokens } from "@/db/schema";

// The SQL twins of GrantedScopes (./scopes.ts), read in the same statement as the token itself:
// verification, lists and changes all see the catalog as it is at that instant. Each is one
// primary-key probe per stored scope.

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
