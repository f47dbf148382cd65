import { Template } from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';

/** Parsed templates are reused: parsing is the costly part of templating. */
const templates = new Map<object, Template>();

/**
 * Cards expanded lately, by template and data: the same answer is asked for
 * again and again (a process at a unit, in one language), and expanding it
 * costs more than the rest of the reply. Templates read nothing but their
 * data (no time or random functions), so the same data gives the same card.
 */
const expanded = new Map<object, Map<string, string>>();
const EXPANDED_PER_TEMPLATE = 500;

/** Expands an Adaptive Card template (JSON with ${…} bindings) with typed data into an attachment. */
export function renderCard<TData extends object>(template: object, data: TData): Attachment {
  let cards = expanded.get(template);
  if (!cards) {
    cards = new Map();
    expanded.set(template, cards);
  }
  const key = JSON.stringify(data);
  let card = cards.get(key);
  if (card === undefined) {
    let parsed = templates.get(template);
    if (!parsed) {
      parsed = new Template(template);
      templates.set(template, parsed);
    }
    card = JSON.stringify(parsed.expand({ $root: data }));
    if (cards.size >= EXPANDED_PER_TEMPLATE) cards.delete(cards.keys().next().value as string);
    cards.set(key, card);
  }
  // A fresh copy each time: callers may add to the card they get.
  return CardFactory.adaptiveCard(JSON.parse(card));
}

/** The card JSON itself, for invoke responses that replace a card in place. */
export function expandCard<TData extends object>(template: object, data: TData): Record<string, unknown> {
  return renderCard(template, data).content as Record<string, unknown>;
}
