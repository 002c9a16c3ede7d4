import { format } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getMe } from "@/app/api/v1/me/route";
import { GET as listTokens, POST as createToken } from "@/app/api/v1/tokens/route";
import { DELETE as revokeToken } from "@/app/api/v1/tokens/[id]/route";
import { POST as rotateToken } from "@/app/api/v1/tokens/[id]/rotate/route";
import { callRoute, createApiFixture } from "../../fixtures/api";

// Everything the process writes while the API works — successes, refusals, errors — must never
// contain a token value.
const captured: string[] = [];
const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug"] as const;
const consoleOriginals = Object.fromEntries(CONSOLE_METHODS.map((name) => [name, console[name]]));
beforeAll(() => {
  for (const name of CONSOLE_METHODS) {
    const original = console[name];
    console[name] = (...args: unknown[]) => {
      captured.push(format(...args));
      original(...args);
    };
  }
  const capture = (original: typeof process.stdout.write) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stdout.write;
  process.stdout.write = capture(originals.out);
  process.stderr.write = capture(originals.err);
});
afterAll(() => {
  for (const name of CONSOLE_METHODS) console[name] = consoleOriginals[name] ?? console[name];
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
});

describe("token values never reach the logs", () => {
  it("through creation, use, rotation, revocation, refusals and errors", async () => {
    const f = await createApiFixture();
    const issued = [f.admin.value, f.rep.value, f.revoked.value, f.expired.value, f.inactive.value, f.narrow.value];
    const created = await (
      await callRoute(createToken, { method: "POST", token: f.admin.value, body: { description: "logged?", permissions: ["tokens:read"] } })
    ).json();
    issued.push(created.value);
    const rotated = await (await callRoute(rotateToken, { method: "POST", token: f.admin.value, params: { id: created.token.id } })).json();
    issued.push(rotated.value);
    for (const value of issued) {
      await callRoute(getMe, { token: value });
      await callRoute(listTokens, { token: value, path: `/api/v1/tokens?search=${value}` });
      await callRoute(getMe, { authorization: `Basic ${value}` });
      await callRoute(getMe, { path: `/api/v1/me?access_token=${value}` });
      await callRoute(createToken, { method: "POST", token: value, body: `{"description": "${value}", broken` });
    }
    await callRoute(revokeToken, { method: "DELETE", token: f.admin.value, params: { id: rotated.token.id } });
    console.error(new Error("a logged error with a stack"), { note: "the capture works" });

    const output = captured.join("");
    expect(output).toContain("the capture works");
    for (const value of issued) expect(output).not.toContain(value);
  });
});
