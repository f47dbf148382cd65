import type { MessageReading } from './readMessage';

/** What one message asks of one capability. Each capability defines its own intents beside its domain; `capability` names it. */
export interface Intent {
  readonly capability: string;
}

/**
 * One way a capability recognises what a message asks of it. Every capability's
 * rules are tried in one order, by priority (lowest first), and the first that
 * claims the message wins: one intent per turn (see IntentOrder). A capability
 * may have rules at several places in the order: suggestions' explicit
 * commands go before a who-question, a new suggestion after it.
 */
export interface IntentRule<I> {
  /** Names the rule in the order and in errors: "privacy: slett mine data". */
  readonly name: string;
  /** Its place in the order; no two rules share one. The order of the app's rules is in README's architecture section. */
  readonly priority: number;
  /** What the message asks of the capability, or null when it asks something else; from the reading, never the text. */
  recognise(reading: MessageReading): I | null;
}

/** The chat's last rule, which claims what no other does ("not understood" included): after every other. */
export const LAST_INTENT_PRIORITY = Number.MAX_SAFE_INTEGER;

/** Every capability's intent rules in one order, built once when the app starts. */
export class IntentOrder<I> {
  private readonly rules: readonly IntentRule<I>[];

  constructor(rules: Iterable<IntentRule<I>>) {
    this.rules = [...rules].sort((a, b) => a.priority - b.priority);
    for (const [index, rule] of this.rules.entries()) {
      const previous = this.rules[index - 1];
      // Equal priorities would leave the winner to registration order, which nobody chose.
      if (previous !== undefined && previous.priority === rule.priority)
        throw new Error(`The intent rules "${previous.name}" and "${rule.name}" have the same priority (${rule.priority}); give each its own place in the order.`);
    }
  }

  /** The rules' names, in the order they are tried. */
  get names(): string[] {
    return this.rules.map((rule) => rule.name);
  }

  /** The intent of the first rule that claims the message. */
  choose(reading: MessageReading): I {
    for (const rule of this.rules) {
      const intent = rule.recognise(reading);
      if (intent !== null) return intent;
    }
    throw new Error('No capability claims the message: one chat capability must claim what no other does (at LAST_INTENT_PRIORITY).');
  }
}

/**
 * A reading's value worked out once per message, however many of a capability's rules ask for it (the suggestion
 * command before a who-question and after it, say).
 */
export function oncePerReading<T>(read: (reading: MessageReading) => T): (reading: MessageReading) => T {
  const values = new WeakMap<MessageReading, { value: T }>();
  return (reading) => {
    let known = values.get(reading);
    if (known === undefined) {
      known = { value: read(reading) };
      values.set(reading, known);
    }
    return known.value;
  };
}
