/**
 * SyntheticChecks alone under Pulumi's mocks: a Synthetic Monitoring
 * provider whose access token is a secret (in the provider and in the
 * component's own inputs), probe ids resolved by name through getProbes,
 * one HTTP check per endpoint with the endpoint's period, timeout and
 * expectations; renames keep the check; what Synthetic Monitoring cannot
 * honour is refused before anything is created.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { SyntheticChecks } from "../../../components/grafana/SyntheticChecks";
import { literalRegexp, probeIds, syntheticCheckArgs, syntheticProblems } from "../../../components/grafana/synthetic";
import { syntheticEndpoints as syntheticChecks } from "../../../model/placement";
import { serviceSchema } from "../../../contract/serviceSchema";
import { serviceModel } from "../../../model/service";
import type { ServiceModel } from "../../../model/types";
import { PUBLIC_PROBES, type PlannedResource } from "../../../plan/mockRuntime";
import { expectOwnsEverything, named, recordComponent, resourceSetText, shortUrn, stackSettings, syntheticSettings, theComponent } from "../../support/components";

const TYPE = "monitoring-stack:grafana:SyntheticChecks";
const TOKEN = "sm_TOPSECRET_access_token_42";
const SM_URL = "https://synthetic-monitoring-api-eu-west-2.grafana.net";

function service(declaration: { name: string } & Record<string, unknown>, probes?: Record<string, string[]>): ServiceModel {
  const spec = serviceSchema.parse({ apiVersion: "monitoring-stack/v1", team: "shop", runtime: { external: {} }, ...declaration });
  return serviceModel(spec, `services/${declaration.name}.yaml`, syntheticSettings(SM_URL, TOKEN, probes));
}

const web = service({
  name: "web",
  formerly: ["storefront"],
  tier: "critical",
  endpoints: [
    { name: "home", formerly: ["index"], url: "https://shop.example.com/", expect: { status: [200, 204], contains: '"status": "ok" (v1.2)' } },
    { name: "api", url: "http://api.example.com:8080/health?deep=1", period: "300s", timeout: "30s", regions: ["EUROPE", "ASIA_PACIFIC", "SOUTH_AMERICA"] },
  ],
  slos: [{ name: "uptime", objective: 99.9, indicator: { uptime: { endpoint: "home" } } }],
});

let resources: PlannedResource[];

beforeAll(async () => {
  resources = (await recordComponent(() => new SyntheticChecks("synthetic", { services: [web], syntheticMonitoring: { url: SM_URL }, token: TOKEN }))).resources;
});

describe("SyntheticChecks alone", () => {
  it("registers the provider and one check per endpoint (snapshot)", async () => {
    await expect(resourceSetText(resources)).toMatchFileSnapshot("../../golden/components/SyntheticChecks.txt");
  });

  it("owns every resource, named after the component", () => {
    expectOwnsEverything(resources, theComponent(resources, TYPE));
    expect(resources.filter((r) => r.type !== TYPE).map((r) => r.name).sort()).toEqual(["synthetic-provider", "synthetic-web-api", "synthetic-web-home"]);
  });

  it("never holds the access token in plain text: provider, component inputs, anything recorded", () => {
    expect(named(resources, "synthetic-provider").inputs).toEqual({ smUrl: SM_URL, smAccessToken: "[secret]" });
    expect(JSON.stringify(resources)).not.toContain(TOKEN);
  });

  it("maps period, timeout, expectations and regions to the check; probe ids come from getProbes by name", () => {
    const id = (probe: string) => PUBLIC_PROBES.indexOf(probe) + 1;
    // The job names the service and endpoint by their oldest names: a rename keeps the series the SLO reads.
    expect(named(resources, "synthetic-web-home").inputs).toEqual({
      job: "test/storefront/index",
      target: "https://shop.example.com/",
      enabled: true,
      frequency: 60_000,
      timeout: 10_000,
      probes: ["Oregon", "Ohio", "NorthVirginia", "Frankfurt", "SaoPaulo", "Singapore"].map(id),
      alertSensitivity: "none",
      basicMetricsOnly: true,
      settings: { http: { method: "GET", failIfNotSsl: true, validStatusCodes: [200, 204], failIfBodyNotMatchesRegexps: ['"status": "ok" \\(v1\\.2\\)'] } },
    });
    expect(named(resources, "synthetic-web-api").inputs).toMatchObject({
      job: "test/storefront/api",
      target: "http://api.example.com:8080/health?deep=1",
      frequency: 300_000,
      timeout: 30_000,
      probes: ["Frankfurt", "Singapore", "SaoPaulo"].map(id),
      settings: { http: { method: "GET" } },
    });
  });

  it("a renamed service or endpoint keeps its check: aliases for every earlier name pair", () => {
    const aliases = named(resources, "synthetic-web-home").aliases!.map(shortUrn);
    for (const former of ["synthetic-web-index", "synthetic-storefront-home", "synthetic-storefront-index"]) {
      expect(aliases).toContain(`${TYPE}$grafana:syntheticMonitoring/check:Check::${former}`);
    }
  });
});

describe("Synthetic Monitoring checks: pure parts", () => {
  it("matches the expected body literally", () => {
    const text = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o';
    expect(new RegExp(literalRegexp(text)).test(`xx${text}yy`)).toBe(true);
    expect(new RegExp(literalRegexp("a.b")).test("axb")).toBe(false);
  });

  it("refuses an unknown probe, naming those there are", () => {
    expect(() => probeIds({ job: "j", probes: ["Frankfurt", "Atlantis"] }, { Frankfurt: 3, London: 4 })).toThrow(
      "Synthetic Monitoring check j: unknown probe Atlantis (expected one of the probes this Synthetic Monitoring stack lists: Frankfurt, London); fix monitoring-stack:grafana.syntheticMonitoring.probes",
    );
    expect(probeIds({ job: "j", probes: ["London", "Frankfurt"] }, { Frankfurt: 3, London: 4 })).toEqual([4, 3]);
  });

  it("refuses an endpoint whose regions stand for a single probe: its uptime alert could never fire; nothing is created", async () => {
    const lonely = service(
      { name: "solo", endpoints: [{ name: "home", url: "https://solo.example.com/", regions: ["EUROPE", "USA_IOWA", "ASIA_PACIFIC"] }] },
      { EUROPE: ["Frankfurt"], USA_IOWA: ["Frankfurt"], ASIA_PACIFIC: ["Frankfurt"] },
    );
    const [endpoint] = syntheticChecks(lonely);
    expect(syntheticProblems(endpoint!)).toEqual([expect.stringMatching(/^its regions EUROPE, USA_IOWA, ASIA_PACIFIC stand for 1 probe \(Frankfurt\); the uptime alert needs failures on more than one probe/)]);
    await expect(recordComponent(() => new SyntheticChecks("synthetic", { services: [lonely], syntheticMonitoring: { url: SM_URL }, token: TOKEN }))).rejects.toThrow(
      "services/solo.yaml: endpoints.home: its regions",
    );
  });

  it("builds nothing for endpoints Cloud Monitoring checks", () => {
    const cloud = serviceModel(
      serviceSchema.parse({ apiVersion: "monitoring-stack/v1", name: "cm", team: "shop", runtime: { external: {} }, endpoints: [{ name: "home", url: "https://cm.example.com/" }] }),
      "services/cm.yaml",
      stackSettings(),
    );
    expect(syntheticChecks(cloud)).toEqual([]);
    expect(syntheticCheckArgs(syntheticChecks(web)[1]!, [1, 2])).toMatchObject({ probes: [1, 2], settings: { http: { method: "GET" } } });
  });
});
