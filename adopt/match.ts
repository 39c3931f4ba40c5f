/**
 * Which existing resource is which of ours. Each existing resource is matched
 * to the planned resource that means the same thing, as a graph: an alert
 * policy follows the uptime check its filter names (`check_id`), the SLO its
 * burn-rate filter names or the log-based metric it counts; an SLO follows its
 * SLI, and its service. Each one ends up in exactly one list:
 *
 * - adopt: imported, then updated in place; the fields that will change listed;
 * - refused: adopting it would replace it (a new id: the team's resource and
 *   its history deleted, or a locked bucket that cannot be changed), each with
 *   what the declaration would need to take over the id;
 * - left alone: not ours, with why;
 * - ambiguous: more than one candidate on either side; nothing is adopted
 *   while any remains.
 *
 * Pure: planned resources (the offline plan's record) and existing ones in,
 * findings out.
 */
import type { PlannedResource } from "../plan/mockRuntime";
import type { RecordedService } from "../plan/planRecord";
import { metricImportId, sinkImportId } from "../model/importIds";
import { ALERT, TIER_LABEL } from "../components/prometheus/ruleNames";
import { describeExisting, madeByTerraform, type Existing, type Json } from "./existing";

export interface Adopted {
  /** Our resource's name: the key of `monitoring-stack:adopt`. */
  name: string;
  type: string;
  /** The provider's import id. */
  id: string;
  existing: Existing;
  /** Fields of the existing resource the first `pulumi up` will change, in words. */
  changes: string[];
  /** What else to know: made by Terraform, ... */
  notes: string[];
}

export interface Refused {
  existing: Existing;
  /** Our resource it would have been. */
  name: string;
  reason: string;
  /** How the declaration can take over the existing id instead. */
  takeOver: string;
}

export interface LeftAlone {
  existing: Existing;
  why: string;
}

export interface Ambiguity {
  /** What could not be told apart. */
  what: string;
  candidates: string[];
}

export interface AdoptionFindings {
  adopt: Adopted[];
  refused: Refused[];
  leftAlone: LeftAlone[];
  ambiguous: Ambiguity[];
}

export interface MatchInput {
  project: string;
  resources: readonly PlannedResource[];
  /** The plan's service record: which SLOs the stack has, for rule groups that would page twice. */
  services?: readonly RecordedService[];
  existing: readonly Existing[];
}

export const TYPE = {
  uptimeCheck: "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
  alertPolicy: "gcp:monitoring/alertPolicy:AlertPolicy",
  channel: "gcp:monitoring/notificationChannel:NotificationChannel",
  service: "gcp:monitoring/customService:CustomService",
  slo: "gcp:monitoring/slo:Slo",
  sink: "gcp:logging/projectSink:ProjectSink",
  bucket: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
  logMetric: "gcp:logging/metric:Metric",
  grafanaPolicy: "grafana:alerting/notificationPolicy:NotificationPolicy",
} as const;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const lastSegment = (name: string) => name.split("/").pop() ?? name;
/** Filters compared as Cloud Monitoring reads them: spacing, `resource.labels` and quoting of label keys do not matter. */
const normaliseFilter = (filter: string) =>
  filter
    .replace(/\s+/g, " ")
    .replace(/\b(resource|metric)\.labels\./g, "$1.label.")
    .replace(/\.label\."([^"]+)"/g, ".label.$1")
    .trim();
/** A Google duration ("2592000s") in seconds. */
const seconds = (value: unknown) => (typeof value === "string" && /^[0-9.]+s$/.test(value) ? Number(value.slice(0, -1)) : undefined);
/** A redacted credential as the API lists it: asterisks, perhaps with the last characters shown. */
const redacted = (value: unknown) => typeof value === "string" && /^\*{3,}/.test(value);

/** Stable JSON of a value, keys sorted and filters normalised, for comparing. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${/[Ff]ilter$/.test(key) && typeof value[key] === "string" ? JSON.stringify(normaliseFilter(value[key] as string)) : canonical(value[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The fields whose values differ, by name: `what` maps our field to the existing one's value. */
function changedFields(ours: Json, fields: Record<string, unknown>): string[] {
  return Object.entries(fields)
    .filter(([key, theirs]) => canonical(ours[key] ?? null) !== canonical(theirs ?? null))
    .map(([key, theirs]) => `${key}: ${short(theirs)} → ${short(ours[key])}`);
}

