import { ActivityTypes, type Attachment } from 'botbuilder';
import type { AnnouncementStatus, BroadcastProgress } from '../../announcements/announcementPorts';
import type { AnnouncementForm, AnnouncementPreview } from '../../announcements/announcementService';
import { EVENT_KINDS, PROCESS_ROLES, type Announcement } from '../../announcements/model';
import { ANNOUNCEMENT_FIELDS, ANNOUNCEMENT_LIMITS, SEND_MODES, type AnnouncementField, type AnnouncementFormValues } from '../../announcements/validateAnnouncement';
import type { DirectoryIndex } from '../../directory/directoryIndex';
import { announcementTexts, localName, type ReplyLanguage } from '../../i18n';
import { inOslo } from '../../core/osloTime';
import { renderCard } from '../cards/renderCard';
import { UNIT_DATASET, unitChoices } from '../cards/unitChoices';
import { failedRecipients } from '../../broadcast/failuresCsv';
import type { ActivityPayload, RecipientRecord } from '../../broadcast/model';
import announcementTemplate from './templates/announcement.json';
import cancelTemplate from './templates/announcementCancel.json';
import formTemplate from './templates/announcementForm.json';
import previewTemplate from './templates/announcementPreview.json';
import statusTemplate from './templates/announcementStatus.json';
import undeliveredTemplate from './templates/announcementUndelivered.json';

/** Card verbs of the coordinator's cards. The recipients' card also has `remindMe` (data `{ id }`), handled by the reminders part. */
export const ANNOUNCEMENT_VERB = {
  preview: 'previewAnnouncement',
  edit: 'editAnnouncement',
  confirm: 'sendAnnouncement',
  askCancel: 'askCancelAnnouncement',
  cancel: 'cancelAnnouncement',
  status: 'announcementStatus',
  undelivered: 'announcementUndelivered',
} as const;

/** Recipients named on the card; the CSV has them all. */
const UNDELIVERED_ON_CARD = 20;

/** Announcements go to the whole organisation, so the card recipients see is in its language. */
export const RECIPIENT_LANGUAGE: ReplyLanguage = 'nb';

/** Where the .ics file of an announcement is served (by the calendar part). */
export type CalendarUrl = (announcementId: string) => string;

type Choice = { code: string; title: string };
type Fact = { title: string; value: string };
/** An expanded card's parts, to embed one card in another. */
type CardParts = { body: unknown[]; actions: unknown[] };

interface AnnouncementCardData {
  id: string;
  banner: string;
  kind: string;
  amended: string;
  title: string;
  facts: Fact[];
  cancelledNote: string;
  description: string;
  links: Array<{ title: string; url: string }>;
  /** Still happening: the reminder and calendar buttons make sense. */
  open: boolean;
  remindMe: string;
  addToCalendar: string;
  calendarUrl: string;
}

interface FormCardData {
  title: string;
  intro: string;
  problemSummary: string;
  sections: { event: string; audience: string; audienceHint: string; sending: string };
  labels: Record<AnnouncementField, string>;
  placeholders: Record<'title' | 'description' | 'place' | 'meetingUrl' | 'registrationUrl' | 'units', string>;
  limits: typeof ANNOUNCEMENT_LIMITS;
  problems: Record<AnnouncementField, string>;
  /** What the client says under a required input it refuses to send empty: the server's problem, else "required". */
  errorMessages: Record<AnnouncementField, string>;
  values: AnnouncementFormValues;
  timeZoneNote: string;
  noChannels: string;
  withDistribution: boolean;
  kinds: Choice[];
  roles: Choice[];
  processes: Choice[];
  units: Choice[];
  unitDataset: string;
  channels: Choice[];
  sendModes: Choice[];
  submit: string;
  lang: ReplyLanguage;
  formId: string;
  id: string;
}

interface PreviewCardData {
  title: string;
  intro: string;
  card: CardParts;
  summaryTitle: string;
  summary: Fact[];
  note: string;
  confirm: string;
  edit: string;
  id: string;
  basedOn: string;
  lang: ReplyLanguage;
  values: AnnouncementFormValues;
}

interface StatusCardData {
  heading: string;
  notice: string;
  noticeColor: 'Good' | 'Attention';
  lines: string[];
  card: CardParts;
  canChange: boolean;
  amend: string;
  cancel: string;
  refresh: string;
  /** The button's title when someone was not reached; empty: no button. */
  undelivered: string;
  id: string;
  lang: ReplyLanguage;
}

