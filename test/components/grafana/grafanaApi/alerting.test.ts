/**
 * Grafana alerting's notification side — contact points
 * (`grafana:alerting/contactPoint:ContactPoint`), the notification policy tree
 * (`…/notificationPolicy:NotificationPolicy`) and mute timings
 * (`…/muteTiming:MuteTiming`) — in every plan that has them. Grafana's
 * Alertmanager is Prometheus' (grafana/alerting builds on
 * prometheus/alertmanager: routes, matchers and `MuteTimeInterval` are its
 * types), so the tree and the mute timings are also rendered as an
 * Alertmanager configuration and checked by `amtool check-config`. Sources:
 * terraform-provider-grafana internal/resources/grafana/resource_alerting_{contact_point,contact_point_notifiers,notification_policy,mute_timing}.go,
 * grafana/alerting receivers (slack and webhook settings).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { contactPointArgs } from "../../../../components/grafana/managedAlerting";
import { run, withTempDir } from "../../prometheus/tools";
import { PLAN_TIMEOUT_MS, TYPE, breaches, grafanaPlans, inputs, ofType, type Planned } from "./plans";
import { LABEL_NAME, promDurationMs } from "./rules";
import type { ContractPlan } from "../../gcp/googleApi/plans";

let plans: ContractPlan[];
let contactPoints: Planned[];
let policies: Planned[];
let muteTimings: Planned[];

interface Policy {
  matchers?: { label: string; match: string; value: string }[];
  contactPoint?: string;
  continue?: boolean;
  groupBies?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  muteTimings?: string[];
  policies?: Policy[];
}

beforeAll(async () => {
  plans = await grafanaPlans();
  contactPoints = ofType(plans, TYPE.contactPoint);
  policies = ofType(plans, TYPE.notificationPolicy);
  muteTimings = ofType(plans, TYPE.muteTiming);
}, PLAN_TIMEOUT_MS);

/** The integration blocks a contact point may hold, by the channel type that makes them. */
const BLOCK: Record<string, string> = { pagerduty: "pagerduties", slack: "slacks", email: "emails", webhook: "webhooks" };

describe("Grafana contact points", () => {
  it("covers every kind of channel (the walk works)", () => {
    const kinds = new Set(contactPoints.flatMap((p) => Object.keys(inputs(p)).filter((key) => Object.values(BLOCK).includes(key))));
    expect([...kinds].sort()).toEqual(["emails", "pagerduties", "slacks", "webhooks"]);
  });

  it("names each contact point once per Grafana, with one integration of its channel's kind", () => {
    // resource_alerting_contact_point.go: name Required (the resource id); a receiver name is unique in the Alertmanager configuration.
    const duplicates = plans.flatMap((plan) => {
      const names = ofType([plan], TYPE.contactPoint).map((c) => inputs(c)["name"]);
      return names.filter((n, i) => names.indexOf(n) !== i).map((n) => `${plan.source}: contact point ${n} twice`);
    });
    expect(duplicates).toEqual([]);
    expect(
      breaches(contactPoints, (p) => {
        const name = inputs(p)["name"];
        const channel = p.plan.settings.channels[name];
        const blocks = Object.keys(inputs(p)).filter((key) => key !== "name");
        return [
          ...(typeof name === "string" && name.length > 0 ? [] : ["no name"]),
          ...(channel ? [] : [`no channel ${name} in the stack`]),
          ...(channel && blocks.join() === BLOCK[channel.type] ? [] : [`integrations ${blocks.join(", ")}`]),
        ];
      }),
    ).toEqual([]);
  });

  it("sets what each integration requires", () => {
    // The plan shows the integrations holding a credential as [secret]: their fields are checked on the component's builder output
    // for the same channel, with a stand-in credential (the planned blocks match it, above).
    // pagerduty: integration_key Required (…_notifiers.go); severity one of PagerDuty Events v2's critical, error, warning, info.
    // slack: grafana/alerting receivers/slack: "recipient must be specified when using the Slack chat API", "token must be specified …".
    // email: addresses Required, each StringIsNotEmpty. webhook: url ("could not find url property in settings"), httpMethod POST or PUT (the schema's options).
    expect(
      breaches(contactPoints, (p) => {
        const name = inputs(p)["name"] as string;
        const channel = p.plan.settings.channels[name];
        if (!channel) return [];
        const args = contactPointArgs(name, channel, "stand-in-credential") as unknown as Record<string, Record<string, unknown>[] | undefined>;
        const problems: string[] = [];
        for (const pd of args["pagerduties"] ?? []) {
          if (!pd["integrationKey"]) problems.push("pagerduty without integrationKey");
          const outcomes = [...String(pd["severity"]).matchAll(/\}\}([a-z]+)\{\{|^([a-z]+)$/g)].map((m) => m[1] ?? m[2]);
          if (outcomes.length === 0 || outcomes.some((s) => !["critical", "error", "warning", "info"].includes(s!))) problems.push(`pagerduty severity ${pd["severity"]}`);
        }
        for (const slack of args["slacks"] ?? []) if (!String(slack["recipient"] ?? "").trim() || !slack["token"]) problems.push("slack without recipient or token");
        for (const email of args["emails"] ?? []) {
          const addresses = (email["addresses"] ?? []) as string[];
          if (addresses.length === 0 || addresses.some((a) => !/^[^@\s]+@[^@\s]+$/.test(a))) problems.push(`email addresses ${addresses.join(", ")}`);
        }
        for (const hook of args["webhooks"] ?? []) if (!hook["url"] || !["POST", "PUT"].includes(String(hook["httpMethod"] ?? "POST"))) problems.push(`webhook ${hook["httpMethod"]}`);
        return problems;
      }),
    ).toEqual([]);
  });
});

