import { describe, expect, it } from 'vitest';
import { addNorwegianWorkingDays, norwegianPublicHolidays, norwegianWorkingDaysBetween } from '../../src/core/workingDays';

describe('Norwegian working days', () => {
  it('knows the public holidays, the moving ones from Easter', () => {
    expect([...norwegianPublicHolidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-04-02',
      '2026-04-03',
      '2026-04-05',
      '2026-04-06',
      '2026-05-01',
      '2026-05-14',
      '2026-05-17',
      '2026-05-24',
      '2026-05-25',
      '2026-12-25',
      '2026-12-26',
    ]);
    // Easter 2027 is 28 March: Maundy Thursday falls in March.
    expect(norwegianPublicHolidays(2027).has('2027-03-25')).toBe(true);
    expect(norwegianPublicHolidays(2027).has('2027-03-29')).toBe(true);
  });

  it('adds working days at the same Norwegian clock time, skipping weekends and holidays', () => {
    // Friday 14:00 in Oslo (CET): Monday, Tuesday, Wednesday.
    expect(addNorwegianWorkingDays('2026-03-20T13:00:00Z', 3).toISOString()).toBe('2026-03-25T13:00:00.000Z');
    // Tuesday before Easter: Wednesday, then Thursday to Monday are holidays or the weekend; Tuesday, Wednesday (summer time by then).
    expect(addNorwegianWorkingDays('2026-03-31T08:00:00Z', 3).toISOString()).toBe('2026-04-08T08:00:00.000Z');
    // Asked on a Saturday: the count starts on Monday.
    expect(addNorwegianWorkingDays('2026-03-21T09:00:00Z', 1).toISOString()).toBe('2026-03-23T09:00:00.000Z');
    // Christmas Eve is a working day; Christmas Day is not.
    expect(addNorwegianWorkingDays('2026-12-23T09:00:00Z', 3).toISOString()).toBe('2026-12-29T09:00:00.000Z');
  });

  it('counts the whole working days between two moments', () => {
    expect(norwegianWorkingDaysBetween('2026-03-31T08:00:00Z', '2026-04-08T07:59:00Z')).toBe(2);
    expect(norwegianWorkingDaysBetween('2026-03-31T08:00:00Z', '2026-04-08T08:00:00Z')).toBe(3);
    expect(norwegianWorkingDaysBetween('2026-03-20T13:00:00Z', '2026-03-20T15:00:00Z')).toBe(0);
  });
});
