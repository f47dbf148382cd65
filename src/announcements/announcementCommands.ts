import type { MessageReading } from '../understanding/readMessage';

/** What a chat message asks of the announcement capability, if anything. */
export type AnnouncementCommand =
  | { kind: 'new' }
  /** id null: the message did not say which. */
  | { kind: 'amend'; id: string | null }
  | { kind: 'cancel'; id: string | null }
  | { kind: 'status'; id: string }
  /** Who did not get it. */
  | { kind: 'undelivered'; id: string };

/** The id as it stands among the message's words ("KU-2026-0007" → "ku 2026 0007"). */
const ANNOUNCEMENT_ID_WORDS = /\bku \d{4} \d{1,6}\b/g;
const ANNOUNCEMENT_WORD = /\b(kunngjoring(en|er|ene)?|kunngjering(a|ar|ane)?|announcements?)\b/;
const NEW = /\b(ny|nytt|lag|opprett|skriv|send|new|create|write)\b( en| ei| an| a)? (kunngjoring|kunngjering|announcement)\b/;
const AMEND = /\b(endre|endra|rediger|oppdater|flytt|change|edit|update|amend|reschedule)\b/;
const CANCEL = /\b(avlys|avlyse|cancel)\b/;
const UNDELIVERED =
  /\b(ikke (levert|nadd|fatt|fikk)|ikkje (levert|nadd|fatt|fekk)|(fikk|fekk|fatt|nadd) (ikke|ikkje)|feil|feila|feilet|failed|failures|undelivered|not (delivered|reached|get))\b/;
/** Without a number only a request is taken ("avlys kunngjøringen"), not a question ("hvilke kunngjøringer er endret?"). */
const AT_START = (verbs: RegExp): RegExp => new RegExp(`^(${verbs.source})`);

/**
 * Recognises the announcement commands of the chat: "ny kunngjøring", "endre
 * kunngjøring KU-2026-0007", "avlys KU-2026-0007", "status KU-2026-0007",
 * "ikke levert KU-2026-0007" (who it did not reach).
 * Only messages that name an announcement (by the word or its number) are
 * taken, so questions about courses are left to the other capabilities.
 */
export function parseAnnouncementCommand(reading: MessageReading): AnnouncementCommand | null {
  const folded = reading.words;
  const id = reading.announcementId;
  if (!id && !ANNOUNCEMENT_WORD.test(folded)) return null;
  if ((id ? CANCEL : AT_START(CANCEL)).test(folded)) return { kind: 'cancel', id };
  if ((id ? AMEND : AT_START(AMEND)).test(folded)) return { kind: 'amend', id };
  if (id && UNDELIVERED.test(folded)) return { kind: 'undelivered', id };
  if (id) return isStatusRequest(folded) ? { kind: 'status', id } : null;
  if (NEW.test(folded)) return { kind: 'new' };
  return null;
}

/** Only the number, perhaps with "status" or "kunngjøring": other commands name announcements too ("legg til opptak KU-…"). */
function isStatusRequest(folded: string): boolean {
  const rest = folded
    .replace(ANNOUNCEMENT_ID_WORDS, ' ')
    .replace(new RegExp(ANNOUNCEMENT_WORD.source, 'g'), ' ')
    .replace(/\b(status|vis|show|for|of|pa|til|om)\b/g, ' ');
  return rest.trim() === '';
}