describe("Grafana notification policy tree", () => {
  it("covers the trees of the ftry example and the Grafana fixture, one per Grafana", () => {
    expect(policies.map((p) => p.plan.source)).toEqual(expect.arrayContaining(["example ftry", "fixture grafana"]));
    // One per organisation: a second resource would replace the first's tree.
    expect(plans.filter((plan) => ofType([plan], TYPE.notificationPolicy).length > 1).map((plan) => plan.source)).toEqual([]);
  });

  it("routes only to planned contact points and mute timings, with matchers and durations Grafana parses, at most 5 levels deep", () => {
    // resource_alerting_notification_policy.go: contact_point and group_by Required at the root; match one of = != =~ !~;
    // policy depth at most supportedPolicyTreeDepth = 5 below the root. Durations: prometheus/common model.Duration.
    expect(
      breaches(policies, (p) => {
        const root = inputs(p) as Policy;
        const contacts = ofType([p.plan], TYPE.contactPoint).map((c) => inputs(c)["name"]);
        const mutes = ofType([p.plan], TYPE.muteTiming).map((m) => inputs(m)["name"]);
        const problems: string[] = [];
        if (!root.contactPoint || !(root.groupBies ?? []).length) problems.push("root without contact point or group_by");
        if ((root.groupBies ?? []).includes("...") && root.groupBies!.length > 1) problems.push("group_by '...' with other labels");
        const walk = (node: Policy, depth: number, at: string) => {
          if (depth > 5) problems.push(`${at}: deeper than 5`);
          if (node.contactPoint && !contacts.includes(node.contactPoint)) problems.push(`${at}: contact point ${node.contactPoint} is not planned`);
          for (const mute of node.muteTimings ?? []) if (!mutes.includes(mute)) problems.push(`${at}: mute timing ${mute} is not planned`);
          for (const m of node.matchers ?? []) if (!LABEL_NAME.test(m.label) || !["=", "!=", "=~", "!~"].includes(m.match)) problems.push(`${at}: matcher ${JSON.stringify(m)}`);
          for (const key of ["groupWait", "groupInterval", "repeatInterval"] as const) {
            if (node[key] === undefined) continue;
            const ms = promDurationMs(node[key]);
            if (ms === undefined || ms === 0) problems.push(`${at}: ${key} ${node[key]}`);
          }
          (node.policies ?? []).forEach((child, i) => walk(child, depth + 1, `${at}.policies[${i}]`));
        };
        walk(root, 0, "root");
        return problems;
      }),
    ).toEqual([]);
  });

  it("is a routing tree Alertmanager accepts, with its mute timings (amtool check-config)", async () => {
    // grafana/alerting embeds prometheus/alertmanager's routing and timeinterval packages; amtool loads the same configuration types.
    await withTempDir((dir) => {
      for (const [index, p] of policies.entries()) {
        const file = path.join(dir, `alertmanager-${index}.yml`);
        writeFileSync(file, stringify(alertmanagerConfig(p)));
        const result = run("amtool", ["check-config", file]);
        expect(result.status, `${p.plan.source}: ${result.output}`).toBe(0);
      }
      // Mute timings no tree routes through (none today) are checked on their own.
      for (const [index, m] of muteTimings.entries()) {
        const file = path.join(dir, `mute-${index}.yml`);
        writeFileSync(file, stringify({ route: { receiver: "none", routes: [{ mute_time_intervals: [inputs(m)["name"]] }] }, receivers: [{ name: "none" }], time_intervals: [timeInterval(m)] }));
        const result = run("amtool", ["check-config", file]);
        expect(result.status, `${m.plan.source}: ${m.resource.name}: ${result.output}`).toBe(0);
      }
    });
  });
});

