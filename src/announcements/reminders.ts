import type { Outbox } from '../delivery/outboxJobs';
import type { ReplyLanguage } from '../language/detectLanguage';
import { inOslo } from '../core/osloTime';
import type { AnnouncementStore } from './announcementStore';
import type { AnnouncementReader } from './archive';
import type { Announcement } from './model';

export const REMINDER_CHOICES = ['day-before', 'hour-before'] as const;
export type ReminderChoice = (typeof REMINDER_CHOICES)[number];

/** Someone's request to be reminded of an event; kept so a moved event can move the reminder. */
export interface Reminder {
  announcementId: string;
  userId: string;
  choice: ReminderChoice;
  language: ReplyLanguage;
  /** When the reminder is due for the event's current time. */
  dueAt: string;
  requestedAt: string;
}

export interface ReminderStore {
  save(reminder: Reminder): Promise<void>;
  get(announcementId: string, userId: string, choice: ReminderChoice): Promise<Reminder | null>;
  /** Every reminder of one event (one partition read). */
  forAnnouncement(announcementId: string): Promise<Reminder[]>;
}

/** The outbox message of a reminder: which one, and the due time it was enqueued for. */
export interface ReminderPayload {
  announcementId: string;
  userId: string;
  choice: ReminderChoice;
  dueAt: string;
}

export const EVENT_REMINDER_MESSAGE = 'event-reminder' as const;

/** The payload of the one kind of message reminders put in the outbox. */
export interface ReminderMessagePayloads {
  [EVENT_REMINDER_MESSAGE]: ReminderPayload;
}

/** The outbox as reminders need it: a reminder already due is kicked out at once. */
export type ReminderOutbox = Outbox<ReminderMessagePayloads>;

/**
 * When the reminder goes out: "dagen før" at the same Norwegian wall-clock
 * time the day before (so across a summer-time change it is 23 or 25 hours),
 * "en time før" one hour before.
 */
export function reminderDueAt(startsAt: string, choice: ReminderChoice): Date {
  return choice === 'day-before' ? inOslo(startsAt).minus({ days: 1 }).toJSDate() : new Date(Date.parse(startsAt) - 60 * 60 * 1000);
}

/**
 * The outbox id: one per user, event and choice, and per due time, so asking
 * twice schedules one reminder, while a moved event gets a new one (the old
 * one finds itself outdated when it comes due and sends nothing).
 */
function outboxId(reminder: Reminder): string {
  return `event-reminder|${reminder.announcementId}|${reminder.userId}|${reminder.choice}|${reminder.dueAt}`;
}

export type RequestResult =
  | { kind: 'scheduled'; reminder: Reminder; announcement: Announcement; /** The due time had passed: it goes out now. */ now: boolean }
  | { kind: 'not-found' }
  | { kind: 'cancelled'; announcement: Announcement }
  | { kind: 'started'; announcement: Announcement };

export type DueCheck = { kind: 'send'; reminder: Reminder; announcement: Announcement } | { kind: 'skip'; reason: 'no-event' | 'no-reminder' | 'cancelled' | 'moved' | 'started' };

export interface ReminderServiceDependencies {
  events: AnnouncementReader;
  store: ReminderStore;
  outbox: ReminderOutbox;
  clock?: () => Date;
}

/** Personal reminders of events: scheduled through the outbox, moved with the event, dropped when it is cancelled. */
export class ReminderService {
  private readonly clock: () => Date;

  constructor(private readonly deps: ReminderServiceDependencies) {
    this.clock = deps.clock ?? (() => new Date());
  }

  async request(announcementId: string, userId: string, choice: ReminderChoice, language: ReplyLanguage): Promise<RequestResult> {
    const announcement = await this.deps.events.get(announcementId);
    if (!announcement || announcement.state === 'draft') return { kind: 'not-found' };
    if (announcement.state === 'cancelled') return { kind: 'cancelled', announcement };
    const now = this.clock();
    if (announcement.allDay || Date.parse(announcement.startsAt) <= now.getTime()) return { kind: 'started', announcement };
    const reminder: Reminder = {
      announcementId,
      userId,
      choice,
      language,
      dueAt: reminderDueAt(announcement.startsAt, choice).toISOString(),
      requestedAt: now.toISOString(),
    };
    await this.deps.store.save(reminder);
    const late = await this.enqueue(reminder, now);
    return { kind: 'scheduled', reminder, announcement, now: late };
  }