interface UndeliveredCardData {
  title: string;
  none: string;
  rows: Array<{ label: string; reason: string }>;
  more: string;
  expires: string;
  url: string;
  download: string;
}

interface CancelCardData {
  title: string;
  body: string;
  yes: string;
  no: string;
  id: string;
  lang: ReplyLanguage;
}

/** When an event is, in Norwegian time: "onsdag 9. desember kl. 10.00–11.30". */
export function eventTime(startsAt: string, endsAt: string, language: ReplyLanguage): string {
  const texts = announcementTexts(language);
  const t = texts.time;
  const start = inOslo(startsAt).setLocale(texts.locale);
  const end = inOslo(endsAt).setLocale(texts.locale);
  if (start.hasSame(end, 'day')) return t.sameDay(start.toFormat(t.day), start.toFormat(t.clock), end.toFormat(t.clock));
  return t.severalDays(start.toFormat(t.day), start.toFormat(t.clock), end.toFormat(t.day), end.toFormat(t.clock));
}

/** A moment in Norwegian time: "onsdag 9. desember kl. 08.00". */
export function osloMoment(at: string, language: ReplyLanguage): string {
  const texts = announcementTexts(language);
  const moment = inOslo(at).setLocale(texts.locale);
  return texts.time.at(moment.toFormat(texts.time.day), moment.toFormat(texts.time.clock));
}

/** The card recipients see: kind, title, time, place, description and the buttons to join, register, be reminded and save it. */
export function announcementCard(announcement: Announcement, calendarUrl: CalendarUrl, language: ReplyLanguage = RECIPIENT_LANGUAGE): Attachment {
  const t = announcementTexts(language);
  const cancelled = announcement.state === 'cancelled';
  const where = [announcement.place, announcement.meetingUrl ? t.card.online : null].filter(Boolean).join(' · ');
  const links = cancelled
    ? []
    : [
        ...(announcement.meetingUrl ? [{ title: t.card.join, url: announcement.meetingUrl }] : []),
        ...(announcement.registrationUrl ? [{ title: t.card.register, url: announcement.registrationUrl }] : []),
      ];
  return renderCard<AnnouncementCardData>(announcementTemplate, {
    id: announcement.id,
    banner: cancelled ? t.card.cancelled : '',
    kind: t.kinds[announcement.kind],
    amended: !cancelled && announcement.amendedAt ? t.card.amended : '',
    title: announcement.title,
    facts: [
      { title: t.card.when, value: eventTime(announcement.startsAt, announcement.endsAt, language) },
      { title: t.card.where, value: where },
    ],
    cancelledNote: cancelled ? t.card.cancelledNote : '',
    description: announcement.description,
    links,
    open: !cancelled,
    remindMe: t.card.remindMe,
    addToCalendar: t.card.addToCalendar,
    calendarUrl: calendarUrl(announcement.id),
  });
}

/** The message recipients get for an announcement, its card: what the broadcast engine sends them. */
export function announcementActivity(announcement: Announcement, calendarUrl: CalendarUrl): ActivityPayload {
  return { type: ActivityTypes.Message, attachments: [announcementCard(announcement, calendarUrl)] };
}

