/**
 * npm run diff on the changes a product team and a reviewer actually make to
 * services/: a Prometheus-evaluated objective raised, SLOs added and removed,
 * services added and removed, a proper rename, the last Prometheus service
 * deleted, two plans of different stacks. Each is compared with a golden
 * markdown file in test/golden/diff/ (update with -u after reading the diff)
 * and with the facts a reviewer must see.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDiff } from "../../plan/diff";
import type { PlanDocument } from "../../plan/runPlan";
import { REPO_ROOT } from "../support/declarations";
import { plan } from "./helpers";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const golden = (name: string) => path.join(REPO_ROOT, "test", "golden", "diff", `${name}.md`);
const DEFINE = JSON.stringify(path.join(REPO_ROOT, "contract", "define"));

/** A copy of services/ with edits: file name → new text (undefined deletes the file). */
function catalog(edits: Record<string, ((text: string) => string | undefined) | string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "diff-scenario-"));
  dirs.push(dir);
  cpSync(path.join(REPO_ROOT, "services"), dir, { recursive: true });
  const checkout = path.join(dir, "checkout-api.ts");
  writeFileSync(checkout, readFileSync(checkout, "utf8").replace('from "../contract/define"', `from ${DEFINE}`));
  for (const [file, edit] of Object.entries(edits)) {
    const target = path.join(dir, file);
    const text = typeof edit === "string" ? edit : edit(readFileSync(target, "utf8"));
    if (text === undefined) rmSync(target);
    else writeFileSync(target, text);
  }
  return dir;
}

