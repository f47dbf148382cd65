import { stringify } from 'csv-stringify/sync';
import type { InstallationFailure, RecipientRecord } from './model';

export type FailureColumn = 'label' | 'conversationId' | 'state' | 'status' | 'reason' | 'attempts' | 'updatedAt';

const COLUMNS: readonly FailureColumn[] = ['label', 'conversationId', 'state', 'status', 'reason', 'attempts', 'updatedAt'];

/** The recipients a broadcast did not reach: failed first, then unreachable, each by label. */
export function failedRecipients(recipients: readonly RecipientRecord[]): RecipientRecord[] {
  const order = { failed: 0, unreachable: 1 } as const;
  return recipients
    .filter((recipient): recipient is RecipientRecord & { state: 'failed' | 'unreachable' } => recipient.state === 'failed' || recipient.state === 'unreachable')
    .sort((a, b) => order[a.state] - order[b.state] || (a.label ?? a.conversationId).localeCompare(b.label ?? b.conversationId, 'nb'));
}

/**
 * The failures as CSV for Excel as Norwegian users have it: `;`-separated (the
 * comma is the decimal sign there), with a byte order mark so Excel reads UTF-8.
 * The headers, and the reason a recipient could not have the app installed, are
 * in the coordinator's language (the platform's own message follows it).
 */
export function failuresCsv(
  recipients: readonly RecipientRecord[],
  headers: Readonly<Record<FailureColumn, string>>,
  installationReasons?: Readonly<Record<InstallationFailure, string>>,
): Buffer {
  const reasonOf = (recipient: RecipientRecord): string => {
    const installation = recipient.installation;
    if (installationReasons === undefined || installation === null || installation === 'needed' || installation === 'done') return recipient.lastError ?? '';
    return recipient.lastError ? `${installationReasons[installation]} (${recipient.lastError})` : installationReasons[installation];
  };
  const rows = failedRecipients(recipients).map((recipient) => [
    neutraliseFormula(recipient.label ?? ''),
    recipient.conversationId,
    recipient.state,
    recipient.lastStatus === null ? '' : String(recipient.lastStatus),
    neutraliseFormula(reasonOf(recipient)),
    String(recipient.attempts),
    recipient.updatedAt,
  ]);
  const text = stringify(rows, { bom: true, delimiter: ';', record_delimiter: 'windows', header: true, columns: COLUMNS.map((column) => headers[column]) });
  return Buffer.from(text, 'utf8');
}

/** Names and connector messages must not run as formulas when Excel opens the file (CSV injection). */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
