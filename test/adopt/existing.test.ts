/**
 * Reading exports: each kind told from the fields the APIs return, and every
 * export that cannot be trusted refused with one line naming the file, the
 * place in it, what it holds and what was expected — a partial export
 * (`nextPageToken`), another project's export, a file that is not an export.
 */
import { describe, expect, it } from "vitest";
import { kindOf, madeByTerraform, readExisting } from "../../adopt/existing";
import { exportsIn } from "./fixture";

const PROJECT = "acme-shop-prod";

describe("reading exports", () => {
  it("tells every kind of the fixture project apart", () => {
    const { existing, problems } = readExisting(exportsIn(), PROJECT);
    expect(problems).toEqual([]);
    const kinds: Record<string, number> = {};
    for (const item of existing) kinds[item.kind] = (kinds[item.kind] ?? 0) + 1;
    expect(kinds).toEqual({ bucket: 4, channel: 4, logMetric: 2, alertPolicy: 4, ruleGroup: 2, service: 3, sink: 4, slo: 3, uptimeCheck: 3 });
  });

  it("refuses a partial export: a REST page with a nextPageToken", () => {
    const text = JSON.stringify({ serviceLevelObjectives: [{ name: "projects/acme-shop-prod/services/a/serviceLevelObjectives/b", goal: 0.99 }], nextPageToken: "CgQIARAB" });
    const { existing, problems } = readExisting([{ file: "slos.json", text }], PROJECT);
    expect(existing).toEqual([]);
    expect(problems).toEqual([{ file: "slos.json", path: "nextPageToken", message: expect.stringMatching(/^a partial export \(got a nextPageToken, expected every page/) }]);
  });

  it("reads an empty last page as nothing of that kind", () => {
    expect(readExisting([{ file: "slos.json", text: "{}" }], PROJECT)).toEqual({ existing: [], problems: [] });
  });

  it("refuses another project's export, naming the resource", () => {
    const text = JSON.stringify([{ name: "projects/acme-other/uptimeCheckConfigs/x", httpCheck: {}, monitoredResource: { type: "uptime_url", labels: { host: "a.example.com" } } }]);
    const { existing, problems } = readExisting([{ file: "uptime.json", text }], PROJECT);
    expect(existing).toEqual([]);
    expect(problems).toEqual([{ file: "uptime.json", path: "[0].name", message: 'another project\'s export (got "projects/acme-other/uptimeCheckConfigs/x", expected resources of the stack\'s project acme-shop-prod)' }]);
  });

  it("refuses a file that is no export, and an item of no kind it knows, all at once", () => {
    const { problems } = readExisting(
      [
        { file: "notes.json", text: "{ not json" },
        { file: "other.json", text: JSON.stringify({ kind: "Deployment" }) },
        { file: "mixed.json", text: JSON.stringify([{ name: "projects/acme-shop-prod/topics/t" }]) },
      ],
      PROJECT,
    );
    expect(problems.map((p) => `${p.file}: ${p.path}`)).toEqual(["notes.json: (file)", "other.json: (file)", "mixed.json: [0]"]);
    expect(problems[0]!.message).toMatch(/^cannot be read \(got JSON that does not parse/);
    expect(problems[1]!.message).toMatch(/^unknown export \(got an object with kind, expected a list response/);
    expect(problems[2]!.message).toMatch(/^unknown resource \(got name "projects\/acme-shop-prod\/topics\/t", expected an uptime check/);
  });

  it("tells sinks (listed by short name, with a destination) from log-based metrics (a filter, no destination)", () => {
    expect(kindOf({ name: "errors", destination: "pubsub.googleapis.com/projects/p/topics/t", filter: "severity>=ERROR" })).toBe("sink");
    expect(kindOf({ name: "errors", filter: "severity>=ERROR" })).toBe("logMetric");
  });

  it("reads the rule groups of a PrometheusRule object, as Pyrra writes them", () => {
    const text = ["apiVersion: monitoring.coreos.com/v1", "kind: PrometheusRule", "metadata: { name: shop-api-availability }", "spec:", "  groups:", "    - name: shop-api-availability", "      rules: [{ alert: ErrorBudgetBurn, expr: 'x > 1', labels: { slo: availability, severity: critical } }]", ""].join("\n");
    const { existing, problems } = readExisting([{ file: "pyrra.yaml", text }], PROJECT);
    expect(problems).toEqual([]);
    expect(existing.map((e) => [e.kind, e.at, e.name])).toEqual([["ruleGroup", "spec.groups[0]", "shop-api-availability"]]);
  });

  it("sees Terraform's attribution label in userLabels or labels", () => {
    const item = (labels: Record<string, unknown>) => ({ kind: "alertPolicy" as const, file: "f", at: "[0]", name: "n", body: labels });
    expect(madeByTerraform(item({ userLabels: { "goog-terraform-provisioned": "true" } }))).toBe(true);
    expect(madeByTerraform(item({ labels: { "goog-terraform-provisioned": "true" } }))).toBe(true);
    expect(madeByTerraform(item({ userLabels: { team: "web" } }))).toBe(false);
  });
});
