import { describe, expect, it } from "vitest";
import { decodeTimeCursor, encodeTimeCursor } from "@/lib/shared/keyset-cursor";
import { decodeCursor, encodeCursor } from "@/lib/tokens/cursor";

const ID = "0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f";
const raw = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString("base64url");

describe("token list cursors", () => {
  it("round-trip a position for every sort", () => {
    const at = "2026-03-04T05:06:07.089Z";
    expect(decodeCursor(encodeCursor("created_desc", at, ID), "created_desc")).toEqual({ value: at, id: ID });
    expect(decodeCursor(encodeCursor("expires_asc", "infinity", ID), "expires_asc")).toEqual({ value: "infinity", id: ID });
    expect(decodeCursor(encodeCursor("last_used_desc", "-infinity", ID), "last_used_desc")).toEqual({ value: "-infinity", id: ID });
    expect(decodeCursor(encodeCursor("description_asc", "x 1", ID), "description_asc")).toEqual({ value: "x 1", id: ID });
  });

  it.each([
    ["a date PostgreSQL cannot read (v: 'x 1')", raw({ s: "created_desc", v: "x 1", id: ID })],
    ["a bare number", raw({ s: "created_desc", v: "1", id: ID })],
    ["a date that does not round-trip", raw({ s: "created_desc", v: "2026-02-30T00:00:00.000Z", id: ID })],
    ["a year beyond 9999", raw({ s: "created_desc", v: "+010000-01-01T00:00:00.000Z", id: ID })],
    ["year 0, which PostgreSQL lacks", raw({ s: "created_desc", v: "0000-01-01T00:00:00.000Z", id: ID })],
    ["infinity on a sort that never issues it", raw({ s: "created_desc", v: "infinity", id: ID })],
    ["an extra key", raw({ s: "created_desc", v: "2026-03-04T05:06:07.089Z", id: ID, x: 1 })],
    ["a bad id", raw({ s: "created_desc", v: "2026-03-04T05:06:07.089Z", id: "1" })],
    ["another sort's cursor", raw({ s: "created_asc", v: "2026-03-04T05:06:07.089Z", id: ID })],
    ["a NUL byte", raw({ s: "created_desc", v: "2026-03-04T05:06:07.089Z\u0000", id: ID })],
    ["an array", raw([1, 2])],
    ["random bytes", Buffer.from([0xff, 0xfe, 0x00, 0x7b]).toString("base64url")],
    ["not base64url", "%%%"],
  ])("refuse %s", (_name, cursor) => {
    expect(decodeCursor(cursor, "created_desc")).toBeNull();
  });

  it("refuse a NUL byte in a description position", () => {
    expect(decodeCursor(raw({ s: "description_asc", v: "a\u0000b", id: ID }), "description_asc")).toBeNull();
  });
});

describe("time cursors (audit log, outbox)", () => {
  it("round-trip a position", () => {
    const at = new Date("2026-03-04T05:06:07.089Z");
    expect(decodeTimeCursor(encodeTimeCursor(at, ID))).toEqual({ at, id: ID });
  });

  it.each([
    ["an invalid day", raw({ at: "2026-02-30T00:00:00Z", id: ID })],
    ["year 0", raw({ at: "0000-01-01T00:00:00.000Z", id: ID })],
    ["a time without milliseconds (never issued)", raw({ at: "2026-03-04T05:06:07Z", id: ID })],
    ["an extra key", raw({ at: "2026-03-04T05:06:07.089Z", id: ID, s: "x" })],
    ["v: 'x 1'", raw({ at: "x 1", id: ID })],
  ])("refuse %s", (_name, cursor) => {
    expect(decodeTimeCursor(cursor)).toBeNull();
  });
});
