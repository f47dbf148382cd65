import { ActivityTypes, type Attachment } from 'botbuilder';
import { inConversation } from '../proactive';
import type { TeamsAdapter } from '@microsoft/teams-ai';

/** Writes to a conversation outside a turn: posts a card, or replaces one the bot posted earlier. */
export interface ProactiveMessenger {
  /** Returns the new message's activity id. */
  post(reference: Record<string, unknown>, card: Attachment): Promise<string>;
  replace(reference: Record<string, unknown>, activityId: string, card: Attachment): Promise<void>;
}

export function proactiveMessenger(adapter: TeamsAdapter, botAppId: string): ProactiveMessenger {
  return {
    async post(reference, card) {
      let id = '';
      await inConversation(adapter, botAppId, reference, async (context) => {
        // A new message, not a reply to the id the SDK makes up for the proactive turn.
        context.onSendActivities(async (_context, activities, next) => {
          for (const activity of activities) delete activity.replyToId;
          return next();
        });
        id = (await context.sendActivity({ type: ActivityTypes.Message, attachments: [card] }))?.id ?? '';
      });
      return id;
    },
    async replace(reference, activityId, card) {
      await inConversation(adapter, botAppId, reference, async (context) => {
        await context.updateActivity({ id: activityId, type: ActivityTypes.Message, attachments: [card] });
      });
    },
  };
}
