/**
 * One thing the pre-launch check found. `blocking` ones make launch refuse (`campaign_check_failed`):
 * sending would fail or pause the campaign at once. `warning` ones are sent as configured but the user
 * should know (skips, waits, a sender paused by the guard).
 */
export interface CheckFinding {
  code: string;
  severity: 'blocking' | 'warning';
  message: string;
  /** The step (0-based) it is about, if one. */
  step?: number;
  /** The sender it is about (`channel:<id>` or `email_account:<id>`), if one. */
  sender?: string;
  /** How many messages it concerns, when counted. */
  count?: number;
}

export const blocking = (code: string, message: string, extra: Partial<CheckFinding> = {}): CheckFinding => ({
  code,
  severity: 'blocking',
  message,
  ...extra,
});

export const warning = (code: string, message: string, extra: Partial<CheckFinding> = {}): CheckFinding => ({
  code,
  severity: 'warning',
  message,
  ...extra,
});
