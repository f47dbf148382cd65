import { describe, expect, it } from 'vitest';
import { RecentRows } from '../../src/storage/recentRows';

describe('RecentRows', () => {
  it('holds a row for its lifetime after it was last read or written, and no longer', () => {
    let now = 0;
    const rows = new RecentRows<string | null>(5_000, 100, () => now);
    rows.set('a', 'first');
    rows.set('none', null);
    now = 4_999;
    expect(rows.get('a')).toBe('first');
    // null is a row known to be absent, not an unknown one.
    expect(rows.get('none')).toBeNull();
    rows.set('a', 'second');
    now = 9_998;
    expect(rows.get('a')).toBe('second');
    expect(rows.get('none')).toBeUndefined();
    now = 9_999;
    expect(rows.get('a')).toBeUndefined();
  });

  it('drops the oldest row past its bound, and the rows a test picks', () => {
    const rows = new RecentRows<number>(60_000, 2);
    rows.set('u1/a', 1);
    rows.set('u2/a', 2);
    rows.set('u1/a', 3);
    rows.set('u1/b', 4);
    expect(rows.get('u2/a')).toBeUndefined();
    expect(rows.get('u1/a')).toBe(3);
    rows.deleteWhere((key) => key.startsWith('u1/'));
    expect(rows.get('u1/a')).toBeUndefined();
    expect(rows.get('u1/b')).toBeUndefined();
  });
});
