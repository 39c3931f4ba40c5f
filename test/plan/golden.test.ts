import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { planJson } from "../../plan/runPlan";
import { plan } from "./helpers";

const ROOT = path.join(__dirname, "..", "..");

describe("offline plan of services/ on the local stack", () => {
  it("matches the golden plan.json and summary.md", async () => {
    const outcome = await plan({ stack: "local" });
    await expect(planJson(outcome.plan)).toMatchFileSnapshot("../golden/local/plan.json");
    await expect(outcome.summary).toMatchFileSnapshot("../golden/local/summary.md");
    // Rendered dashboards, rule files and Alertmanager config, one golden file each.
    await expect(`${Object.keys(outcome.artefacts).sort().join("\n")}\n`).toMatchFileSnapshot("../golden/local/artefacts.txt");
    for (const [file, text] of Object.entries(outcome.artefacts)) await expect(text).toMatchFileSnapshot(`../golden/local/${file}`);
  });

  it("is byte-identical from one run to the next", async () => {
    const first = await plan({ stack: "local" });
    const second = await plan({ stack: "local" });
    expect(planJson(second.plan)).toBe(planJson(first.plan));
    expect(second.summary).toBe(first.summary);
    expect(second.artefacts).toEqual(first.artefacts);
  });

  it("never writes a channel credential or the Grafana token in plain text, not even in the rendered files", async () => {
    const outcome = await plan({ stack: "local" });
    const text = planJson(outcome.plan) + outcome.summary + Object.values(outcome.artefacts).join("\n");
    const config = parse(readFileSync(path.join(ROOT, "stacks", "Pulumi.local.yaml"), "utf8")) as { config: Record<string, unknown> };
    const secrets = [...Object.values(config.config["monitoring-stack:channelSecrets"] as Record<string, string>), config.config["monitoring-stack:grafanaToken"] as string];
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe("offline plan of services/ on the dev stack", () => {
  it("plans cleanly, shows encrypted credentials as [secret] and applies the stack's tier override", async () => {
    const outcome = await plan({ stack: "dev" });
    const channel = outcome.plan.resources.find((r) => r.name === "platform-payments-slack")!;
    expect(channel.inputs["sensitiveLabels"]).toBe("[secret]");
    expect(planJson(outcome.plan)).not.toContain("set-with-pulumi-config-set-secret");
    const fast = outcome.plan.resources.find((r) => r.name === "checkout-api-burn-availability-fast")!;
    expect(fast.inputs).toMatchObject({ severity: "WARNING", notificationChannels: ["projects/acme-monitoring-dev/notificationChannels/platform-payments-slack", "projects/acme-monitoring-dev/notificationChannels/platform-incident-webhook"] });
    expect(outcome.plan.resources.some((r) => r.name === "checkout-api-burn-availability-page-fast")).toBe(false);
  });
});
