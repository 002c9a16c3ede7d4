import type { Actor } from "@/lib/auth/actor";
import { regenerateToken, type RotationGrace } from "@/lib/tokens/regenerate";
import { readJson } from "./body";
import { rotatedTokenOutput, rotateBody, toTokenOutput } from "./schemas";

/** POST …/rotate for either route: the body's grace (SPEC §11), the successor, and until when the old value works. */
export async function rotateResponse(request: Request, actor: Actor, tokenId: string): Promise<Response> {
  const body = await readJson(request, rotateBody);
  const grace: RotationGrace =
    body.grace_seconds !== undefined
      ? { kind: "for", seconds: body.grace_seconds }
      : body.retire_old_after_first_use_seconds !== undefined
        ? { kind: "after_first_use", seconds: body.retire_old_after_first_use_seconds }
        : { kind: "none" };
  const { token, value, previous } = await regenerateToken(actor, tokenId, grace);
  const output = rotatedTokenOutput.parse({
    token: toTokenOutput(token),
    value,
    previous: { id: previous.id, usable_until: previous.usableUntil?.toISOString() ?? null },
  });
  return Response.json(output, { status: 201, headers: { "Cache-Control": "no-store" } });
}
