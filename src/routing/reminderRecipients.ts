/** Who a reminder about a routed case (a suggestion, a question to the advisors) goes to. */
export type ReminderRecipient =
  | { kind: 'assignee'; id: string; email: string | null }
  | { kind: 'channel'; conversationId: string }
  /** A person the case was routed to one to one. */
  | { kind: 'person'; email: string };

/**
 * The receivers of a case's route where its card reached them (`channel:<id>` or an e-mail, as the route names them):
 * elsewhere the card itself still waits in the outbox, and the digest counts it.
 */
export function reachedRecipients(route: readonly string[], postings: readonly { recipient: string }[]): ReminderRecipient[] {
  const reached = new Set(postings.map((posting) => posting.recipient));
  return route
    .filter((recipient) => reached.has(recipient))
    .map((recipient): ReminderRecipient =>
      recipient.startsWith('channel:') ? { kind: 'channel', conversationId: recipient.slice('channel:'.length) } : { kind: 'person', email: recipient },
    );
}

/** One key per recipient, for reminder ids: a quiet period gives one reminder per recipient however often it is looked for. */
export function reminderRecipientKey(recipient: ReminderRecipient): string {
  switch (recipient.kind) {
    case 'assignee':
      return `user:${recipient.id}`;
    case 'channel':
      return `channel:${recipient.conversationId}`;
    case 'person':
      return recipient.email;
  }
}
