import { describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { freePort, startEmbeddedAzurite } from '../../src/storage/azurite';
import { messageActivity, newUser } from '../support/botUnderTest';
import { StandInConnector } from '../support/standInConnector';

describe('health', () => {
  it('answers 503 when storage stops answering, and 200 again when it is back', async () => {
    const ports = { blob: await freePort(), queue: await freePort(), table: await freePort() };
    let azurite = await startEmbeddedAzurite({ ports });
    const config = loadConfig({ PORT: '0', STORAGE_CONNECTION_STRING: azurite.connectionString, LOG_LEVEL: 'silent' });
    const app = await startApp(config, createLogger('silent'));
    const connector = new StandInConnector();
    await connector.start();
    try {
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      await azurite.stop();
      const down = await fetch(`${app.url}/healthz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: 'unavailable', storage: 'unavailable' });

      // A question answered from memory still works; one that needs storage gets an apology, not silence.
      const user = newUser();
      await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageActivity('hvem er prosessansvarlig for PBO?', user, connector.url)),
      });
      await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageActivity('hvem er prosessrådgiver for Btb hos oss?', user, connector.url)),
      });
      const sent = JSON.stringify(connector.messagesIn(user.conversationId));
      expect(sent).toContain('stian.moe@ntnu.example');
      expect(sent).toContain('noe gikk galt hos meg');
      azurite = await startEmbeddedAzurite({ ports });
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.close();
      await connector.stop();
      await azurite.stop();
    }
  });
});
