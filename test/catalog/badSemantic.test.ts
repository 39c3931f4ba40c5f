/**
 * Contract v1, semantic errors: declarations whose shape is fine but that
 * break a rule needing the stack config or the whole catalog. Checked through
 * loadCatalog with settings from parseStackConfig.
 */
import { readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../catalog/loadCatalog";
import { loadServices } from "../../contract/load";
import { formatProblem } from "../../contract/problems";
import type { ServiceSpec } from "../../contract/serviceSchema";
import { validateService } from "../../catalog/validate";
import { GOOD_DIR, ROUTES, SEMANTIC_DIR, expectFormatted, lines, settingsFrom } from "../support/declarations";

interface SemanticCase {
  /** File (or directory) under SEMANTIC_DIR. */
  file: string;
  /** File the problems are reported in, when not `file` itself. */
  reportedIn?: string;
  /** Every field path that must be reported, in order. */
  paths: string[];
  says: RegExp[];
  /** Stack config overrides (raw `monitoring-stack:` keys). */
  config?: Record<string, string | undefined>;
}

const NO_PAGE_ROUTE = { "monitoring-stack:routes": JSON.stringify({ page: [], ticket: ROUTES.ticket }) };

const CASES: SemanticCase[] = [
  { file: "duplicate-endpoint-names.yaml", paths: ["endpoints[1].name"], says: [/^duplicate name/, /got "health"/, /also used by endpoints\[0\]/, /expected names unique within the service/] },
  { file: "duplicate-slo-names.yaml", paths: ["slos[2].name"], says: [/^duplicate name/, /got "availability"/, /also used by slos\[0\]/, /expected names unique/] },
  { file: "uptime-unknown-endpoint.yaml", paths: ["slos[0].indicator.uptime.endpoint"], says: [/^unknown endpoint/, /got "helth"/, /expected one of this service's endpoints: health/] },
  { file: "availability-on-gke.yaml", paths: ["slos[0].indicator.availability"], says: [/got runtime gke/, /expected runtime cloudRun/] },
  { file: "latency-on-external.yaml", paths: ["slos[0].indicator.latency"], says: [/got runtime external/, /expected runtime cloudRun/] },
  { file: "unknown-page-channel.yaml", paths: ["alerting.page[1]"], says: [/^unknown channel/, /got "pagerduty-main"/, /expected one of the stack's channels: catalog-email, incident-webhook, payments-pager, payments-slack, sre-pager, sre-slack/] },
  { file: "objective-above-gcp-max.yaml", paths: ["slos[0].objective"], says: [/got 99\.995/, /expected at most 99\.99/] },
  {
    file: "page-tier-never-fires.yaml",
    paths: ["slos[0].objective"],
    says: [/burn tier page-fast can never fire/, /got objective 90/, /burn 14\.4 × budget 0\.1/, /expected an objective above 93\.0556, or alerting\.page: false/],
  },
  { file: "no-page-channel.yaml", paths: ["alerting.page"], says: [/^missing required field/, /monitoring-stack:routes\.page/, /expected channel names for the page alerts/], config: NO_PAGE_ROUTE },
  { file: "reserved-label-service.yaml", paths: ["labels.service"], says: [/^reserved label/, /got "service"/, /expected a key other than service, team, tier, managed-by/] },
  {
    file: "duplicate-service",
    reportedIn: "duplicate-service/b.yaml",
    paths: ["name"],
    says: [/^duplicate service name/, /got "twin"/, new RegExp(`already declared in ${SEMANTIC_DIR}/duplicate-service/a\\.yaml`), /expected names unique in the catalog/],
  },
  {
    file: "several-semantic-mistakes.yaml",
    paths: [
      "endpoints[1].name",
      "slos[1].name",
      "labels.team",
      "slos[0].indicator.uptime.endpoint",
      "slos[0].objective",
      "slos[1].indicator.availability",
      "slos[1].objective",
      "alerting.page[0]",
    ],
    says: [/^duplicate name/],
  },
];

describe("bad fixtures: semantics (loadCatalog)", () => {
  it("has a test case for every fixture and a fixture for every case", () => {
    expect(CASES.map((c) => c.file).sort()).toEqual(readdirSync(SEMANTIC_DIR).sort());
  });

  describe.each(CASES)("$file", (c) => {
    const target = path.join(SEMANTIC_DIR, c.file);
    const shown = `${SEMANTIC_DIR}/${c.reportedIn ?? c.file}`;

    it("has a valid shape: the mistake is one only the semantic checks see", async () => {
      const { services, problems } = await loadServices([target]);
      expect(lines(problems)).toEqual([]);
      expect(services.length).toBe(statSync(target).isDirectory() ? readdirSync(target).length : 1);
    });

    it(`is rejected at ${c.paths.join(", ")} in the right file, each problem saying what was expected and printed as FILE: path: message`, async () => {
      const catalog = await loadCatalog([target], settingsFrom(c.config));
      expect(catalog.services).toEqual([]);
      expect(catalog.problems.map((p) => p.path), lines(catalog.problems).join("\n")).toEqual(c.paths);
      for (const problem of catalog.problems) {
        expect(problem.file).toBe(shown);
        expect(problem.message).toContain("expected");
        expectFormatted(problem);
        expect(formatProblem(problem).startsWith(`${shown}: ${problem.path}: `)).toBe(true);
      }
      for (const pattern of c.says) expect(catalog.problems[0]!.message).toMatch(pattern);
    });
  });
});

describe("semantic rules in detail", () => {
  it("setting alerting.page: false on the SLO whose page tier can never fire removes the error", async () => {
    const settings = settingsFrom();
    const { services } = await loadServices([`${SEMANTIC_DIR}/page-tier-never-fires.yaml`]);
    const { spec, file } = services[0]!;
    expect(validateService(spec, file, settings)).toHaveLength(1);

    const pageOff: ServiceSpec = { ...spec, slos: spec.slos!.map((slo) => ({ ...slo, alerting: { page: false } })) };
    expect(lines(validateService(pageOff, file, settings))).toEqual([]);

    // The same declaration with the switch, as a fixture, is valid end to end.
    const catalog = await loadCatalog([`${GOOD_DIR}/nightly-report.yaml`], settings);
    expect(lines(catalog.problems)).toEqual([]);
    // At 30 d on Cloud Monitoring the fitted ticket tier is ticket-fast's burn rate over a longer window: covered.
    expect(catalog.services[0]!.slos[0]!.tiers.map((t) => t.name)).toEqual(["ticket-fast"]);
    expect(catalog.services[0]!.slos[0]!.coveredTiers.map((t) => t.name)).toEqual(["ticket"]);
  });

  it("does not flag a tier that cannot fire when its severity is off anyway (low tier does not page)", async () => {
    const { services } = await loadServices([`${SEMANTIC_DIR}/page-tier-never-fires.yaml`]);
    const { spec, file } = services[0]!;
    expect(lines(validateService({ ...spec, tier: "low" }, file, settingsFrom()))).toEqual([]);
  });

  it("flags every tier that can never fire, naming the lowest objective at which it would", async () => {
    const { services } = await loadServices([`${SEMANTIC_DIR}/page-tier-never-fires.yaml`]);
    const { spec, file } = services[0]!;
    const loose: ServiceSpec = { ...spec, slos: spec.slos!.map((slo) => ({ ...slo, objective: 70 })) };
    const problems = validateService(loose, file, settingsFrom());
    // 70 % leaves a budget of 0.3: page-fast (burn 14.4) and page-slow (burn 6) would need more than 100 % errors;
    // the ticket tier (burn 3 over Cloud Monitoring's 24 h lookback) still fires at 90 % errors.
    expect(problems.map((p) => p.message.match(/burn tier (\S+)/)![1])).toEqual(["page-fast", "page-slow"]);
    expect(problems[1]!.message).toMatch(/expected an objective above 83\.3333/);
  });

  it("the no-page-channel fixture is valid while the stack routes pages somewhere", async () => {
    const catalog = await loadCatalog([`${SEMANTIC_DIR}/no-page-channel.yaml`], settingsFrom());
    expect(lines(catalog.problems)).toEqual([]);
    expect(catalog.services[0]!.routes).toEqual({ page: ["sre-pager"], ticket: ["sre-slack"], info: [] });
  });

  it("endpoints alone need a page channel on critical and standard tiers, a ticket channel on the low tier", async () => {
    const noRoutes = settingsFrom({ "monitoring-stack:routes": undefined });
    const { services } = await loadServices([`${GOOD_DIR}/status-site.yml`]);
    const { spec, file } = services[0]!;
    const endpointsOnly: ServiceSpec = { ...spec, slos: [], alerts: [] };
    expect(validateService({ ...endpointsOnly, tier: "critical" }, file, noRoutes).map((p) => p.path)).toEqual(["alerting.page"]);
    expect(validateService({ ...endpointsOnly, tier: "standard" }, file, noRoutes).map((p) => p.path)).toEqual(["alerting.page"]);
    expect(validateService({ ...endpointsOnly, tier: "low" }, file, noRoutes).map((p) => p.path)).toEqual(["alerting.ticket"]);
    expect(validateService({ ...endpointsOnly, endpoints: [], tier: "critical" }, file, noRoutes)).toEqual([]);
  });

  it("an unknown channel in alerting.ticket is reported like one in alerting.page", async () => {
    const { services } = await loadServices([`${GOOD_DIR}/status-site.yml`]);
    const { spec, file } = services[0]!;
    const problems = validateService({ ...spec, alerting: { ticket: ["sre-slack", "jira"] } }, file, settingsFrom());
    expect(lines(problems)).toEqual([
      `${GOOD_DIR}/status-site.yml: alerting.ticket[1]: unknown channel (got "jira", expected one of the stack's channels: catalog-email, incident-webhook, payments-pager, payments-slack, sre-pager, sre-slack; channels are declared under monitoring-stack:channels in the stack file, stacks/Pulumi.<stack>.yaml, their credentials under monitoring-stack:channelSecrets)`,
    ]);
  });

  it("an objective above 99.99 is fine for prometheus indicators (not a Cloud Monitoring SLO) and 99.99 itself is fine for GCP", async () => {
    const catalog = await loadCatalog([GOOD_DIR], settingsFrom());
    expect(lines(catalog.problems)).toEqual([]);
    const slos = catalog.services.flatMap((s) => s.slos);
    expect(slos.find((s) => s.name === "requests-good")!.objective).toBe(99.999);
    expect(slos.find((s) => s.name === "health-uptime")!.objective).toBe(99.99);
  });

  it("reports shape problems of one file together with semantic problems of another", async () => {
    const catalog = await loadCatalog(
      [`${SEMANTIC_DIR}/duplicate-endpoint-names.yaml`, "test/fixtures/services/bad/objective-100.yaml", `${SEMANTIC_DIR}/latency-on-external.yaml`],
      settingsFrom(),
    );
    expect(catalog.problems.map((p) => `${path.basename(p.file)} ${p.path}`)).toEqual([
      "objective-100.yaml slos[0].objective",
      "duplicate-endpoint-names.yaml endpoints[1].name",
      "latency-on-external.yaml slos[0].indicator.latency",
    ]);
  });

  it("reports every semantic problem of the whole directory at once", async () => {
    const catalog = await loadCatalog([SEMANTIC_DIR, `${SEMANTIC_DIR}/duplicate-service`], settingsFrom(NO_PAGE_ROUTE));
    const files = new Set(catalog.problems.map((p) => path.relative(SEMANTIC_DIR, p.file)));
    expect([...files].sort()).toEqual(CASES.map((c) => c.reportedIn ?? c.file).sort());
  });
});
