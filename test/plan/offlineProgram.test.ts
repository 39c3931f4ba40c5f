import { describe, expect, it } from "vitest";
import { fixturePlan } from "./helpers";

describe("the offline plan's program", () => {
  it("keeps no component outputs: they would hold every resource object of the stack until the plan ends", async () => {
    const outcome = await fixturePlan();
    expect(outcome.program.services.length).toBeGreaterThan(0);
    expect(outcome.program.monitors).toBeUndefined();
  });
});
