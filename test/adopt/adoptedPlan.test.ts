/**
 * Adoption through the program: with `monitoring-stack:adopt` the offline
 * plan records an `importId` (the `import` option `pulumi preview` shows as
 * `= import`) and `retainOnDelete` for exactly the resources matched on the
 * fixture project, nothing for those refused or left alone, and what refers
 * to an adopted resource uses its existing id. Without the key the plan has
 * no import at all. A key naming no resource, or an id of the wrong shape or
 * project, refuses the stack with one line each.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runPlan, type PlanDocument } from "../../plan/runPlan";
import { renderDiff } from "../../plan/diff";
import { plan } from "../plan/helpers";
import { ADOPT_SERVICES, ADOPT_STACK, EXPECTED_ADOPTED } from "./fixture";

const dir = mkdtempSync(path.join(tmpdir(), "adopted-plan-"));

/** The fixture stack file with `adopt` appended under config. */
function stackWith(adopt: Record<string, string>, name = "Pulumi.shop.yaml"): string {
  const lines = Object.entries(adopt).map(([key, id]) => `    ${key}: ${JSON.stringify(id)}`);
  const file = path.join(dir, name);
  writeFileSync(file, `${readFileSync(ADOPT_STACK, "utf8")}  monitoring-stack:adopt:\n${lines.join("\n")}\n`);
  return file;
}

let without: PlanDocument;
let adopted: PlanDocument;
let summaries: { without: string; adopted: string };

beforeAll(async () => {
  const [before, after] = [await plan({ stack: "shop", configFile: ADOPT_STACK, servicesDir: ADOPT_SERVICES }), await plan({ stack: "shop", configFile: stackWith(EXPECTED_ADOPTED), servicesDir: ADOPT_SERVICES })];
  [without, adopted] = [before.plan, after.plan];
  summaries = { without: before.summary, adopted: after.summary };
}, 120_000);

describe("the offline plan with monitoring-stack:adopt", () => {
  it("records imports for exactly the matched resources, each kept when removed from the program", () => {
    const imports = Object.fromEntries(adopted.resources.filter((r) => r.importId).map((r) => [r.name, r.importId]));
    expect(imports).toEqual(EXPECTED_ADOPTED);
    for (const r of adopted.resources.filter((x) => x.importId)) expect(r.retainOnDelete, r.name).toBe(true);
    // Refused ones are created as usual, beside what exists.
    for (const name of ["shop-api-uptime-ready", "search-slo-latency", "search-logs-bucket"]) expect(adopted.resources.find((r) => r.name === name)!.importId).toBeUndefined();
  });

  it("records no import without the key, and changes nothing else than imports and the ids that follow them", () => {
    expect(without.resources.filter((r) => r.importId)).toEqual([]);
    expect(adopted.resources.map((r) => r.urn)).toEqual(without.resources.map((r) => r.urn));
  });

  it("points what refers to an adopted resource at its existing id: the alert filter at the check, policies at the channels", () => {
    const policy = adopted.resources.find((r) => r.name === "shop-api-uptime-health-failing")!;
    const inputs = policy.inputs as { conditions: Array<{ conditionThreshold: { filter: string } }>; notificationChannels: string[] };
    expect(inputs.conditions[0]!.conditionThreshold.filter).toContain('metric.label.check_id="shop-healthz-Xk3v9QmbT1o"');
    expect(inputs.notificationChannels).toEqual([EXPECTED_ADOPTED["platform-shop-pager"]]);
  });

  it("lists the imports in the plan summary, and nothing of adoption without the key", () => {
    const text = summaries.adopted;
    const section = text.slice(text.indexOf("## Adopted: existing resources imported"), text.indexOf("\n## ", text.indexOf("## Adopted") + 5));
    expect(section).toContain(`${Object.keys(EXPECTED_ADOPTED).length} existing resources are imported instead of created`);
    for (const [name, id] of Object.entries(EXPECTED_ADOPTED)) expect(section).toContain(`| \`${name}\` | \`${id}\` |`);
    expect(summaries.without).not.toContain("Adopted");
  });

  it("gets its own section in the plan diff", () => {
    const text = renderDiff(without, adopted);
    const section = text.slice(text.indexOf("## Adopted: existing resources imported"), text.indexOf("## Resources"));
    for (const [name, id] of Object.entries(EXPECTED_ADOPTED)) expect(section).toContain(`| \`${name}\` | \`${id}\` |`);
    expect(renderDiff(without, without)).not.toContain("## Adopted");
  });

  it("refuses a name no resource has and an id of the wrong shape or project, one line each, planning nothing", async () => {
    const file = stackWith(
      {
        "shop-api-uptime-helth": EXPECTED_ADOPTED["shop-api-uptime-health"]!,
        "shop-api-logs-bucket": "shop-api-logs",
        "search-slo-service": "projects/acme-other-prod/services/search",
        "shop-api-slo-service": EXPECTED_ADOPTED["shop-api-uptime-health"]!,
      },
      "Pulumi.bad.yaml",
    );
    const first = await runPlan({ stack: "shop", configFile: file, servicesDir: ADOPT_SERVICES });
    expect(first.ok).toBe(false);
    if (first.ok) return;
    // Ids of no kind or of another project are refused before any resource is registered.
    expect(first.problems.map((p) => p.path).sort()).toEqual(["monitoring-stack:adopt.search-slo-service", "monitoring-stack:adopt.shop-api-logs-bucket"]);
    expect(first.problems.find((p) => p.path.endsWith("search-slo-service"))!.message).toMatch(/expected an id in the stack's project acme-shop-prod \(got project acme-other-prod\)/);
    const second = await runPlan({
      stack: "shop",
      configFile: stackWith({ "shop-api-uptime-helth": EXPECTED_ADOPTED["shop-api-uptime-health"]!, "shop-api-slo-service": EXPECTED_ADOPTED["shop-api-uptime-health"]! }, "Pulumi.bad2.yaml"),
      servicesDir: ADOPT_SERVICES,
    });
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'monitoring-stack:adopt.shop-api-slo-service: invalid value (got "projects/acme-shop-prod/uptimeCheckConfigs/shop-healthz-Xk3v9QmbT1o", expected the service\'s import id, {{name}}: projects/{{project}}/services/{{service_id}})',
      'monitoring-stack:adopt.shop-api-uptime-helth: no resource of this stack has that name (got "shop-api-uptime-helth", did you mean "shop-api-uptime-health"?; expected a name npm run adopt wrote, for a resource the stack still declares)',
    ]);
  }, 120_000);
});
