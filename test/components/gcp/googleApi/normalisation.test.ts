/**
 * No change on a second apply: every value the API normalises is sent in the
 * form the server returns, in every plan the repository makes. Each rule
 * names why a different form would show as a change on every refresh.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PLAN_TIMEOUT_MS, TYPE, contractPlans, type ContractPlan } from "./plans";
import { UNKNOWN, stringsAt } from "./rules";

let plans: ContractPlan[];
beforeAll(async () => {
  plans = await contractPlans();
}, PLAN_TIMEOUT_MS);

const gcp = () => plans.flatMap((plan) => plan.resources.filter((r) => r.type.startsWith("gcp:")).map((resource) => ({ source: plan.source, resource })));

describe("values in the server's form", () => {
  it("durations are whole seconds with an 's' suffix", () => {
    // google/protobuf/duration.proto JSON mapping: "encoded as a string … ending in the suffix \"s\""; the API returns "300s" for "5m" or "300.0s",
    // and the provider compares strings (AlertPolicy.yaml, UptimeCheckConfig.yaml, Slo.yaml, BackupVault.yaml declare these fields as String).
    const key = /^(duration|period|timeout|evaluationInterval|autoClose|alignmentPeriod|windowPeriod|renotifyInterval|backupMinimumEnforcedRetentionDuration)$/;
    const found = gcp().flatMap(({ source, resource }) => stringsAt(resource.inputs, key).map((hit) => ({ at: `${source}: ${resource.name}: ${hit.path}`, value: hit.value })));
    expect(found.length).toBeGreaterThan(1000);
    expect(found.filter(({ value }) => !/^(0|[1-9][0-9]*)s$/.test(value)).map(({ at, value }) => `${at} = ${value}`)).toEqual([]);
  });

  it("filters are trimmed, on one line, with single spaces and upper-case operators", () => {
    // Sink and exclusion filters: the provider suppresses only surrounding spaces (OptionalSurroundingSpacesSuppress, resource_logging_sink.go).
    // Alert filters: terraform-provider-google #20507, #11004 report filters that change on every plan; one canonical form keeps them byte-stable.
    const found = gcp().flatMap(({ source, resource }) => stringsAt(resource.inputs, /(^filter$|Filter$)/).map((hit) => ({ at: `${source}: ${resource.name}: ${hit.path}`, value: hit.value })));
    expect(found.length).toBeGreaterThan(1000);
    expect(
      found
        .filter(({ value }) => value !== UNKNOWN)
        .filter(({ value }) => value !== value.trim() || /\n|\s{2,}/.test(value) || /\s(and|or)\s/.test(value))
        .map(({ at, value }) => `${at} = ${JSON.stringify(value)}`),
    ).toEqual([]);
  });

  it("notification channels are referenced by the channel resources' own names, never built by hand", () => {
    // alert.proto AlertPolicy.notification_channels: "projects/[PROJECT_ID_OR_NUMBER]/notificationChannels/[CHANNEL_ID]"; CHANNEL_ID is assigned by the server,
    // so only the channel's `name` output can match what the API returns. The plan's stand-in names come from the channel resources.
    const problems = plans.flatMap((plan) => {
      const channels = new Set(plan.resources.filter((r) => r.type === TYPE.channel).map((r) => `projects/${String(r.inputs["project"])}/notificationChannels/${r.name}`));
      const referenced = plan.source.startsWith("stack prod-") && channels.size === 0;
      return plan.resources
        .filter((r) => r.type === TYPE.alertPolicy)
        .flatMap((r) => (r.inputs["notificationChannels"] as string[]).filter((name) => !channels.has(name) && !referenced).map((name) => `${plan.source}: ${r.name}: ${name}`));
    });
    expect(problems).toEqual([]);
  });

  it("defaults that differ between the provider and the API are sent explicitly", () => {
    // UptimeCheckConfig.yaml period default "300s" vs uptime.proto "defaults to 60s"; httpCheck.path gets "/" prepended; requestMethod GET.
    // LogBucket retention_days: provider default 30; ProjectSink unique_writer_identity: provider default true; BackupPlan description: default_value "" with send_empty_value.
    const missing = gcp().flatMap(({ source, resource }) => {
      const i = resource.inputs as Record<string, any>;
      const need: Record<string, unknown[]> = {
        [TYPE.uptimeCheck]: [i["period"], i["timeout"], i["httpCheck"]?.["path"], i["httpCheck"]?.["requestMethod"], i["checkerType"]],
        [TYPE.logBucket]: [i["retentionDays"], i["location"]],
        [TYPE.logSink]: [i["uniqueWriterIdentity"]],
        [TYPE.backupPlan]: [i["description"]],
        // Slo.yaml: exactly one of rollingPeriodDays and calendarPeriod, neither has a default.
        [TYPE.slo]: [i["rollingPeriodDays"] ?? i["calendarPeriod"]],
      };
      return (need[resource.type] ?? []).some((value) => value === undefined) ? [`${source}: ${resource.name}`] : [];
    });
    expect(missing).toEqual([]);
  });
});
