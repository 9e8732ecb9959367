import 'reflect-metadata';
import { bootstrap } from './bootstrap';

// One clear line and a non-zero exit when the service cannot start (bad config, no Redis).
bootstrap(process.env).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
