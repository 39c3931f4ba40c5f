/**
 * The stack config keys for Grafana, Prometheus rule targets and the
 * Kubernetes cluster: defaults, clear errors, and a token never echoed.
 */
import { describe, expect, it } from "vitest";
import { formatProblem } from "../../contract/problems";
import { parseStackConfig } from "../../contract/stackConfig";
import { kubernetesConfigSchema } from "../../contract/kubernetesConfig";
import { STACK_FILE, rawConfig, settingsFrom } from "../support/declarations";

const J = JSON.stringify;
const TOKEN = "glsa_SUPERSECRET_token_123";

function problems(overrides: Record<string, string | undefined>): string[] {
  const { settings, problems: found } = parseStackConfig(rawConfig(overrides), STACK_FILE);
  expect(settings).toBeUndefined();
  return found.map(formatProblem);
}

describe("stack config: Grafana, Prometheus, Kubernetes", () => {
  it("defaults: no Grafana, default data sources, plain rule files only, guard of 2, no cluster", () => {
    const settings = settingsFrom();
    expect(settings.grafana).toBeUndefined();
    expect(settings.kubernetes).toBeUndefined();
    expect(settings.datasources).toEqual({ prometheus: "prometheus", cloudMonitoring: "google-cloud-monitoring" });
    expect(settings.prometheus).toMatchObject({ ruleTargets: [], namespace: "monitoring", evaluationInterval: "30s", minBadEventsToPage: 2, secretsDir: "/etc/alertmanager/secrets/monitoring-stack-channels" });
  });

  it("reads every key", () => {
    const settings = settingsFrom({
      "monitoring-stack:grafana": J({ url: "https://grafana.example.com", orgId: 2, datasources: { prometheus: "gmp", cloudMonitoring: "gcm" } }),
      "monitoring-stack:grafanaToken": TOKEN,
      "monitoring-stack:prometheus": J({ ruleTargets: ["gmpRules", "prometheusRule"], namespace: "obs", ruleLabels: { release: "kps" }, evaluationInterval: "1m", minBadEventsToPage: 0 }),
      "monitoring-stack:kubernetes": J({ context: "gke_p_europe-west1_prod" }),
    });
    expect(settings.grafana).toEqual({ url: "https://grafana.example.com", orgId: 2, alerting: "prometheus" });
    expect(settings.datasources).toEqual({ prometheus: "gmp", cloudMonitoring: "gcm" });
    expect(settings.prometheus).toMatchObject({ ruleTargets: ["gmpRules", "prometheusRule"], namespace: "obs", ruleLabels: { release: "kps" }, evaluationInterval: "1m", minBadEventsToPage: 0 });
    expect(settings.kubernetes).toEqual({ context: "gke_p_europe-west1_prod" });
    expect(JSON.stringify(settings)).not.toContain(TOKEN);
  });

  it("a Grafana needs its token, and a token its Grafana; the token is never echoed", () => {
    expect(problems({ "monitoring-stack:grafana": J({ url: "https://grafana.example.com" }) })).toEqual([
      `${STACK_FILE}: monitoring-stack:grafanaToken: missing credential (expected a Grafana service account token; set it with: pulumi config set --secret monitoring-stack:grafanaToken VALUE)`,
    ]);
    expect(problems({ "monitoring-stack:grafanaToken": TOKEN })).toEqual([
      `${STACK_FILE}: monitoring-stack:grafanaToken: credential without a Grafana (expected monitoring-stack:grafana.url to say where the token is used)`,
    ]);
    const wrong = problems({ "monitoring-stack:grafana": J({ url: "https://grafana.example.com" }), "monitoring-stack:grafanaToken": "" });
    expect(wrong.join("\n")).toContain("got an empty token");
  });

  it("explains bad Grafana and Prometheus values: file, field path, value, expectation", () => {
    expect(problems({ "monitoring-stack:grafana": J({ url: "grafana.example.com" }), "monitoring-stack:grafanaToken": TOKEN })).toEqual([
      `${STACK_FILE}: monitoring-stack:grafana.url: invalid value (got "grafana.example.com", expected the Grafana URL like https://grafana.example.com)`,
    ]);
    const found = problems({ "monitoring-stack:prometheus": J({ ruleTargets: ["thanosRule"], evaluationInterval: "2h", minBadEventsToPage: -1, alertmanager: { smtp: { smarthost: "smtp.example.com", from: "x" } } }) });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('monitoring-stack:prometheus.ruleTargets[0]: invalid value (got "thanosRule", expected a rule target: prometheusRule, gmpRules, gmpClusterRules)'),
        expect.stringContaining('monitoring-stack:prometheus.evaluationInterval: invalid value (got "2h", expected a rule evaluation interval'),
        expect.stringContaining("monitoring-stack:prometheus.minBadEventsToPage: invalid value (got -1, expected 0 (no guard) or more bad events)"),
        expect.stringContaining('monitoring-stack:prometheus.alertmanager.smtp.smarthost: invalid value (got "smtp.example.com", expected host:port'),
        expect.stringContaining("monitoring-stack:prometheus.alertmanager.smtp.from: invalid value"),
      ]),
    );
    expect(problems({ "monitoring-stack:prometheus": J({ ruleTarget: ["gmpRules"] }) })).toEqual([
      expect.stringContaining('monitoring-stack:prometheus.ruleTarget: unknown field (got "ruleTarget", did you mean "ruleTargets"?'),
    ]);
  });

  it("rule targets need a cluster: monitoring-stack:kubernetes, whose schema stands alone", () => {
    expect(problems({ "monitoring-stack:prometheus": J({ ruleTargets: ["prometheusRule"] }) })).toEqual([
      `${STACK_FILE}: monitoring-stack:kubernetes: missing field (got rule targets prometheusRule, expected the cluster they go to: {context, kubeconfig}, or {} for the ambient kubeconfig)`,
    ]);
    expect(settingsFrom({ "monitoring-stack:prometheus": J({ ruleTargets: ["prometheusRule"] }), "monitoring-stack:kubernetes": "{}" }).kubernetes).toEqual({});
    expect(kubernetesConfigSchema.safeParse({ context: "c", kubeconfig: "/home/me/.kube/config" }).success).toBe(true);
    expect(problems({ "monitoring-stack:kubernetes": J({ cluster: "prod" }) })).toEqual([expect.stringContaining('monitoring-stack:kubernetes.cluster: unknown field (got "cluster"')]);
  });
});
