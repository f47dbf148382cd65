import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** Names this running process among the app's instances (host, process and a random suffix), e.g. in claims and leases. */
export function instanceId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
