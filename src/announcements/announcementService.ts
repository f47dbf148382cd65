import { isCoordinator, type CoordinatorCandidate } from '../conversations/coordinators';
import type { Outbox, OutboxJobs } from '../delivery/outboxJobs';
import type { DeliveryOutcome } from '../delivery/outboxWorker';
import type { DirectoryIndex } from '../directory/directoryIndex';
import type { RecipientRecord } from '../broadcast/model';
import type { Logger } from '../logger';
import type {
  AnnouncementDelivery,
  AnnouncementStatus,
  AudienceReach,
  AudienceResolver,
  ChannelDirectory,
  LostRecipients,
  Recipient,
  StatusCardPublisher,
} from './announcementPorts';
import { AnnouncementConflictError, type AnnouncementStore, type StoredAnnouncement } from './announcementStore';
import { CoalescingRunner } from '../core/coalescingRunner';
import type { Announcement, AnnouncementState, ChannelTarget } from './model';
import {
  NEW_FORM_VALUES,
  announcementFormValues,
  validateAnnouncement,
  type AnnouncementFormValues,
  type AnnouncementProblems,
  type Distribution,
  type EventDetails,
  type RawAnnouncementForm,
} from './validateAnnouncement';

/** Jobs this capability puts in the outbox; the service itself carries them out (see jobs). */
export const ANNOUNCEMENT_JOBS = {
  /** Resolve the recipients and hand the announcement to the delivery. */
  dispatch: 'announcement-dispatch',
  /** Update every delivered card after a change or cancellation. */
  change: 'announcement-change',
} as const;

export interface DispatchPayload {
  announcementId: string;
  /** The send time the scheduler found due; null: sent when confirmed. */
  sendAt: string | null;
}

export interface ChangePayload {
  announcementId: string;
  /** The announcement's updatedAt after the change: an older change's job is superseded by a newer one's. */
  version: string;
}

/** The payload of each kind of job this capability puts in the outbox. */
export interface AnnouncementJobPayloads {
  [ANNOUNCEMENT_JOBS.dispatch]: DispatchPayload;
  [ANNOUNCEMENT_JOBS.change]: ChangePayload;
}

/** The outbox as this capability needs it (see src/delivery). */
export type AnnouncementOutbox = Outbox<AnnouncementJobPayloads>;

export interface AnnouncementActor extends CoordinatorCandidate {
  name: string;
}

export type CoordinatorCard = NonNullable<Announcement['coordinatorCard']>;

export interface AnnouncementDependencies {
  store: AnnouncementStore;
  directory: () => DirectoryIndex;
  /** COORDINATORS: e-mail addresses or user ids, lower-cased. */
  coordinators: ReadonlySet<string>;
  audience: AudienceResolver;
  channels: ChannelDirectory;
  delivery: AnnouncementDelivery;
  outbox: AnnouncementOutbox;
  statusCards: StatusCardPublisher;
  logger: Logger;
  now?: () => Date;
  /** The coordinator's card is updated at most this often while delivery runs (default 1 s). */
  statusIntervalMs?: number;
}

/** The form as the coordinator sees it. */
export interface AnnouncementForm {
  /** null: a new announcement. */
  id: string | null;
  values: AnnouncementFormValues;
  problems: AnnouncementProblems;
  /** false once sending has begun: then only the event's details can change. */
  withDistribution: boolean;
  channels: ChannelTarget[];
}

export interface AnnouncementPreview {
  /** The announcement as it will be once confirmed. */
  announcement: Announcement;
  /** The form's values, for confirming them or going back to the form. */
  values: AnnouncementFormValues;
  /** The version the preview was made from: confirming a changed announcement is refused. */
  basedOn: string;
  /** People the audience reaches in personal chat. */
  audienceCount: number;
  /** Everyone the audience concerns (own roles and the role-holder list) and how many the bot can reach; null when the resolver cannot tell. */
  reach: Omit<AudienceReach, 'entries'> | null;
  /** For a change after sending began: the cards it will update. */
  delivered: number | null;
}

