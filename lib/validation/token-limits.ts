// Plain constants, without zod, so client components can import them: zod in the browser probes
// for `new Function`, which the CSP reports as a violation (see ./zod-without-eval.ts).

/** One limit per field, shared by the console's forms, the API's schemas and the data layer. */
export const TOKEN_LIMITS = { description: 200, revokeReason: 500, search: 200, searchMin: 3, bulkRevoke: 500 } as const;

/**
 * A search needs three characters (none is no search): a trigram index cannot narrow a shorter
 * one, which would read every token of the organization. GitLab asks the same.
 */
export const SEARCH_TOO_SHORT = "Enter at least three characters to search.";
export const isSearchable = (search: string) => search.trim().length === 0 || search.trim().length >= TOKEN_LIMITS.searchMin;