export function announcementFormCard(index: DirectoryIndex, language: ReplyLanguage, form: AnnouncementForm, formId: string): Attachment {
  const t = announcementTexts(language);
  const problemText = (field: AnnouncementField): string => {
    const problem = form.problems[field];
    if (!problem) return '';
    if (problem !== 'too-long') return t.form.problems[problem];
    const limit = field === 'title' || field === 'description' || field === 'place' ? ANNOUNCEMENT_LIMITS[field] : ANNOUNCEMENT_LIMITS.url;
    return t.form.tooLong(limit);
  };
  return renderCard<FormCardData>(formTemplate, {
    title: form.id ? t.form.editTitle(form.id) : t.form.newTitle,
    intro: form.withDistribution ? t.form.intro : t.form.amendIntro,
    problemSummary: Object.keys(form.problems).length > 0 ? t.form.fixProblems : '',
    sections: t.form.sections,
    labels: t.form.labels,
    placeholders: t.form.placeholders,
    limits: ANNOUNCEMENT_LIMITS,
    problems: Object.fromEntries(ANNOUNCEMENT_FIELDS.map((field) => [field, problemText(field)])) as Record<AnnouncementField, string>,
    errorMessages: Object.fromEntries(ANNOUNCEMENT_FIELDS.map((field) => [field, problemText(field) || t.form.problems.required])) as Record<AnnouncementField, string>,
    values: form.values,
    timeZoneNote: t.form.timeZoneNote,
    noChannels: t.form.noChannels,
    withDistribution: form.withDistribution,
    kinds: EVENT_KINDS.map((code) => ({ code, title: t.kinds[code] })),
    roles: PROCESS_ROLES.map((code) => ({ code, title: t.roles[code] })),
    processes: index.directory.processes.map((process) => ({ code: process.code, title: localName(process, language) })),
    units: unitChoices(index.directory.units, language),
    unitDataset: UNIT_DATASET,
    channels: form.channels.map((channel) => ({ code: channel.conversationId, title: channel.label })),
    sendModes: SEND_MODES.map((code) => ({ code, title: t.form.sendModes[code] })),
    submit: t.form.submit,
    lang: language,
    formId,
    id: form.id ?? '',
  });
}

/** How many the audience concerns and how many the bot reaches in personal chat; those without a chat only when there are some. */
function reachFacts(preview: AnnouncementPreview, t: ReturnType<typeof announcementTexts>['preview']): Fact[] {
  const { reach } = preview;
  if (reach === null) return [{ title: t.reach, value: t.reachCount(preview.audienceCount) }];
  const facts: Fact[] = [
    { title: t.audiencePeople, value: t.audiencePeopleCount(reach.people) },
    { title: t.reach, value: t.reachCount(reach.reachable) },
  ];
  if (reach.needsInstallation > 0) facts.push({ title: t.withoutChat, value: t.withoutChatCount(reach.needsInstallation, reach.installationEnabled) });
  return facts;
}

/** The announcement exactly as recipients will see it, with who gets it and when, and the buttons to send it or go back. */
export function announcementPreviewCard(index: DirectoryIndex, language: ReplyLanguage, preview: AnnouncementPreview, calendarUrl: CalendarUrl): Attachment {
  const t = announcementTexts(language).preview;
  const { announcement } = preview;
  const sendingBegan = preview.delivered !== null;
  const summary: Fact[] = [
    { title: t.audience, value: audienceSummary(index, language, announcement) },
    ...reachFacts(preview, t),
    { title: t.channels, value: announcement.channels.map((channel) => channel.label).join(', ') || t.noChannels },
  ];
  if (!sendingBegan) summary.push({ title: t.sending, value: announcement.sendAt ? osloMoment(announcement.sendAt, language) : t.sendNow });
  return renderCard<PreviewCardData>(previewTemplate, {
    title: t.title(announcement.id),
    intro: sendingBegan ? t.amendIntro : t.intro,
    card: partsOf(announcementCard(announcement, calendarUrl)),
    summaryTitle: t.summary,
    summary,
    note: preview.delivered !== null ? t.deliveredAlready(preview.delivered) : '',
    confirm: sendingBegan ? t.confirmAmend : announcement.sendAt ? t.confirmScheduled : t.confirm,
    edit: t.edit,
    id: announcement.id,
    basedOn: preview.basedOn,
    lang: language,
    values: preview.values,
  });
}

/** The coordinator's card: state, delivery progress or final report, and the announcement as it stands. */
export function announcementStatusCard(
  language: ReplyLanguage,
  status: AnnouncementStatus,
  calendarUrl: CalendarUrl,
  notice: { text: string; tone: 'Good' | 'Attention' } | null = null,
): Attachment {
  const texts = announcementTexts(language);
  const t = texts.status;
  const { announcement } = status;
  const lines: string[] = [];
  if (announcement.state === 'scheduled' && announcement.sendAt) lines.push(t.scheduledFor(osloMoment(announcement.sendAt, language)));
  if (status.delivery) lines.push(...deliveryLines(status.delivery, language));
  if (status.update) lines.push(status.update.remaining > 0 ? t.updateProgress(status.update.sent, status.update.total) : t.updateDone(status.update.sent));
  const sendingBegan = announcement.state === 'sending' || announcement.state === 'sent';
  return renderCard<StatusCardData>(statusTemplate, {
    heading: t.heading(announcement.id, texts.states[announcement.state]),
    notice: notice?.text ?? '',
    noticeColor: notice?.tone ?? 'Good',
    lines,
    card: partsOf(announcementCard(announcement, calendarUrl)),
    canChange: announcement.state !== 'cancelled' && announcement.state !== 'archived',
    amend: sendingBegan ? t.amendSent : t.amend,
    cancel: t.cancel,
    refresh: t.refresh,
    undelivered: status.delivery && status.delivery.failed > 0 ? t.showUndelivered(status.delivery.failed) : '',
    id: announcement.id,
    lang: language,
  });
}

