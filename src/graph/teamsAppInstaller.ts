import { InstallationError, type InstallationRequest, type RecipientInstaller } from '../broadcast/installation';
import type { ConversationReferenceJson } from '../broadcast/model';
import type { ConversationStore } from '../conversations/conversationStore';
import type { Logger } from '../logger';
import { GraphError, type GraphClient } from './graphClient';

export interface TeamsAppInstallerOptions {
  graph: GraphClient;
  /** The app's id in the organisation's Teams app catalog (TEAMS_APP_CATALOG_ID), not the manifest's id. */
  catalogAppId: string;
  /** What a conversation reference needs besides the chat: the bot, its tenant, and where Teams takes its messages. */
  bot: { id: string; tenantId: string | null; serviceUrl: string };
  /** The chat found is remembered like one the person opened: later broadcasts reach them without Graph. */
  conversations: Pick<ConversationStore, 'remember'>;
  logger: Logger;
}

interface GraphUser {
  id: string;
  displayName?: string | null;
}

/**
 * Proactive installation through Microsoft Graph (learn.microsoft.com/microsoftteams/platform/graph-api/proactive-bots-and-messages/graph-proactive-bots-and-messages):
 * finds the person by e-mail, installs the app in their personal scope (already installed counts as done), and
 * gets the chat with the app that the installation made. Needs the application permission
 * TeamsAppInstallation.ReadWriteSelfForUser.All (docs/operations.md).
 */
export class TeamsAppInstaller implements RecipientInstaller {
  constructor(private readonly options: TeamsAppInstallerOptions) {}

  async install(request: InstallationRequest): Promise<ConversationReferenceJson> {
    const { graph, catalogAppId, bot } = this.options;
    const signal = request.signal;
    try {
      const user = await this.findUser(request.email, signal);
      const apps = `/users/${encodeURIComponent(user.id)}/teamwork/installedApps`;
      try {
        await graph.request('POST', apps, { body: { 'teamsApp@odata.bind': `${graph.base}/appCatalogs/teamsApps/${encodeURIComponent(catalogAppId)}` }, signal });
      } catch (error) {
        // 409: the app is there already (the person removed nothing, or an earlier attempt got this far).
        if (!(error instanceof GraphError && error.status === 409)) throw error;
      }
      const installed = await graph.request<{ value?: Array<{ id?: string }> }>(
        'GET',
        `${apps}?$expand=teamsApp&$filter=${encodeURIComponent(`teamsApp/id eq '${odataText(catalogAppId)}'`)}`,
        { signal },
      );
      const installationId = installed?.value?.[0]?.id;
      if (!installationId) throw new InstallationError('graph-error', `Graph lists no installation of ${catalogAppId} for the user after installing it`, null);
      const chat = await graph.request<{ id?: string }>('GET', `${apps}/${encodeURIComponent(installationId)}/chat`, { signal });
      if (!chat?.id) throw new InstallationError('graph-error', 'Graph gave no chat for the installation', null);
      const reference: ConversationReferenceJson = {
        channelId: 'msteams',
        serviceUrl: bot.serviceUrl,
        conversation: { id: chat.id, conversationType: 'personal', ...(bot.tenantId ? { tenantId: bot.tenantId } : {}) },
        bot: { id: `28:${bot.id}` },
        user: { id: user.id, aadObjectId: user.id, ...(user.displayName ? { name: user.displayName } : {}) },
      };
      await this.options.conversations
        .remember({
          conversationId: chat.id,
          kind: 'personal',
          reference,
          user: { id: user.id, name: user.displayName ?? null, email: request.email },
          updatedAt: new Date().toISOString(),
        })
        // This delivery has the chat anyway; a later one installs again (409) and remembers it then.
        .catch((error: unknown) => this.options.logger.warn({ err: error, conversationId: chat.id }, 'could not remember the chat a proactive installation made'));
      return reference;
    } catch (error) {
      if (signal?.aborted || error instanceof InstallationError) throw error;
      throw installationErrorOf(error);
    }
  }

  /** The user whose e-mail (or sign-in name) it is; not-found when there is none. */
  private async findUser(email: string, signal: AbortSignal | undefined): Promise<GraphUser> {
    const filter = `mail eq '${odataText(email)}' or userPrincipalName eq '${odataText(email)}'`;
    const found = await this.options.graph.request<{ value?: GraphUser[] }>('GET', `/users?$filter=${encodeURIComponent(filter)}&$select=id,displayName,mail`, {
      signal,
    });
    const user = found?.value?.[0];
    if (!user?.id) throw new InstallationError('not-found', `nobody with the e-mail ${email} in Microsoft Graph`, 404);
    return user;
  }
}

/** A Graph failure as the broadcast lists it: no such user (404), installation not allowed (403), or Graph's error. */
function installationErrorOf(error: unknown): InstallationError {
  if (error instanceof GraphError) {
    if (error.status === 404) return new InstallationError('not-found', error.message, 404);
    if (error.status === 403) return new InstallationError('blocked', error.message, 403);
    return new InstallationError('graph-error', error.message, error.status);
  }
  return new InstallationError('graph-error', error instanceof Error ? error.message || error.name : String(error), null);
}

/** A string inside an OData literal: single quotes doubled. */
function odataText(value: string): string {
  return value.replace(/'/g, "''");
}