  /**
   * To be called whenever an event's time changes or it is cancelled: every
   * reminder of it is due again for the new time. A cancelled event needs
   * nothing here: its reminders see the cancellation when they come due.
   * Returns how many reminders were moved.
   */
  async announcementChanged(announcement: Announcement): Promise<number> {
    if (announcement.state === 'cancelled') return 0;
    const now = this.clock();
    let moved = 0;
    for (const reminder of await this.deps.store.forAnnouncement(announcement.id)) {
      const dueAt = reminderDueAt(announcement.startsAt, reminder.choice).toISOString();
      if (dueAt === reminder.dueAt) continue;
      const next = { ...reminder, dueAt };
      await this.deps.store.save(next);
      // A reminder whose new time has passed (the event moved closer) goes out now, unless the event has begun.
      if (Date.parse(announcement.startsAt) > now.getTime()) await this.enqueue(next, now);
      moved += 1;
    }
    return moved;
  }

  /** At delivery: whether the reminder is still wanted as enqueued, and what it is about. */
  async check(payload: ReminderPayload): Promise<DueCheck> {
    const announcement = await this.deps.events.get(payload.announcementId);
    if (!announcement) return { kind: 'skip', reason: 'no-event' };
    if (announcement.state === 'cancelled') return { kind: 'skip', reason: 'cancelled' };
    const reminder = await this.deps.store.get(payload.announcementId, payload.userId, payload.choice);
    if (!reminder) return { kind: 'skip', reason: 'no-reminder' };
    if (reminderDueAt(announcement.startsAt, payload.choice).toISOString() !== payload.dueAt) {
      // Moved without announcementChanged having run (it stopped halfway, say): put that right now.
      await this.announcementChanged(announcement);
      return { kind: 'skip', reason: 'moved' };
    }
    if (Date.parse(announcement.startsAt) <= this.clock().getTime()) return { kind: 'skip', reason: 'started' };
    return { kind: 'send', reminder, announcement };
  }

  /** Enqueues the reminder for its due time, or now if that has passed; true when it goes out now. */
  private async enqueue(reminder: Reminder, now: Date): Promise<boolean> {
    const due = new Date(reminder.dueAt);
    const late = due.getTime() <= now.getTime();
    await this.deps.outbox.enqueue({
      id: outboxId(reminder),
      kind: EVENT_REMINDER_MESSAGE,
      payload: { announcementId: reminder.announcementId, userId: reminder.userId, choice: reminder.choice, dueAt: reminder.dueAt },
      notBefore: late ? now : due,
    });
    if (late) void this.deps.outbox.kick();
    return late;
  }
}

/**
 * The announcement store with every saved change passed on to the reminders:
 * an event moved or cancelled by whatever part of the app moves its reminders
 * at once. (When this is missed, say by a crash between the two writes, a
 * reminder still finds the move when it comes due; only a move to an earlier
 * time needs telling in advance.) A failure to reschedule does not undo the
 * saved change: it is reported, and the check at delivery remains.
 */
export function storeMovingReminders(
  store: AnnouncementStore,
  reminders: Pick<ReminderService, 'announcementChanged'>,
  onError: (error: unknown, announcementId: string) => void,
): AnnouncementStore {
  return {
    createDraft: (input) => store.createDraft(input),
    get: (id) => store.get(id),
    findByForm: (formId) => store.findByForm(formId),
    list: (filter) => store.list(filter),
    update: async (announcement, etag) => {
      const saved = await store.update(announcement, etag);
      await reminders.announcementChanged(saved.announcement).catch((error: unknown) => onError(error, announcement.id));
      return saved;
    },
  };
}
