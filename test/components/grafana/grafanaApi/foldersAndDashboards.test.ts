/**
 * Grafana folders (`grafana:oss/folder:Folder`) and dashboards
 * (`grafana:oss/dashboard:Dashboard`), in every plan that has them, against
 * grafana/grafana pkg/services/dashboards/service/dashboard_service.go (uid
 * rule, the folder must exist, refresh no shorter than min_refresh_interval),
 * pkg/services/folder (empty title refused) and terraform-provider-grafana
 * internal/resources/grafana/resource_{folder,dashboard}.go.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PLAN_TIMEOUT_MS, TYPE, breaches, grafanaPlans, inputs, ofType, type Planned } from "./plans";
import { promDurationMs, uidProblems } from "./rules";
import type { ContractPlan } from "../../gcp/googleApi/plans";

let plans: ContractPlan[];
let folders: Planned[];
let dashboards: Planned[];

interface Dashboard {
  uid?: string;
  title?: string;
  id?: unknown;
  version?: unknown;
  refresh?: string;
  panels?: { datasource?: { uid?: string }; targets?: { datasource?: { uid?: string } }[]; panels?: unknown[] }[];
}
const model = (p: Planned) => JSON.parse(inputs(p)["configJson"]) as Dashboard;

/** Data source uids Grafana resolves itself: mixed panels, the dashboard data source and expressions. */
const BUILT_IN = ["-- Mixed --", "-- Dashboard --", "-- Grafana --", "grafana", "__expr__"];

beforeAll(async () => {
  plans = await grafanaPlans();
  folders = ofType(plans, TYPE.folder);
  dashboards = ofType(plans, TYPE.dashboard);
}, PLAN_TIMEOUT_MS);

describe("Grafana folders", () => {
  it("covers the folders of every plan with a Grafana (the walk works)", () => {
    expect([...new Set(folders.map((p) => p.plan.source))]).toEqual(expect.arrayContaining(["stack local", "stack dev", "example ftry", "example dried-fruits", "fixture grafana"]));
  });

  it("gives each folder a valid uid and a title, each once per Grafana", () => {
    // resource_folder.go folderUIDValidation; ValidateUID; "folder title cannot be empty" (ErrFolderTitleEmpty);
    // Grafana refuses a second folder of the same title under one parent ("a folder with that name already exists").
    expect(breaches(folders, (p) => [...uidProblems(inputs(p)["uid"]), ...(inputs(p)["title"] ? [] : ["no title"])])).toEqual([]);
    const duplicates = plans.flatMap((plan) => {
      const keys = ofType([plan], TYPE.folder).flatMap((f) => [`uid ${inputs(f)["uid"]}`, `title ${inputs(f)["title"]}`]);
      return keys.filter((k, i) => keys.indexOf(k) !== i).map((k) => `${plan.source}: ${k} twice`);
    });
    expect(duplicates).toEqual([]);
  });
});

describe("Grafana dashboards", () => {
  it("gives each dashboard a valid uid (once per Grafana), a title, no id or version, in a planned folder", () => {
    // dashboard_service.go: IsValidShortUID / IsShortUIDTooLong; "Validate folder": GetFolderByUID must find dash.FolderUID.
    // A title is required (dashboards.ErrDashboardTitleEmpty). An `id` or `version` in config_json makes the provider show a diff on every refresh.
    expect(
      breaches(dashboards, (p) => {
        const m = model(p);
        const planned = ofType([p.plan], TYPE.folder).map((f) => inputs(f)["uid"]);
        return [
          ...uidProblems(m.uid),
          ...(m.title ? [] : ["no title"]),
          ...(m.id !== undefined || m.version !== undefined ? ["id or version in config_json"] : []),
          ...(planned.includes(inputs(p)["folder"]) ? [] : [`folder ${inputs(p)["folder"]} is not planned`]),
        ];
      }),
    ).toEqual([]);
    const duplicates = plans.flatMap((plan) => {
      const uids = ofType([plan], TYPE.dashboard).map((d) => model(d).uid);
      return uids.filter((u, i) => uids.indexOf(u) !== i).map((u) => `${plan.source}: dashboard uid ${u} twice`);
    });
    expect(duplicates).toEqual([]);
  });

  it("refreshes no more often than every 5 s", () => {
    // dashboard_service.go validateDashboardRefreshInterval against min_refresh_interval (conf/defaults.ini: 5s).
    expect(breaches(dashboards, (p) => (model(p).refresh === undefined || (promDurationMs(model(p).refresh) ?? 0) >= 5_000 ? [] : [`refresh ${model(p).refresh}`]))).toEqual([]);
  });

  it("queries only the data sources the stack names", () => {
    // This stack's rule: a panel on a data source uid Grafana does not know shows an error; the stack names them in monitoring-stack:grafana.datasources.
    expect(
      breaches(dashboards, (p) => {
        const known = [...Object.values(p.plan.settings.datasources), ...BUILT_IN];
        const refs = (model(p).panels ?? []).flatMap((panel) => [panel.datasource?.uid, ...(panel.targets ?? []).map((t) => t.datasource?.uid)]).filter((uid): uid is string => uid !== undefined);
        return [...new Set(refs.filter((uid) => !known.includes(uid)))].map((uid) => `data source ${uid}`);
      }),
    ).toEqual([]);
  });
});
