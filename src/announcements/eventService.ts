import type { Actor } from '../core/actor';
import type { Invalid, Refused } from '../core/outcome';
import type { DirectoryIndex } from '../directory/directoryIndex';
import type { ReplyLanguage } from '../language/detectLanguage';
import { searchPastEvents, type EventCatalog, type FoundEvent } from './archive';
import type { Announcement, EventKind, Material, ProcessRole } from './model';
import type { Reminder, ReminderChoice, ReminderService } from './reminders';
import type { SubscriptionStore } from './subscriptionStore';
import { addRoles, applySettings, subscribe, unsubscribe, unsubscribeAll, type EventFilter, type Subscriptions, type Topic } from './subscriptions';
import { MAX_UPCOMING, upcomingEvents } from './upcoming';

export interface EventServiceDependencies {
  subscriptions: Pick<SubscriptionStore, 'get' | 'update'>;
  catalog: Pick<EventCatalog, 'get' | 'list' | 'addMaterial'>;
  reminders: Pick<ReminderService, 'request'>;
  directory: () => DirectoryIndex;
  /** Who may add recordings, slides and other material to events. */
  isCoordinator: (actor: Actor) => boolean;
  clock?: () => Date;
}

/** What the settings form (the chat's card, the "Mine saker" tab) says: the whole state at once. */
export interface EventSettings {
  roles: readonly ProcessRole[];
  /** The keys (topicKey) of the followed topics left ticked. */
  keepTopics: readonly string[];
  addKinds: readonly EventKind[];
  addProcesses: readonly string[];
}

export type SaveSettingsResult =
  | { kind: 'saved'; subscriptions: Subscriptions }
  /** Nothing was changed: `subscriptions` are the user's as they were. */
  | Refused<'too-many', { subscriptions: Subscriptions }>
  | Invalid<'addProcesses', 'unknown-process'>;

export type SubscribeOutcome = { kind: 'subscribed'; added: Topic[] } | Refused<'too-many'>;

export interface UnsubscribeOutcome {
  kind: 'unsubscribed';
  /** Whether the user followed anything or held any role before. */
  hadAny: boolean;
  removedTopics: Topic[];
  removedRoles: ProcessRole[];
}

/** Whether an event can still be reminded of, and why not. */
export type ReminderRefusal = Refused<'not-found'> | Refused<'cancelled' | 'started', { event: Announcement }>;

export type ReminderOffer = { kind: 'offered'; event: Announcement } | ReminderRefusal;

export type ReminderOutcome = { kind: 'scheduled'; reminder: Reminder; event: Announcement; /** The due time had passed: it goes out now. */ now: boolean } | ReminderRefusal;

export interface MaterialRequest {
  id: string | null;
  material: Material['kind'];
  url: string | null;
  title: string | null;
}

export type AddMaterialOutcome =
  { kind: 'added'; event: Announcement } | Refused<'not-coordinator'> | Refused<'not-found' | 'already-there', { id: string }> | Invalid<'id' | 'url', 'missing' | 'invalid-url'>;

/**
 * The use cases of events for whoever asks, in chat or in a tab: process
 * roles and subscriptions, the settings form, upcoming and past events,
 * reminders, and (for coordinators) materials after the event.
 */
export class EventService {
  private readonly now: () => Date;

  constructor(private readonly deps: EventServiceDependencies) {
    this.now = deps.clock ?? (() => new Date());
  }

  /** "jeg er prosjektøkonom": the roles not held before are the ones added. */
  async stateRoles(actor: Actor, roles: readonly ProcessRole[]): Promise<{ kind: 'stated'; added: ProcessRole[] }> {
    // The change may run again if another write came first, so its outcome is kept from the run that was saved.
    let added: ProcessRole[] = [];
    await this.deps.subscriptions.update(actor.id, (current) => {
      const result = addRoles(current, roles, this.now());
      added = result.added;
      return result.subscriptions;
    });
    return { kind: 'stated', added };
  }

  /** "jeg er ikke prosjektøkonom lenger". */
  async dropRoles(actor: Actor, roles: readonly ProcessRole[]): Promise<{ kind: 'dropped'; removed: ProcessRole[] }> {
    let removed: ProcessRole[] = [];
    await this.deps.subscriptions.update(actor.id, (current) => {
      const result = unsubscribe(current, { kinds: [], processes: [], roles: [...roles] }, this.now());
      removed = result.removedRoles;
      return result.subscriptions;
    });
    return { kind: 'dropped', removed };
  }

  async subscribe(actor: Actor, filter: EventFilter): Promise<SubscribeOutcome> {
    let outcome: SubscribeOutcome = { kind: 'subscribed', added: [] };
    await this.deps.subscriptions.update(actor.id, (current) => {
      const result = subscribe(current, filter, this.now());
      outcome = result.kind === 'too-many' ? { kind: 'refused', code: 'too-many' } : { kind: 'subscribed', added: result.added };
      return result.subscriptions;
    });
    return outcome;
  }

