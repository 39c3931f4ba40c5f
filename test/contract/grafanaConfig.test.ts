/**
 * The stack config keys for Grafana, Prometheus rule targets and the
 * Kubernetes cluster: defaults, clear errors, and a token never echoed.
 */
import { describe, expect, it } from "vitest";
import { formatProblem } from "../../contract/problems";
import { parseStackConfig } from "../../contract/stackConfig";
import { kubernetesConfigSchema } from "../../contract/kubernetesConfig";
import { CHANNEL_SECRETS, STACK_FILE, rawConfig, settingsFrom } from "../support/declarations";

const J = JSON.stringify;
const TOKEN = "glsa_SUPERSECRET_token_123";

function problems(overrides: Record<string, string | undefined>): string[] {
  const { settings, problems: found } = parseStackConfig(rawConfig(overrides), STACK_FILE);
  expect(settings).toBeUndefined();
  return found.map(formatProblem);
}

/** The offline alternative every credential message names. */
const OFF_SM = "set it with: pulumi config set --secret monitoring-stack:syntheticMonitoringToken VALUE; for an offline plan only, a plain placeholder in the stack file works (monitoring-stack:syntheticMonitoringToken: placeholder-token), which pulumi up refuses";

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
      `${STACK_FILE}: monitoring-stack:grafanaToken: missing credential (expected a Grafana service account token; set it with: pulumi config set --secret monitoring-stack:grafanaToken VALUE; for an offline plan only, a plain placeholder in the stack file works (monitoring-stack:grafanaToken: placeholder-token), which pulumi up refuses)`,
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

describe("stack config: where endpoints are checked (grafana.uptime)", () => {
  const SM_TOKEN = "sm_SUPERSECRET_access_token_9";
  const SM_URL = "https://synthetic-monitoring-api-eu-west-2.grafana.net";
  const grafana = (extra: Record<string, unknown>) => J({ url: "https://grafana.example.com", alerting: "grafana", ...extra });
  const withSm = (extra: Record<string, unknown> = {}, token: string | undefined = SM_TOKEN) => ({
    "monitoring-stack:grafana": grafana({ uptime: "syntheticMonitoring", syntheticMonitoring: { url: SM_URL }, ...extra }),
    "monitoring-stack:grafanaToken": TOKEN,
    "monitoring-stack:syntheticMonitoringToken": token,
  });

  it("defaults to Cloud Monitoring: no Synthetic Monitoring settings", () => {
    expect(settingsFrom({ "monitoring-stack:grafana": grafana({}), "monitoring-stack:grafanaToken": TOKEN }).grafana?.syntheticMonitoring).toBeUndefined();
    expect(settingsFrom({ "monitoring-stack:grafana": grafana({ uptime: "cloudMonitoring" }), "monitoring-stack:grafanaToken": TOKEN }).grafana?.syntheticMonitoring).toBeUndefined();
  });

  it("syntheticMonitoring: the API URL, and probes per checker region with the defaults for regions not listed; the token never in the settings", () => {
    const settings = settingsFrom(withSm({ syntheticMonitoring: { url: SM_URL, probes: { ASIA_PACIFIC: ["Mumbai", "Singapore"] } } }));
    expect(settings.grafana?.syntheticMonitoring).toEqual({
      url: SM_URL,
      probes: {
        USA: ["Oregon", "Ohio", "NorthVirginia"],
        EUROPE: ["Frankfurt"],
        SOUTH_AMERICA: ["SaoPaulo"],
        ASIA_PACIFIC: ["Mumbai", "Singapore"],
        USA_OREGON: ["Oregon"],
        USA_IOWA: ["Ohio"],
        USA_VIRGINIA: ["NorthVirginia"],
      },
    });
    expect(JSON.stringify(settings)).not.toContain(SM_TOKEN);
  });

  it("needs its API, its token and Grafana-managed alerting, all said at once; the token is never echoed", () => {
    const found = problems({
      "monitoring-stack:grafana": J({ url: "https://grafana.example.com", uptime: "syntheticMonitoring" }),
      "monitoring-stack:grafanaToken": TOKEN,
    });
    expect(found).toEqual([
      `${STACK_FILE}: monitoring-stack:grafana.syntheticMonitoring: missing field (got uptime syntheticMonitoring, expected {url: <the stack's Synthetic Monitoring API URL>} and optionally probes per checker region)`,
      `${STACK_FILE}: monitoring-stack:grafana.uptime: invalid value (got syntheticMonitoring with alerting prometheus, expected alerting: grafana as well: Synthetic Monitoring writes its results to the Grafana Cloud stack's Prometheus, where only Grafana-managed alert rules evaluate the uptime alerts and SLOs)`,
      `${STACK_FILE}: monitoring-stack:syntheticMonitoringToken: missing credential (expected the Synthetic Monitoring access token; set it with: pulumi config set --secret monitoring-stack:syntheticMonitoringToken VALUE; for an offline plan only, a plain placeholder in the stack file works (monitoring-stack:syntheticMonitoringToken: placeholder-token), which pulumi up refuses)`,
    ]);
    expect(problems(withSm({}, "")).join("\n")).toContain("monitoring-stack:syntheticMonitoringToken: invalid value (got an empty token, expected the Synthetic Monitoring access token)");
  });

  it("refuses settings or a token that would go unused", () => {
    expect(
      problems({
        "monitoring-stack:grafana": grafana({ syntheticMonitoring: { url: SM_URL } }),
        "monitoring-stack:grafanaToken": TOKEN,
        "monitoring-stack:syntheticMonitoringToken": SM_TOKEN,
      }),
    ).toEqual([
      `${STACK_FILE}: monitoring-stack:grafana.syntheticMonitoring: unused settings (got Synthetic Monitoring settings with uptime cloudMonitoring, expected uptime: syntheticMonitoring to use them, or no syntheticMonitoring section)`,
      `${STACK_FILE}: monitoring-stack:syntheticMonitoringToken: credential without Synthetic Monitoring (expected monitoring-stack:grafana.uptime: syntheticMonitoring to say where the token is used)`,
    ]);
  });

  it("explains bad values: backend, URL, regions and probe names", () => {
    const found = problems(withSm({ uptime: "pingdom", syntheticMonitoring: { url: "http://sm.example.com", probes: { MARS: ["Olympus"], EUROPE: [], USA: ["Ohio", "Ohio"], ASIA_PACIFIC: ["Tokyo!"] } } }));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('monitoring-stack:grafana.uptime: invalid value (got "pingdom", expected one of: cloudMonitoring, syntheticMonitoring)'),
        expect.stringContaining("monitoring-stack:grafana.syntheticMonitoring.url: invalid value (got \"http://sm.example.com\", expected the Synthetic Monitoring API URL like https://"),
        expect.stringContaining("monitoring-stack:grafana.syntheticMonitoring.probes.EUROPE: invalid value (got [], expected at least one probe)"),
        expect.stringContaining("monitoring-stack:grafana.syntheticMonitoring.probes.USA: invalid value"),
        expect.stringContaining("monitoring-stack:grafana.syntheticMonitoring.probes.ASIA_PACIFIC[0]: invalid value (got \"Tokyo!\", expected a Synthetic Monitoring probe name like Frankfurt"),
      ]),
    );
    expect(found.join("\n")).toMatch(/probes\.MARS|probes: .*MARS/);
    expect(found.join("\n")).not.toContain(SM_TOKEN);
  });

  it("refuses a token that is not a Pulumi secret when the config says which keys are (plan, validate, stacks check), like every credential", () => {
    const raw = rawConfig(withSm());
    const others = ["monitoring-stack:grafanaToken", "monitoring-stack:channelSecrets"];
    const plain = parseStackConfig(raw, STACK_FILE, { secretKeys: new Set(others), offline: true });
    expect(plain.problems.map(formatProblem)).toEqual([
      `${STACK_FILE}: monitoring-stack:syntheticMonitoringToken: credential in plain text (got a value that is not a Pulumi secret nor a placeholder, expected a Pulumi secret; ${OFF_SM})`,
    ]);
    expect(JSON.stringify(plain)).not.toContain(SM_TOKEN);
    const secret = parseStackConfig(raw, STACK_FILE, { secretKeys: new Set([...others, "monitoring-stack:syntheticMonitoringToken"]) });
    expect(secret.problems).toEqual([]);
  });
});

