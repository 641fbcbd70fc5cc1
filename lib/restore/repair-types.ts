import type { CheckedTable } from './consistency';
import type { RowDiff, VerifyView } from './types';

// Shapes of a repair (issue 16): what it will change on which node, shown before it runs.

export type SubscriberChoice = 'survivor' | 'target' | 'delete';

export interface RepairChange {
  table: CheckedTable;
  node: 'survivor' | 'target';
  op: 'insert' | 'delete';
  /** ruid for location, id for subscriber. */
  key: string;
  /** The row inserted, or the row deleted (as it was). Secrets are redacted before display. */
  row: Record<string, unknown>;
  why: string;
}

export interface RepairPreview {
  target: string;
  survivor: string;
  /** The GTID position at which the differences were read (both nodes in snapshots). */
  position: string;
  createdAt: number;
  /** Identifies the previewed changes; applying refuses if the differences changed since. */
  digest: string;
  location: RepairChange[];
  subscriber: RepairChange[];
  /** Subscriber rows that differ, each waiting for (or showing) the operator's choice. */
  subscriberDiffs: (RowDiff & { choice: SubscriberChoice | null })[];
  /** Filled after a repair ran: the verification that ran again. */
  after: VerifyView | null;
  applied: number | null;
}