export type Refusal = { kind: 'refused' } | { kind: 'not-found'; id: string } | { kind: 'closed'; id: string };
export type FormResult = Refusal | { kind: 'form'; form: AnnouncementForm };
export type PreviewResult = Refusal | { kind: 'invalid'; form: AnnouncementForm } | { kind: 'preview'; preview: AnnouncementPreview };
export type ConfirmOutcome = 'sending' | 'scheduled' | 'amended' | 'unchanged';
export type ConfirmResult =
  | Refusal
  | { kind: 'invalid'; form: AnnouncementForm }
  /** Someone changed it after the preview was made: nothing was saved, and the current status is shown. */
  | { kind: 'conflict'; status: AnnouncementStatus }
  | { kind: 'confirmed'; outcome: ConfirmOutcome; status: AnnouncementStatus };
export type CancelResult = Exclude<Refusal, { kind: 'closed' }> | { kind: 'cancelled' | 'already-cancelled'; status: AnnouncementStatus };
export type StatusResult = Exclude<Refusal, { kind: 'closed' }> | { kind: 'status'; status: AnnouncementStatus };
export type UndeliveredResult = Exclude<Refusal, { kind: 'closed' }> | { kind: 'undelivered'; announcement: Announcement; recipients: RecipientRecord[] };

const BEFORE_SENDING: ReadonlySet<AnnouncementState> = new Set(['draft', 'scheduled']);
const DETAIL_FIELDS = ['kind', 'title', 'description', 'startsAt', 'endsAt', 'place', 'meetingUrl', 'registrationUrl'] as const satisfies ReadonlyArray<keyof EventDetails>;
const WRITE_ATTEMPTS = 5;
/** A dispatch that lost a race with a change tries again after this. */
const RACE_RETRY_MS = 500;

/**
 * Announcements of courses and fagkaféer: composing with preview and
 * confirmation, scheduled sending, delivery through the delivery port, and
 * changes or cancellation after sending. Only coordinators may act. Knows
 * nothing of Teams.
 */
export class AnnouncementService {
  private readonly now: () => Date;
  private readonly statusRuns: CoalescingRunner;

  constructor(private readonly deps: AnnouncementDependencies) {
    this.now = deps.now ?? (() => new Date());
    this.statusRuns = new CoalescingRunner(deps.statusIntervalMs ?? 1000, (id, error) =>
      deps.logger.warn({ err: error, announcementId: id }, 'could not update the coordinator’s announcement card'),
    );
    deps.delivery.onProgress((announcementId) => this.progressChanged(announcementId));
  }

  isCoordinator(actor: CoordinatorCandidate): boolean {
    return isCoordinator(actor, this.deps.coordinators, this.deps.directory());
  }

  /** The form for a new announcement, or for changing one (prefilled from it, unless `values` are given). */
  async openForm(actor: AnnouncementActor, id: string | null, values?: AnnouncementFormValues): Promise<FormResult> {
    if (!this.isCoordinator(actor)) return { kind: 'refused' };
    const channels = await this.deps.channels.list();
    if (id === null) return { kind: 'form', form: { id: null, values: values ?? NEW_FORM_VALUES, problems: {}, withDistribution: true, channels } };
    const stored = await this.deps.store.get(id);
    if (!stored) return { kind: 'not-found', id };
    const announcement = stored.announcement;
    if (announcement.state === 'cancelled') return { kind: 'closed', id };
    return {
      kind: 'form',
      form: { id, values: values ?? announcementFormValues(announcement), problems: {}, withDistribution: BEFORE_SENDING.has(announcement.state), channels },
    };
  }

