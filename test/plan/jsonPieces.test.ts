import { mkdtempSync, readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonPieces, writePieces } from "../../plan/jsonPieces";
import { planJson, planJsonPieces, type PlanDocument } from "../../plan/runPlan";

/** Values JSON.stringify meets in a plan, and the ones it treats specially: undefined members, holes' nulls, toJSON, non-ASCII text. */
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.string({ unit: "grapheme" }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.date({ noInvalidDate: true })),
  node: fc.oneof({ depthSize: "small" }, tie("leaf"), fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(fc.string(), tie("node"), { maxKeys: 4 })),
})).node;

describe("jsonPieces", () => {
  it("joins to JSON.stringify(value, null, 2), at every depth of laying out", () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(value, { maxLength: 5 }), fc.dictionary(fc.string(), value, { maxKeys: 5 })), fc.integer({ min: 0, max: 4 }), (input, depth) => {
        expect([...jsonPieces(input, depth)].join("")).toBe(JSON.stringify(input, null, 2));
      }),
      { numRuns: 500 },
    );
  });

  it("lays out empty containers, nested empty ones and members that serialise to nothing as JSON.stringify does", () => {
    const input = { a: [], b: {}, c: [[], {}, undefined, () => 1], d: undefined, e: { toJSON: () => undefined }, f: [{ toJSON: () => undefined }], g: "tab\there ✓" };
    expect([...jsonPieces(input, 3)].join("")).toBe(JSON.stringify(input, null, 2));
  });

  it("plan.json in pieces is the text of planJson, final newline included, and is written the same", async () => {
    const plan: PlanDocument = {
      stack: "local",
      project: "demo",
      resources: [
        { urn: "urn:a", type: "t", name: "a", inputs: { nested: { list: [1, "two", { three: 3 }] }, text: "line\nnext é" } },
        { urn: "urn:b", type: "t", name: "b", parent: "urn:a", inputs: {}, protect: true },
      ],
      violations: [],
    };
    expect([...planJsonPieces(plan)].join("")).toBe(planJson(plan));
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "plan-json-")), "plan.json");
    await writePieces(file, planJsonPieces(plan));
    expect(readFileSync(file, "utf8")).toBe(planJson(plan));
  });

  it("writes far more than one batch in order", async () => {
    const pieces = Array.from({ length: 5000 }, (_, i) => `${i}:${"x".repeat(200)}\n`);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "plan-json-")), "big.txt");
    await writePieces(file, pieces);
    expect(readFileSync(file, "utf8")).toBe(pieces.join(""));
  });

  it("rejects when the file cannot be written", async () => {
    await expect(writePieces(path.join(os.tmpdir(), "no-such-dir-for-plan-json", "plan.json"), ["{}"])).rejects.toThrow(/ENOENT/);
  });
});
