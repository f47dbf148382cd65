import { describe, expect, it } from 'vitest';
import { PeriodicPass } from '../../src/core/periodicPass';

describe('PeriodicPass', () => {
  it('runs at once and then on the interval, reports a failed pass and keeps going, and stops', async () => {
    let passes = 0;
    const errors: unknown[] = [];
    const periodic = new PeriodicPass(
      async () => {
        passes++;
        if (passes === 1) throw new Error('storage down');
      },
      (error) => errors.push(error),
    );
    periodic.start(20);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await periodic.stop();
    const afterStop = passes;
    expect(afterStop).toBeGreaterThanOrEqual(2);
    expect(errors).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(passes).toBe(afterStop);
  });
});