  /** Ends the topics (and, named alone, the roles) a filter covers; with no filter, everything. */
  async unsubscribe(actor: Actor, filter: EventFilter | null): Promise<UnsubscribeOutcome> {
    let outcome: UnsubscribeOutcome = { kind: 'unsubscribed', hadAny: false, removedTopics: [], removedRoles: [] };
    await this.deps.subscriptions.update(actor.id, (current) => {
      const hadAny = current.roles.length + current.topics.length > 0;
      if (!filter) {
        outcome = { kind: 'unsubscribed', hadAny, removedTopics: current.topics, removedRoles: current.roles };
        return hadAny ? unsubscribeAll(current, this.now()) : current;
      }
      const result = unsubscribe(current, filter, this.now());
      outcome = { kind: 'unsubscribed', hadAny, removedTopics: result.removedTopics, removedRoles: result.removedRoles };
      return result.subscriptions;
    });
    return outcome;
  }

  subscriptionsOf(actor: Actor): Promise<Subscriptions> {
    return this.deps.subscriptions.get(actor.id);
  }

  /** The settings form saved: roles and kept topics as ticked, and the chosen kinds and processes added. */
  async saveSettings(actor: Actor, settings: EventSettings): Promise<SaveSettingsResult> {
    const index = this.deps.directory();
    if (settings.addProcesses.some((code) => !index.process(code))) return { kind: 'invalid', problems: [{ field: 'addProcesses', code: 'unknown-process' }] };
    const add: EventFilter = { kinds: [...settings.addKinds], processes: [...settings.addProcesses], roles: [] };
    let tooMany = false;
    const saved = await this.deps.subscriptions.update(actor.id, (current) => {
      const result = applySettings(current, { roles: settings.roles, keepTopics: settings.keepTopics, add }, this.now());
      tooMany = result.kind === 'too-many';
      return result.subscriptions;
    });
    return tooMany ? { kind: 'refused', code: 'too-many', subscriptions: saved } : { kind: 'saved', subscriptions: saved };
  }

  /** Upcoming events a filter names, soonest first: the next one only, or a page of them and how many more there are. */
  async upcoming(filter: EventFilter, next: boolean): Promise<{ events: Announcement[]; hidden: number }> {
    const found = upcomingEvents(await this.deps.catalog.list(), filter, this.now());
    const events = found.slice(0, next ? 1 : MAX_UPCOMING);
    // "neste …" asks for one; the rest are not left out, they were not asked for.
    return { events, hidden: next ? 0 : found.length - events.length };
  }

  /** Past events (with their recordings and slides) a filter and search words find. */
  async past(filter: EventFilter, words: readonly string[]): Promise<FoundEvent[]> {
    return searchPastEvents(await this.deps.catalog.list(), { filter, words }, this.now());
  }

  /** "Minn meg på": whether the event can still be reminded of, before the user chooses when. */
  async reminderOffer(eventId: string): Promise<ReminderOffer> {
    const event = await this.deps.catalog.get(eventId);
    if (!event || event.state === 'draft') return { kind: 'refused', code: 'not-found' };
    if (event.state === 'cancelled') return { kind: 'refused', code: 'cancelled', event };
    if (event.allDay || Date.parse(event.startsAt) <= this.now().getTime()) return { kind: 'refused', code: 'started', event };
    return { kind: 'offered', event };
  }

  /** A reminder the actor chose, in the language it is to be sent in. */
  async requestReminder(actor: Actor, eventId: string, choice: ReminderChoice, language: ReplyLanguage): Promise<ReminderOutcome> {
    const result = await this.deps.reminders.request(eventId, actor.id, choice, language);
    switch (result.kind) {
      case 'not-found':
        return { kind: 'refused', code: 'not-found' };
      case 'cancelled':
      case 'started':
        return { kind: 'refused', code: result.kind, event: result.announcement };
      case 'scheduled':
        return { kind: 'scheduled', reminder: result.reminder, event: result.announcement, now: result.now };
    }
  }

  /** A recording, slides or other material added to an event after it was held: coordinators only. */
  async addMaterial(actor: Actor, request: MaterialRequest): Promise<AddMaterialOutcome> {
    if (!this.deps.isCoordinator(actor)) return { kind: 'refused', code: 'not-coordinator' };
    const missing = [...(request.id ? [] : (['id'] as const)), ...(request.url ? [] : (['url'] as const))];
    if (!request.id || !request.url) return { kind: 'invalid', problems: missing.map((field) => ({ field, code: 'missing' })) };
    const result = await this.deps.catalog.addMaterial(request.id, {
      kind: request.material,
      title: request.title ?? '',
      url: request.url,
      addedBy: actor.email ?? actor.id,
      addedAt: this.now().toISOString(),
    });
    switch (result.kind) {
      case 'invalid-url':
        return { kind: 'invalid', problems: [{ field: 'url', code: 'invalid-url' }] };
      case 'not-found':
      case 'already-there':
        return { kind: 'refused', code: result.kind, id: request.id };
      case 'added':
        return { kind: 'added', event: result.event };
    }
  }
}
