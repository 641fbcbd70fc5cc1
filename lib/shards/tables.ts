import type { Generated, Kysely } from 'kysely';
import type { DB } from '@/lib/db/schema';

// Kysely types of the shard tables (migration 014), kept beside the code that uses them.

export type ShardTables = {
  sipha_shard_version: {
    version: number;
    ranges: string;
    reason: string;
    actor: string;
    created_at: Generated<Date>;
  };
  sipha_shard_override: {
    aor: string;
    cluster: string;
    move_id: string | null;
    created_at: Generated<Date>;
  };
  sipha_shard_route: {
    id: Generated<number>;
    key_name: string;
    key_type: Generated<number>;
    value_type: Generated<number>;
    key_value: string;
    expires: Generated<number>;
  };
};

export type ShardDB = Kysely<DB & ShardTables>;

export const shardDb = (db: Kysely<DB>): ShardDB => db.withTables<ShardTables>();
