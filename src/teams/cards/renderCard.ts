import { Template } from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';

/** Parsed templates are reused: parsing is the costly part of templating. */
const templates = new Map<object, Template>();

/** Expands an Adaptive Card template (JSON with ${…} bindings) with typed data into an attachment. */
export function renderCard<TData extends object>(template: object, data: TData): Attachment {
  let parsed = templates.get(template);
  if (!parsed) {
    parsed = new Template(template);
    templates.set(template, parsed);
  }
  return CardFactory.adaptiveCard(parsed.expand({ $root: data }));
}

/** The card JSON itself, for invoke responses that replace a card in place. */
export function expandCard<TData extends object>(template: object, data: TData): Record<string, unknown> {
  return renderCard(template, data).content as Record<string, unknown>;
}
