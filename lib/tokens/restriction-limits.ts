// Plain constants, so client components can import them without the CIDR library.

/** How many allowed ranges a token may have, and how long one line may be. */
export const RESTRICTION_LIMITS = { allowedCidrs: 50, cidrLength: 64 } as const;