  /**
   * Checks the form and shows what confirming it would do. A new announcement
   * is stored as a draft (with its number); a change to a scheduled or sent one
   * is only shown, and stored when confirmed.
   */
  async preview(raw: RawAnnouncementForm, actor: AnnouncementActor, target: { formId: string; id: string | null }): Promise<PreviewResult> {
    if (!this.isCoordinator(actor)) return { kind: 'refused' };
    let stored = target.id ? await this.deps.store.get(target.id) : await this.deps.store.findByForm(target.formId);
    if (target.id && !stored) return { kind: 'not-found', id: target.id };
    if (stored?.announcement.state === 'cancelled') return { kind: 'closed', id: stored.announcement.id };

    const withDistribution = !stored || BEFORE_SENDING.has(stored.announcement.state);
    const channels = await this.deps.channels.list();
    const validation = validateAnnouncement(raw, { now: this.now(), index: this.deps.directory(), channels, withDistribution });
    if (!validation.ok) {
      return { kind: 'invalid', form: { id: stored?.announcement.id ?? null, values: validation.values, problems: validation.problems, withDistribution, channels } };
    }
    const { details, distribution } = validation;

    let fresh = false;
    if (!stored) {
      if (!distribution) throw new Error('A new announcement was validated without its recipients');
      const createdBy = { id: actor.id, name: actor.name, email: actor.email ?? null };
      // Not created when the same form was sent twice at once: the other submission made the draft.
      ({ stored, created: fresh } = await this.deps.store.createDraft({ details, distribution, createdBy, now: this.now(), formId: target.formId }));
    }
    // A draft takes the latest values at once; anything further along only when the change is confirmed.
    const saved = fresh ? stored : await this.saveDraft(stored.announcement.id, details, distribution);
    if (saved) stored = saved;
    const announcement = saved ? saved.announcement : withChanges(stored.announcement, details, distribution);

    const sendingBegan = !BEFORE_SENDING.has(stored.announcement.state);
    const firstBroadcast = stored.announcement.broadcastIds[0];
    return {
      kind: 'preview',
      preview: {
        announcement,
        values: validation.values,
        basedOn: stored.announcement.updatedAt,
        audienceCount: await this.deps.audience.count(announcement.audience, announcement.kind),
        reach: await this.reachFigures(announcement),
        delivered: !sendingBegan ? null : firstBroadcast ? (await this.deps.delivery.progress(firstBroadcast)).sent : 0,
      },
    };
  }

