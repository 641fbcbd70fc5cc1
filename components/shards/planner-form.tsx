'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useActionState, useEffect, useState } from 'react';
import { FieldError, WriteResult } from '@/components/users/write-result';
import { type ActionState, idle } from '@/lib/action-state';

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

/** Ranges as text; "Preview" counts what would move from the real rows, "Move" does it online. */
export function PlannerForm({ text, preview, move }: { text: string; preview: Action; move: Action }) {
  // Controlled: React resets a form after its action, and the ranges just previewed must stay
  // in front of the reader next to their counts.
  const [ranges, setRanges] = useState(text);
  const [previewState, previewAction, previewing] = useActionState(preview, idle);
  const [moveState, moveAction, moving] = useActionState(move, idle);
  // A move started: show it at once (the page polls faster while it runs).
  const client = useQueryClient();
  useEffect(() => {
    if (moveState.status === 'saved') void client.invalidateQueries({ queryKey: ['shards'] });
  }, [moveState, client]);
  const invalid = [previewState, moveState].find((s) => s.status === 'invalid');
  const errors = invalid?.status === 'invalid' ? invalid.fieldErrors : {};
  return (
    <form
      noValidate
      className="space-y-3 rounded border border-slate-200 p-4"
      aria-labelledby="planner-title"
    >
      <h2 id="planner-title" className="font-semibold">
        Plan a change
      </h2>
      <p className="text-sm text-slate-600">
        One range per line: the first user part of the range, then its cluster. <code>*</code> is the start.
        Or hash buckets, which spread users evenly whatever their names: <code>#</code> and up to 4 hex digits
        of the MD5 of the user part (<code>* c1</code> and <code>#8 c2</code> give each cluster half). Users
        whose cluster changes are copied with their live registrations, switched in the first stage, verified,
        then removed from their old cluster.
      </p>
      <label htmlFor="planner-ranges" className="block text-sm font-medium">
        Ranges
      </label>
      <textarea
        id="planner-ranges"
        name="ranges"
        rows={6}
        value={ranges}
        onChange={(e) => setRanges(e.target.value)}
        spellCheck={false}
        className="w-full max-w-md rounded border border-slate-300 px-2 py-1 font-mono text-sm"
        aria-describedby="planner-ranges-error"
        aria-invalid={Boolean(errors.ranges)}
      />
      <FieldError id="planner-ranges-error" errors={errors.ranges} />
      <div className="flex gap-3">
        <button
          type="submit"
          formAction={previewAction}
          disabled={previewing}
          className="rounded border border-slate-400 px-3 py-1 text-sm"
        >
          {previewing ? 'Counting…' : 'Preview'}
        </button>
        <button
          type="submit"
          formAction={moveAction}
          disabled={moving}
          className="rounded bg-slate-800 px-3 py-1 text-sm text-white"
        >
          {moving ? 'Starting…' : 'Move users'}
        </button>
      </div>
      <WriteResult state={previewState} />
      <WriteResult state={moveState} />
    </form>
  );
}
