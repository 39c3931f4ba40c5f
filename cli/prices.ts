/** `--prices FILE` for npm run plan and npm run diff: negotiated rates in place of the list prices. */
import { readFileSync } from "node:fs";
import type { Problem } from "../contract/problems";
import { parsePriceOverrides, type PriceList } from "../model/prices";

/** Reads and checks a prices file; problems name the file and the price. */
export function readPricesFile(file: string): { prices?: PriceList; problems: Problem[] } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return { problems: [{ file, path: "(file)", message: `cannot read (got ${(error as NodeJS.ErrnoException).code ?? "an error"}, expected a JSON file of prices)` }] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [{ file, path: "(json)", message: `invalid JSON (${error instanceof Error ? error.message : String(error)}; expected an object of price names to numbers)` }] };
  }
  const parsed = parsePriceOverrides(value);
  return { ...(parsed.prices ? { prices: parsed.prices } : {}), problems: parsed.problems.map((p) => ({ file, ...p })) };
}
