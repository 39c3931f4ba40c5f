import { describe, expect, it } from "vitest";
import { applyResource, applySection } from "../../plan/applySection";
import type { PlannedResource } from "../../plan/mockRuntime";

const resource = (type: string, name: string, inputs: Record<string, unknown> = {}): PlannedResource => ({ urn: `urn:${name}`, type, name, inputs });

describe("summary.md's apply estimate", () => {
  it("holds an SLO's lock per the custom service it names, and a project-wide lock per project", () => {
    expect(applyResource(resource("gcp:monitoring/slo:Slo", "a", { service: "checkout" }))).toEqual({ type: "gcp:monitoring/slo:Slo", lockParent: '"checkout"' });
    expect(applyResource(resource("gcp:monitoring/alertPolicy:AlertPolicy", "b", { project: "p" }))).toEqual({ type: "gcp:monitoring/alertPolicy:AlertPolicy" });
  });

  it("gives the requests, the longest lock chain, the --parallel that reaches it, and a row per kind", () => {
    const resources = [
      ...Array.from({ length: 120 }, (_, i) => resource("gcp:monitoring/alertPolicy:AlertPolicy", `alert-${i}`)),
      ...Array.from({ length: 10 }, (_, i) => resource("gcp:monitoring/slo:Slo", `slo-${i}`, { service: `svc-${i}` })),
      resource("grafana:oss/dashboard:Dashboard", "board"),
    ];
    const text = applySection(resources).join("\n\n");
    expect(text).toContain("## Applying to Google Cloud (estimate)");
    expect(text).toContain("about 260 requests to Google's APIs: Cloud Monitoring API 260");
    expect(text).toContain("reads each once: 130 requests");
    // 120 policies one after another at 2 requests of 0.5 s: 2 minutes; the 10 SLOs fit beside them.
    expect(text).toContain("gcp:monitoring/alertPolicy:AlertPolicy, takes at least 2 min, so a first apply takes at least 2 min: `--parallel 2` reaches that");
    expect(text).toContain("| gcp:monitoring/slo:Slo | 10 | 20 | 10 | one at a time per service |");
    expect(text).not.toContain("grafana:oss/dashboard");
  });

  it("leaves the section out of a plan with nothing for Google's APIs", () => {
    expect(applySection([resource("grafana:oss/dashboard:Dashboard", "board")])).toEqual([]);
  });
});
