/**
 * Starting declarations for what exists and nothing declares: an uptime check
 * no endpoint of ours matches becomes an endpoint, an SLO no SLO of ours
 * matches becomes an SLO, grouped into one declaration per service (the SLO's
 * service id, or the check's host for checks). Every field of the existing
 * resource that has no place in the declaration is reported in a note, as
 * `npm run import` does; the text is rendered by the same renderer.
 */
import { API_VERSION, serviceSchema, type ServiceSpec } from "../contract/serviceSchema";
import { DNS_LABEL } from "../contract/fields";
import type { ImportedService } from "../interop/declarations";
import type { Existing, Json } from "./existing";
import type { AdoptionFindings } from "./match";

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const seconds = (value: unknown) => (typeof value === "string" && /^[0-9.]+s$/.test(value) ? Number(value.slice(0, -1)) : undefined);

/** A DNS label made from any text: lower case, runs of other characters as '-', at most 63 characters. */
export function labelOf(text: string): string {
  const label = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+/g, "-")
    .slice(0, 63)
    .replace(/-+$/, "");
  return label === "" ? "imported" : label;
}

/** Fields of an uptime check that become an endpoint; the others are reported. */
const CHECK_FIELDS = new Set(["name", "displayName", "monitoredResource", "httpCheck", "period", "timeout", "selectedRegions", "contentMatchers", "checkerType", "userLabels", "isInternal", "syntheticMonitor"]);
const HTTP_FIELDS = new Set(["path", "port", "useSsl", "validateSsl", "requestMethod", "acceptedResponseStatusCodes"]);

interface Draft {
  name: string;
  endpoints: NonNullable<ServiceSpec["endpoints"]>;
  slos: NonNullable<ServiceSpec["slos"]>;
  notes: string[];
  sources: Set<string>;
}

export interface DeclarationDrafts {
  services: ImportedService[];
  /** Existing resources left out, with why (a field no declaration can hold, a name that is no DNS label). */
  skipped: string[];
}

