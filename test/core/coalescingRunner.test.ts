import { describe, expect, it } from 'vitest';
import { CoalescingRunner } from '../../src/core/coalescingRunner';
import { waitFor } from '../support/teamsUsers';

describe('coalescing the updates of a card', () => {
  it('folds requests into one run per interval, and runs once more after a request made while running', async () => {
    const errors: string[] = [];
    const runner = new CoalescingRunner(10, (key) => errors.push(key));
    let runs = 0;
    let release: () => void = () => undefined;
    const task = async () => {
      runs++;
      if (runs === 1) await new Promise<void>((resolve) => (release = resolve));
    };
    for (let n = 0; n < 5; n++) runner.request('KU-2026-0001', task);
    await waitFor(() => runs === 1, 2000, 'the first run');
    runner.request('KU-2026-0001', task);
    runner.request('KU-2026-0001', task);
    release();
    await waitFor(() => runs === 2, 2000, 'the run after it');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).toBe(2);
    expect(errors).toEqual([]);
    await runner.stop();
  });

  it('reports a failed run and keeps serving the key; after stop it runs nothing', async () => {
    const errors: string[] = [];
    const runner = new CoalescingRunner(5, (key, error) => errors.push(`${key}: ${(error as Error).message}`));
    runner.request('a', async () => {
      throw new Error('connector down');
    });
    await waitFor(() => errors.length === 1, 2000, 'the error');
    let ran = false;
    runner.request('a', async () => void (ran = true));
    await waitFor(() => ran, 2000, 'the next run');
    await runner.stop();
    ran = false;
    runner.request('a', async () => void (ran = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ran).toBe(false);
    expect(errors).toEqual(['a: connector down']);
  });
});
