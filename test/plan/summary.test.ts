/**
 * The plan summary says only what will happen: a service that never pages
 * shows no page route, and counts read "1 service", not "1 services".
 */
import { describe, expect, it } from "vitest";
import { counted } from "../../contract/problems";
import { routingLine } from "../../plan/summary";
import { plan } from "./helpers";

describe("plan summary", () => {
  it("a low-tier service that never pages shows no page route", async () => {
    const outcome = await plan({ stack: "local" });
    const statusPage = outcome.program.services.find((s) => s.name === "status-page")!;
    expect(statusPage.tier).toBe("low");
    expect(routingLine(statusPage)).toBe("Routing: ticket → sre-slack; raises no page alerts");
    const section = outcome.summary.slice(outcome.summary.indexOf("## status-page"));
    expect(section).not.toContain("page → sre-pager");
    const checkout = outcome.program.services.find((s) => s.name === "checkout-api")!;
    expect(routingLine(checkout)).toBe("Routing: page → payments-pager; ticket → payments-slack, incident-webhook");
  });

  it("counts nouns in the right number", () => {
    expect([counted(0, "notice"), counted(1, "service"), counted(2, "service"), counted(1, "SLO")]).toEqual(["0 notices", "1 service", "2 services", "1 SLO"]);
  });
});