  /**
   * Confirms a previewed announcement or change: sends it now, schedules it, or
   * stores the change and updates every delivered card. The form's values are
   * checked again (time has passed since the preview).
   */
  async confirm(id: string, raw: RawAnnouncementForm, actor: AnnouncementActor, basedOn: string, card: CoordinatorCard | null): Promise<ConfirmResult> {
    if (!this.isCoordinator(actor)) return { kind: 'refused' };
    // Again when only the system wrote in between (delivery bookkeeping): that is no reason to refuse the coordinator.
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const stored = await this.deps.store.get(id);
      if (!stored) return { kind: 'not-found', id };
      const current = stored.announcement;
      if (current.state === 'cancelled') return { kind: 'closed', id };
      if (current.updatedAt !== basedOn) return { kind: 'conflict', status: await this.statusOf(current) };

      const withDistribution = BEFORE_SENDING.has(current.state);
      const channels = withDistribution ? await this.deps.channels.list() : [];
      const now = this.now();
      const validation = validateAnnouncement(raw, { now, index: this.deps.directory(), channels, withDistribution });
      if (!validation.ok) return { kind: 'invalid', form: { id, values: validation.values, problems: validation.problems, withDistribution, channels } };

      const at = changeTime(current, now);
      let changed = { ...withChanges(current, validation.details, validation.distribution), coordinatorCard: card ?? current.coordinatorCard ?? null };
      let outcome: ConfirmOutcome;
      if (withDistribution) {
        const due = changed.sendAt === null || Date.parse(changed.sendAt) <= now.getTime();
        outcome = due ? 'sending' : 'scheduled';
        changed = { ...changed, state: outcome, updatedAt: at };
      } else if (DETAIL_FIELDS.every((field) => changed[field] === current[field])) {
        outcome = 'unchanged';
      } else {
        outcome = 'amended';
        changed = { ...changed, amendedAt: at, updatedAt: at };
      }

      let saved: StoredAnnouncement;
      try {
        saved = await this.deps.store.update(changed, stored.etag);
      } catch (error) {
        if (error instanceof AnnouncementConflictError) continue;
        throw error;
      }
      if (outcome === 'sending') await this.enqueueDispatch(id, null);
      if (outcome === 'amended') await this.enqueueChange(saved.announcement);
      void this.deps.outbox.kick();
      return { kind: 'confirmed', outcome, status: await this.statusOf(saved.announcement) };
    }
    throw new Error(`Could not confirm ${id}: it kept changing`);
  }

  /** Cancels an announcement; every card already delivered then says it is cancelled. */
  async cancel(id: string, actor: AnnouncementActor, card: CoordinatorCard | null): Promise<CancelResult> {
    if (!this.isCoordinator(actor)) return { kind: 'refused' };
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const stored = await this.deps.store.get(id);
      if (!stored) return { kind: 'not-found', id };
      const current = stored.announcement;
      if (current.state === 'cancelled') return { kind: 'already-cancelled', status: await this.statusOf(current) };
      const cancelled: Announcement = { ...current, state: 'cancelled', updatedAt: changeTime(current, this.now()), coordinatorCard: card ?? current.coordinatorCard ?? null };
      let saved: StoredAnnouncement;
      try {
        saved = await this.deps.store.update(cancelled, stored.etag);
      } catch (error) {
        if (error instanceof AnnouncementConflictError) continue;
        throw error;
      }
      if (!BEFORE_SENDING.has(current.state)) {
        await this.enqueueChange(saved.announcement);
        void this.deps.outbox.kick();
      }
      return { kind: 'cancelled', status: await this.statusOf(saved.announcement) };
    }
    throw new Error(`Could not cancel ${id}: it kept changing`);
  }

  async status(actor: AnnouncementActor, id: string): Promise<StatusResult> {
    if (!this.isCoordinator(actor)) return { kind: 'refused' };
    const stored = await this.deps.store.get(id);
    if (!stored) return { kind: 'not-found', id };
    return { kind: 'status', status: await this.statusOf(stored.announcement) };
  }

  /** Whom the delivery did not reach (blocked, removed, or given up on), with the reasons; coordinators only. */
  async undelivered(actor: CoordinatorCandidate, id: string): Promise<UndeliveredResult> {
    if (!this.isCoordinator(actor)) return { kind: 'refused' };
    const stored = await this.deps.store.get(id);
    if (!stored) return { kind: 'not-found', id };
    const delivery = stored.announcement.broadcastIds[0];
    return { kind: 'undelivered', announcement: stored.announcement, recipients: delivery ? await this.deps.delivery.failures(delivery) : [] };
  }

  /** The outbox jobs of this capability, which the service carries out itself. */
  jobs(): OutboxJobs<AnnouncementJobPayloads> {
    return {
      [ANNOUNCEMENT_JOBS.dispatch]: { deliver: (message) => this.dispatch(message.payload) },
      [ANNOUNCEMENT_JOBS.change]: { deliver: (message) => this.fanOutChange(message.payload) },
    };
  }

  /**
   * Puts the announcements due for sending in the outbox: scheduled ones whose
   * time has come, and any left sending without a delivery (a crash between
   * confirming and enqueueing). Outbox ids are idempotent, so every instance
   * may run this: each announcement is dispatched once.
   */
  async enqueueDue(now: Date): Promise<number> {
    let dispatched = 0;
    for (const announcement of await this.deps.store.list({ state: 'scheduled' })) {
      if (announcement.sendAt === null || Date.parse(announcement.sendAt) > now.getTime()) continue;
      await this.enqueueDispatch(announcement.id, announcement.sendAt);
      dispatched++;
    }
    for (const announcement of await this.deps.store.list({ state: 'sending' })) {
      if (announcement.broadcastIds.length > 0) continue;
      await this.enqueueDispatch(announcement.id, null);
      dispatched++;
    }
    if (dispatched > 0) void this.deps.outbox.kick();
    return dispatched;
  }

  /**
   * The recipients of an announcement's delivery worked out again, for a delivery whose stored recipients were lost;
   * null when it is no longer to be sent (gone, cancelled, or not being sent).
   */
  async recipientsAgain(announcementId: string): Promise<Recipient[] | null> {
    const stored = await this.deps.store.get(announcementId);
    if (!stored || stored.announcement.state !== 'sending') return null;
    return this.recipientsOf(stored.announcement);
  }

  /** Tells the coordinator that a delivery of the announcement lost its recipients, and what was done; the card follows. */
  async recipientsLost(announcementId: string, what: LostRecipients): Promise<void> {
    const stored = await this.deps.store.get(announcementId);
    if (!stored) return;
    await this.deps.statusCards.lostRecipients(stored.announcement, what);
    this.progressChanged(announcementId);
  }

  /** Something in a delivery of this announcement moved: the coordinator's card follows, coalesced. */
  progressChanged(announcementId: string): void {
    this.statusRuns.request(announcementId, () => this.refreshStatus(announcementId));
  }

  /** Stops the pending updates of coordinators' cards. */
  async stop(): Promise<void> {
    await this.statusRuns.stop();
  }

  private async dispatch(payload: DispatchPayload): Promise<DeliveryOutcome> {
    const stored = await this.deps.store.get(payload.announcementId);
    if (!stored) return { kind: 'failed', error: `announcement ${payload.announcementId} does not exist` };
    let announcement = stored.announcement;
    if (announcement.state === 'scheduled') {
      // Rescheduled after the scheduler found it due: the new time has its own dispatch.
      if (payload.sendAt !== announcement.sendAt) return { kind: 'delivered', result: 'rescheduled' };
      try {
        announcement = (await this.deps.store.update({ ...announcement, state: 'sending' }, stored.etag)).announcement;
      } catch (error) {
        if (error instanceof AnnouncementConflictError) return { kind: 'retry', error: 'changed while being dispatched', retryAfterMs: RACE_RETRY_MS };
        throw error;
      }
    } else if (announcement.state !== 'sending') {
      return { kind: 'delivered', result: `nothing to send: ${announcement.state}` };
    }

    let broadcastId = announcement.broadcastIds[0];
    if (broadcastId === undefined) {
      // Page by page where the audience can: the first cards go out while the rest are read.
      broadcastId = await this.deps.delivery.send(announcement, this.deps.audience.resolvePages ? this.recipientPagesOf(announcement) : await this.recipientsOf(announcement));
      const latest = await this.recordBroadcast(announcement.id, broadcastId);
      // Changed or cancelled while the recipients were being resolved: cards already out must follow.
      if (latest && latest.updatedAt !== announcement.updatedAt) {
        await this.enqueueChange(latest);
        void this.deps.outbox.kick();
      }
    }
    // Also when nobody is to get it: the coordinator's card then reports the delivery as done.
    this.progressChanged(announcement.id);
    return { kind: 'delivered', result: broadcastId };
  }

  private async fanOutChange(payload: ChangePayload): Promise<DeliveryOutcome> {
    const stored = await this.deps.store.get(payload.announcementId);
    if (!stored) return { kind: 'failed', error: `announcement ${payload.announcementId} does not exist` };
    const announcement = stored.announcement;
    if (announcement.updatedAt !== payload.version) return { kind: 'delivered', result: 'superseded by a newer change' };
    const previous = announcement.broadcastIds.at(-1);
    // Nothing delivered yet: the dispatch sends the current version and looks for changes after it.
    if (!previous) return { kind: 'delivered', result: 'nothing delivered yet' };
    const updateId = await this.deps.delivery.update(announcement, previous);
    if (updateId !== previous) await this.recordBroadcast(announcement.id, updateId);
    this.progressChanged(announcement.id);
    return { kind: 'delivered', result: updateId };
  }

  /** The preview's figures without the people behind them (the tab lists and downloads those). */
  private async reachFigures(announcement: Announcement): Promise<Omit<AudienceReach, 'entries'> | null> {
    if (!this.deps.audience.reach) return null;
    const { entries: _entries, ...figures } = await this.deps.audience.reach(announcement.audience, announcement.kind);
    return figures;
  }

  private async recipientsOf(announcement: Announcement): Promise<Recipient[]> {
    const recipients = new Map<string, Recipient>();
    for (const person of await this.deps.audience.resolve(announcement.audience, announcement.kind)) recipients.set(person.conversationId, person);
    for (const channel of announcement.channels) {
      const recipient = await this.deps.channels.recipient(channel.conversationId);
      if (recipient) recipients.set(recipient.conversationId, recipient);
      else this.deps.logger.warn({ announcementId: announcement.id, channel: channel.label }, 'the bot no longer knows a chosen channel; it is left out');
    }
    return [...recipients.values()];
  }

  /** The same as recipientsOf, a page at a time: the audience as it is read, then the chosen channels. */
  private async *recipientPagesOf(announcement: Announcement): AsyncIterable<Recipient[]> {
    for await (const page of this.deps.audience.resolvePages?.(announcement.audience, announcement.kind) ?? []) yield page;
    const channels: Recipient[] = [];
    for (const channel of announcement.channels) {
      const recipient = await this.deps.channels.recipient(channel.conversationId);
      if (recipient) channels.push(recipient);
      else this.deps.logger.warn({ announcementId: announcement.id, channel: channel.label }, 'the bot no longer knows a chosen channel; it is left out');
    }
    yield channels;
  }

  /** Adds a broadcast to the announcement (once); returns the announcement as stored after it. */
  private async recordBroadcast(id: string, broadcastId: string): Promise<Announcement | null> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const stored = await this.deps.store.get(id);
      if (!stored) return null;
      if (stored.announcement.broadcastIds.includes(broadcastId)) return stored.announcement;
      try {
        const updated = { ...stored.announcement, broadcastIds: [...stored.announcement.broadcastIds, broadcastId] };
        return (await this.deps.store.update(updated, stored.etag)).announcement;
      } catch (error) {
        if (!(error instanceof AnnouncementConflictError)) throw error;
      }
    }
    throw new Error(`Could not record broadcast ${broadcastId} on ${id}: it kept changing`);
  }

  /** Marks a finished delivery as sent, and shows the status on the coordinator's card. */
  private async refreshStatus(id: string): Promise<void> {
    const stored = await this.deps.store.get(id);
    if (!stored) return;
    let status = await this.statusOf(stored.announcement);
    if (stored.announcement.state === 'sending' && status.delivery?.remaining === 0) {
      try {
        const saved = await this.deps.store.update({ ...stored.announcement, state: 'sent' }, stored.etag);
        status = { ...status, announcement: saved.announcement };
      } catch (error) {
        if (!(error instanceof AnnouncementConflictError)) throw error;
        // Changed meanwhile: look again with what is stored now.
        this.progressChanged(id);
        return;
      }
    }
    await this.deps.statusCards.show(status);
  }

  private async statusOf(announcement: Announcement): Promise<AnnouncementStatus> {
    const [delivery, ...updates] = announcement.broadcastIds;
    const update = updates.at(-1);
    return {
      announcement,
      delivery: delivery ? await this.deps.delivery.progress(delivery) : null,
      update: update ? await this.deps.delivery.progress(update) : null,
    };
  }

  /** Stores a draft's new content (the last submission wins); null when it is no longer a draft. */
  private async saveDraft(id: string, details: EventDetails, distribution: Distribution | null): Promise<StoredAnnouncement | null> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const stored = await this.deps.store.get(id);
      if (!stored) throw new Error(`Draft ${id} vanished`);
      if (stored.announcement.state !== 'draft') return null;
      const draft = { ...withChanges(stored.announcement, details, distribution), updatedAt: changeTime(stored.announcement, this.now()) };
      try {
        return await this.deps.store.update(draft, stored.etag);
      } catch (error) {
        if (!(error instanceof AnnouncementConflictError)) throw error;
      }
    }
    throw new Error(`Could not save draft ${id}: it kept changing`);
  }

  private async enqueueDispatch(announcementId: string, sendAt: string | null): Promise<void> {
    await this.deps.outbox.enqueue({
      id: `dispatch:${announcementId}:${sendAt ?? 'now'}`,
      kind: ANNOUNCEMENT_JOBS.dispatch,
      payload: { announcementId, sendAt },
    });
  }

  private async enqueueChange(announcement: Announcement): Promise<void> {
    await this.deps.outbox.enqueue({
      // The broadcasts known so far are part of the key: a change made while the dispatch ran finds nothing to
      // update, and the dispatch enqueues it again afterwards, which must not count as the same job.
      id: `change:${announcement.id}:${announcement.updatedAt}:${announcement.broadcastIds.length}`,
      kind: ANNOUNCEMENT_JOBS.change,
      payload: { announcementId: announcement.id, version: announcement.updatedAt },
    });
  }
}

/**
 * When a change is made, as its updatedAt: never the same as the one before,
 * since updatedAt is the version that previews and change jobs refer to.
 */
function changeTime(previous: Announcement, now: Date): string {
  return new Date(Math.max(now.getTime(), Date.parse(previous.updatedAt) + 1)).toISOString();
}

/** The announcement with the form's details and (before sending) its recipients and send time. */
function withChanges(announcement: Announcement, details: EventDetails, distribution: Distribution | null): Announcement {
  return { ...announcement, ...details, ...(distribution ?? {}) };
}
