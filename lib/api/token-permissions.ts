import type { Permission } from "@/lib/permissions";

// tokens:read / tokens:write act on the owner's own tokens; tokens:admin on the organization's
// (withToken sets the actor's reach from it).
export const READ_TOKENS: readonly Permission[] = ["tokens:read", "tokens:admin"];
export const WRITE_TOKENS: readonly Permission[] = ["tokens:write", "tokens:admin"];
