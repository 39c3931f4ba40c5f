import { describe, expect, it } from "vitest";
import { fullStackTracesWanted, withoutStackTraces } from "../../plan/stackTraces";

describe("stack traces during an offline plan", () => {
  it("are frameless while the work runs and restored afterwards, even when it throws", async () => {
    const limit = Error.stackTraceLimit;
    const inside = await withoutStackTraces(async () => new Error("boom").stack, {});
    expect(inside).toBe("Error: boom");
    await expect(withoutStackTraces(async () => Promise.reject(new TypeError("bad")), {})).rejects.toThrow("bad");
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error("after").stack).toMatch(/\n\s+at /);
  });

  it("keeps full stack traces when DEBUG is set", async () => {
    expect(fullStackTracesWanted({ DEBUG: "1" })).toBe(true);
    expect(fullStackTracesWanted({ DEBUG: "" })).toBe(false);
    expect(fullStackTracesWanted({ DEBUG: "0" })).toBe(false);
    expect(fullStackTracesWanted({})).toBe(false);
    const inside = await withoutStackTraces(async () => new Error("boom").stack, { DEBUG: "1" });
    expect(inside).toMatch(/^Error: boom\n\s+at /);
  });
});
