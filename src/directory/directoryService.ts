import { PeriodicPass } from '../core/periodicPass';
import { DirectoryIndex } from './directoryIndex';
import type { DirectoryStore, DirectorySnapshot } from './directoryStore';

export interface DirectoryServiceLogger {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * Keeps the current directory in memory for fast answers and follows new
 * imports: every instance polls the store's version pointer, so an import made
 * by the command line or another instance is picked up without a restart.
 */
export class DirectoryService {
  private snapshot: DirectorySnapshot;
  private indexValue: DirectoryIndex;
  private readonly polls: PeriodicPass;
  private readonly listeners: Array<(index: DirectoryIndex) => void> = [];

  constructor(
    private readonly store: DirectoryStore,
    initial: DirectorySnapshot,
    private readonly logger: DirectoryServiceLogger,
  ) {
    this.snapshot = initial;
    this.indexValue = new DirectoryIndex(initial.directory);
    this.polls = new PeriodicPass(
      () => this.refresh(),
      (error) => this.logger.error({ err: error }, 'directory refresh failed'),
    );
  }

  get index(): DirectoryIndex {
    return this.indexValue;
  }

  get version(): string {
    return this.snapshot.version;
  }

  onChange(listener: (index: DirectoryIndex) => void): void {
    this.listeners.push(listener);
  }

  /** Loads a newer version if the pointer moved; true when it did. */
  async refresh(): Promise<boolean> {
    const version = await this.store.currentVersion();
    if (!version || version === this.snapshot.version) return false;
    const snapshot = await this.store.current();
    if (!snapshot) return false;
    this.snapshot = snapshot;
    this.indexValue = new DirectoryIndex(snapshot.directory);
    for (const listener of this.listeners) listener(this.indexValue);
    this.logger.info({ version: snapshot.version, source: snapshot.source }, 'directory updated');
    return true;
  }

  /** Refreshes now and then every interval; a refresh that fails is logged, and the next one runs as usual. */
  startPolling(intervalMs: number): void {
    this.polls.start(intervalMs);
  }

  /** Stops polling and waits for a refresh under way. */
  stopPolling(): Promise<void> {
    return this.polls.stop();
  }
}
