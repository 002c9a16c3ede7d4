import { z } from "zod";
import { AUDIT_ACTIONS } from "@/lib/audit/record";
import { isoDay } from "./text";
import { pageQuery } from "@/lib/shared/keyset-cursor";

// Filters of the audit log (page, CSV export). Anything unreadable is dropped rather than refused:
// a hand-edited URL shows more, never an error.
export const auditQuerySchema = z.object({
  action: z.enum(AUDIT_ACTIONS).optional().catch(undefined),
  actorId: z.uuid().optional().catch(undefined),
  targetUserId: z.uuid().optional().catch(undefined),
  /** Inclusive UTC days, YYYY-MM-DD. */
  from: isoDay.optional().catch(undefined),
  to: isoDay.optional().catch(undefined),
  ...pageQuery,
});
/** Raw filter values (from a URL or a caller); the schema decides what they mean. */
export type AuditQuery = Partial<Record<"action" | "actorId" | "targetUserId" | "from" | "to" | "cursor", string>> & {
  limit?: number;
};

const first = (value: string | string[] | null | undefined) => (Array.isArray(value) ? value[0] : (value ?? undefined));
const blank = (value: string | undefined) => (value === "" ? undefined : value);

/** The audit filters from URL parameters, shared by the page and the CSV export. */
export function auditQueryFromParams(get: (name: string) => string | string[] | null | undefined): AuditQuery {
  return {
    action: blank(first(get("action"))),
    actorId: blank(first(get("actor"))),
    targetUserId: blank(first(get("rep"))),
    from: blank(first(get("from"))),
    to: blank(first(get("to"))),
    cursor: blank(first(get("cursor"))),
  };
}
