/**
 * PrometheusRules alone under Pulumi's mocks: a Kubernetes provider for the
 * stack's cluster, one rule object per service and target, and — with a
 * PrometheusRule target and an Alertmanager configuration — the
 * configuration and the channel credentials as Secrets.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ALERTMANAGER_CONFIG_SECRET, CHANNEL_SECRET_NAME, PrometheusRules } from "../../../components/prometheus/PrometheusRules";
import { serviceRuleGroups } from "../../../components/prometheus/rules";
import type { PlannedResource } from "../../../plan/mockRuntime";
import { expectOwnsEverything, named, recordComponent, resourceSetText, serviceFrom, shortUrn, stackSettings, theComponent } from "../../support/components";

const TYPE = "monitoring-stack:prometheus:PrometheusRules";
const CREDENTIAL = "xoxb-TOPSECRET-token";

const settings = stackSettings({
  "monitoring-stack:prometheus": JSON.stringify({ ruleTargets: ["prometheusRule", "gmpRules"], ruleLabels: { release: "kube-prometheus-stack" } }),
  "monitoring-stack:kubernetes": JSON.stringify({ context: "prod-admin" }),
});
const prom = { name: "prom", objective: 99, indicator: { prometheus: { total: "http_requests_total", bad: 'http_requests_total{code=~"5.."}' } } };
const services = [
  serviceFrom({ name: "web", formerly: ["storefront"], runtime: { cloudRun: { service: "web", region: "europe-west1" } }, slos: [prom] }),
  serviceFrom({ name: "cart", runtime: { gke: { cluster: "prod", location: "europe-west1", namespace: "shop", workload: "cart" } }, slos: [prom] }),
];
const rules = services.map((service) => ({ service, groups: serviceRuleGroups(service, { settings: settings.prometheus }) }));

let resources: PlannedResource[];

beforeAll(async () => {
  resources = (
    await recordComponent(
      () =>
        new PrometheusRules("prometheus", {
          rules,
          settings: settings.prometheus,
          kubernetes: settings.kubernetes!,
          alertmanagerConfig: "route:\n  receiver: sre-slack\n",
          channelSecrets: { "sre-slack": CREDENTIAL },
        }),
    )
  ).resources;
});

describe("PrometheusRules alone", () => {
  it("registers the provider, the rule objects and the Alertmanager secrets (snapshot; rule groups are the rule files' own tests)", async () => {
    await expect(resourceSetText(resources, { omit: ["spec"] })).toMatchFileSnapshot("../../golden/components/PrometheusRules.txt");
  });

  it("owns every resource, named <component>-<service>-<target>; GMP Rules only for the GKE service", () => {
    expectOwnsEverything(resources, theComponent(resources, TYPE));
    expect(resources.filter((r) => r.type !== TYPE).map((r) => r.name).sort()).toEqual([
      "prometheus-alertmanager-config",
      "prometheus-cart-gmpRules",
      "prometheus-cart-prometheusRule",
      "prometheus-channel-credentials",
      "prometheus-provider",
      "prometheus-web-prometheusRule",
    ]);
  });

  it("each rule object carries its service's rule groups, in the service's namespace on GKE", () => {
    for (const { service, groups } of rules) {
      expect(named(resources, `prometheus-${service.name}-prometheusRule`).inputs["spec"]).toEqual(JSON.parse(JSON.stringify({ groups })));
    }
    expect(named(resources, "prometheus-cart-gmpRules").inputs).toMatchObject({ apiVersion: "monitoring.googleapis.com/v1", kind: "Rules", metadata: { namespace: "shop" } });
    expect(named(resources, "prometheus-web-prometheusRule").inputs).toMatchObject({ metadata: { name: "storefront-slo-rules", namespace: "monitoring", labels: { release: "kube-prometheus-stack" } } });
  });

  it("a renamed service's rule objects answer to the earlier resource name", () => {
    expect(named(resources, "prometheus-web-prometheusRule").aliases?.map(shortUrn)).toContain(`${TYPE}$kubernetes:monitoring.coreos.com/v1:PrometheusRule::prometheus-storefront-prometheusRule`);
  });

  it("stores the Alertmanager configuration under the operator's default name and the credentials, both as secrets", () => {
    // The Kubernetes SDK marks a Secret's data secret by itself.
    expect(named(resources, "prometheus-alertmanager-config").inputs).toMatchObject({ metadata: { name: ALERTMANAGER_CONFIG_SECRET, namespace: "monitoring" }, stringData: "[secret]" });
    expect(named(resources, "prometheus-channel-credentials").inputs).toMatchObject({ metadata: { name: CHANNEL_SECRET_NAME }, stringData: "[secret]" });
    // Nowhere, not even in the component's own inputs (stored in the state), though passed here as plain text.
    expect(JSON.stringify(resources)).not.toContain(CREDENTIAL);
  });

  it("without an Alertmanager configuration (a service stack of a split environment): rule objects only", async () => {
    const run = await recordComponent(() => new PrometheusRules("prometheus", { rules, settings: settings.prometheus, kubernetes: settings.kubernetes! }));
    expect(run.resources.filter((r) => r.type === "kubernetes:core/v1:Secret")).toEqual([]);
  });
});
