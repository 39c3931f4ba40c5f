/**
 * Property: renaming a service, its endpoints and its SLOs with `formerly`
 * never shows an SLI or filter change in the diff. The plan's stand-in ids
 * follow the oldest name, as the cloud's ids do, so only names and display
 * fields differ.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changedFields, matchResources, renderDiff } from "../../plan/diff";
import type { PlanDocument } from "../../plan/runPlan";
import { FIXTURE_SERVICES, FIXTURE_STACK, plan } from "./helpers";

/** Inputs that carry what an SLI, a check or an alert measures. */
const MEASURING_FIELDS = ["windowsBasedSli", "requestBasedSli", "basicSli", "conditions", "filter", "goal", "rollingPeriodDays", "sloId", "serviceId", "service", "httpCheck", "monitoredResource", "contentMatchers"];

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

interface Rename {
  service?: string;
  endpoint?: string;
  slos: Partial<Record<"availability" | "uptime" | "prom" | "lb", string>>;
}

function renamedCatalog(rename: Rename): string {
  const dir = mkdtempSync(path.join(tmpdir(), "rename-property-"));
  dirs.push(dir);
  cpSync(FIXTURE_SERVICES, dir, { recursive: true });
  const file = path.join(dir, "web.yaml");
  let yaml = readFileSync(file, "utf8");
  if (rename.service) yaml = yaml.replace("name: web\n", `name: ${rename.service}\nformerly: [web]\n`);
  if (rename.endpoint) {
    yaml = yaml.replace("  - name: health\n", `  - name: ${rename.endpoint}\n    formerly: [health]\n`).replace("uptime: { endpoint: health }", `uptime: { endpoint: ${rename.endpoint} }`);
  }
  for (const [slo, name] of Object.entries(rename.slos)) yaml = yaml.replace(`  - name: ${slo}\n`, `  - name: ${name}\n    formerly: [${slo}]\n`);
  writeFileSync(file, yaml);
  return dir;
}

const newName = (prefix: string) => fc.stringMatching(/^[a-z][a-z0-9]{2,8}$/).map((suffix) => `${prefix}-${suffix}`);

let base: PlanDocument;
beforeAll(async () => {
  base = (await plan({ stack: "test", configFile: FIXTURE_STACK, servicesDir: FIXTURE_SERVICES })).plan;
});

describe("a rename with formerly", () => {
  it("never shows an SLI or filter change", async () => {
    const renames = fc.record({
      service: fc.option(newName("shop"), { nil: undefined }),
      endpoint: fc.option(newName("probe"), { nil: undefined }),
      slos: fc.record({ availability: newName("ok"), uptime: newName("up"), prom: newName("pr"), lb: newName("lb") }, { requiredKeys: [] }),
    }) as fc.Arbitrary<Rename>;
    await fc.assert(
      fc.asyncProperty(renames, async (rename) => {
        const head = (await plan({ stack: "test", configFile: FIXTURE_STACK, servicesDir: renamedCatalog(rename) })).plan;
        const diff = matchResources(base, head);
        expect(diff.added.map((r) => r.name)).toEqual([]);
        expect(diff.removed.map((r) => r.name)).toEqual([]);
        for (const pair of diff.changed) {
          expect(changedFields(pair).filter((field) => MEASURING_FIELDS.includes(field)), pair.after.name).toEqual([]);
        }
        const markdown = renderDiff(base, head);
        expect(markdown).not.toContain("indicator changed");
        expect(markdown).not.toMatch(/objective \d|window \d|burn tiers changed/);
        expect(markdown).toContain("Nothing that holds history, data, credentials or configuration is replaced, deleted, cut back or taken over.");
      }),
      { numRuns: 6, seed: 1312 },
    );
  }, 120_000);
});
