// A console of its own for the shard move tests: starts a move to the ranges in
// SIPHA_TEST_RANGES and runs it, printing its id. The test SIGKILLs it mid-move and carries on
// from its own process, as a restarted console would. Only tests start this file.
import type { ShardRange } from '@/lib/shards/placement';

const { startMove, runMove } = await import('@/lib/shards/move');
const ranges = JSON.parse(process.env.SIPHA_TEST_RANGES ?? '[]') as ShardRange[];
const move = await startMove({ change: { ranges }, actor: 'child-console' });
console.log(`started ${move.moveId}`);
await runMove(move.moveId, 'child-console');
console.log('done');
process.exit(0);
