import type { DateTime } from 'luxon';
import { inOslo } from './osloTime';

/** Easter Sunday of a year in the Gregorian calendar (the anonymous Gregorian algorithm), as [month, day]. */
function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

const holidaysByYear = new Map<number, ReadonlySet<string>>();

/**
 * Norway's public holidays (helligdager and the two statutory flag days off) of a year, as yyyy-MM-dd: New Year's Day,
 * Maundy Thursday, Good Friday, Easter Sunday and Monday, 1 and 17 May, Ascension Day, Whit Sunday and Monday, and
 * Christmas Day and Boxing Day.
 */
export function norwegianPublicHolidays(year: number): ReadonlySet<string> {
  const known = holidaysByYear.get(year);
  if (known) return known;
  const [month, day] = easterSunday(year);
  const easter = inOslo(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T12:00:00+02:00`).startOf('day');
  const fromEaster = [-3, -2, 0, 1, 39, 49, 50].map((offset) => easter.plus({ days: offset }).toISODate() ?? '');
  const holidays = new Set([`${year}-01-01`, `${year}-05-01`, `${year}-05-17`, `${year}-12-25`, `${year}-12-26`, ...fromEaster]);
  holidaysByYear.set(year, holidays);
  return holidays;
}

/** Monday to Friday and not a public holiday, in Norway. */
export function isNorwegianWorkingDay(day: DateTime): boolean {
  return day.weekday <= 5 && !norwegianPublicHolidays(day.year).has(day.toISODate() ?? '');
}

/**
 * The moment `count` Norwegian working days after `start`: the same wall-clock time in Norway on the `count`-th working
 * day after the day it started. Something asked on a Friday afternoon has waited three working days on Wednesday afternoon,
 * and Easter or Christmas in between does not count.
 */
export function addNorwegianWorkingDays(start: Date | string, count: number): Date {
  let day = inOslo(start);
  for (let counted = 0; counted < count;) {
    day = day.plus({ days: 1 });
    if (isNorwegianWorkingDay(day)) counted += 1;
  }
  return day.toJSDate();
}

/** How many whole Norwegian working days have passed from `start` to `end` (as `addNorwegianWorkingDays` counts them). */
export function norwegianWorkingDaysBetween(start: Date | string, end: Date | string): number {
  const until = inOslo(end);
  let day = inOslo(start);
  let counted = 0;
  for (;;) {
    day = day.plus({ days: 1 });
    if (day > until) return counted;
    if (isNorwegianWorkingDay(day)) counted += 1;
  }
}
