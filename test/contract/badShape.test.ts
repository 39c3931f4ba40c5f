/**
 * Contract v1, shape errors: one fixture per mistake under
 * test/fixtures/services/bad/. Each must be reported with the right file, the
 * exact field path, a message that says what was wrong and what was expected,
 * and print as `FILE: path: message`.
 */
import { readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadServices, type LoadResult } from "../../contract/load";
import { formatProblem, type Problem } from "../../contract/problems";
import { BAD_DIR, SEVERAL_MISTAKES_PATHS, expectFormatted, lines } from "../support/declarations";

interface ShapeCase {
  /** File name under BAD_DIR. */
  file: string;
  /** Every field path that must be reported (and no other); the first is the mistake the file is about. */
  paths: string[];
  /** What the message at paths[0] must say: what was wrong (the value got) and what was expected. */
  says: RegExp[];
  /** The mistake legitimately yields several problems at the same path (e.g. a YAML parser's follow-on errors). */
  repeats?: boolean;
}

const CASES: ShapeCase[] = [
  { file: "unknown-key-indicater.yaml", paths: ["slos[0].indicater", "slos[0].indicator"], says: [/^unknown field/, /got "indicater"/, /did you mean "indicator"\?/, /expected one of: name, objective, window, budgeting, indicator, alerting/] },
  { file: "unknown-key-top-level.yaml", paths: ["owner"], says: [/^unknown field/, /got "owner"/, /expected one of: apiVersion, name, team/] },
  { file: "wrong-type-objective-string.yaml", paths: ["slos[0].objective"], says: [/got "99\.9"/, /expected the objective as a percentage number/] },
  { file: "wrong-type-endpoints-mapping.yaml", paths: ["endpoints"], says: [/got \{"name":"home"/, /expected a list of endpoints/] },
  { file: "wrong-type-alerting-page-string.yaml", paths: ["alerting.page"], says: [/got "sre-pager"/, /expected a list of channel names/] },
  { file: "wrong-type-min-instances-string.yaml", paths: ["scaling.minInstances"], says: [/got "2"/, /expected minInstances as a whole number/] },
  { file: "wrong-type-tier-number.yaml", paths: ["tier"], says: [/got 1\b/, /expected one of: critical, standard, low/] },
  {
    file: "latency-threshold-not-duration.yaml",
    paths: ["slos[0].indicator.latency.threshold"],
    says: [/got "fast"/, /expected a latency threshold like "500ms"/]
  },
  { file: "objective-100.yaml", paths: ["slos[0].objective"], says: [/got 100\b/, /expected an objective strictly between 0 and 100/] },
  { file: "objective-0.yaml", paths: ["slos[0].objective"], says: [/got 0\b/, /expected an objective strictly between 0 and 100/] },
  { file: "window-31d.yaml", paths: ["slos[0].window"], says: [/got "31d"/, /expected a rolling window in whole days from "1d" to "30d"/, /calendar-month/] },
  { file: "window-0d.yaml", paths: ["slos[0].window"], says: [/got "0d"/, /expected a rolling window in whole days from "1d" to "30d"/] },
  { file: "window-30-days.yaml", paths: ["slos[0].window"], says: [/got "30 days"/, /expected a rolling window in whole days from "1d" to "30d"/] },
  { file: "window-calendar-year.yaml", paths: ["slos[0].window"], says: [/got "calendar-year"/, /calendar-day, calendar-week, calendar-fortnight, calendar-month/] },
  { file: "budgeting-slice-7m.yaml", paths: ["slos[0].budgeting.slice"], says: [/got "7m"/, /a whole number of minutes that divides a day/, /windowPeriod/] },
  { file: "budgeting-slice-target-1.yaml", paths: ["slos[0].budgeting.sliceTarget"], says: [/expected sliceTarget strictly between 0 and 1/] },
  { file: "budgeting-timeslices-incomplete.yaml", paths: ["slos[0].budgeting.slice", "slos[0].budgeting.sliceTarget"], says: [/^missing required field/, /got method timeslices without slice/, /expected the length of a slice/] },
  { file: "budgeting-occurrences-with-slice.yaml", paths: ["slos[0].budgeting.slice"], says: [/got "1m"/, /expected no slice/] },
  { file: "prometheus-calendar-window.yaml", paths: ["slos[0].window"], says: [/got "calendar-month"/, /expected a rolling window like "30d"/, /no calendar boundaries/, /support calendar periods/] },
  { file: "uptime-budgeting.yaml", paths: ["slos[0].budgeting"], says: [/got \{"method":"timeslices"/, /expected no budgeting/, /one per check period/] },
  { file: "period-120s.yaml", paths: ["endpoints[0].period"], says: [/got "120s"/, /expected one of the uptime check periods: 60s, 300s, 600s, 900s/] },
  { file: "timeout-0s.yaml", paths: ["endpoints[0].timeout"], says: [/got "0s"/, /expected a timeout like "10s": .*between 1s and 60s/] },
  { file: "timeout-61s.yaml", paths: ["endpoints[0].timeout"], says: [/got "61s"/, /expected a timeout like "10s": .*between 1s and 60s/] },
  { file: "regions-two.yaml", paths: ["endpoints[0].regions"], says: [/got \["EUROPE","ASIA_PACIFIC"\]/, /expected regions covering at least 3 checker locations/, /these cover 2/] },
  { file: "regions-duplicated.yaml", paths: ["endpoints[0].regions"], says: [/got \["USA","EUROPE","USA"\]/, /expected each region once/] },
  { file: "status-code-700.yaml", paths: ["endpoints[0].expect.status[1]"], says: [/got 700\b/, /expected HTTP status codes between 100 and 599/] },
  { file: "status-code-99.yaml", paths: ["endpoints[0].expect.status[0]"], says: [/got 99\b/, /expected HTTP status codes between 100 and 599/] },
  { file: "runtime-cloudrun-and-gke.yaml", paths: ["runtime"], says: [/^conflicting fields/, /got cloudRun and gke/, /expected exactly one of: cloudRun, gke, external/] },
  { file: "runtime-missing.yaml", paths: ["runtime"], says: [/^missing required field/] },
  { file: "runtime-empty.yaml", paths: ["runtime"], says: [/^missing field/, /got none of them/, /expected exactly one of: cloudRun, gke, external/] },
  { file: "indicator-two-kinds.yaml", paths: ["slos[0].indicator"], says: [/^conflicting fields/, /got availability and latency/, /expected exactly one of: availability, latency, uptime, prometheus, promql, cloudMonitoring/] },
  { file: "prometheus-bad-and-good.yaml", paths: ["slos[0].indicator.prometheus"], says: [/^conflicting fields/, /got both bad and good/, /expected exactly one of: bad, good/] },
  { file: "prometheus-histogram-without-threshold.yaml", paths: ["slos[0].indicator.prometheus.threshold"], says: [/^missing required field/, /got histogram without threshold/, /expected a latency threshold like "300ms"/] },
  { file: "cloudmonitoring-without-metric-type.yaml", paths: ["slos[0].indicator.cloudMonitoring.total"], says: [/got "resource\.type=/, /expected a Cloud Monitoring filter naming its metric: metric\.type=/] },
  { file: "name-uppercase.yaml", paths: ["name"], says: [/got "Payments-API"/, /expected a DNS label: lowercase letters/] },
  { file: "name-leading-digit.yaml", paths: ["name"], says: [/got "1payments"/, /starting with a letter/] },
  { file: "name-too-long.yaml", paths: ["name"], says: [/got "a{64}"/, /at most 63 characters/] },
  { file: "url-ftp.yaml", paths: ["endpoints[0].url"], says: [/got "ftp:\/\/files\.example\.com\/health"/, /expected an absolute http or https URL/] },
  { file: "url-relative.yaml", paths: ["endpoints[0].url"], says: [/got "\/health"/, /expected an absolute http or https URL/] },
  { file: "apiversion-missing.yaml", paths: ["apiVersion"], says: [/^missing required field/, /expected apiVersion: monitoring-stack\/v1/] },
  { file: "apiversion-wrong.yaml", paths: ["apiVersion"], says: [/got "monitoring-stack\/v2"/, /expected apiVersion: monitoring-stack\/v1/] },
  { file: "scaling-min-above-max.yaml", paths: ["scaling.minInstances"], says: [/got 5\b/, /expected at most maxInstances, 2/] },
  { file: "cputarget-0.yaml", paths: ["scaling.cpuTarget"], says: [/got 0\b/, /expected cpuTarget above 0/] },
  { file: "cputarget-120.yaml", paths: ["scaling.cpuTarget"], says: [/got 120\b/, /expected cpuTarget at most 100/] },
  { file: "backup-start-25.yaml", paths: ["database.cloudSql.backups.start"], says: [/got "25:00"/, /expected a start time on the hour, "HH:00" in 24 h UTC like "03:00"/] },
  { file: "label-value-uppercase.yaml", paths: ["labels.env"], says: [/got "Prod"/, /expected a label value: lowercase letters/] },
  { file: "label-key-uppercase.yaml", paths: ["labels.CostCenter"], says: [/^invalid key/, /got "CostCenter"/, /expected a label key: lowercase letters/] },
  { file: "malformed.yaml", paths: ["(yaml)"], says: [/^invalid YAML: /, /\(at line \d+, column \d+; expected well-formed YAML/], repeats: true },
  { file: "duplicate-key.yaml", paths: ["(yaml)"], says: [/^invalid YAML: duplicate key: keys must be unique in a mapping/, /\(at line 5, column 1; expected well-formed YAML with unique keys\)$/] },
  { file: "empty.yaml", paths: ["(file)"], says: [/^empty file \(got no YAML content, expected one mapping of fields\)$/] },
  { file: "multiple-documents.yaml", paths: ["(file)"], says: [/^several YAML documents \(got 2, the second starting at line 5; expected one declaration per file\)$/] },
  { file: "ts-objective-100.ts", paths: ["slos[0].objective"], says: [/got 100\b/, /expected an objective strictly between 0 and 100/] },
  {
    file: "ts-throws-on-import.ts",
    paths: ["(module)"],
    says: [/^could not be loaded \(got error: SERVICE_NAME is not set/, /expected a module that loads/],
  },
  { file: "ts-no-default-export.ts", paths: ["(module)"], says: [/^no default export/, /expected export default defineService/] },
  {
    file: "several-mistakes.yaml",
    paths: SEVERAL_MISTAKES_PATHS,
    says: [/got "monitoring-stack\/v2"/, /expected apiVersion: monitoring-stack\/v1/],
  },
];

const results = new Map<string, LoadResult>();

beforeAll(async () => {
  for (const { file } of CASES) results.set(file, await loadServices([path.join(BAD_DIR, file)]));
});

function problemsOf(file: string): Problem[] {
  const result = results.get(file);
  if (!result) throw new Error(`not loaded: ${file}`);
  return result.problems;
}

describe("bad fixtures: shape (loadServices)", () => {
  it("has a test case for every fixture file and a file for every case", () => {
    const onDisk = readdirSync(BAD_DIR).filter((entry) => statSync(path.join(BAD_DIR, entry)).isFile()).sort();
    expect(CASES.map((c) => c.file).sort()).toEqual(onDisk);
  });

  describe.each(CASES)("$file", (c) => {
    const shown = `${BAD_DIR}/${c.file}`;

    it(`is rejected with a problem at ${c.paths[0]} (and only at its expected paths) in ${c.file}`, () => {
      const result = results.get(c.file)!;
      expect(result.services).toEqual([]);
      const problems = problemsOf(c.file);
      expect(problems.length, lines(problems).join("\n")).toBeGreaterThan(0);
      for (const problem of problems) expect(problem.file).toBe(shown);
      expect([...new Set(problems.map((p) => p.path))].sort(), lines(problems).join("\n")).toEqual([...c.paths].sort());
    });

    it("says what was wrong and what was expected", () => {
      const primary = problemsOf(c.file).filter((p) => p.path === c.paths[0]);
      expect(primary.length).toBeGreaterThan(0);
      const message = primary[0]!.message;
      for (const pattern of c.says) expect(message).toMatch(pattern);
      for (const problem of problemsOf(c.file)) expect(problem.message, formatProblem(problem)).toContain("expected");
    });

    it("prints every problem as `FILE: path: message`", () => {
      const escaped = shown.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      for (const problem of problemsOf(c.file)) {
        expectFormatted(problem);
        expect(formatProblem(problem)).toMatch(new RegExp(`^${escaped}: [^:\\s][^\\s]*: \\S.*$`));
      }
      const first = problemsOf(c.file).find((p) => p.path === c.paths[0])!;
      expect(formatProblem(first).startsWith(`${shown}: ${c.paths[0]}: `)).toBe(true);
    });

    if (!c.repeats) {
      it("reports each mistake once", () => {
        const problems = problemsOf(c.file);
        expect(problems.map((p) => p.path).sort(), lines(problems).join("\n")).toEqual([...c.paths].sort());
      });
    }
  });
});

describe("several mistakes", () => {
  it("reports every mistake of one file at once, in document order", () => {
    const problems = problemsOf("several-mistakes.yaml");
    expect(problems.map((p) => p.path)).toEqual(SEVERAL_MISTAKES_PATHS);
    expect(problems.find((p) => p.path === "runtime")!.message).toMatch(/got cloudRun and external/);
    expect(problems.find((p) => p.path === "scaling.cpuTarget")!.message).toMatch(/got 120\b/);
  });

  it("reports the problems of every file of a directory at once", async () => {
    const { services, problems } = await loadServices([BAD_DIR]);
    expect(services).toEqual([]);
    const files = new Set(problems.map((p) => p.file));
    expect([...files].sort()).toEqual(CASES.map((c) => `${BAD_DIR}/${c.file}`).sort());
  });

  it("keeps loading the valid files next to invalid ones and lists a missing path as a problem", async () => {
    const { services, problems } = await loadServices([
      `${BAD_DIR}/objective-100.yaml`,
      "test/fixtures/services/good/status-site.yml",
      `${BAD_DIR}/does-not-exist.yaml`,
    ]);
    expect(services.map((s) => s.spec.name)).toEqual(["status-site"]);
    expect(lines(problems)).toEqual([
      `${BAD_DIR}/does-not-exist.yaml: (file): not found (expected a declaration file or a directory of them)`,
      `${BAD_DIR}/objective-100.yaml: slos[0].objective: invalid value (got 100, expected an objective strictly between 0 and 100 (100 leaves no error budget))`,
    ]);
  });
});
