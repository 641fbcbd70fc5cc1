// Restore a fenced node (or switch over) from the shell, with the same engine as the console:
//   SIPHA_CONFIG=sipha.config.json NODE_OPTIONS=--conditions=react-server \
//     npx tsx scripts/restore.ts --target d1 [--procedure sipha|paper] [--kind restore|switchover] [--lease-ms 30000] [--json]
//   ... scripts/restore.ts --resume RUN_ID | --rollback RUN_ID | --list
import { restoreCli } from './restore-cli.ts';

restoreCli();
