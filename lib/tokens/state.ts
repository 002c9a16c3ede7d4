export const TOKEN_STATES = ["active", "inactive", "expired", "revoked"] as const;
export type TokenState = (typeof TOKEN_STATES)[number];

export type TokenStateInput = {
  active: boolean;
  revokedAt: Date | null;
  expiresAt: Date | null;
};

// State is derived, never stored, so it cannot drift from the clock. Precedence follows
// permanence: revocation is final, expiry can only be lifted by editing, `active` is a switch.
export function deriveTokenState(token: TokenStateInput, now: Date): TokenState {
  if (token.revokedAt !== null) return "revoked";
  if (token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime()) return "expired";
  if (!token.active) return "inactive";
  return "active";
}
