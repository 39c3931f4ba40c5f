import { describe, expect, it } from "vitest";
import { checkAlertNotifies, checkCriticalPages, checkInfoNeverPages } from "../../policies/alerting";
import { TYPE } from "../../policies/support";
import { reports, resource } from "./helpers";

const labels = (extra: Record<string, string>) => ({ service: "pay", team: "t", tier: "critical", ...extra });

describe("alerts-notify-someone", () => {
  it("passes an alert policy with channels and one whose channels are not known yet", () => {
    const { messages, report } = reports();
    checkAlertNotifies(resource(TYPE.alertPolicy, "a", { displayName: "x", notificationChannels: ["projects/p/notificationChannels/1"] }), { minChannels: 1 }, report);
    checkAlertNotifies(resource(TYPE.alertPolicy, "b", { displayName: "y" }), { minChannels: 1 }, report);
    expect(messages).toEqual([]);
  });

  it("reports an alert policy with no channels", () => {
    const { messages, report } = reports();
    checkAlertNotifies(resource(TYPE.alertPolicy, "a", { displayName: "pay availability page-fast", notificationChannels: [], userLabels: labels({}) }), { minChannels: 1 }, report);
    checkAlertNotifies(resource(TYPE.alertPolicy, "a", { displayName: "pay latency ticket", notificationChannels: ["c1"], userLabels: labels({}) }), { minChannels: 2 }, report);
    expect(messages).toEqual([
      'service pay: alert policy "pay availability page-fast" notifies nobody (no notification channels); route its severity to a channel.',
      'service pay: alert policy "pay latency ticket" notifies 1 channel(s); expected at least 2.',
    ]);
  });
});

describe("critical-slos-page", () => {
  const pager = resource(TYPE.channel, "pager", { type: "pagerduty" });
  const email = resource(TYPE.channel, "mail", { type: "email" });
  const slo = resource(TYPE.slo, "pay-slo-availability", { userLabels: labels({ slo: "availability" }) });
  const page = (channel: typeof pager) => resource(TYPE.alertPolicy, "pay-burn", { userLabels: labels({ slo: "availability", severity: "page" }) }, { deps: { notificationChannels: [channel] } });
  const config = { pagingChannelTypes: ["pagerduty"] };

  it("passes a critical SLO whose page alert reaches PagerDuty, and ignores other tiers", () => {
    const { messages, report } = reports();
    checkCriticalPages([pager, slo, page(pager), resource(TYPE.slo, "low", { userLabels: { tier: "low", service: "x", slo: "y" } })], config, report);
    expect(messages).toEqual([]);
  });

  it("reports a critical SLO with paging switched off", () => {
    const { messages, report } = reports();
    checkCriticalPages([pager, slo], config, report);
    expect(messages).toEqual(["service pay: SLO availability is on the critical tier but nothing pages when its budget burns (paging is switched off); page on it or lower the tier."]);
  });

  it("reports a critical SLO that pages only an email inbox", () => {
    const { messages, report } = reports();
    checkCriticalPages([email, slo, page(email)], config, report);
    expect(messages).toEqual(["service pay: SLO availability pages only channels that do not page a person (expected one of type pagerduty)."]);
  });
});

describe("critical-slos-page with channels from a platform stack", () => {
  it("does not judge channel types it cannot see (they come through a StackReference)", () => {
    const reference = resource("pulumi:pulumi:StackReference", "platform", {});
    const slo = resource(TYPE.slo, "pay-slo-availability", { userLabels: { service: "pay", tier: "critical", slo: "availability" } });
    const page = resource(TYPE.alertPolicy, "pay-burn", { notificationChannels: ["projects/p/notificationChannels/from-platform"], userLabels: { service: "pay", tier: "critical", slo: "availability", severity: "page" } }, { deps: { notificationChannels: [reference] } });
    const { messages, report } = reports();
    checkCriticalPages([reference, slo, page], { pagingChannelTypes: ["pagerduty"] }, report);
    expect(messages).toEqual([]);
  });
});

describe("info-never-pages", () => {
  const config = { pagingChannelTypes: ["pagerduty"] };
  const pager = resource(TYPE.channel, "pager", { type: "pagerduty", displayName: "On-call pager" });
  const email = resource(TYPE.channel, "email", { type: "email", displayName: "On-call mailbox" });
  const info = (...channels: ReturnType<typeof resource>[]) =>
    resource(TYPE.alertPolicy, "pay-backups-completed", { displayName: "pay backup of db completed", notificationChannels: channels.map((c) => c.name), userLabels: labels({ severity: "info" }) }, { deps: { notificationChannels: channels } });

  it("passes info that reaches a mailbox, and pages that reach a pager", () => {
    const { messages, report } = reports();
    const page = resource(TYPE.alertPolicy, "pay-burn", { displayName: "pay page", notificationChannels: ["pager"], userLabels: labels({ severity: "page" }) }, { deps: { notificationChannels: [pager] } });
    checkInfoNeverPages([pager, email, info(email), page], config, report);
    expect(messages).toEqual([]);
  });

  it("reports an info alert policy that notifies a pager", () => {
    const { messages, report } = reports();
    checkInfoNeverPages([pager, email, info(email, pager)], config, report);
    expect(messages).toEqual(['service pay: info alert policy "pay backup of db completed" notifies On-call pager, a pagerduty channel that pages; route info to channels reviewed once a day.']);
  });
});
