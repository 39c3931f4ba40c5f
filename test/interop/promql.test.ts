/** Reading other tools' Prometheus queries back to the selectors our rules rate over: only where the meaning is exactly that. */
import { describe, expect, it } from "vitest";
import { histogramThreshold, readCounterQuery, splitBinary } from "../../interop/promql";

describe("readCounterQuery", () => {
  it("reads a selector, rate/increase of one, a sum of those, with by/without grouping and Sloth's window", () => {
    const read = (q: string) => readCounterQuery(q);
    expect(read('http_requests_total{job="api"}')).toEqual({ selector: 'http_requests_total{job="api"}', rewritten: false, grouping: [] });
    expect(read("rate(x[5m])")).toEqual({ selector: "x", rewritten: true, grouping: [] });
    expect(read("increase(x{a='b'}[1h])")).toEqual({ selector: "x{a='b'}", rewritten: true, grouping: [] });
    expect(read('sum(\n  rate(x{job="a", code=~"5.."}[{{ .window }}])\n)')).toEqual({ selector: 'x{job="a",code=~"5.."}', rewritten: true, grouping: [] });
    expect(read("sum(rate(x[5m])) by (host, path)")).toEqual({ selector: "x", rewritten: true, grouping: ["host", "path"] });
    expect(read("sum by (host) (rate(x[5m]))")).toEqual({ selector: "x", rewritten: true, grouping: ["host"] });
    expect(read("sum without (pod) (x)")).toEqual({ selector: "x", rewritten: true, grouping: ["pod"] });
    expect(read('sum(x{path="/a b"})')?.selector).toBe('x{path="/a b"}');
    expect(read("(sum(rate(x[5m])))")?.selector).toBe("x");
  });

  it("refuses what is not the rate of one counter", () => {
    for (const query of ["sum(rate(x[5m])) / sum(rate(y[5m]))", "1 - sum(x)", "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))", "avg(x)", "sum(rate(x[5m])) by (a) by (b)", "sum by (a) (rate(x[5m])) by (b)", "count_over_time(x[1h])"]) {
      expect(readCounterQuery(query), query).toBeUndefined();
    }
  });
});

describe("splitBinary", () => {
  it("splits at the only top-level operator, never inside parentheses, braces or quotes", () => {
    expect(splitBinary('(sum(rate(a{x="1-2"}[5m])) - sum(rate(b[5m])))', "-")).toEqual(['sum(rate(a{x="1-2"}[5m]))', "sum(rate(b[5m]))"]);
    expect(splitBinary("a / b / c", "/")).toBeUndefined();
    expect(splitBinary("a", "/")).toBeUndefined();
  });
});

describe("histogramThreshold", () => {
  it("reads an le bucket over its count (or +Inf bucket) with the same other matchers, in the spelling the rules match", () => {
    expect(histogramThreshold('h_bucket{a="1",le="0.1"}', 'h_count{a="1"}')).toEqual({ histogram: 'h_bucket{a="1"}', seconds: 0.1 });
    expect(histogramThreshold('h_bucket{le="1.0"}', 'h_bucket{le="+Inf"}')).toEqual({ histogram: "h_bucket", seconds: 1 });
    expect(histogramThreshold('h_bucket{a="1",le="0.1"}', 'h_count{a="2"}')).toBeUndefined();
    expect(histogramThreshold('h_bucket{le="0.10"}', "h_count")).toBeUndefined();
    expect(histogramThreshold('other_bucket{le="0.1"}', "h_count")).toBeUndefined();
  });
});
