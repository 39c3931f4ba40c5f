/**
 * Data-holding resources survive renames and deletions: log buckets, export
 * buckets and SLOs are retained when they leave the program, backup vaults
 * are protected, and renaming a service (or moving it in the catalog) answers
 * every earlier URN with an alias while the ids that force a replacement stay.
 */
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlannedResource } from "../../plan/mockRuntime";
import { plan } from "../plan/helpers";
import { OPS_SERVICES, OPS_STACK, opsPlan } from "../components/gcp/operationsFixture";

/** Types that hold data or history, and the inputs that would replace them (a new, empty resource). */
const DATA_HOLDING: Record<string, string[]> = {
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": ["bucketId", "location", "project"],
  "gcp:storage/bucket:Bucket": ["name", "location", "project"],
  "gcp:backupdisasterrecovery/backupVault:BackupVault": ["backupVaultId", "location", "project"],
  "gcp:monitoring/slo:Slo": ["sloId", "service", "project"],
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

let base: PlannedResource[];
beforeAll(async () => {
  base = (await opsPlan()).plan.resources;
});

describe("data-holding resources", () => {
  it("are all retained on delete or protected", () => {
    const holding = base.filter((r) => r.type in DATA_HOLDING);
    expect(new Set(holding.map((r) => r.type))).toEqual(new Set(Object.keys(DATA_HOLDING)));
    const exposed = holding.filter((r) => !r.retainOnDelete && !r.protect).map((r) => r.urn);
    expect(exposed).toEqual([]);
  });

  it("keep their ids and answer their earlier URNs when a service is renamed and its file moved", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ops-rename-"));
    dirs.push(dir);
    cpSync(OPS_SERVICES, dir, { recursive: true });
    const file = path.join(dir, "shop-api.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("name: shop-api\n", "name: storefront-api\nformerly: [shop-api]\n"));
    renameSync(file, path.join(dir, "zz-storefront-api.yaml"));
    const renamed = (await plan({ stack: "ops", configFile: OPS_STACK, servicesDir: dir })).plan.resources;
    expect(renamed.length).toBe(base.length);
    for (const before of base) {
      const after = renamed.find((r) => r.urn === before.urn || r.aliases?.includes(before.urn));
      expect(after, `nothing answers to ${before.urn}`).toBeDefined();
      for (const field of DATA_HOLDING[before.type] ?? []) expect(after!.inputs[field], `${before.urn}: ${field}`).toEqual(before.inputs[field]);
    }
    const bucket = renamed.find((r) => r.name === "storefront-api-logs-bucket")!;
    expect(bucket.inputs["bucketId"]).toBe("shop-api-logs");
    expect(renamed.find((r) => r.name === "storefront-api-backups-vault")!.inputs["backupVaultId"]).toBe("shop-api-shop-db-vault");
  });
});
