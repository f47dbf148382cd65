/**
 * Teams names a channel thread by the channel's id plus ";messageid=<root
 * post>". Posting anew goes to the channel itself, and an action on a card in
 * a thread belongs to the same channel.
 */
export function channelOf(conversationId: string): string {
  return conversationId.replace(/;messageid=[^;]*$/i, '');
}
