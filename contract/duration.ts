/**
 * Durations as users write them in declarations: an integer and a unit
 * (`500ms`, `60s`, `5m`, `1h`, `30d`). Everything inside the library works in
 * whole milliseconds so comparisons and arithmetic stay exact.
 */

const UNITS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export type DurationUnit = keyof typeof UNITS;

export const DURATION_PATTERN = /^([0-9]+)(ms|s|m|h|d)$/;

/** Parses `"60s"` to 60000; returns undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNITS[match[2] as DurationUnit];
}

export const MINUTE_MS = UNITS.m;
export const HOUR_MS = UNITS.h;
export const DAY_MS = UNITS.d;

/** Formats milliseconds compactly and exactly: 3600000 → "1h", 20160000 → "5h36m", 241920000 → "2d19h12m". */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = ms;
  let text = "";
  for (const unit of ["d", "h", "m", "s", "ms"] as const) {
    const count = Math.floor(rest / UNITS[unit]);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * UNITS[unit];
    }
  }
  return text;
}

/** Cloud Monitoring API durations are seconds with an `s` suffix: 3600000 → "3600s". */
export function toGcpDuration(ms: number): string {
  return `${Math.round(ms / 1_000)}s`;
}

/** A human reading of a span for summaries: 0.86 min, 50.4 h, 2.1 d. */
export function humanizeMinutes(minutes: number): string {
  if (minutes < 120) return `${round(minutes, 2)} min`;
  if (minutes < 72 * 60) return `${round(minutes / 60, 1)} h`;
  return `${round(minutes / 1440, 1)} d`;
}

/** Rounds to at most `digits` decimals and drops trailing zeros. */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
