/**
 * The Synthetic Monitoring access token is only ever a Pulumi secret: given
 * as one, its value appears nowhere in what the plan records (resources,
 * plan record, summary, rendered files); given in plain text in the stack
 * file, the plan refuses it without echoing it. The diff of a stack moving
 * its endpoints to Synthetic Monitoring says where checks now run.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runUnderMocks } from "../../plan/mockRuntime";
import { monitoringProgram } from "../../stacks/program";
import { renderArtefacts } from "../../components/stackWide";
import { recordService } from "../../plan/planRecord";
import { renderSummary } from "../../plan/summary";
import { readStackFile } from "../../catalog/stackFile";
import { runPlan } from "../../plan/runPlan";
import { formatProblem } from "../../contract/problems";
import { renderDiff } from "../../plan/diff";

const ROOT = path.join(__dirname, "..", "..");
const FTRY = path.join(ROOT, "examples", "ftry");
const CONFIG = path.join(FTRY, "Pulumi.ftry.yaml");
const SERVICES = path.join(FTRY, "services");
const TOKEN = "sm_PLAINTEXT_CANARY_7f3a9c";
const KEY = "monitoring-stack:syntheticMonitoringToken";

describe("the Synthetic Monitoring token", () => {
  it("as a Pulumi secret: its value is nowhere in the planned resources, the plan record, the summary or the rendered files", async () => {
    const { stack } = readStackFile(CONFIG, "examples/ftry/Pulumi.ftry.yaml");
    const config = { ...stack!.config, [KEY]: TOKEN };
    const run = await runUnderMocks({ project: "monitoring-stack", stack: "ftry", config, secretKeys: [...stack!.secretKeys] }, () =>
      monitoringProgram({ configFile: "examples/ftry/Pulumi.ftry.yaml", servicesDir: SERVICES }),
    );
    const program = run.result;
    const provider = run.resources.find((r) => r.type === "pulumi:providers:grafana" && r.inputs["smUrl"] !== undefined);
    expect(provider?.inputs["smAccessToken"]).toBe("[secret]");
    const summary = renderSummary({ stack: "ftry", settings: program.settings, services: program.services, resources: run.resources, violations: [] });
    const recorded = [
      JSON.stringify(run.resources),
      JSON.stringify(program.services.map((service) => recordService(service))),
      JSON.stringify(program.settings),
      summary,
      ...Object.values(renderArtefacts(program.services, program.settings, "ftry").files),
    ].join("\n");
    expect(recorded).toContain("synthetic-monitoring-api");
    expect(recorded).not.toContain(TOKEN);
  });

  it("in plain text in the stack file: the plan refuses it, and says so without echoing it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sm-token-"));
    const document = parse(readFileSync(CONFIG, "utf8")) as { config: Record<string, unknown> };
    document.config[KEY] = TOKEN;
    const file = path.join(dir, "Pulumi.ftry.yaml");
    writeFileSync(file, stringify(document));
    const outcome = await runPlan({ stack: "ftry", configFile: file, servicesDir: SERVICES });
    expect(outcome.ok).toBe(false);
    const problems = outcome.ok ? [] : outcome.problems.map(formatProblem);
    expect(problems).toEqual([
      expect.stringMatching(/: monitoring-stack:syntheticMonitoringToken: credential in plain text \(got a value that is not a Pulumi secret nor a placeholder, expected a Pulumi secret; set it with: pulumi config set --secret monitoring-stack:syntheticMonitoringToken VALUE; for an offline plan only, a plain placeholder in the stack file works/),
    ]);
    expect(problems.join("\n")).not.toContain(TOKEN);
    // The same rule as every credential: a plain placeholder plans offline.
    document.config[KEY] = "placeholder-synthetic-monitoring-token";
    writeFileSync(file, stringify(document));
    expect((await runPlan({ stack: "ftry", configFile: file, servicesDir: SERVICES })).ok).toBe(true);
  });
});

describe("the diff of a stack moving its endpoints to Synthetic Monitoring", () => {
  it("says where each check ran and now runs, and what moving means for alerts, SLOs and the bill", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sm-diff-"));
    const document = parse(readFileSync(CONFIG, "utf8")) as { config: Record<string, any> };
    const { uptime: _u, syntheticMonitoring: _s, ...grafana } = document.config["monitoring-stack:grafana"];
    document.config["monitoring-stack:grafana"] = grafana;
    delete document.config[KEY];
    const file = path.join(dir, "Pulumi.ftry.yaml");
    writeFileSync(file, stringify(document));
    const base = await runPlan({ stack: "ftry", configFile: file, servicesDir: SERVICES });
    const head = await runPlan({ stack: "ftry", configFile: CONFIG, servicesDir: SERVICES });
    if (!base.ok || !head.ok) throw new Error("plans failed");
    const diff = renderDiff(base.plan, head.plan);
    expect(diff).toContain("## Where uptime checks run");
    expect(diff).toContain("| removed | Cloud Monitoring uptime check `ftry-api live`, every 60s |");
    expect(diff).toContain("| added | Synthetic Monitoring check `prod/ftry-api/live` of https://api.ftry.example.com/api/v1/health/live, every 1m from 7 probes |");
    expect(diff).toContain("| ftry-api / uptime | Cloud Monitoring → Grafana-managed alerting | now evaluated by Grafana-managed alerting; indicator changed");
    // No 24 h cap on Grafana: the 3-day ticket tier keeps its windows.
    // On Cloud Monitoring the fitted ticket tier (burn 3 over 1 d) was covered by ticket-fast and not created.
    expect(diff).toContain("| ticket | not created: ticket-fast covers it (same severity, burn rate no higher, long window no longer; see the summary) | ticket, burn rate 1 over 3d / 6h, total outage detected in 5 min |");
    expect(diff).toContain("indicator changed: uptime: share of live check windows passed from at least one location → uptime: share of live Synthetic Monitoring executions passed, over all probes");
    // The Cloud Monitoring SLO is kept: its history is not deleted by the move.
    expect(diff).toMatch(/Slo \| `ftry-api-slo-uptime` \| removed from the program; kept in Google Cloud \(retainOnDelete\)/);
  });
});