function short(value: unknown): string {
  if (value === undefined || value === null) return "unset";
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const terraformNote = (item: Existing) =>
  madeByTerraform(item) ? ["made by Terraform (its labels say so): run `terraform state rm` on it in its Terraform configuration before `pulumi up`, or both tools will manage it"] : [];

interface Candidate {
  planned: PlannedResource;
  existing: Existing;
}

/** The heart of the matching: one pass per kind, in the order the graph needs (checks and SLOs before the policies that watch them). */
export function matchExisting(input: MatchInput): AdoptionFindings {
  const findings: AdoptionFindings = { adopt: [], refused: [], leftAlone: [], ambiguous: [] };
  const planned = (type: string) => input.resources.filter((r) => r.type === type);
  const existing = (kind: Existing["kind"]) => input.existing.filter((e) => e.kind === kind);
  /** Existing check id → our check's name (adopted) or undefined (refused); absent: not ours. */
  const checkIds = new Map<string, { name: string; adopted: boolean }>();
  /** Existing SLO full name → our SLO's full name (as the plan's filters write it), adopted or refused. */
  const sloNames = new Map<string, { name: string; adopted: boolean }>();

  // Settles one kind: pairs each existing resource with the planned ones `candidates` finds, then `judge` decides.
  const settle = (
    kind: Existing["kind"],
    type: string,
    candidates: (item: Existing, ours: readonly PlannedResource[]) => PlannedResource[],
    judge: (pair: Candidate) => { refuse?: { reason: string; takeOver: string }; changes: string[]; notes?: string[] },
    importId: (item: Existing) => string,
    notOurs: (item: Existing) => string,
  ): Map<Existing, { name: string; adopted: boolean }> => {
    const ours = planned(type);
    const pairs: Candidate[] = [];
    for (const item of existing(kind)) {
      const found = candidates(item, ours);
      if (found.length > 1) {
        findings.ambiguous.push({ what: `${describeExisting(item)} could be any of ours`, candidates: found.map((p) => p.name) });
      } else if (found.length === 1) {
        pairs.push({ planned: found[0]!, existing: item });
      } else {
        findings.leftAlone.push({ existing: item, why: notOurs(item) });
      }
    }
    const outcome = new Map<Existing, { name: string; adopted: boolean }>();
    for (const p of ours) {
      const mine = pairs.filter((pair) => pair.planned === p);
      if (mine.length > 1) {
        findings.ambiguous.push({ what: `${p.name} matches more than one existing resource`, candidates: mine.map((pair) => describeExisting(pair.existing)) });
        continue;
      }
      const pair = mine[0];
      if (!pair) continue;
      const verdict = judge(pair);
      if (verdict.refuse) {
        findings.refused.push({ existing: pair.existing, name: p.name, ...verdict.refuse });
        outcome.set(pair.existing, { name: p.name, adopted: false });
      } else {
        findings.adopt.push({ name: p.name, type, id: importId(pair.existing), existing: pair.existing, changes: verdict.changes, notes: [...terraformNote(pair.existing), ...(verdict.notes ?? [])] });
        outcome.set(pair.existing, { name: p.name, adopted: true });
      }
    }
    return outcome;
  };

  // Uptime checks: protocol, host, path and port.
  const checkKey = (body: Json): string | undefined => {
    const host = str(isObject(body["monitoredResource"]) && isObject(body["monitoredResource"]["labels"]) ? body["monitoredResource"]["labels"]["host"] : undefined);
    if (isObject(body["httpCheck"])) {
      const http = body["httpCheck"];
      const ssl = http["useSsl"] === true;
      return `${ssl ? "https" : "http"}://${host}:${Number(http["port"] ?? (ssl ? 443 : 80))}${str(http["path"]) ?? "/"}`;
    }
    if (isObject(body["tcpCheck"])) return `tcp://${host}:${Number(body["tcpCheck"]["port"])}`;
    return undefined;
  };
  const checks = settle(
    "uptimeCheck",
    TYPE.uptimeCheck,
    (item, ours) => {
      const key = checkKey(item.body);
      return key ? ours.filter((p) => checkKey(p.inputs) === key) : [];
    },
    ({ planned: p, existing: e }) => {
      const theirs = e.body;
      const ours = p.inputs;
      const resourceType = isObject(theirs["monitoredResource"]) ? str(theirs["monitoredResource"]["type"]) : undefined;
      const ourType = isObject(ours["monitoredResource"]) ? str(ours["monitoredResource"]["type"]) : undefined;
      const checker = str(theirs["checkerType"]) ?? "STATIC_IP_CHECKERS";
      const method = (isObject(theirs["httpCheck"]) ? str(theirs["httpCheck"]["requestMethod"]) : undefined) ?? "GET";
      const ourMethod = isObject(ours["httpCheck"]) ? str(ours["httpCheck"]["requestMethod"]) : undefined;
      const forced = [
        ...(resourceType !== ourType ? [`its monitoredResource type is ${resourceType ?? "unset"}, ours ${ourType}`] : []),
        ...(checker !== "CHECKER_TYPE_UNSPECIFIED" && checker !== ours["checkerType"] ? [`its checkerType is ${checker}, ours ${String(ours["checkerType"])}`] : []),
        ...(ourMethod && method !== ourMethod ? [`its requestMethod is ${method}, ours ${ourMethod}`] : []),
      ];
      if (forced.length > 0) {
        return {
          refuse: {
            reason: `${forced.join("; ")}: the provider replaces a check for that, giving it a new id that breaks every alert and SLO filter naming the old one`,
            takeOver: "checks are made from STATIC_IP_CHECKERS with GET on uptime_url: change the existing check in the console to match, or leave it and delete it once ours has run a full SLO window",
          },
          changes: [],
        };
      }
      const http = isObject(theirs["httpCheck"]) ? theirs["httpCheck"] : {};
      const ourHttp = isObject(ours["httpCheck"]) ? ours["httpCheck"] : {};
      return {
        changes: [
          ...changedFields(ours, {
            displayName: theirs["displayName"],
            period: theirs["period"],
            timeout: theirs["timeout"],
            selectedRegions: theirs["selectedRegions"],
            contentMatchers: theirs["contentMatchers"],
            userLabels: theirs["userLabels"],
          }),
          ...changedFields(ourHttp, { validateSsl: http["validateSsl"] ?? false, acceptedResponseStatusCodes: http["acceptedResponseStatusCodes"] }).map((change) => `httpCheck.${change}`),
        ],
      };
    },
    (e) => e.name,
    () => "no endpoint of ours has its protocol, host, path and port",
  );
  for (const [e, outcome] of checks) checkIds.set(lastSegment(e.name), outcome);

  // Services: by id.
  settle(
    "service",
    TYPE.service,
    (item, ours) => ours.filter((p) => p.inputs["serviceId"] === lastSegment(item.name)),
    ({ planned: p, existing: e }) => {
      const kinds = Object.keys(e.body).filter((key) => !["name", "displayName", "userLabels", "telemetry", "custom"].includes(key));
      if (!isObject(e.body["custom"]) && kinds.length > 0) {
        return {
          refuse: {
            reason: `it is a ${kinds.join(", ")} service, ours a custom one: the provider cannot update one into the other and would replace it with its SLOs`,
            takeOver: `give our service another name, or add \`formerly: [${lastSegment(e.name)}]\` only once the existing service is deleted`,
          },
          changes: [],
        };
      }
      return { changes: changedFields(p.inputs, { displayName: e.body["displayName"], userLabels: e.body["userLabels"] }) };
    },
    (e) => e.name,
    () => "no service of ours has its id",
  );

  // SLOs: by SLI (the check an uptime SLI reads followed to ours), then service and id.
  const sliOf = (body: Json, api: boolean): string | undefined => {
    const sli = api ? (isObject(body["serviceLevelIndicator"]) ? body["serviceLevelIndicator"] : undefined) : body;
    if (!sli) return undefined;
    const request = api ? sli["requestBased"] : sli["requestBasedSli"];
    const windows = api ? sli["windowsBased"] : sli["windowsBasedSli"];
    if (request !== undefined) return `request:${canonical(request)}`;
    if (windows !== undefined) {
      let text = canonical(windows);
      // An uptime SLI names its check by id: the existing check's id stands for ours once matched.
      if (api) text = text.replace(/check_id=\\"([^"\\]+)\\"/g, (whole, id: string) => (checkIds.has(id) ? `check_id=\\"${checkIds.get(id)!.name}\\"` : whole));
      return `windows:${text}`;
    }
    return api && sli["basicSli"] !== undefined ? `basic:${canonical(sli["basicSli"])}` : undefined;
  };
  const sloPath = (p: PlannedResource) => `projects/${input.project}/services/${String(p.inputs["service"])}/serviceLevelObjectives/${String(p.inputs["sloId"])}`;
  const slos = settle(
    "slo",
    TYPE.slo,
    (item, ours) => {
      const sli = sliOf(item.body, true);
      const bySli = sli ? ours.filter((p) => sliOf(p.inputs, false) === sli) : [];
      // Two of ours with one indicator (objectives apart): the one with its id, else the one with its goal.
      if (bySli.length > 1) {
        const narrowed = [bySli.filter((p) => sloPath(p) === item.name), bySli.filter((p) => p.inputs["goal"] === item.body["goal"])].find((list) => list.length === 1);
        if (narrowed) return narrowed;
      }
      if (bySli.length > 0) return bySli;
      // Same service and id, another SLI: ours replaces its indicator in place.
      return ours.filter((p) => sloPath(p) === item.name);
    },
    ({ planned: p, existing: e }) => {
      const [, , , service, , sloId] = e.name.split("/");
      if (service !== p.inputs["service"] || sloId !== p.inputs["sloId"]) {
        const what = service !== p.inputs["service"] ? `service ${service}, ours ${String(p.inputs["service"])}` : `id ${sloId}, ours ${String(p.inputs["sloId"])}`;
        const takeOver =
          service !== p.inputs["service"]
            ? `declare the service as ${service} with \`formerly: [${service}]\` (or rename it to ${service}), so its id is ${service}`
            : `add \`formerly: [${sloId}]\` to the SLO ${String(p.inputs["sloId"])} of ${String(p.inputs["service"])}, so its id stays ${sloId}`;
        return { refuse: { reason: `same indicator, but its ${what}: changing an SLO's service or id replaces it and resets its history`, takeOver }, changes: [] };
      }
      const changes = changedFields(p.inputs, {
        displayName: e.body["displayName"],
        goal: e.body["goal"],
        rollingPeriodDays: seconds(e.body["rollingPeriod"]) !== undefined ? seconds(e.body["rollingPeriod"])! / 86_400 : undefined,
        calendarPeriod: e.body["calendarPeriod"],
        userLabels: e.body["userLabels"],
      });
      if (sliOf(e.body, true) !== sliOf(p.inputs, false)) changes.push("serviceLevelIndicator: replaced by ours");
      return { changes };
    },
    (e) => e.name,
    () => "no SLO of ours has its indicator, or its service and id",
  );
  for (const [e, outcome] of slos) {
    const ours = planned(TYPE.slo).find((p) => p.name === outcome.name)!;
    sloNames.set(e.name, { name: sloPath(ours), adopted: outcome.adopted });
  }

  // Alert policies: by what they watch.
  const plannedChecks = new Map<string, string>();
  for (const check of planned(TYPE.uptimeCheck)) {
    plannedChecks.set(check.name, check.name);
    if (check.importId) plannedChecks.set(lastSegment(check.importId), check.name);
  }
  const watched = (conditions: unknown, existingSide: boolean): string | undefined => {
    const texts = (Array.isArray(conditions) ? conditions : []).flatMap((condition) =>
      isObject(condition)
        ? Object.values(condition)
            .filter(isObject)
            .flatMap((inner) => [str(inner["filter"]), str(inner["query"])].filter((t): t is string => t !== undefined))
        : [],
    );
    const all = texts.join("\n");
    const check = /check_id"?\s*=\s*"([^"]+)"/.exec(all)?.[1];
    if (check) {
      // Offline, our check's id is a stand-in made from its name; an adopted one's is the id it had.
      if (!existingSide) return `uptime:${plannedChecks.get(check) ?? check}`;
      const ours = checkIds.get(check);
      return ours ? `uptime:${ours.name}` : `unmatched-check:${check}`;
    }
    const burns = [...all.matchAll(/select_slo_burn_rate\("([^"]+)",\s*"([0-9]+)s"\)/g)];
    if (burns.length > 0) {
      const slo = burns[0]![1]!;
      const longest = Math.max(...burns.map((b) => Number(b[2])));
      if (!existingSide) return `slo:${slo}:${longest}`;
      const ours = sloNames.get(slo);
      return ours ? `slo:${ours.name}:${longest}` : `unmatched-slo:${slo}`;
    }
    const metric = /logging\.googleapis\.com\/user\/([^"\s}]+)/.exec(all)?.[1];
    if (metric) return `metric:${metric}`;
    return undefined;
  };
  const policyFollows = (e: Existing): { adopted: boolean; name: string } | undefined => {
    const key = watched(e.body["conditions"], true);
    if (key?.startsWith("uptime:")) return [...checkIds.values()].find((c) => `uptime:${c.name}` === key);
    if (key?.startsWith("slo:")) return [...sloNames.values()].find((s) => key.startsWith(`slo:${s.name}:`));
    return undefined;
  };
  settle(
    "alertPolicy",
    TYPE.alertPolicy,
    (item, ours) => {
      const key = watched(item.body["conditions"], true);
      return key ? ours.filter((p) => watched(p.inputs["conditions"], false) === key) : [];
    },
    ({ planned: p, existing: e }) => {
      const follows = policyFollows(e);
      if (follows && !follows.adopted) {
        return { refuse: { reason: `it watches ${follows.name}, which is refused above: adopting the policy alone would leave it watching the old one`, takeOver: `take over ${follows.name} first, as said above` }, changes: [] };
      }
      const theirDocs = isObject(e.body["documentation"]) ? e.body["documentation"] : undefined;
      return {
        changes: changedFields(p.inputs, {
          displayName: e.body["displayName"],
          combiner: e.body["combiner"],
          severity: e.body["severity"],
          conditions: e.body["conditions"],
          notificationChannels: e.body["notificationChannels"],
          userLabels: e.body["userLabels"],
          documentation: theirDocs,
          alertStrategy: e.body["alertStrategy"],
        }).map((change) => (change.startsWith("conditions:") ? "conditions: replaced by ours" : change)),
      };
    },
    (e) => e.name,
    (e) => {
      const key = watched(e.body["conditions"], true);
      if (key?.startsWith("unmatched-check:")) return `it watches the uptime check ${key.slice("unmatched-check:".length)}, which is not ours`;
      if (key?.startsWith("unmatched-slo:")) return `it watches the SLO ${key.slice("unmatched-slo:".length)}, which is not ours`;
      return key ? "none of our policies watches the same thing" : "it watches no uptime check, SLO or log-based metric of ours";
    },
  );

  // Channels: by type and address; by display name where the address is a credential that comes back redacted.
  const address = (type: string, labels: Json): string | undefined => {
    const key = type === "email" ? "email_address" : type === "slack" ? "channel_name" : type === "webhook_tokenauth" || type === "webhook_basicauth" ? "url" : type === "sms" ? "number" : undefined;
    const value = key ? labels[key] : undefined;
    return typeof value === "string" && !redacted(value) ? value : undefined;
  };
  settle(
    "channel",
    TYPE.channel,
    (item, ours) => {
      const type = str(item.body["type"]) ?? "";
      const labels = isObject(item.body["labels"]) ? item.body["labels"] : {};
      const theirs = address(type, labels);
      const sameType = ours.filter((p) => p.inputs["type"] === type);
      const ourAddress = (p: PlannedResource) => (isObject(p.inputs["labels"]) ? address(type, p.inputs["labels"]) : undefined);
      // Compared by address where both sides show one (a webhook's URL is a secret on our side, never read here).
      const byAddress = theirs !== undefined ? sameType.filter((p) => ourAddress(p) === theirs) : [];
      if (byAddress.length > 0 || sameType.some((p) => ourAddress(p) !== undefined)) return byAddress;
      // The identifying label is a credential, listed redacted or kept secret: the display name is all there is to go by.
      return sameType.filter((p) => p.inputs["displayName"] === item.body["displayName"]);
    },
    ({ planned: p, existing: e }) => ({
      changes: [
        ...changedFields(p.inputs, { displayName: e.body["displayName"], userLabels: e.body["userLabels"] }),
        ...(p.inputs["sensitiveLabels"] !== undefined ? ["sensitiveLabels: set from the stack's channelSecrets (the existing value cannot be read)"] : []),
      ],
      notes:
        !isObject(p.inputs["labels"]) || address(str(e.body["type"]) ?? "", isObject(e.body["labels"]) ? e.body["labels"] : {}) === undefined
          ? ["its address is a credential (listed redacted, or kept secret by the stack): matched by type and display name"]
          : [],
    }),
    (e) => e.name,
    () => "no channel of ours has its type and address",
  );

  // Log buckets: by id and location; a locked bucket can be neither changed nor deleted.
  settle(
    "bucket",
    TYPE.bucket,
    (item, ours) => ours.filter((p) => lastSegment(item.name) === p.inputs["bucketId"]),
    ({ planned: p, existing: e }) => {
      const location = e.name.split("/")[3];
      if (location !== p.inputs["location"]) {
        return { refuse: { reason: `it is in ${location}, ours in ${String(p.inputs["location"])}: a bucket's location cannot change, so it would be replaced`, takeOver: `set monitoring-stack:logs.bucketLocation to ${location}` }, changes: [] };
      }
      const changes = changedFields(p.inputs, { description: e.body["description"], retentionDays: e.body["retentionDays"] });
      if (e.body["locked"] === true && changes.some((change) => change.startsWith("retentionDays"))) {
        return {
          refuse: {
            reason: `it is locked with retentionDays ${String(e.body["retentionDays"])}, ours ${String(p.inputs["retentionDays"])}: Cloud Logging refuses to change a locked bucket's retention, and a locked bucket cannot be deleted`,
            takeOver: `declare logs.retentionDays: ${String(e.body["retentionDays"])} for the service`,
          },
          changes: [],
        };
      }
      return { changes, notes: e.body["locked"] === true ? ["locked: it can never be deleted, and its retention never changed"] : [] };
    },
    (e) => e.name,
    (e) => (["_Default", "_Required"].includes(lastSegment(e.name)) ? "Cloud Logging's own bucket" : "no service of ours keeps its logs there"),
  );

  // Log sinks: by name and destination.
  settle(
    "sink",
    TYPE.sink,
    (item, ours) => {
      const byName = ours.filter((p) => p.inputs["name"] === item.name);
      return byName.length > 0 ? byName : ours.filter((p) => p.inputs["destination"] === item.body["destination"] && normaliseFilter(String(p.inputs["filter"] ?? "")) === normaliseFilter(String(item.body["filter"] ?? "")));
    },
    ({ planned: p, existing: e }) => {
      if (e.name !== p.inputs["name"]) {
        return {
          refuse: {
            reason: `same destination and filter, but its name is ${e.name}, ours ${String(p.inputs["name"])}: a sink's name cannot change, so it would be replaced`,
            takeOver: /^[a-z][a-z0-9-]*$/.test(e.name) ? `name the sink so that <service id>-<sink name> is ${e.name}` : `it cannot be taken over under its name: delete it once ours exports`,
          },
          changes: [],
        };
      }
      return { changes: changedFields(p.inputs, { destination: e.body["destination"], filter: e.body["filter"], description: e.body["description"], exclusions: e.body["exclusions"] ?? [], disabled: e.body["disabled"] }) };
    },
    (e) => sinkImportId(input.project, e.name),
    (e) => (["_Default", "_Required"].includes(e.name) ? "Cloud Logging's own sink" : "no sink of ours has its name, or its destination and filter"),
  );

  // Log-based metrics: by name, or by filter under another name.
  settle(
    "logMetric",
    TYPE.logMetric,
    (item, ours) => {
      const byName = ours.filter((p) => p.inputs["name"] === item.name);
      return byName.length > 0 ? byName : ours.filter((p) => normaliseFilter(String(p.inputs["filter"])) === normaliseFilter(String(item.body["filter"])));
    },
    ({ planned: p, existing: e }) => {
      if (e.name !== p.inputs["name"]) {
        return {
          refuse: {
            reason: `same filter, but its name is ${e.name}, ours ${String(p.inputs["name"])}: a metric's name cannot change, so it would be replaced and its series start again`,
            takeOver: `name the metric so that <service id>/<metric name> is ${e.name}, or keep both until alerts move to ours`,
          },
          changes: [],
        };
      }
      return { changes: changedFields(p.inputs, { filter: e.body["filter"], description: e.body["description"] }) };
    },
    (e) => metricImportId(input.project, e.name),
    () => "no log-based metric of ours has its name or its filter",
  );

  // Prometheus rule groups already running (Sloth or Pyrra output): would page twice for one of our SLOs.
  const ourSlos = new Set((input.services ?? []).flatMap((s) => s.slos.map((slo) => `${s.name}/${slo.name}`)));
  for (const group of input.existing.filter((e) => e.kind === "ruleGroup")) {
    const rules = Array.isArray(group.body["rules"]) ? group.body["rules"].filter(isObject) : [];
    // Rules this project renders itself (their tier label and alert names): the same rules, not a second page.
    if (rules.some((rule) => Object.values(ALERT).includes(rule["alert"] as never) && isObject(rule["labels"]) && TIER_LABEL in rule["labels"])) {
      findings.leftAlone.push({ existing: group, why: "rules monitoring-stack renders itself: the stack's rule files replace them" });
      continue;
    }
    const twice = new Set<string>();
    for (const rule of rules) {
      if (typeof rule["alert"] !== "string" || !isObject(rule["labels"])) continue;
      const labels = rule["labels"];
      const service = str(labels["sloth_service"]) ?? str(labels["service"]);
      const slo = str(labels["sloth_slo"]) ?? str(labels["slo"]);
      if (service && slo && ourSlos.has(`${service}/${slo}`)) twice.add(`${service}/${slo}`);
      else if (slo) for (const ours of ourSlos) if (ours.endsWith(`/${slo}`) && str(labels["sloth_service"]) === undefined && str(labels["service"]) === undefined) twice.add(ours);
    }
    findings.leftAlone.push({
      existing: group,
      why:
        twice.size > 0
          ? `its alerts would page a second time for ${[...twice].sort().join(", ")}, which the stack alerts on: remove the group once ours are live`
          : "its rules are for no SLO of ours",
    });
  }
  // A Grafana notification policy tree: replaced as a whole by the stack's, when it provisions one.
  for (const tree of input.existing.filter((e) => e.kind === "grafanaPolicyTree")) {
    const replaces = input.resources.some((r) => r.type === TYPE.grafanaPolicy);
    findings.leftAlone.push({
      existing: tree,
      why: replaces
        ? `the stack's Grafana-managed alerting provisions the organisation's single notification policy tree and would replace this one (receiver ${String(tree.body["receiver"])}, ${Array.isArray(tree.body["routes"]) ? tree.body["routes"].length : 0} routes): move its routes into the stack first`
        : "the stack provisions no notification policy tree",
    });
  }
  return findings;
}

/** `monitoring-stack:adopt`: our resource name → import id, sorted by name. */
export function adoptConfig(findings: AdoptionFindings): Record<string, string> {
  return Object.fromEntries(findings.adopt.map((a) => [a.name, a.id]).sort(([a], [b]) => (a! < b! ? -1 : a! > b! ? 1 : 0)));
}
