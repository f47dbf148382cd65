import { z } from 'zod';

/**
 * The fields of an incoming activity that the SDK and the bot read, with the
 * types the Bot Framework schema gives them. Teams always sends these; an
 * activity that breaks them is refused with 400 before it reaches the adapter
 * (where `text.toLowerCase is not a function` would be a 500). Unknown fields
 * pass; what an invoke carries in its value is checked by its own handler,
 * which answers a bad payload in the shape Teams expects.
 */
const id = z.string().max(1024);
const account = z.object({ id, name: z.string().max(1024).optional(), aadObjectId: z.string().max(100).optional(), role: z.string().max(50).optional() }).passthrough();
const timestamp = z
  .string()
  .max(64)
  .refine((value) => !Number.isNaN(Date.parse(value)));
const entity = z
  .object({ type: z.string().max(100), mentioned: account.optional(), text: z.string().max(1024).optional() })
  .passthrough()
  .refine((value) => value.type !== 'mention' || value.mentioned !== undefined);
/** An Action.Execute click: the adapter routes it by its verb. */
const cardAction = z.object({ action: z.object({ type: z.string().max(100).optional(), verb: z.string().max(200) }).passthrough() }).passthrough();

const activityEnvelope = z
  .object({
    type: z.string().min(1).max(100),
    id: id.optional(),
    channelId: z.string().min(1).max(100),
    serviceUrl: z.string().url().max(2048),
    from: account,
    recipient: account,
    conversation: z
      .object({
        id,
        conversationType: z.string().max(50).optional(),
        tenantId: z.string().max(100).optional(),
        isGroup: z.boolean().optional(),
        name: z.string().max(1024).optional(),
      })
      .passthrough(),
    text: z.string().optional(),
    textFormat: z.string().max(50).optional(),
    locale: z.string().max(50).optional(),
    timestamp: timestamp.optional(),
    localTimestamp: timestamp.optional(),
    replyToId: id.optional(),
    name: z.string().min(1).max(200).optional(),
    channelData: z.object({}).passthrough().optional(),
    entities: z.array(entity).max(100).optional(),
    attachments: z
      .array(z.object({ contentType: z.string().max(200) }).passthrough())
      .max(50)
      .optional(),
    membersAdded: z.array(account).max(1000).optional(),
    membersRemoved: z.array(account).max(1000).optional(),
  })
  .passthrough()
  .superRefine((activity, context) => {
    if (activity.type === 'invoke' && activity.name === undefined) context.addIssue({ code: z.ZodIssueCode.custom, path: ['name'] });
    if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action' && !cardAction.safeParse(activity.value).success) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['value'] });
    }
  });

export function isWellFormedActivity(body: unknown): boolean {
  return activityEnvelope.safeParse(body).success;
}
