/**
 * npx tsx bench/backtest/speed.ts [--slos 100] [--days 28] [--promtool-slos 2] [--promtool-days 2] [--write]
 *
 * How fast the backtest replays from files: N services with one 99.5 % / 28 d
 * Prometheus SLO each, 28 days reported after 3 days of warm-up, raw series at
 * a 1-minute step (the generated trace, bench/backtest/trace.ts), evaluated
 * at the default 30 s interval. The files are written first (unmeasured);
 * then reading them and the replay are measured, in a process of its own.
 * Beside it, promtool evaluates the plan's rule file on the same samples at
 * the same interval, for fewer SLOs and days (the whole work would take
 * hours): its time per SLO-day, scaled to the same work, is reported as such.
 * --write puts the table into bench/RESULTS.md.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { prometheusSettings } from "../../contract/prometheusConfig";
import { serviceSchema } from "../../contract/serviceSchema";
import { serviceModel } from "../../model/service";
import { replaySlo } from "../../backtest/fromModel";
import { readHistory } from "../../backtest/history";
import { backtest } from "../../backtest/run";
import type { ReplaySlo } from "../../backtest/types";
import { serviceRuleGroups } from "../../components/prometheus/rules";
import { generatedTrace, promtoolValues, queryRangeDocument, ratioSeries } from "./trace";

const RESULTS = path.join(__dirname, "..", "RESULTS.md");
const settings = prometheusSettings(undefined);

function service(i: number) {
  const name = `svc-${String(i).padStart(3, "0")}`;
  const spec = serviceSchema.parse({
    apiVersion: "monitoring-stack/v1",
    name,
    team: "bench",
    runtime: { gke: { cluster: "prod-1", location: "europe-west1", namespace: "bench", workload: name } },
    slos: [{ name: "availability", objective: 99.5, window: "28d", indicator: { prometheus: { total: `http_requests_total{job="${name}"}`, bad: `http_requests_total{job="${name}",code=~"5.."}` } } }],
  });
  return serviceModel(spec, `services/${name}.yaml`, { burnTiers: undefined, routes: { page: ["pager"], ticket: ["tickets"], info: [] }, project: "bench", prometheus: settings });
}

function slos(n: number): ReplaySlo[] {
  return Array.from({ length: n }, (_, i) => {
    const model = service(i);
    return replaySlo(model, model.slos[0]!, { prometheus: settings, channels: {}, project: "bench" });
  });
}

/** The replay alone, in this process: read the files, replay every SLO. Prints JSON. */
function measureReplay(files: string[], n: number, days: number): void {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const history = readHistory(files);
  const read = Number(process.hrtime.bigint() - started) / 1e9;
  const result = backtest(slos(n), history, { days });
  const total = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    JSON.stringify({ read, total, cpu: (used.user + used.system) / 1e6, rss: process.resourceUsage().maxRSS / 1024, slos: result.slos.length, episodes: result.slos.reduce((s, x) => s + x.episodes.length, 0) }),
  );
}

