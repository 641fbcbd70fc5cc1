// The restore command line with a pause where a test kills the process (inside the lock window,
// or after the switch). Only tests start this file; the console and scripts/restore.ts cannot
// pause a run, whatever their environment.
import { restoreCli, type TestPauses } from '../../scripts/restore-cli.ts';

restoreCli(JSON.parse(process.env.SIPHA_TEST_PAUSES ?? '{}') as TestPauses);
