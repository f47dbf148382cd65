/**
 * Courses, fagkaféer, Q&A sessions and collaboration meetings that the
 * management coordinator announces (domain.md, "Courses and fagkaféer"), and
 * the past events with their recordings and slides.
 */

import type { ReplyLanguage } from '../language/detectLanguage';

export const EVENT_KINDS = ['kurs', 'oppfriskningskurs', 'fagkafe', 'sporretime', 'samarbeidsmote'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * The process roles that courses target (domain.md), by code. Their names per
 * language live in i18n; the archive file spells them in Norwegian
 * ("søknadsregistrerer"), which folds to these codes.
 */
export const PROCESS_ROLES = ['prosjektokonom', 'soknadsregistrerer', 'kostnadsgodkjenner', 'innkjoper', 'fagrekvirent', 'fakturaansvarlig', 'salgsordreoppretter'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

/** Who an announcement concerns. Empty lists and `everyone: false` reach only the listed channels. */
export interface Audience {
  everyone: boolean;
  roles: ProcessRole[];
  /** Process codes (directory processes). */
  processes: string[];
  /** Unit codes; a unit includes the units below it. */
  units: string[];
}

export interface ChannelTarget {
  conversationId: string;
  label: string;
}

export type AnnouncementState = 'draft' | 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'archived';

export interface Material {
  kind: 'recording' | 'slides' | 'other';
  title: string;
  url: string;
  addedBy: string;
  addedAt: string;
}

export interface Announcement {
  /** Readable id, e.g. KU-2026-0007. */
  id: string;
  kind: EventKind;
  title: string;
  description: string;
  /** ISO instants (UTC); entered and shown in Europe/Oslo time. */
  startsAt: string;
  endsAt: string;
  /** Archived events from the coordinator's list have a date but no time. */
  allDay: boolean;
  place: string | null;
  meetingUrl: string | null;
  registrationUrl: string | null;
  audience: Audience;
  channels: ChannelTarget[];
  /** When to send; null: at once when confirmed. */
  sendAt: string | null;
  state: AnnouncementState;
  createdBy: { id: string; name: string; email: string | null };
  createdAt: string;
  updatedAt: string;
  /** The broadcasts that delivered it and its later updates, newest last: the first delivered it, the rest updated it. */
  broadcastIds: string[];
  materials: Material[];
  /**
   * The coordinator's status card (where sending or the last change was
   * confirmed), updated in place as delivery progresses, in the language it
   * was shown in. Absent for archived events.
   */
  coordinatorCard?: { conversationId: string; activityId: string; language: ReplyLanguage } | null;
  /** When it was last changed after sending began: the recipients' cards then say so. Absent or null: never. */
  amendedAt?: string | null;
}
