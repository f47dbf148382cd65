/** An account a conversation reference names: the bot, or the user who last wrote there. */
export type ReferenceAccount = {
  readonly id?: string;
  readonly name?: string;
  /** The Entra object id, which the app uses as the user's id. */
  readonly aadObjectId?: string;
  readonly role?: string;
};

/**
 * Where the bot can write to a conversation later: the Bot Framework's
 * conversation reference, stored whole as Teams gave it (ConversationMemory,
 * "registrer kanal") and handed back to the Bot Framework by the Teams adapter
 * (botReference in src/teams/proactive.ts). The fields named here are the ones
 * the app reads; the value keeps whatever else Teams put in it.
 */
export type ConversationReferenceValue = {
  readonly conversation?: {
    readonly id?: string;
    readonly conversationType?: string;
    readonly tenantId?: string;
    readonly name?: string;
    readonly isGroup?: boolean;
  };
  readonly user?: ReferenceAccount;
  readonly bot?: ReferenceAccount;
  readonly channelId?: string;
  readonly serviceUrl?: string;
  readonly activityId?: string;
  readonly locale?: string;
};
