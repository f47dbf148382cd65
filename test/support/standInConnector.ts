import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedActivity {
  conversationId: string;
  method: string;
  replyToId: string | null;
  activity: Record<string, unknown> & { type?: string; text?: string; attachments?: Array<{ contentType: string; content: unknown }> };
  /** performance.now() when it arrived. */
  at: number;
}

/**
 * Stands in for the Bot Framework connector service on loopback: records every
 * activity the bot sends, as Teams would receive it.
 */
export class StandInConnector {
  readonly received: RecordedActivity[] = [];
  /** Teams members by user id, as GET …/members/{id} returns them (e-mail is what the bot asks for). */
  readonly members = new Map<string, { id: string; name: string; email: string; userPrincipalName?: string; aadObjectId?: string }>();
  /** Answers to give instead of 200, by conversation id: status and optional Retry-After seconds. */
  readonly failures = new Map<string, { status: number; retryAfter?: number; remaining: number }>();
  private server: http.Server | null = null;
  private nextId = 1;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/?]+)/.exec(req.url ?? '');
        if (member) {
          const found = this.members.get(decodeURIComponent(member[2] ?? ''));
          res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
          res.end(JSON.stringify(found ?? { error: { code: 'MemberNotFoundInConversation' } }));
          return;
        }
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
        if (!match) {
          res.writeHead(404);
          res.end();
          return;
        }
        const conversationId = decodeURIComponent(match[1] ?? '');
        const failure = this.failures.get(conversationId);
        if (failure && failure.remaining > 0) {
          failure.remaining -= 1;
          res.writeHead(failure.status, { 'content-type': 'application/json', ...(failure.retryAfter ? { 'retry-after': String(failure.retryAfter) } : {}) });
          res.end(JSON.stringify({ error: { code: 'Failure', message: `stand-in failure ${failure.status}` } }));
          return;
        }
        const activity = body ? (JSON.parse(body) as RecordedActivity['activity']) : {};
        this.received.push({
          conversationId,
          method: req.method ?? 'POST',
          replyToId: match[2] ? decodeURIComponent(match[2]) : null,
          activity,
          at: performance.now(),
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        // An update keeps its activity id; a new activity gets a fresh one.
        res.end(JSON.stringify({ id: req.method === 'PUT' && match[2] ? decodeURIComponent(match[2]) : `sent-${this.nextId++}` }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/`;
  }

  /** New messages (POST) in a conversation, in order. */
  messagesIn(conversationId: string): RecordedActivity['activity'][] {
    return this.received.filter((entry) => entry.conversationId === conversationId && entry.method === 'POST' && entry.activity.type === 'message').map((entry) => entry.activity);
  }

  /** In-place updates (PUT) of messages in a conversation, in order. */
  updatesIn(conversationId: string): RecordedActivity[] {
    return this.received.filter((entry) => entry.conversationId === conversationId && entry.method === 'PUT');
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
