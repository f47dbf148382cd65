import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: pino.LevelWithSilent): Logger {
  return pino({ name: 'okonomi-og-lonn', level });
}
