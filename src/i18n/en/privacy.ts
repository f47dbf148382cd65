import type { DeletionReport } from '../../privacy/personalData';
import type { PrivacyTexts } from '../nb/privacy';

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export const privacyEn: PrivacyTexts = {
  confirm: {
    title: 'Delete your data?',
    body:
      'I will delete the unit you gave me, your process roles and subscriptions, your reminders, and what I have stored about our chat and about the announcements and messages I sent you. ' +
      'This cannot be undone.',
    keep:
      'Improvement suggestions you submitted or supported stay with the process team, but without your name and e-mail address, and nobody will contact you about them. The same goes for questions you asked the process advisors. ' +
      'If you write to me again later, I store the chat again, but nothing else.',
    delete: 'Yes, delete my data',
    cancel: 'Cancel',
  },
  personalChatOnly: 'I only delete personal data when you ask in a personal chat with me. Write "delete my data" to me there.',
  notRequester: 'Only the person who asked for the deletion can confirm it. Nothing has been deleted.',
  cancelled: { title: 'Nothing was deleted', body: 'Your data is as it was.' },
  deleted: (report) => {
    const parts: string[] = [];
    const count = (kind: keyof DeletionReport, one: string, many: (n: number) => string) => {
      const n = report[kind].length;
      if (n > 0) parts.push(n === 1 ? one : many(n));
    };
    if (report.profile.length > 0) parts.push('the unit you gave me');
    count('conversationContexts', 'the context of 1 conversation', (n) => `the context of ${n} conversations`);
    if (report.subscriptions.length > 0) parts.push('your process roles and subscriptions');
    count('reminders', '1 reminder', (n) => `${n} reminders`);
    count('deliveryRecords', '1 record of an announcement or reminder I sent you', (n) => `${n} records of announcements and reminders I sent you`);
    count('outboxMessages', '1 message to or about you in my delivery queue', (n) => `${n} messages to or about you in my delivery queue`);
    if (report.roleHolders.length > 0) parts.push('you in the role-holder list (the coordinator adds you again if you are still in the Unit4 export)');
    count('channelRegistrations', 'your name in 1 channel registration', (n) => `your name in ${n} channel registrations`);
    if (report.personalChat.length > 0) parts.push('what I had stored about our chat');
    const deleted = parts.length > 0 ? `I have deleted ${list(parts)}.` : 'I had no other personal data about you stored.';
    const suggestionIds = report.suggestions;
    const suggestions =
      suggestionIds.length === 0
        ? ''
        : ` Your name and e-mail address have been removed from ${suggestionIds.length === 1 ? 'the improvement suggestion' : `${suggestionIds.length} improvement suggestions`} ${list(suggestionIds)}, which the process team still has.`;
    const ids = report.advisorQuestions;
    const questions =
      ids.length === 0
        ? ''
        : ` Your name has been removed from ${ids.length === 1 ? 'the question' : `${ids.length} questions`} ${list(ids)} you asked the process advisors, who still have them.`;
    return { title: 'Your data has been deleted', body: deleted + suggestions + questions };
  },
  failed: 'Something went wrong on the way, so not everything is certain to be deleted. Please try again shortly: what is already deleted stays deleted.',
  cardError: 'Something went wrong with the card. Write "delete my data" again.',
  anonymised: 'Deleted user',
};
