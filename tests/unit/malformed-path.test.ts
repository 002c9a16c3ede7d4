import { describe, expect, it } from "vitest";
import { hasMalformedPath } from "../../scripts/malformed-path.mjs";

describe("scripts/server.mjs refuses paths Next.js cannot decode (once a 500)", () => {
  it.each(["/api/v1/tokens/%FF", "/api/v1/tokens/%E0%A4%A/rotate", "/admin/%", "/%C0%AF"])("%s is malformed", (path) => {
    expect(hasMalformedPath(path)).toBe(true);
  });

  it.each(["/", "/api/v1/tokens/0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f", "/docs/api?x=%FF", "/admin/tokens?search=%", "/caf%C3%A9"])("%s is fine", (path) => {
    expect(hasMalformedPath(path)).toBe(false);
  });
});
