import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { SECRET, UNKNOWN, sanitize } from "../../plan/mockRuntime";

const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

describe("sanitize", () => {
  it("masks secrets and unknowns, sorts keys and drops undefined members, at any depth", () => {
    const input = { b: [{ z: 1, a: secret("token") }, pulumi.runtime.unknownValue], a: { y: undefined, x: { __pulumiUnknown: true } } };
    const clean = sanitize(input);
    expect(JSON.stringify(clean)).toBe(JSON.stringify({ a: { x: UNKNOWN }, b: [{ a: SECRET, z: 1 }, UNKNOWN] }));
    // The input is left as it was.
    expect(Object.keys(input.b[0] as object)).toEqual(["z", "a"]);
  });

  it("returns a value with nothing to mask and its keys in order as it is, and copies only the branch that changes", () => {
    const kept = { a: [1, { b: "x", c: ["y"] }], d: { e: true } };
    expect(sanitize(kept)).toBe(kept);
    const changed = { a: kept.a, d: { f: secret("s"), e: 1 } };
    const clean = sanitize(changed) as typeof changed;
    expect(clean).not.toBe(changed);
    expect(clean.a).toBe(kept.a);
    expect(JSON.stringify(clean.d)).toBe(JSON.stringify({ e: 1, f: SECRET }));
  });

  it("copies an array from its first changed item on, keeping the items before", () => {
    const first = { a: 1 };
    const list = [first, secret(2), { b: 1, a: 2 }];
    const clean = sanitize(list) as unknown[];
    expect(clean).not.toBe(list);
    expect(clean[0]).toBe(first);
    expect(JSON.stringify(clean)).toBe(JSON.stringify([{ a: 1 }, SECRET, { a: 2, b: 1 }]));
  });
});
