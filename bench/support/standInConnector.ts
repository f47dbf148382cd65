import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stands in for the Bot Framework connector service on loopback, like
 * test/support/standInConnector.ts but without vitest and without keeping
 * every activity (a benchmark sends thousands): it counts what arrives per
 * conversation and keeps only the last activity of each.
 */
export class BenchConnector {
  private server: http.Server | null = null;
  private nextId = 1;
  readonly countsByConversation = new Map<string, number>();
  readonly lastByConversation = new Map<string, Record<string, unknown>>();
  received = 0;
  /** Activities naming someone (an address in the .example domain). */
  namingPeople = 0;
  rejected = 0;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
        if (!match) {
          this.rejected += 1;
          res.writeHead(404);
          res.end();
          return;
        }
        const conversationId = decodeURIComponent(match[1] ?? '');
        const body = Buffer.concat(chunks).toString('utf8');
        const activity = body ? (JSON.parse(body) as Record<string, unknown>) : {};
        this.received += 1;
        if (body.includes('@ntnu.example')) this.namingPeople += 1;
        this.countsByConversation.set(conversationId, (this.countsByConversation.get(conversationId) ?? 0) + 1);
        this.lastByConversation.set(conversationId, activity);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `sent-${this.nextId++}` }));
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  reset(): void {
    this.countsByConversation.clear();
    this.lastByConversation.clear();
    this.received = 0;
    this.namingPeople = 0;
    this.rejected = 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = null;
  }
}
