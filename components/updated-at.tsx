import { clock } from './clock';

/** The footer of a polled page: when it last read, and whether the last refresh failed. */
export function UpdatedAt({ at, failed }: { at: number; failed: boolean }) {
  return (
    <p className="text-xs text-slate-500">
      Updated {clock(at)}
      {failed ? ' · the last refresh failed; showing the previous state' : ''}
    </p>
  );
}
