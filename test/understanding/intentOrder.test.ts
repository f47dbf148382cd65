import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IntentOrder, LAST_INTENT_PRIORITY, oncePerReading, type IntentRule } from '../../src/understanding/intents';
import type { MessageReading } from '../../src/understanding/readMessage';
import { chatIntentOrder, sampleUnderstander, type ChatUnderstander } from '../support/understanding';

let understander: ChatUnderstander;
beforeAll(async () => {
  understander = await sampleUnderstander();
});

const rule = (name: string, priority: number, claims: (reading: MessageReading) => boolean): IntentRule<string> => ({
  name,
  priority,
  recognise: (reading) => (claims(reading) ? name : null),
});

describe('IntentOrder', () => {
  it('tries the rules by priority, whatever order they are given in, and the first that claims the message wins', () => {
    const order = new IntentOrder([
      rule('last', LAST_INTENT_PRIORITY, () => true),
      rule('help', 20, (reading) => reading.asksHelp),
      rule('greeting', 10, (reading) => reading.greets),
    ]);
    expect(order.names).toEqual(['greeting', 'help', 'last']);
    expect(order.choose(understander.read('hei'))).toBe('greeting');
    expect(order.choose(understander.read('hjelp'))).toBe('help');
    expect(order.choose(understander.read('hva er Btb?'))).toBe('last');
  });

  it('refuses two rules at the same priority', () => {
    expect(() => new IntentOrder([rule('one', 10, () => true), rule('other', 10, () => true)])).toThrow(
      'The intent rules "one" and "other" have the same priority (10); give each its own place in the order.',
    );
  });

  it('fails a message no rule claims', () => {
    expect(() => new IntentOrder([rule('help', 20, (reading) => reading.asksHelp)]).choose(understander.read('hva er Btb?'))).toThrow(/No capability claims the message/);
  });

  it('works a value out once per reading, however many rules ask for it', () => {
    let reads = 0;
    const words = oncePerReading((reading) => (reads += 1) && reading.words);
    const reading = understander.read('hjelp');
    expect([words(reading), words(reading)]).toEqual(['hjelp', 'hjelp']);
    expect(reads).toBe(1);
    words(understander.read('hei'));
    expect(reads).toBe(2);
  });
});

describe("the chat capabilities' rules", () => {
  // The order README's architecture section shows; each capability places its own rules (src/<capability>/…Intents.ts).
  it('are tried in the documented order', () => {
    expect(chatIntentOrder.names).toEqual([
      'privacy: "slett mine data", the whole message',
      'announcements: anything naming an announcement (KU-2026-0007, "kunngjøring")',
      'suggestions: explicit commands (FF- id, channel registration, export, "mine forslag", "åpne forslag")',
      'questions to the advisors: "mine spørsmål"',
      'directory: a question about who',
      'events: process roles, subscriptions, courses and recordings',
      'suggestions: a new one, or how one travels ("forbedringsforslag", "suggest an improvement")',
      'directory: everything else (stating one\'s unit, explanations, errors, help, "not understood")',
    ]);
  });

  // A capability's rules live in its domain, in src/<capability>/<capability>Intents.ts (README: Adding a capability).
  it("are every capability's, as declared beside its domain", async () => {
    const src = path.resolve(__dirname, '../../src');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((file) => /[a-z]Intents\.ts$/.test(file));
    const declared: string[] = [];
    for (const file of files) {
      const exported = Object.values((await import(path.join(src, file))) as Record<string, unknown>);
      for (const value of exported) if (Array.isArray(value)) declared.push(...(value as IntentRule<unknown>[]).map((rule) => rule.name));
    }
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect([...declared].sort()).toEqual([...chatIntentOrder.names].sort());
  });
});
