import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';

export type BotAuthentication =
  | { kind: 'unauthorized'; error: unknown }
  /** Bot Framework's signing keys could not be fetched: not the caller's fault. */
  | { kind: 'keys-unavailable'; error: unknown }
  /** Runs the turn; the answer to an invoke is returned. */
  | { kind: 'authenticated'; process(logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> };

/**
 * The Teams adapter, with authentication and the turn kept apart. The SDK's
 * own `process` answers any error it meets while checking a token (a forged
 * signature, alg none, HS256, a token not yet valid) with 500 and the error's
 * message; here every such error is an authentication failure, and the caller
 * answers it with 401 and a body of its own.
 */
export class TeamsBotAdapter extends TeamsAdapter {
  async authenticate(activity: Activity, authorization: string): Promise<BotAuthentication> {
    let authentication: Awaited<ReturnType<TeamsBotAdapter['botFrameworkAuthentication']['authenticateRequest']>>;
    try {
      authentication = await this.botFrameworkAuthentication.authenticateRequest(activity, authorization);
    } catch (error) {
      return { kind: keysUnavailable(error) ? 'keys-unavailable' : 'unauthorized', error };
    }
    return { kind: 'authenticated', process: (logic) => this.processActivity(authentication, activity, logic) };
  }
}

/** The SDK reports a failed key download as a network error, or as an authentication error with a 5xx status. */
function keysUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { statusCode?: unknown }).statusCode;
  return error.name === 'FetchError' || (typeof status === 'number' && status >= 500);
}