/** The part of the markdown under a `## ` heading. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`no section ${heading} in:\n${markdown}`);
  const next = markdown.indexOf("\n## ", start + 3);
  return markdown.slice(start, next < 0 ? undefined : next);
}

const pagingService = (name: string) => `apiVersion: monitoring-stack/v1
name: ${name}
team: payments
tier: critical
runtime:
  cloudRun: { service: ${name}, region: europe-west1 }
slos:
  - name: availability
    objective: 99.9
    indicator: { availability: {} }
`;

let base: PlanDocument;
beforeAll(async () => {
  base = (await plan({ stack: "local" })).plan;
});

const headOf = async (edits: Parameters<typeof catalog>[0]) => (await plan({ stack: "local", servicesDir: catalog(edits) })).plan;

describe("diff scenarios", () => {
  it("a Prometheus-evaluated objective raised, one Prometheus SLO added and one removed, a ticket channel added", async () => {
    const head = await headOf({
      "catalog-web.yaml": (text) =>
        text
          .replace("  - name: availability\n    objective: 99.5", "  - name: availability\n    objective: 99.9")
          .replace(/  - name: latency\n[\s\S]*?threshold: 300ms\n/, "")
          .replace("  ticket: [catalog-email]", "  ticket: [catalog-email, sre-slack]")
          .replace("alerting:", "  - name: search-availability\n    objective: 99\n    indicator:\n      prometheus:\n        total: http_requests_total{job=\"catalog-search\"}\n        bad: http_requests_total{job=\"catalog-search\",code=~\"5..\"}\nalerting:"),
    });
    const markdown = renderDiff(base, head);
    await expect(markdown).toMatchFileSnapshot(golden("prometheus-slo-change"));
    const slos = section(markdown, "SLOs");
    expect(slos).toContain("| catalog-web / availability | Prometheus | objective 99.5 → 99.9 %; budget 216 min → 43.2 min; burn tiers changed | 99.5 % over 30 d (budget 216 min) | 99.9 % over 30 d (budget 43.2 min) |");
    expect(slos).toMatch(/\| catalog-web \/ latency \| Prometheus \| removed/);
    expect(slos).toMatch(/\| catalog-web \/ search-availability \| Prometheus \| added \| — \| 99 % over 30 d \(budget 432 min\) \|/);
    expect(section(markdown, "Routing")).toContain("| catalog-web | ticket | catalog-email | catalog-email, sre-slack | starts: sre-slack |");
    // Detection before and after, per tier.
    expect(slos).toMatch(/### catalog-web \/ availability: burn-rate alerts[\s\S]*\| ticket \| ticket, burn rate 1 over 3d \/ 6h, total outage detected in 22 min \| ticket, burn rate 1 over 3d \/ 6h, total outage detected in 4\.5 min \|/);
    expect(section(markdown, "Services")).toContain("| catalog-web | changed |");
  });

  it("a service removed: who stops being notified, per severity", async () => {
    const head = await headOf({ "status-page.yaml": () => undefined });
    const markdown = renderDiff(base, head);
    await expect(markdown).toMatchFileSnapshot(golden("service-removed"));
    const routing = section(markdown, "Routing");
    expect(routing).toContain("| status-page | ticket | sre-slack | — (removed) | stops: sre-slack |");
    // A low-tier service never paged: there is no page route to stop.
    expect(routing).not.toMatch(/\| status-page \| page \|/);
  });

  it("four services that page added: who starts being notified", async () => {
    const names = ["payments-api", "refunds-api", "ledger-api", "payouts-api"];
    const head = await headOf(Object.fromEntries(names.map((name) => [`${name}.yaml`, pagingService(name)])));
    const markdown = renderDiff(base, head);
    await expect(markdown).toMatchFileSnapshot(golden("services-added"));
    const routing = section(markdown, "Routing");
    for (const name of names) {
      expect(routing).toContain(`| ${name} | page | — (not in base) | sre-pager | starts: sre-pager |`);
      expect(routing).toContain(`| ${name} | ticket | — (not in base) | sre-slack | starts: sre-slack |`);
    }
    expect(section(markdown, "Services")).toContain("| payments-api | added (team payments, tier critical) |");
  });

  it("a service, its SLO and its endpoint renamed with formerly: only the renames and the display names change", async () => {
    const head = await headOf({
      "catalog-web.yaml": (text) =>
        text
          .replace("name: catalog-web\n", "name: storefront\nformerly: [catalog-web]\n")
          .replace("  - name: home\n", "  - name: homepage\n    formerly: [home]\n")
          .replace("uptime: { endpoint: home }", "uptime: { endpoint: homepage }")
          .replace("  - name: availability\n", "  - name: success-rate\n    formerly: [availability]\n"),
    });
    const markdown = renderDiff(base, head);
    await expect(markdown).toMatchFileSnapshot(golden("rename-with-formerly"));
    expect(section(markdown, "⚠ History")).toContain("Nothing that holds history, data, credentials or configuration is replaced, deleted, cut back or taken over.");
    expect(section(markdown, "Services")).toContain("| storefront | renamed from catalog-web (aliases: nothing replaced) |");
    expect(section(markdown, "SLOs")).toContain("| storefront / success-rate | Prometheus | renamed from availability |");
    expect(markdown).not.toMatch(/windowsBasedSli|requestBasedSli|filter|conditionThreshold|conditionMatchedLog/);
    expect(section(markdown, "Routing")).toContain("No routing changes");
  });

  it("the last Prometheus service deleted: the Alertmanager config and the channel Secrets are at risk", async () => {
    const head = await headOf({ "catalog-web.yaml": () => undefined });
    const markdown = renderDiff(base, head);
    await expect(markdown).toMatchFileSnapshot(golden("last-prometheus-service-removed"));
    const risk = section(markdown, "⚠ History");
    expect(risk).toMatch(/\| Secret \| `prometheus-alertmanager-config` \| deleted \| the Alertmanager configuration/);
    expect(risk).toMatch(/\| Secret \| `prometheus-channel-credentials` \| deleted \| the notification channels' credentials/);
    expect(section(markdown, "SLOs")).toMatch(/\| catalog-web \/ availability \| Prometheus \| removed with the service \|/);
  });

  it("a window lengthened to 30 d on Cloud Monitoring: the fitted ticket tier is covered by ticket-fast, its policy removed, and the diff says why", async () => {
    const window28 = await headOf({ "checkout-api.ts": (text) => text.replace('{ name: "availability", objective: 99.9, window: "30d"', '{ name: "availability", objective: 99.9, window: "28d"') });
    const markdown = renderDiff(window28, base);
    await expect(markdown).toMatchFileSnapshot(golden("ticket-tier-covered"));
    expect(section(markdown, "SLOs")).toContain("| ticket | ticket, burn rate 2.8 over 1d / 2h, total outage detected in 5 min | not created: ticket-fast covers it (same severity, burn rate no higher, long window no longer; see the summary) |");
    expect(section(markdown, "Resources")).toContain("| removed | AlertPolicy | `checkout-api-burn-availability-ticket` |");
  });

  it("a log retention cut from 90 to 14 days, a backup retention from 35 to 7 and point-in-time recovery turned off: each with its values before and after", async () => {
    const keep = (logDays: number, backupDays: number, pitr: boolean) => ({
      "checkout-api.ts": (text: string) =>
        text
          .replace("retentionDays: 30,\n    exclude", `retentionDays: ${logDays},\n    exclude`)
          .replace("retentionDays: 30, pointInTimeRecovery: true", `retentionDays: ${backupDays}, pointInTimeRecovery: ${pitr}`),
    });
    const before = await headOf(keep(90, 35, true));
    const after = await headOf(keep(14, 7, false));
    const markdown = renderDiff(before, after);
    await expect(markdown).toMatchFileSnapshot(golden("retention-cut"));
    const risk = section(markdown, "⚠ History");
    expect(risk).toContain("| ProjectBucketConfig | `checkout-api-logs-bucket` | retentionDays: 90 days → 14 days | entries older than 14 days are deleted: 76 days of history (was 90 days) |");
    expect(risk).toContain("| BackupPlan | `checkout-api-backups-plan` | backupRules: daily kept 35 days → daily kept 7 days | daily backups kept 7 days instead of 35 days: a restore goes back 7 days at most |");
    expect(risk).toMatch(/\| BackupPlan \| `checkout-api-backups-plan` \| logRetentionDays: 7 days \(point-in-time recovery\) → unset \(no point-in-time recovery\) \| point-in-time recovery off/);
  });

  it("an SLO renamed without formerly: a likely rename, with the formerly line to write", async () => {
    const head = await headOf({ "checkout-api.ts": (text) => text.replace('{ name: "latency", objective: 99,', '{ name: "latency-500ms", objective: 99,') });
    const markdown = renderDiff(base, head);
    await expect(markdown).toMatchFileSnapshot(golden("slo-renamed-without-formerly"));
    const risk = section(markdown, "⚠ History");
    expect(risk).toContain("| SLO | checkout-api / latency | checkout-api / latency-500ms | indicator latency: share of requests served within 500ms | in SLO latency-500ms: `formerly: [latency]` |");
    expect(risk).toContain("| Slo | `checkout-api-slo-latency` | removed from the program; kept in Google Cloud (retainOnDelete), no longer managed |");
  });

  it("a stack switched to Grafana-managed alerting: the notification policy takes over the whole tree, and pages stop silencing tickets", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "diff-grafana-"));
    dirs.push(dir);
    const config = readFileSync(path.join(REPO_ROOT, "stacks", "Pulumi.local.yaml"), "utf8")
      .replace("    datasources: { prometheus: prometheus, cloudMonitoring: google-cloud-monitoring }\n", "    datasources: { prometheus: prometheus, cloudMonitoring: google-cloud-monitoring }\n    alerting: grafana\n")
      .replace("    ruleTargets: [prometheusRule]\n", "");
    writeFileSync(path.join(dir, "Pulumi.local.yaml"), config);
    const head = (await plan({ stack: "local", configFile: path.join(dir, "Pulumi.local.yaml"), servicesDir: path.join(REPO_ROOT, "services") })).plan;
    const markdown = renderDiff(base, head);
    await expect(markdown).toMatchFileSnapshot(golden("grafana-alerting-switch"));
    expect(section(markdown, "⚠ History")).toMatch(/\| NotificationPolicy \| `[^`]+` \| added \| takes over the organisation's whole notification policy tree/);
    const routing = section(markdown, "Routing");
    expect(routing).not.toContain("No routing changes");
    expect(routing).toContain("| catalog-web / availability | the ticket is silenced while the page fires (Alertmanager's inhibit rule) | page and ticket both notify (Grafana-managed alerting has no inhibition) |");
  });

  it("plans of two different stacks are flagged before anything else", async () => {
    const dev = (await plan({ stack: "dev" })).plan;
    const markdown = renderDiff(base, dev);
    const top = markdown.slice(0, markdown.indexOf("## "));
    expect(top).toContain("> **Warning:** The plans are of different stacks: base `local`, head `dev`.");
    expect(top).toContain("different Google Cloud projects");
    expect(renderDiff(base, base)).not.toContain("Warning");
  });

  it("a plan written without the service record is compared from resources, and says so", () => {
    const { services: _services, project: _project, ...old } = base;
    const markdown = renderDiff(old, base);
    expect(markdown).toContain("The base plan has no record of services");
  });
});

describe("the reviewer's guide and the README", () => {
  it.each([
    ["docs/reviewing-diff.md", "## Example"],
    ["README.md", "An excerpt, for a change that raises a Prometheus-evaluated objective"],
  ])("%s quotes the diff the code produces for a Prometheus SLO change and a routing change", (page, from) => {
    const guide = readFileSync(path.join(REPO_ROOT, page), "utf8");
    const output = readFileSync(golden("prometheus-slo-change"), "utf8");
    const excerpt = guide.slice(guide.indexOf(from));
    const quoted = excerpt.slice(0, excerpt.indexOf("```", excerpt.indexOf("```text") + 7)).split("\n").filter((line) => line.startsWith("|"));
    expect(quoted.some((line) => line.includes("| catalog-web / availability | Prometheus |"))).toBe(true);
    expect(quoted.some((line) => line.includes("starts: sre-slack"))).toBe(true);
    for (const line of quoted) expect(output.split("\n"), line).toContain(line);
  });
});