function main(): void {
  const { values } = parseArgs({
    options: { slos: { type: "string", default: "100" }, days: { type: "string", default: "28" }, "promtool-slos": { type: "string", default: "2" }, "promtool-days": { type: "string", default: "2" }, write: { type: "boolean", default: false }, replay: { type: "string" } },
    strict: true,
  });
  const n = Number(values.slos);
  const days = Number(values.days);
  if (values.replay !== undefined) return measureReplay(readFileSync(values.replay, "utf8").trim().split("\n"), n, days);

  const dir = mkdtempSync(path.join(tmpdir(), "backtest-speed-"));
  try {
    const trace = generatedTrace({ days, warmUpDays: 3, budget: 0.005 });
    const files: string[] = [];
    for (let i = 0; i < n; i++) {
      const file = path.join(dir, `svc-${i}.json`);
      writeFileSync(file, queryRangeDocument(ratioSeries(trace, `svc-${String(i).padStart(3, "0")}`, 1), Date.parse("2026-11-01T00:00:00Z")));
      files.push(file);
    }
    writeFileSync(path.join(dir, "files.txt"), files.join("\n"));
    const loadBefore = loadavg()[0]!;
    const ran = spawnSync(process.execPath, ["--import", "tsx", __filename, "--replay", path.join(dir, "files.txt"), "--slos", String(n), "--days", String(days)], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (ran.status !== 0) throw new Error(`replay failed: ${ran.stderr}`);
    const replay = JSON.parse(ran.stdout) as { read: number; total: number; cpu: number; rss: number; slos: number; episodes: number };

    // promtool on the same samples and rules, for fewer SLOs and days.
    const pn = Number(values["promtool-slos"]);
    const pdays = Number(values["promtool-days"]);
    const short = generatedTrace({ days: pdays, warmUpDays: 0, budget: 0.005 });
    const groups = Array.from({ length: pn }, (_, i) => serviceRuleGroups(service(i), { settings }).filter((g) => !g.name.endsWith("-budget")).map((g) => ({ ...g, rules: g.rules.map(({ annotations: _, ...r }) => r) }))).flat();
    writeFileSync(path.join(dir, "rules.yaml"), stringify({ groups }, { lineWidth: 0 }));
    const series = Array.from({ length: pn }, (_, i) => ratioSeries(short, `svc-${String(i).padStart(3, "0")}`, 1)).flat();
    writeFileSync(
      path.join(dir, "tests.yaml"),
      stringify({ rule_files: ["rules.yaml"], evaluation_interval: "30s", tests: [{ interval: "1m", input_series: series.map((s) => ({ series: s.series, values: promtoolValues(s.values) })), alert_rule_test: [{ eval_time: `${pdays * 1440}m`, alertname: "SLOErrorBudgetBurn", exp_alerts: [] }] }] }, { lineWidth: 0 }),
    );
    // bash's `time` reports promtool's own CPU time (user + system) beside its wall time.
    const timed = spawnSync("bash", ["-c", "TIMEFORMAT='%R %U %S'; time (promtool test rules tests.yaml > out.txt 2>&1; echo $? > status.txt)"], { cwd: dir, encoding: "utf8" });
    const status = readFileSync(path.join(dir, "status.txt"), "utf8").trim();
    if (status !== "0" && status !== "1") throw new Error(`promtool failed (exit ${status}): ${readFileSync(path.join(dir, "out.txt"), "utf8").slice(0, 2000)}`);
    const [promtoolSeconds, user, system] = timed.stderr.trim().split(/\s+/).slice(-3).map(Number) as [number, number, number];
    const promtoolCpu = user + system;
    const factor = (n * days) / (pn * pdays);
    const loadAfter = loadavg()[0]!;

    const table = [
      `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after); \`npx tsx bench/backtest/speed.ts --slos ${n} --days ${days} --promtool-slos ${pn} --promtool-days ${pdays}\`.`,
      "",
      "| Work | Wall (s) | CPU (s) | Peak RSS (MB) |",
      "|---|---:|---:|---:|",
      `| backtest, ${n} SLOs × ${days} d (+3 d warm-up), 1-minute raw series, 30 s evaluations: reading the files | ${replay.read.toFixed(1)} | | |`,
      `| backtest, the same: reading and replaying (${replay.episodes} episodes) | ${replay.total.toFixed(1)} | ${replay.cpu.toFixed(1)} | ${Math.round(replay.rss)} |`,
      `| promtool test rules, the plan's rule file, ${pn} SLO${pn === 1 ? "" : "s"} × ${pdays} d of the same samples, 30 s evaluations | ${promtoolSeconds.toFixed(1)} | ${promtoolCpu.toFixed(1)} | |`,
      `| promtool, scaled to ${n} SLOs × ${days} d (× ${factor.toFixed(0)}, not run) | ${Math.round(promtoolSeconds * factor)} | ${Math.round(promtoolCpu * factor)} | |`,
    ].join("\n");
    process.stdout.write(`${table}\n`);
    if (values.write) {
      const text = readFileSync(RESULTS, "utf8");
      const begin = "<!-- backtest:begin (written by npx tsx bench/backtest/speed.ts --write) -->";
      const end = "<!-- backtest:end -->";
      const at = text.indexOf(begin);
      const next = at < 0 ? text : `${text.slice(0, at)}${begin}\n${table}\n${end}${text.slice(text.indexOf(end) + end.length)}`;
      writeFileSync(RESULTS, next);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
