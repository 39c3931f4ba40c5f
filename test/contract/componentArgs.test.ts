/**
 * Contract v1 is written once: the zod schema (contract/serviceSchema.ts) is
 * the source, and the component arguments (components/declarationArgs.ts, the
 * TypeScript interfaces Pulumi's analyzer reads for MonitoredService's package
 * schema) must say the same thing about every field path: that it exists, its
 * type, whether it is optional, its default and its description.
 *
 * A description is written in the contract (`.meta({ description })`) as
 * `<meaning> [Required. | Default: <default>.]`. The Args doc comment is that
 * text, with one derived difference: a field that takes another resource's
 * output (`pulumi.Input<…>`) says "May be another resource's output." before
 * the closing `Required.` or `Default:` sentence. The analyzer publishes the
 * comment text only, not JSDoc tags, so a default is a `Default:` sentence,
 * never an `@default` tag.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { serviceSchema } from "../../contract/serviceSchema";
import { REPOSITORY_ROOT } from "../../catalog/paths";
import { ARGS_ROOT, INPUT_SENTENCE, argsFields, compareFields, contractFields, contractProblems, declarations } from "../support/contractFields";

const ARGS_FILE = path.join(REPOSITORY_ROOT, "components", "declarationArgs.ts");
const COMPONENT_FILE = path.join(REPOSITORY_ROOT, "components", "MonitoredService.ts");
const COMPONENT_ARGS = "MonitoredServiceArgs";

describe("contract v1 and MonitoredService's arguments", () => {
  const contract = contractFields(serviceSchema);
  const argsText = readFileSync(ARGS_FILE, "utf8");
  const args = argsFields(argsText);

  it("walks every field of both", () => {
    // Enough paths that a walker that stops early shows; each side's count is checked against the other below.
    expect(contract.length).toBeGreaterThan(100);
    expect(contract.filter((field) => field.path.includes("[]")).length).toBeGreaterThan(40);
    expect(args.map((field) => field.path)).toContain("slos[].indicator.prometheus.boolGauge");
    expect(args.find((field) => field.path === "runtime.gke.selector")?.type).toBe("record<string>");
  });

  it("describes every contract field, Required. exactly when it is required", () => {
    expect(contractProblems(contract)).toEqual([]);
  });

  it("has every contract field in the Args, and no other, with the same optionality, type, default and description", () => {
    expect(compareFields(contract, args)).toEqual([]);
  });

  it("keeps the component's own options apart from the declaration's fields", () => {
    const source = ts.createSourceFile("MonitoredService.ts", readFileSync(COMPONENT_FILE, "utf8"), ts.ScriptTarget.ES2022, true);
    const component = declarations(source).interfaces.get(COMPONENT_ARGS)!;
    expect(component.heritageClauses?.flatMap((clause) => clause.types.map((base) => base.expression.getText(source)))).toEqual([ARGS_ROOT]);
    const options = component.members.map((member) => member.name!.getText(source));
    expect(options.length).toBeGreaterThan(0);
    expect(options.filter((option) => contract.some((field) => field.path === option))).toEqual([]);
  });

  describe("notices", () => {
    const breached = (from: string, to: string) => {
      expect(argsText).toContain(from);
      return compareFields(contract, argsFields(argsText.replace(from, to)));
    };

    it("a field only in the Args", () => {
      expect(breached("  folder?: string;\n", "  folder?: string;\n  /** Dashboard title. Default: the service. */\n  title?: string;\n")).toEqual([
        "dashboard.title: in the component Args, not in the contract",
      ]);
    });

    it("a field only in the contract", () => {
      expect(breached("  /** Grafana folder of the dashboard (a DNS label). Default: the team. */\n  folder?: string;\n", "")).toEqual([
        "dashboard.folder: in the contract, missing from the component Args",
      ]);
    });

    it("a description, a default, optionality or an Input sentence changed on one side", () => {
      expect(breached("Request timeout in whole seconds", "Request timeout")).toEqual([
        "endpoints[].timeout: description differs\n  contract:       Request timeout in whole seconds, 1s to 60s.\n  component Args: Request timeout, 1s to 60s.",
      ]);
      expect(breached("1s to 60s. Default: 10s.", "1s to 60s. Default: 30s.")).toEqual(['endpoints[].timeout: default "30s" in the component Args, "10s" in the contract']);
      expect(breached("  runbook?: string;", "  runbook: string;")).toEqual(["runbook: required in the component Args, optional in the contract"]);
      expect(breached("  endpoint: string;", "  endpoint: pulumi.Input<string>;")).toEqual([
        `slos[].indicator.uptime.endpoint: takes another resource's output, but its doc comment does not say "${INPUT_SENTENCE}"`,
      ]);
    });

    it("a type or an enum's values changed on one side", () => {
      expect(breached("  cpuTarget?: number;", "  cpuTarget?: string;")).toEqual(["scaling.cpuTarget: type string in the component Args, number in the contract"]);
      expect(breached('  Low: "low",', '  Low: "lowest",')).toEqual(["tier: type enum(critical|standard|lowest) in the component Args, enum(critical|standard|low) in the contract"]);
    });

    it("a default written as a JSDoc tag, which the package schema drops", () => {
      expect(breached("/** CPU utilisation target in percent. Default: 70. */", "/**\n   * CPU utilisation target in percent.\n   * @default 70\n   */")).toEqual([
        'scaling.cpuTarget: JSDoc tags @default in the component Args; the package schema drops tags, write "Default: …" in the comment',
        'scaling.cpuTarget: default none stated in the component Args, "70" in the contract',
      ]);
    });

    it("a contract field the component takes another way made an argument", () => {
      expect(breached("export interface ServiceDeclarationArgs {\n", "export interface ServiceDeclarationArgs {\n  /** The service's name: a DNS label, unique in the catalog. Required. */\n  name: string;\n")).toEqual([
        "name: a component argument, but the component takes it another way (the resource name is the service name)",
      ]);
    });

    it("a contract field without a description, or whose Required. contradicts it", () => {
      const schema = z.strictObject({
        a: z.string(),
        b: z.string().meta({ description: "B." }),
        c: z.string().meta({ description: "C. Required." }).optional(),
        d: z.number().meta({ description: "D. Default: 2." }).default(3),
      });
      expect(contractProblems(contractFields(schema))).toEqual([
        "a: no description in the contract",
        'b: required in the contract, but its description does not end "Required."',
        'c: optional in the contract, but its description ends "Required."',
        "d: the contract's description says Default: 2, its zod default is 3",
      ]);
    });
  });
});
