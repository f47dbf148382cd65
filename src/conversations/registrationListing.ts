import type { DirectoryIndex } from '../directory/directoryIndex';
import type { ChannelRegistration, ChannelRegistrationStore } from './channelRegistrations';
import { isCoordinator, processesManagedBy, type CoordinatorCandidate } from './coordinators';

export type RegistrationListing = { kind: 'listed'; registrations: ChannelRegistration[] } | { kind: 'refused' };

export interface RegistrationListingDependencies {
  store: Pick<ChannelRegistrationStore, 'list'>;
  /** COORDINATORS: e-mail addresses or user ids, lower-cased. */
  coordinators: ReadonlySet<string>;
  directory: () => DirectoryIndex;
}

/**
 * Who may see which channel registrations, for "vis kanaler" in chat and the
 * Forvaltning tab alike: those who may register channels. Coordinators see
 * every registration; a process manager those of the processes they manage;
 * anyone else none (the list names the teams' channels and who set them up).
 */
export class ChannelRegistrationListing {
  constructor(private readonly deps: RegistrationListingDependencies) {}

  async visibleTo(viewer: CoordinatorCandidate): Promise<RegistrationListing> {
    const index = this.deps.directory();
    if (isCoordinator(viewer, this.deps.coordinators, index)) return { kind: 'listed', registrations: await this.deps.store.list() };
    const managed = new Set(processesManagedBy(viewer, index));
    if (managed.size === 0) return { kind: 'refused' };
    return { kind: 'listed', registrations: (await this.deps.store.list()).filter((registration) => managed.has(registration.process)) };
  }
}
