/** A warm-up ramp as the ledger applies it. */
export interface WarmupRamp {
  startPerDay: number;
  growthPercent: number;
  targetPerDay: number;
  startedAt: Date;
}

export interface WarmupToday {
  /** Whole days since the ramp started (0 on its first day). */
  day: number;
  /** The daily cap the ramp allows today. */
  capToday: number;
  /** The ramp reached its target: the cap stays at `targetPerDay`. */
  complete: boolean;
  /** When the cap first equals the target. */
  completesAt: Date;
}

const DAY_MS = 86_400_000;

/** The cap on ramp day `day`: `startPerDay` grown by `growthPercent` per day, whole messages, never past the target. */
export function capOnDay(ramp: Pick<WarmupRamp, 'startPerDay' | 'growthPercent' | 'targetPerDay'>, day: number): number {
  if (day <= 0) return ramp.startPerDay;
  const grown = ramp.startPerDay * Math.pow(1 + ramp.growthPercent / 100, day);
  return Math.min(ramp.targetPerDay, Math.floor(grown));
}

/** The first ramp day whose cap is the target (log, then checked against the floored caps). */
function targetDay(ramp: WarmupRamp): number {
  if (ramp.startPerDay >= ramp.targetPerDay) return 0;
  let day = Math.max(0, Math.floor(Math.log(ramp.targetPerDay / ramp.startPerDay) / Math.log(1 + ramp.growthPercent / 100)) - 1);
  while (capOnDay(ramp, day) < ramp.targetPerDay) day++;
  return day;
}

/**
 * Where a ramp stands at `now`. A day is 24 hours from `startedAt`, matching the quota ledger's rolling
 * 24-hour daily caps: today's cap holds the messages of the last 24 hours, so each day lets at most the
 * growth through on top of yesterday.
 */
export function warmupToday(ramp: WarmupRamp, now: Date): WarmupToday {
  const day = Math.max(0, Math.floor((now.getTime() - ramp.startedAt.getTime()) / DAY_MS));
  const last = targetDay(ramp);
  return {
    day,
    capToday: capOnDay(ramp, day),
    complete: day >= last,
    completesAt: new Date(ramp.startedAt.getTime() + last * DAY_MS),
  };
}
