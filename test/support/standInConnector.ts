import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedActivity {
  conversationId: string;
  method: string;
  replyToId: string | null;
  activity: Record<string, unknown> & { type?: string; text?: string; attachments?: Array<{ contentType: string; content: unknown }> };
}

/**
 * Stands in for the Bot Framework connector service on loopback: records every
 * activity the bot sends, as Teams would receive it.
 */
export class StandInConnector {
  readonly received: RecordedActivity[] = [];
  private server: http.Server | null = null;
  private nextId = 1;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
        if (!match) {
          res.writeHead(404);
          res.end();
          return;
        }
        const activity = body ? (JSON.parse(body) as RecordedActivity['activity']) : {};
        this.received.push({
          conversationId: decodeURIComponent(match[1] ?? ''),
          method: req.method ?? 'POST',
          replyToId: match[2] ? decodeURIComponent(match[2]) : null,
          activity,
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `sent-${this.nextId++}` }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/`;
  }

  messagesIn(conversationId: string): RecordedActivity['activity'][] {
    return this.received.filter((entry) => entry.conversationId === conversationId && entry.activity.type === 'message').map((entry) => entry.activity);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
