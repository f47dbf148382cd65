/**
 * Rows this instance read or wrote a moment ago, kept so that a quick exchange
 * does not read the same row again. Per instance: another instance's writes
 * are not seen here, so a row is trusted only for `lifetimeMs` after this
 * instance last read or wrote it (each store says why its lifetime is safe).
 * Bounded: past `maxRows` the oldest row is dropped.
 */
export class RecentRows<T> {
  /** In insertion order, oldest first: a row read or written again moves to the end. */
  private readonly rows = new Map<string, { value: T; at: number }>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly maxRows = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The row as last read or written here, if that was less than the lifetime ago; `undefined` when not known. */
  get(key: string): T | undefined {
    const row = this.rows.get(key);
    if (!row) return undefined;
    if (this.clock() - row.at >= this.lifetimeMs) {
      this.rows.delete(key);
      return undefined;
    }
    return row.value;
  }

  /** Records what storage holds now (read, or just written). */
  set(key: string, value: T): void {
    this.rows.delete(key);
    this.rows.set(key, { value, at: this.clock() });
    if (this.rows.size > this.maxRows) {
      const oldest = this.rows.keys().next();
      if (!oldest.done) this.rows.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.rows.delete(key);
  }

  /** Drops every row whose key passes the test (a user's rows, when their data is deleted). */
  deleteWhere(test: (key: string) => boolean): void {
    for (const key of [...this.rows.keys()]) if (test(key)) this.rows.delete(key);
  }
}
