import { channelOf } from '../conversations/conversationIds';
import type { ConversationReferenceValue } from '../conversations/conversationReference';
import type { ChannelRegistrationStore } from '../conversations/channelRegistrations';
import { isCoordinator, processesManagedBy } from '../conversations/coordinators';
import { ChannelRegistrationListing, type RegistrationListing } from '../conversations/registrationListing';
import type { Actor } from '../core/actor';
import type { Invalid, Refused } from '../core/outcome';
import type { DirectoryIndex } from '../directory/directoryIndex';
import type { Process } from '../directory/model';

export interface ChannelRegistrationServiceDependencies {
  store: ChannelRegistrationStore;
  directory: () => DirectoryIndex;
  /** COORDINATORS: e-mail addresses or user ids, lower-cased. */
  coordinators: ReadonlySet<string>;
  clock?: () => Date;
}

/** Which process's suggestions, at which unit (null: the whole process), as the actor named them. */
export interface RegistrationTarget {
  process: string | null;
  unit: string | null;
}

/** The channel the actor asked from, as Teams told it; null when not asked from a channel. */
export interface AskingChannel {
  /** The conversation id (a thread in the channel, or the channel itself). */
  conversationId: string;
  /** Where the bot posts in the channel. */
  reference: ConversationReferenceValue;
  /** "Team › Channel", when Teams named them. */
  name: string | null;
}

type RegistrationRefusal = Invalid<'process', 'missing' | 'unknown'> | Refused<'not-allowed'>;

export type RegisterOutcome =
  | {
      kind: 'registered';
      process: Process;
      /** null where advisors do not sit at units: the whole process. */
      unit: string | null;
      /** A local process's channel without a unit: the process managers' own, where forwarded suggestions go. */
      forProcessManagers: boolean;
    }
  | RegistrationRefusal
  | Refused<'not-in-channel'>;

export type UnregisterOutcome = { kind: 'unregistered'; process: Process; unit: string | null; /** false: none was registered. */ removed: boolean } | RegistrationRefusal;

/**
 * Which channel receives the routed suggestions of a process, at a unit or
 * for the whole process: who may see, register and remove them
 * (coordinators; process managers for their own processes), and the unit rule
 * (units matter only where advisors sit at units).
 */
export class ChannelRegistrationService {
  private readonly listing: ChannelRegistrationListing;
  private readonly now: () => Date;

  constructor(private readonly deps: ChannelRegistrationServiceDependencies) {
    this.listing = new ChannelRegistrationListing(deps);
    this.now = deps.clock ?? (() => new Date());
  }

  /** "vis kanaler" and the Forvaltning tab: every registration for coordinators, their processes' for process managers. */
  visibleTo(actor: Pick<Actor, 'id' | 'email'>): Promise<RegistrationListing> {
    return this.listing.visibleTo(actor);
  }

  /** "registrer kanal for Btb IIK": the channel asked from receives the process's suggestions (at the unit). */
  async register(actor: Actor, target: RegistrationTarget, channel: AskingChannel | null): Promise<RegisterOutcome> {
    const allowed = this.allowed(actor, target);
    if (allowed.kind !== 'allowed') return allowed;
    const { process, unit } = allowed;
    if (!channel) return { kind: 'refused', code: 'not-in-channel' };
    await this.deps.store.save({
      process: process.code,
      unit,
      conversationId: channelOf(channel.conversationId),
      reference: channel.reference,
      channelName: channel.name,
      registeredBy: actor.email ?? actor.id,
      registeredAt: this.now().toISOString(),
    });
    return { kind: 'registered', process, unit, forProcessManagers: process.advisorModel === 'local' && !unit };
  }

  /** "fjern kanal for Btb IIK": from anywhere, by whoever may register it. */
  async unregister(actor: Actor, target: RegistrationTarget): Promise<UnregisterOutcome> {
    const allowed = this.allowed(actor, target);
    if (allowed.kind !== 'allowed') return allowed;
    const { process, unit } = allowed;
    return { kind: 'unregistered', process, unit, removed: await this.deps.store.remove(process.code, unit) };
  }

  /** The process named, whether the actor may register its channels, and the unit that counts for it. */
  private allowed(actor: Actor, target: RegistrationTarget): { kind: 'allowed'; process: Process; unit: string | null } | RegistrationRefusal {
    if (!target.process) return { kind: 'invalid', problems: [{ field: 'process', code: 'missing' }] };
    const index = this.deps.directory();
    const process = index.process(target.process);
    if (!process) return { kind: 'invalid', problems: [{ field: 'process', code: 'unknown' }] };
    const mayRegister = isCoordinator(actor, this.deps.coordinators, index) || processesManagedBy(actor, index).includes(process.code);
    if (!mayRegister) return { kind: 'refused', code: 'not-allowed' };
    // Units matter only where advisors sit at units; the other processes have one channel each.
    return { kind: 'allowed', process, unit: process.advisorModel === 'local' ? target.unit : null };
  }
}
