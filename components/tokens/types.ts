import type { PolicyView } from "@/components/tokens/expiration-field";
import type { ApplicationCatalog } from "@/lib/applications/catalog";
import type { PersonOption } from "@/lib/reps/view";
import type { TokenView } from "@/lib/tokens/view";

/** What the token pages hand to their client components (all serializable). */
export type TokenPageContext = {
  mode: "admin" | "own";
  currentUserId: string;
  /** Admins may type an account SID; everyone else always gets a generated one. */
  canChooseAccountSid: boolean;
  reps: PersonOption[];
  /** The applications that take new tokens, with their catalogs (the built-in Tessera API first). */
  applications: ApplicationCatalog[];
  policy: PolicyView;
  /** The server's clock, so server and browser render the same relative dates. */
  now: string;
  /**
   * Options of a person in several organizations: each one's choices, for the create dialog's
   * "Organization" field (the page's own among them). Absent when there is nothing to choose.
   */
  organizations?: TokenFormOrganization[];
};

/** One organization the create dialog can make the person's token in. */
export type TokenFormOrganization = Pick<TokenPageContext, "currentUserId" | "canChooseAccountSid" | "reps" | "applications" | "policy"> & {
  slug: string;
  name: string;
};

/** Fields that prefill the create dialog ("Copy as new", or the rep filter). */
export type TokenPrefill = Partial<
  Pick<
    TokenView,
    "userId" | "description" | "permissions" | "expiresAt" | "createdAt" | "allowedCidrs" | "rateLimitPerMinute" | "validFrom"
  >
> & {
  applicationId?: string;
};
