/** The fixture project of the adoption tests (test/fixtures/adopt) and what adopting its exports is expected to give. */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { ExportFile } from "../../adopt/existing";

export const ADOPT_FIXTURE = path.join(__dirname, "..", "fixtures", "adopt");
export const ADOPT_STACK = path.join(ADOPT_FIXTURE, "Pulumi.shop.yaml");
export const ADOPT_SERVICES = path.join(ADOPT_FIXTURE, "services");
export const EXISTING = path.join(ADOPT_FIXTURE, "existing");
export const PROJECT = "acme-shop-prod";

export function exportsIn(dir: string = EXISTING): ExportFile[] {
  return readdirSync(dir)
    .sort()
    .map((file) => ({ file: `existing/${file}`, text: readFileSync(path.join(dir, file), "utf8") }));
}

/** The adoption the fixture project is expected to give: our resource name → its import id. */
export const EXPECTED_ADOPTED: Record<string, string> = {
  "platform-shop-email": "projects/acme-shop-prod/notificationChannels/4182290514372955302",
  "platform-shop-pager": "projects/acme-shop-prod/notificationChannels/2319955070128468410",
  "platform-shop-slack": "projects/acme-shop-prod/notificationChannels/9930277451860043117",
  "search-slo-service": "projects/acme-shop-prod/services/search",
  "shop-api-burn-availability-page-fast": "projects/acme-shop-prod/alertPolicies/5581306226417839120",
  "shop-api-logs-bucket": "projects/acme-shop-prod/locations/global/buckets/shop-api-logs",
  // Sinks are listed by their short name; the provider imports them as projects/P/sinks/NAME.
  "shop-api-logs-errors-to-bigquery": "projects/acme-shop-prod/sinks/shop-api-errors-to-bigquery",
  // Log-based metrics: "{{project}} {{name}}".
  "shop-api-logs-payment-failures": "acme-shop-prod shop-api/payment-failures",
  "shop-api-logs-to-bucket": "projects/acme-shop-prod/sinks/shop-api-logs",
  "shop-api-slo-availability": "projects/acme-shop-prod/services/shop-api/serviceLevelObjectives/availability",
  "shop-api-slo-service": "projects/acme-shop-prod/services/shop-api",
  "shop-api-uptime-health": "projects/acme-shop-prod/uptimeCheckConfigs/shop-healthz-Xk3v9QmbT1o",
  "shop-api-uptime-health-failing": "projects/acme-shop-prod/alertPolicies/12086453925441513247",
};

