/**
 * Compile-time checks of the TypeScript authoring types (run by `npm test`'s
 * type check): each `@ts-expect-error` line must be an error, or tsc fails.
 */
import { defineService } from "../../contract/define";

const base = { name: "typed", team: "t" } as const;

export const good = defineService({
  ...base,
  runtime: { cloudRun: { service: "typed", region: "europe-west1" } },
  slos: [{ name: "availability", objective: 99.9, indicator: { availability: {} } }],
});

export const twoRuntimes = defineService({
  ...base,
  // @ts-expect-error exactly one runtime
  runtime: { cloudRun: { service: "typed", region: "europe-west1" }, external: {} },
});

export const twoIndicators = defineService({
  ...base,
  runtime: { external: {} },
  // @ts-expect-error exactly one indicator
  slos: [{ name: "x", objective: 99, indicator: { availability: {}, uptime: { endpoint: "e" } } }],
});

export const unknownTier = defineService({
  ...base,
  // @ts-expect-error tier is critical | standard | low
  tier: "gold",
  runtime: { external: {} },
});

export const objectiveAsText = defineService({
  ...base,
  runtime: { external: {} },
  // @ts-expect-error objective is a number
  slos: [{ name: "x", objective: "99.9", indicator: { availability: {} } }],
});

export const unknownField = defineService({
  ...base,
  runtime: { external: {} },
  // @ts-expect-error unknown fields are refused
  owner: "someone",
});
