import type { PrivacyTexts } from '../nb/privacy';

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export const privacyEn: PrivacyTexts = {
  confirm: {
    title: 'Delete your data?',
    body: 'I will delete the unit you gave me, your process roles and subscriptions, your reminders and what I have stored about our chat. This cannot be undone.',
    keep:
      'Improvement suggestions you submitted or supported stay with the process team, but without your name and e-mail address, and nobody will contact you about them. ' +
      'If you write to me again later, I store the chat again, but nothing else.',
    delete: 'Yes, delete my data',
    cancel: 'Cancel',
  },
  personalChatOnly: 'I only delete personal data when you ask in a personal chat with me. Write "delete my data" to me there.',
  notRequester: 'Only the person who asked for the deletion can confirm it. Nothing has been deleted.',
  cancelled: { title: 'Nothing was deleted', body: 'Your data is as it was.' },
  deleted: (report) => {
    const parts: string[] = [];
    if (report.profile) parts.push('the unit you gave me');
    if (report.subscriptions) parts.push('your process roles and subscriptions');
    if (report.reminders > 0) parts.push(report.reminders === 1 ? '1 reminder' : `${report.reminders} reminders`);
    if (report.personalChat) parts.push('what I had stored about our chat');
    const deleted = parts.length > 0 ? `I have deleted ${list(parts)}.` : 'I had no other personal data about you stored.';
    const count = report.anonymisedSuggestions.length;
    const suggestions =
      count === 0
        ? ''
        : ` Your name and e-mail address have been removed from ${count === 1 ? 'the improvement suggestion' : `${count} improvement suggestions`} ${list(report.anonymisedSuggestions)}, which the process team still has.`;
    return { title: 'Your data has been deleted', body: deleted + suggestions };
  },
  failed: 'Something went wrong on the way, so not everything is certain to be deleted. Please try again shortly: what is already deleted stays deleted.',
  cardError: 'Something went wrong with the card. Write "delete my data" again.',
  anonymised: 'Deleted user',
};