/** Starting declarations for the checks and SLOs the findings leave alone. */
export function startingDeclarations(findings: AdoptionFindings, team: string): DeclarationDrafts {
  const drafts = new Map<string, Draft>();
  const skipped: string[] = [];
  const draft = (name: string, source: Existing) => {
    const found = drafts.get(name) ?? { name, endpoints: [], slos: [], notes: [], sources: new Set<string>() };
    found.sources.add(source.file);
    drafts.set(name, found);
    return found;
  };
  for (const { existing } of findings.leftAlone) {
    if (existing.kind === "uptimeCheck") {
      const body = existing.body;
      const resource = isObject(body["monitoredResource"]) ? body["monitoredResource"] : {};
      const host = isObject(resource["labels"]) ? String(resource["labels"]["host"] ?? "") : "";
      const http = isObject(body["httpCheck"]) ? body["httpCheck"] : undefined;
      if (!http || resource["type"] !== "uptime_url" || host === "") {
        skipped.push(`${existing.name}: not an HTTP check of a URL (got ${http ? `monitoredResource ${String(resource["type"])}` : "a TCP check"}, expected uptime_url with httpCheck): declarations check URLs over HTTP(S)`);
        continue;
      }
      const d = draft(labelOf(host.split(".")[0]!), existing);
      const ssl = http["useSsl"] === true;
      const port = typeof http["port"] === "number" ? http["port"] : ssl ? 443 : 80;
      const url = `${ssl ? "https" : "http"}://${host}${port === (ssl ? 443 : 80) ? "" : `:${port}`}${typeof http["path"] === "string" ? http["path"] : "/"}`;
      const where = `endpoint ${labelOf(String(body["displayName"] ?? host))} (${existing.name})`;
      const statuses = Array.isArray(http["acceptedResponseStatusCodes"]) ? http["acceptedResponseStatusCodes"].filter(isObject) : [];
      const codes = statuses.map((s) => s["statusValue"]).filter((v): v is number => typeof v === "number");
      if (statuses.some((s) => s["statusClass"] !== undefined && s["statusClass"] !== "STATUS_CLASS_2XX")) d.notes.push(`${where}: acceptedResponseStatusCodes classes other than 2xx are not mapped`);
      const matchers = Array.isArray(body["contentMatchers"]) ? body["contentMatchers"].filter(isObject) : [];
      const contains = matchers[0]?.["matcher"] === undefined || matchers[0]?.["matcher"] === "CONTAINS_STRING" ? (matchers[0]?.["content"] as string | undefined) : undefined;
      if (matchers.length > 0 && contains === undefined) d.notes.push(`${where}: contentMatchers ${String(matchers[0]!["matcher"])} is not mapped (only CONTAINS_STRING is)`);
      const regions = Array.isArray(body["selectedRegions"]) ? (body["selectedRegions"] as string[]) : undefined;
      for (const key of Object.keys(body)) if (!CHECK_FIELDS.has(key)) d.notes.push(`${where}: ${key} is not mapped`);
      for (const key of Object.keys(http)) if (!HTTP_FIELDS.has(key)) d.notes.push(`${where}: httpCheck.${key} is not mapped`);
      if ((http["requestMethod"] ?? "GET") !== "GET") d.notes.push(`${where}: httpCheck.requestMethod ${String(http["requestMethod"])} is not mapped (checks use GET)`);
      if (body["checkerType"] === "VPC_CHECKERS") d.notes.push(`${where}: checkerType VPC_CHECKERS is not mapped (checks run from public checkers)`);
      if (isObject(body["userLabels"])) d.notes.push(`${where}: userLabels are not mapped (the service's labels are copied to its resources)`);
      const period = seconds(body["period"]);
      const timeout = seconds(body["timeout"]);
      d.endpoints.push({
        name: labelOf(String(body["displayName"] ?? host)),
        url,
        ...(period !== undefined ? { period: `${period}s` } : {}),
        ...(timeout !== undefined ? { timeout: `${timeout}s` } : {}),
        ...(regions && regions.length >= 3 ? { regions: regions as never } : {}),
        ...(codes.length > 0 || contains !== undefined ? { expect: { ...(codes.length > 0 ? { status: codes } : {}), ...(contains !== undefined ? { contains } : {}) } } : {}),
      } as NonNullable<ServiceSpec["endpoints"]>[number]);
      if (regions && regions.length > 0 && regions.length < 3) d.notes.push(`${where}: selectedRegions ${regions.join(", ")} left out: at least 3 are required (default: all)`);
    } else if (existing.kind === "slo") {
      const [, , , serviceId, , sloId] = existing.name.split("/");
      const sli = isObject(existing.body["serviceLevelIndicator"]) ? existing.body["serviceLevelIndicator"] : {};
      const request = isObject(sli["requestBased"]) ? sli["requestBased"] : undefined;
      const ratio = request && isObject(request["goodTotalRatio"]) ? request["goodTotalRatio"] : undefined;
      if (!ratio || typeof ratio["totalServiceFilter"] !== "string") {
        skipped.push(`${existing.name}: its indicator (${Object.keys(sli).join(", ")}${request ? `: ${Object.keys(request).join(", ")}` : ""}) is not mapped: only a request-based good/total ratio becomes a cloudMonitoring indicator`);
        continue;
      }
      const name = labelOf(serviceId!);
      const d = draft(name, existing);
      const days = seconds(existing.body["rollingPeriod"]);
      if (days === undefined) d.notes.push(`slo ${labelOf(sloId!)}: calendarPeriod ${String(existing.body["calendarPeriod"])} is not mapped; 30d rolling declared`);
      if (name !== serviceId) d.notes.push(`service ${name}: the existing service id ${serviceId} is no DNS label; its SLOs get new ids`);
      d.slos.push({
        name: labelOf(sloId!),
        objective: Math.round(Number(existing.body["goal"]) * 100_000) / 1_000,
        ...(days !== undefined && days % 86_400 === 0 ? { window: `${days / 86_400}d` } : {}),
        indicator: {
          cloudMonitoring: {
            total: ratio["totalServiceFilter"],
            ...(typeof ratio["goodServiceFilter"] === "string" ? { good: ratio["goodServiceFilter"] } : {}),
            ...(typeof ratio["badServiceFilter"] === "string" ? { bad: ratio["badServiceFilter"] } : {}),
          },
        },
      } as NonNullable<ServiceSpec["slos"]>[number]);
    }
  }
  const services: ImportedService[] = [];
  for (const d of [...drafts.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!DNS_LABEL.test(d.name)) {
      skipped.push(`${d.name}: no service name can be made from it`);
      continue;
    }
    const spec = {
      apiVersion: API_VERSION,
      name: d.name,
      team,
      runtime: { external: {} },
      ...(d.endpoints.length > 0 ? { endpoints: d.endpoints } : {}),
      ...(d.slos.length > 0 ? { slos: d.slos } : {}),
    } as ServiceSpec;
    const checked = serviceSchema.safeParse(spec);
    if (!checked.success) {
      skipped.push(`${d.name}: the declaration made from it does not pass contract v1 (${checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})`);
      continue;
    }
    services.push({ spec, sources: [...d.sources].sort(), units: [], notes: [`runtime: external declared; set the service's runtime`, ...d.notes] });
  }
  return { services, skipped };
}
