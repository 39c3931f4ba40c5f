import { defineService } from "../contract/define";

/** The payments team's checkout API on Cloud Run: the one service that must never be down. */
export default defineService({
  name: "checkout-api",
  team: "payments",
  tier: "critical",
  runbook: "https://runbooks.example.com/payments/checkout-api",
  labels: { "cost-center": "42" },
  runtime: { cloudRun: { service: "checkout-api", region: "europe-west1" } },
  endpoints: [
    {
      name: "health",
      url: "https://checkout.example.com/health",
      expect: { status: [200], contains: '"status":"ok"' },
    },
    { name: "ready", url: "https://checkout.example.com/health/ready", period: "300s" },
  ],
  slos: [
    { name: "availability", objective: 99.9, window: "30d", indicator: { availability: {} } },
    { name: "latency", objective: 99, window: "30d", indicator: { latency: { threshold: "500ms" } } },
    { name: "uptime", objective: 99.95, window: "7d", indicator: { uptime: { endpoint: "health" } }, alerting: { ticket: false } },
  ],
  alerting: { page: ["payments-pager"], ticket: ["payments-slack", "incident-webhook"] },
  logs: {
    retentionDays: 30,
    exclude: ["healthChecks"],
    sinks: [
      { name: "errors-to-bigquery", filter: "severity>=ERROR", destination: { bigquery: { dataset: "payments_logs" } } },
    ],
    metrics: [
      { name: "payment-failures", filter: 'jsonPayload.event="payment_failed"', alert: { above: 5, per: "5m", severity: "ticket" } },
    ],
  },
  database: {
    cloudSql: { instance: "checkout-db", backups: { schedule: "daily", start: "02:00", retentionDays: 30, pointInTimeRecovery: true } },
  },
  scaling: { minInstances: 1, maxInstances: 20, concurrency: 80, cpuTarget: 70, memoryTarget: 80 },
  dashboard: { folder: "payments" },
});
