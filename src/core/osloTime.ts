import { DateTime } from 'luxon';

/** NTNU's time zone: schedules, event times, periods and exported dates follow Norwegian wall-clock time, summer time included. */
export const OSLO_ZONE = 'Europe/Oslo';

/** An instant as Norwegian wall-clock time. */
export function inOslo(at: Date | string): DateTime {
  const instant = typeof at === 'string' ? DateTime.fromISO(at, { setZone: false }) : DateTime.fromJSDate(at);
  if (!instant.isValid) throw new Error(`Not a point in time: ${String(at)}`);
  return instant.setZone(OSLO_ZONE);
}

/** The calendar date (yyyy-MM-dd) in Norway at an instant. */
export function osloDate(at: Date | string): string {
  return inOslo(at).toISODate() ?? '';
}
