import type { ConversationReference, TurnContext } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import { channelOf } from '../conversations/conversationIds';
import type { ConversationReferenceValue } from '../conversations/conversationReference';

export interface ProactiveTurnOptions {
  /** A request without an answer by then counts as a network error (default 30 s). */
  requestTimeoutMs?: number;
  /** Called when the connector client has no pipeline to adjust (the SDK then retries by itself). */
  onUnadjustablePipeline?: () => void;
}

/** A request and its answer as the connector client's pipeline policies see them, as far as they are used here. */
export interface PipelineRequest {
  url: string;
  timeout: number;
}
export interface PipelineResponse {
  status: number;
  headers: { get(name: string): string | undefined };
}

/** The connector client's HTTP pipeline (@azure/core-rest-pipeline), as far as it is used here. */
export interface ConnectorPipeline {
  removePolicy(options: { name: string }): unknown;
  getOrderedPolicies(): ReadonlyArray<{ name: string }>;
  addPolicy(
    policy: { name: string; sendRequest(request: PipelineRequest, next: (request: PipelineRequest) => Promise<PipelineResponse>): Promise<PipelineResponse> },
    options?: { afterPhase?: 'Serialize' | 'Retry' | 'Sign' },
  ): void;
}

/** The SDK's policy that retries 429 (after Retry-After) and 5xx by itself, up to three times. */
const SDK_RETRY_POLICY = 'defaultRetryPolicy';
const TIMEOUT_POLICY = 'proactiveRequestTimeout';
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Runs `logic` in a proactive turn in a stored conversation and lets its
 * failure reach the caller. A failure thrown out of the turn would go to the
 * app's turn-error handler, which logs it, apologises into the conversation and
 * carries on: the caller would take a 403 (bot blocked) for a delivery.
 *
 * The connector client's own retry policy is taken out of the turn's pipeline:
 * every proactive sender here (the outbox, the broadcast engine) retries by
 * itself with backoff and Retry-After, and left in, a 429 or 503 would be
 * retried inside the SDK too, unseen and outside the app's rate limit.
 */
export async function inConversation(
  adapter: Pick<TeamsAdapter, 'continueConversationAsync' | 'ConnectorClientKey'>,
  botAppId: string,
  reference: ConversationReferenceValue,
  logic: (context: TurnContext) => Promise<void>,
  options: ProactiveTurnOptions = {},
): Promise<void> {
  const turn: { failure?: { error: unknown } } = {};
  await adapter.continueConversationAsync(botAppId, botReference(reference), async (context) => {
    try {
      const pipeline = pipelineOf(context.turnState.get(adapter.ConnectorClientKey));
      if (pipeline) takeOverRetries(pipeline, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
      else options.onUnadjustablePipeline?.();
      await logic(context);
    } catch (error) {
      turn.failure = { error };
    }
  });
  if (turn.failure) throw turn.failure.error;
}

function takeOverRetries(pipeline: ConnectorPipeline, requestTimeoutMs: number): void {
  pipeline.removePolicy({ name: SDK_RETRY_POLICY });
  if (pipeline.getOrderedPolicies().some((policy) => policy.name === TIMEOUT_POLICY)) return;
  pipeline.addPolicy({
    name: TIMEOUT_POLICY,
    sendRequest: (request, next) => {
      request.timeout = requestTimeoutMs;
      return next(request);
    },
  });
}

/** The pipeline of a ConnectorClient (botframework-connector keeps it on its core-client `client`), or null. */
export function pipelineOf(connector: unknown): ConnectorPipeline | null {
  if (typeof connector !== 'object' || connector === null || !('client' in connector)) return null;
  const client = connector.client;
  if (typeof client !== 'object' || client === null || !('pipeline' in client)) return null;
  const pipeline = client.pipeline;
  if (typeof pipeline !== 'object' || pipeline === null) return null;
  const candidate = pipeline as Partial<Record<keyof ConnectorPipeline, unknown>>;
  if (typeof candidate.removePolicy !== 'function' || typeof candidate.addPolicy !== 'function' || typeof candidate.getOrderedPolicies !== 'function') return null;
  return pipeline as ConnectorPipeline;
}

/**
 * The Bot Framework's reference from a stored one. Stored references are the Bot Framework's own, kept whole
 * (ConversationMemory and "registrer kanal" store what a turn gave), so this only gives back the type the stores leave out.
 */
export function botReference(stored: ConversationReferenceValue): ConversationReference {
  return stored as ConversationReference;
}

/**
 * The reference for posting anew in a channel: the channel's own id (not a
 * thread's) and no activity to reply to, so a routed card or an announcement
 * starts its own thread instead of landing under whatever message was seen.
 */
export function channelRootReference(reference: Partial<ConversationReference>): Partial<ConversationReference> {
  const { activityId: _reply, ...rest } = reference;
  const conversation = reference.conversation;
  return conversation ? { ...rest, conversation: { ...conversation, id: channelOf(conversation.id) } } : rest;
}
