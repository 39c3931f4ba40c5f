/**
 * The alerts of a PromQL SLO: one burn-rate alert per provisioned tier, both
 * windows above the tier's threshold, the low-traffic guard on pages only,
 * and a metrics-absent ticket held as long as a total outage takes to reach
 * the fastest tier.
 */
import { describe, expect, it } from "vitest";
import { absentAlert, burnAlert, sloAlerts } from "../../../components/prometheus/burnRateRules";
import { ALERT, TIER_LABEL } from "../../../components/prometheus/ruleNames";
import { promDuration, promNumber } from "../../../components/prometheus/promql";
import type { SloSpec } from "../../../contract/serviceSchema";
import { absentForMs } from "../../../model/sloMath";
import { API_RATIO, apiRatioService, settingsFrom } from "../../support/declarations";

const RATIO = API_RATIO;
const service = (slo: Partial<SloSpec> = {}) => apiRatioService(slo, 99.9);

const context = () => ({ settings: settingsFrom().prometheus });

describe("burnRateRules", () => {
  it("gives every provisioned tier one alert, then the absent alert", () => {
    const model = service();
    const slo = model.slos[0]!;
    const alerts = sloAlerts(model, slo, context());
    expect(alerts.map((a) => a.labels?.[TIER_LABEL] ?? a.alert)).toEqual([...slo.tiers.map((t) => t.name), ALERT.absent]);
  });

  it("fires when both windows burn above the tier's threshold; the low-traffic guard is on pages only", () => {
    const model = service();
    const slo = model.slos[0]!;
    const guard = context().settings.minBadEventsToPage;
    expect(guard).toBeGreaterThan(0);
    for (const tier of slo.tiers) {
      const rule = burnAlert(model, slo, tier, context());
      const threshold = `> (${promNumber(tier.burnRate)} * ${promNumber(slo.budget)})`;
      expect(rule.expr).toContain(`slo:sli_error:ratio_rate${promDuration(tier.longWindowMs)}{service="api",slo="ok"} ${threshold}`);
      expect(rule.expr).toContain(`slo:sli_error:ratio_rate${promDuration(tier.shortWindowMs)}{service="api",slo="ok"} ${threshold}`);
      expect(rule.expr.includes(`>= ${guard}`)).toBe(tier.severity === "page");
      expect(rule.labels).toMatchObject({ service: "api", slo: "ok", severity: tier.severity, [TIER_LABEL]: tier.name });
    }
  });

  it("has no low-traffic guard with timeslices: the ratio counts slices, not events", () => {
    const model = service({ budgeting: { method: "timeslices", slice: "5m", sliceTarget: 0.95 } });
    const slo = model.slos[0]!;
    const page = slo.tiers.find((t) => t.severity === "page")!;
    expect(burnAlert(model, slo, page, context()).expr).not.toContain(">=");
  });

  it("holds the absent alert as long as the model says, as a ticket on the total (bad events may rightly have no series)", () => {
    const model = service();
    const slo = model.slos[0]!;
    const rule = absentAlert(model, slo, context());
    expect(rule.for).toBe(promDuration(absentForMs(slo.tiers)));
    expect(rule.labels).toMatchObject({ severity: "ticket" });
    expect(rule.expr).toContain(`absent(${RATIO.total})`);
    expect(rule.expr).not.toContain(`absent(${RATIO.bad})`);
  });
});