describe("credentials in plain text: one rule for channelSecrets, grafanaToken and syntheticMonitoringToken", () => {
  const SM = { "monitoring-stack:grafana": J({ url: "https://ftry.grafana.net", alerting: "grafana", uptime: "syntheticMonitoring", syntheticMonitoring: { url: "https://synthetic-monitoring-api.grafana.net" } }) };
  const config = (value: string) =>
    rawConfig({ ...SM, "monitoring-stack:channelSecrets": J(Object.fromEntries(Object.keys(CHANNEL_SECRETS).map((name) => [name, value]))), "monitoring-stack:grafanaToken": value, "monitoring-stack:syntheticMonitoringToken": value });
  const refused = (value: string, offline: boolean) =>
    parseStackConfig(config(value), STACK_FILE, { secretKeys: new Set(), offline }).problems.filter((p) => p.message.startsWith("credential in plain text")).map((p) => p.path.split(".")[0]);

  it("offline, a placeholder stands in for each; anything else in plain text is refused for each", () => {
    expect(refused("placeholder-token", true)).toEqual([]);
    const each = refused("xoxb-real-looking", true);
    expect(new Set(each)).toEqual(new Set(["monitoring-stack:channelSecrets", "monitoring-stack:grafanaToken", "monitoring-stack:syntheticMonitoringToken"]));
  });

  it("for pulumi preview and up, every plain value is refused, placeholders too; secrets are accepted", () => {
    expect(new Set(refused("placeholder-token", false))).toEqual(new Set(["monitoring-stack:channelSecrets", "monitoring-stack:grafanaToken", "monitoring-stack:syntheticMonitoringToken"]));
    const secret = parseStackConfig(config("x"), STACK_FILE, { secretKeys: new Set(["monitoring-stack:channelSecrets", "monitoring-stack:grafanaToken", "monitoring-stack:syntheticMonitoringToken"]) });
    expect(secret.problems.filter((p) => p.message.startsWith("credential in plain text"))).toEqual([]);
  });
});
