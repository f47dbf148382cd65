import { advisorQuestionIntentRules, type AdvisorQuestionIntent } from '../../src/advisorQuestions/advisorQuestionIntents';
import { announcementIntentRules, eventIntentRules, type AnnouncementIntent, type EventIntent } from '../../src/announcements/announcementIntents';
import { privacyIntentRules, type PrivacyIntent } from '../../src/privacy/privacyIntents';
import { directoryIntentRules, type DirectoryIntent } from '../../src/questions/directoryIntents';
import { suggestionIntentRules, type SuggestionIntent } from '../../src/suggestions/suggestionIntents';
import { IntentOrder } from '../../src/understanding/intents';

export type ChatIntent = PrivacyIntent | AnnouncementIntent | SuggestionIntent | AdvisorQuestionIntent | EventIntent | DirectoryIntent;

/** The chat capabilities' intent rules, as the app's capabilities declare them: understanding as the bot does it, without Teams. */
export const chatIntentOrder = new IntentOrder<ChatIntent>([
  ...privacyIntentRules,
  ...announcementIntentRules,
  ...suggestionIntentRules,
  ...advisorQuestionIntentRules,
  ...eventIntentRules,
  ...directoryIntentRules,
]);