describe("Grafana mute timings", () => {
  it("covers the maintenance windows of the ftry example and the Grafana fixture (the walk works)", () => {
    expect(muteTimings.map((p) => p.plan.source)).toEqual(expect.arrayContaining(["example ftry", "fixture grafana"]));
  });

  it("names each once and sends times as hh:mm, start before end, weekdays by name and an IANA location", () => {
    // resource_alerting_mute_timing.go: name Required; start "inclusively", end "exclusively", in hh:mm; weekdays like "monday" or "tuesday:thursday";
    // location "a location in the IANA time zone database". prometheus/alertmanager timeinterval: end after start, at most 24:00.
    expect(
      breaches(muteTimings, (p) =>
        ((inputs(p)["intervals"] ?? []) as { times?: { start: string; end: string }[]; weekdays?: string[]; location?: string }[]).flatMap((interval) => [
          ...(interval.times ?? []).flatMap((t) => (/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(t.start) && /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/.test(t.end) && t.start < t.end ? [] : [`times ${t.start}–${t.end}`])),
          ...(interval.weekdays ?? []).filter((d) => !/^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(:(monday|tuesday|wednesday|thursday|friday|saturday|sunday))?$/.test(d)).map((d) => `weekday ${d}`),
          ...(interval.location === undefined || isTimeZone(interval.location) ? [] : [`location ${interval.location}`]),
        ]),
      ),
    ).toEqual([]);
  });
});

/** Whether the IANA time zone database (as Node's ICU holds it) knows the name. */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A mute timing as an Alertmanager `time_intervals` entry. */
function timeInterval(m: Planned): unknown {
  const intervals = (inputs(m)["intervals"] ?? []) as { times?: { start: string; end: string }[]; weekdays?: string[]; location?: string }[];
  return {
    name: inputs(m)["name"],
    time_intervals: intervals.map((i) => ({
      ...(i.times ? { times: i.times.map((t) => ({ start_time: t.start, end_time: t.end })) } : {}),
      ...(i.weekdays ? { weekdays: i.weekdays } : {}),
      ...(i.location ? { location: i.location } : {}),
    })),
  };
}

/** A plan's policy tree, contact points (as receivers without integrations) and mute timings as an Alertmanager configuration. */
function alertmanagerConfig(p: Planned): unknown {
  const route = (node: Policy): unknown => ({
    ...(node.contactPoint ? { receiver: node.contactPoint } : {}),
    ...(node.groupBies ? { group_by: node.groupBies } : {}),
    ...(node.groupWait ? { group_wait: node.groupWait } : {}),
    ...(node.groupInterval ? { group_interval: node.groupInterval } : {}),
    ...(node.repeatInterval ? { repeat_interval: node.repeatInterval } : {}),
    ...(node.matchers ? { matchers: node.matchers.map((m) => `${m.label}${m.match}${JSON.stringify(m.value)}`) } : {}),
    ...(node.continue ? { continue: true } : {}),
    ...(node.muteTimings ? { mute_time_intervals: node.muteTimings } : {}),
    ...(node.policies ? { routes: node.policies.map(route) } : {}),
  });
  return {
    route: route(inputs(p) as Policy),
    receivers: ofType([p.plan], TYPE.contactPoint).map((c) => ({ name: inputs(c)["name"] })),
    time_intervals: ofType([p.plan], TYPE.muteTiming).map(timeInterval),
  };
}
