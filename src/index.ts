import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { PortInUseError, startApp } from './app';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel, config.logFormat);
  const app = await startApp(config, logger);
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // A taken port is an everyday mistake: say what to do, without a stack trace.
  if (error instanceof PortInUseError) console.error(error.message);
  else console.error('The bot could not start:', error);
  process.exit(1);
});
