/**
 * Synthetic service catalogs for the benchmark: N declarations in the same
 * mix as a real catalog (see services/): Cloud Run APIs with availability,
 * latency and uptime SLOs, logs, scaling and (every other one) database
 * backups; GKE workloads with uptime and load-balancer SLOs plus a Prometheus
 * one and an autoscaler; and external sites watched by URL. Deterministic:
 * the same N always gives byte-identical files.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";

/** Teams the synthetic services belong to, and the channels of the `local` stack they route to. */
export const TEAMS = ["payments", "catalog", "search", "identity", "checkout", "sre", "data", "growth", "mobile", "ads"] as const;

/** The shape of one synthetic service's declaration (contract v1, YAML form). */
export type SyntheticDeclaration = Record<string, unknown> & { name: string; team: string };

/** Which of the three kinds of service index `i` is: 5 in 10 Cloud Run, 3 in 10 GKE, 2 in 10 external. */
export function serviceKind(i: number): "cloudRun" | "gke" | "external" {
  const slot = i % 10;
  return slot < 5 ? "cloudRun" : slot < 8 ? "gke" : "external";
}

/** The declaration of synthetic service number `i` (0-based). */
export function syntheticService(i: number): SyntheticDeclaration {
  const team = TEAMS[i % TEAMS.length]!;
  const name = `svc-${String(i).padStart(4, "0")}-${team}`;
  const host = `${name}.example.com`;
  const runbook = `https://runbooks.example.com/${team}/${name}`;
  switch (serviceKind(i)) {
    case "cloudRun":
      return {
        apiVersion: "monitoring-stack/v1",
        name,
        team,
        tier: i % 2 === 0 ? "critical" : "standard",
        runbook,
        labels: { "cost-center": String(100 + (i % 37)) },
        runtime: { cloudRun: { service: name, region: i % 3 === 0 ? "us-central1" : "europe-west1" } },
        endpoints: [
          { name: "health", url: `https://${host}/health`, expect: { status: [200], contains: '"status":"ok"' } },
          { name: "ready", url: `https://${host}/health/ready`, period: "300s" },
        ],
        slos: [
          { name: "availability", objective: 99.9, indicator: { availability: {} } },
          { name: "latency", objective: 99, indicator: { latency: { threshold: `${200 + (i % 5) * 100}ms` } } },
          { name: "uptime", objective: 99.5, window: "7d", indicator: { uptime: { endpoint: "health" } }, alerting: { ticket: false } },
        ],
        ...(team === "payments" ? { alerting: { page: ["payments-pager"], ticket: ["payments-slack"] } } : {}),
        logs: {
          retentionDays: 30,
          exclude: ["healthChecks"],
          sinks: [{ name: "errors-to-bigquery", filter: "severity>=ERROR", destination: { bigquery: { dataset: `${team}_logs` } } }],
          metrics: [{ name: "failures", filter: 'jsonPayload.event="failed"', alert: { above: 5, per: "5m", severity: "ticket" } }],
        },
        ...(i % 2 === 0 ? { database: { cloudSql: { instance: `${name}-db`.slice(0, 40), backups: { schedule: "daily", start: "02:00", retentionDays: 30, pointInTimeRecovery: true } } } } : {}),
        scaling: { minInstances: 1, maxInstances: 20, concurrency: 80 },
      };
    case "gke": {
      const lb = `metric.type="loadbalancing.googleapis.com/https/request_count" AND resource.type="https_lb_rule" AND resource.label.url_map_name="${name}"`;
      return {
        apiVersion: "monitoring-stack/v1",
        name,
        team,
        tier: "standard",
        runbook,
        runtime: { gke: { cluster: `prod-${1 + (i % 3)}`, location: "europe-west1", namespace: team, workload: name } },
        endpoints: [{ name: "home", url: `https://${host}/`, timeout: "15s", regions: ["USA", "EUROPE", "ASIA_PACIFIC"] }],
        slos: [
          { name: "uptime", objective: 99.5, indicator: { uptime: { endpoint: "home" } } },
          { name: "lb-availability", objective: 99.5, window: "28d", indicator: { cloudMonitoring: { total: lb, bad: `${lb} AND metric.label.response_code_class=500` } } },
          { name: "availability", objective: 99.5, indicator: { prometheus: { total: `http_requests_total{job="${name}"}`, bad: `http_requests_total{job="${name}",code=~"5.."}` } } },
        ],
        ...(team === "catalog" ? { alerting: { ticket: ["catalog-email"] } } : {}),
        scaling: { minInstances: 2, maxInstances: 10 },
      };
    }
    case "external":
      return {
        apiVersion: "monitoring-stack/v1",
        name,
        team,
        tier: "low",
        runtime: { external: {} },
        endpoints: [{ name: "api-health", url: `https://${host}/api/health`, period: "600s", expect: { contains: '"status": "ok"' } }],
        slos: [{ name: "uptime", objective: 99, window: "7d", indicator: { uptime: { endpoint: "api-health" } } }],
      };
  }
}

/** The first `count` synthetic declarations. */
export function syntheticCatalog(count: number): SyntheticDeclaration[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`invalid catalog size (got ${count}, expected a whole number of services, at least 1)`);
  return Array.from({ length: count }, (_, i) => syntheticService(i));
}

/** Writes a catalog of `count` services as YAML files into `dir` (emptied first); returns the file paths. */
export function writeCatalog(dir: string, count: number): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = syntheticCatalog(count).map((declaration) => {
    const file = path.join(dir, `${declaration.name}.yaml`);
    writeFileSync(file, stringify(declaration));
    return file;
  });
  return files;
}