/** Whom a delivery did not reach and why, with a link to the whole list as CSV (null: no link, nobody missing). */
export function undeliveredCard(
  language: ReplyLanguage,
  announcement: Announcement,
  recipients: readonly RecipientRecord[],
  download: { url: string; minutes: number } | null,
): Attachment {
  const t = announcementTexts(language).undelivered;
  const reason = (recipient: RecipientRecord) => {
    const installation = recipient.installation;
    if (installation !== null && installation !== 'needed' && installation !== 'done') return t.installation[installation];
    return recipient.state === 'unreachable' ? t.unreachable : recipient.attempts > 1 ? t.gaveUp(recipient.attempts) : t.rejected;
  };
  const listed = failedRecipients(recipients);
  return renderCard<UndeliveredCardData>(undeliveredTemplate, {
    title: t.title(announcement.id, announcement.title),
    none: listed.length === 0 ? t.none : '',
    rows: listed.slice(0, UNDELIVERED_ON_CARD).map((recipient) => ({ label: recipient.label ?? recipient.conversationId, reason: reason(recipient) })),
    more: listed.length > UNDELIVERED_ON_CARD ? t.more(listed.length - UNDELIVERED_ON_CARD) : '',
    expires: listed.length > 0 && download ? t.linkExpires(download.minutes) : '',
    url: listed.length > 0 && download ? download.url : '',
    download: t.download,
  });
}

export function cancelConfirmationCard(language: ReplyLanguage, announcement: Announcement): Attachment {
  const t = announcementTexts(language).cancel;
  return renderCard<CancelCardData>(cancelTemplate, {
    title: t.title(announcement.id, announcement.title),
    body: t.body,
    yes: t.yes,
    no: t.no,
    id: announcement.id,
    lang: language,
  });
}

function deliveryLines(progress: BroadcastProgress, language: ReplyLanguage): string[] {
  const t = announcementTexts(language).status;
  if (progress.total === 0) return [t.noRecipients];
  if (progress.remaining > 0) {
    const eta = progress.etaSeconds === null ? [] : [t.eta(Math.ceil(progress.etaSeconds / 60))];
    return [t.progress(progress.sent, progress.failed, progress.remaining), ...eta];
  }
  return [t.finalReport(progress.sent, progress.total, progress.failed), ...(progress.skipped > 0 ? [t.skipped(progress.skipped)] : [])];
}

/** "Roller: Innkjøper, Fagrekvirent · Prosesser: Behov til betaling", or everyone, or only the channels. */
function audienceSummary(index: DirectoryIndex, language: ReplyLanguage, announcement: Announcement): string {
  const texts = announcementTexts(language);
  const t = texts.preview;
  const { audience } = announcement;
  if (audience.everyone) return t.everyone;
  const named = (code: string, item: { nameNb: string; nameEn: string } | undefined) => (item ? localName(item, language) : code);
  const parts = [
    [t.audienceParts.roles, audience.roles.map((role) => texts.roles[role])],
    [t.audienceParts.processes, audience.processes.map((code) => named(code, index.process(code)))],
    [t.audienceParts.units, audience.units.map((code) => `${named(code, index.unit(code))} (${code})`)],
  ] as const;
  const described = parts.filter(([, names]) => names.length > 0).map(([label, names]) => `${label}: ${names.join(', ')}`);
  return described.join(' · ') || t.onlyChannels;
}

function partsOf(attachment: Attachment): CardParts {
  const content = attachment.content as { body?: unknown[]; actions?: unknown[] };
  return { body: content.body ?? [], actions: content.actions ?? [] };
}
