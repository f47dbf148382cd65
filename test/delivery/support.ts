export interface FakeClock {
  now: () => Date;
  /** `ms` after the current fake time. */
  at: (ms: number) => Date;
  advance: (ms: number) => void;
}

/** A clock that only moves when told, shared by store and worker so lease and retry times are exact. */
export function fakeClock(start = '2026-03-02T08:00:00.000Z'): FakeClock {
  let time = Date.parse(start);
  return {
    now: () => new Date(time),
    at: (ms) => new Date(time + ms),
    advance: (ms) => {
      time += ms;
    },
  };
}
