import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';

/**
 * The largest activity /api/messages reads: 256 KB. Teams caps a message
 * (text, cards, mentions) at about 100 KB counted as UTF-16, and the largest
 * activity it sends carries one such message (a message action's payload, or a
 * card's data) in an envelope of a few KB; as UTF-8 JSON with escapes that
 * stays well under 256 KB. Anything larger is not from Teams.
 */
export const ACTIVITY_LIMIT_BYTES = 256 * 1024;

/** The tabs' JSON requests (settings, a unit, a reminder, an export filter): a few KB; 64 KB is generous. */
export const TAB_REQUEST_LIMIT_BYTES = 64 * 1024;

/** Nesting deeper than this is no activity or tab request, and deep enough to overflow recursive code further on. */
const MAX_JSON_DEPTH = 64;

export type BodyRefusal = { status: 400 | 411 | 413 | 415; error: 'invalid-json' | 'length-required' | 'too-large' | 'unsupported-media-type' };
export type JsonBody = { kind: 'read'; body: unknown } | ({ kind: 'refused' } & BodyRefusal);

/**
 * Reads a JSON request body of at most `limitBytes`, and nothing else: no
 * multipart (so no temporary files), no forms, no compressed bodies (a small
 * gzip body can inflate to gigabytes). A declared Content-Length over the
 * limit is refused before a byte is read; a chunked body is read only until it
 * passes the limit; with `lengthRequired` (large limits) a body must declare
 * its length, so that no one makes the server hold the whole limit without
 * saying so first. raw-body does the reading: restify's own body reader reads
 * a body to its end even past `maxBodySize`, and inflates gzip without a limit.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number, options: { lengthRequired?: boolean } = {}): Promise<JsonBody> {
  if (!isJsonContentType(req.headers['content-type']) || !isIdentityEncoding(req.headers['content-encoding'])) {
    return { kind: 'refused', status: 415, error: 'unsupported-media-type' };
  }
  if (options.lengthRequired && req.headers['content-length'] === undefined) return { kind: 'refused', status: 411, error: 'length-required' };
  let text: string;
  try {
    text = await getRawBody(req, { limit: limitBytes, length: req.headers['content-length'] ?? null, encoding: 'utf-8' });
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    return status === 413 ? { kind: 'refused', status: 413, error: 'too-large' } : { kind: 'refused', status: 400, error: 'invalid-json' };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'refused', status: 400, error: 'invalid-json' };
  }
  return depthOf(body) > MAX_JSON_DEPTH ? { kind: 'refused', status: 400, error: 'invalid-json' } : { kind: 'read', body };
}

/** A rest of a refused body up to this size is read and dropped, keeping the connection for the client's next request. */
const SMALL_REST_BYTES = 1024 * 1024;
/** A larger rest is not read: the connection is closed this long after the answer. */
const LINGER_MS = 1000;

/** Answers a refused body, and deals with the rest of it (see answerUnreadBody). */
export function sendBodyRefusal(res: ServerResponse, refusal: BodyRefusal, headers: Record<string, string> = {}): void {
  answerUnreadBody(
    res,
    refusal.status,
    { ...headers, 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' },
    JSON.stringify({ error: refusal.error }),
  );
}

/**
 * Answers a request whose body was not read, or not wholly (too large, the
 * wrong type, or refused before authentication). A small rest Node reads and
 * drops, as it does by default, so that the connection serves the client's
 * next request. A large or unknown one is not read: the answer says
 * `Connection: close`, and the connection is closed a second after it. Not at
 * once, as Node would: closing with unread data resets the connection, and a
 * client still sending could lose the answer.
 */
export function answerUnreadBody(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  const req = res.req;
  const length = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length ?? 0) > 0;
  const largeRest = hasBody && !req.readableEnded && (length === null || length > SMALL_REST_BYTES);
  res.writeHead(status, largeRest ? { ...headers, connection: 'close' } : headers);
  res.end(body);
  if (!largeRest) return;
  // Node's own 'finish' listener has just begun dropping the rest and asked the socket to close once written (destroySoon); this one comes after it.
  res.once('finish', () => {
    req.pause();
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the very function destroySoon registered, not a call: only this reference removes it
    req.socket.removeListener('finish', req.socket.destroy);
    const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
    timer.unref();
    req.socket.once('close', () => clearTimeout(timer));
  });
}

/** application/json, with no parameter but an optional UTF-8 charset (what Bot Framework and the tab pages send). */
function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [mediaType, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return parameters.every((parameter) => parameter === '' || /^charset\s*=\s*"?utf-8"?$/.test(parameter));
}

function isIdentityEncoding(header: string | undefined): boolean {
  return header === undefined || header.trim().toLowerCase() === 'identity' || header.trim() === '';
}

/** The nesting depth of parsed JSON, without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop();
    if (!next || typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > MAX_JSON_DEPTH) return depth;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(next.value)) pending.push({ value: child, depth });
  }
  return deepest;
}
