import { type RunState, STEP_TITLES, STEPS, type StepId, type StepStatus } from '@/lib/wizard/types';

const mark: Record<StepStatus, { text: string; cls: string }> = {
  pending: { text: 'to do', cls: 'bg-slate-100 text-slate-600' },
  running: { text: 'running', cls: 'bg-blue-100 text-blue-800' },
  done: { text: 'done', cls: 'bg-green-100 text-green-800' },
  failed: { text: 'failed', cls: 'bg-red-100 text-red-800' },
  interrupted: { text: 'interrupted', cls: 'bg-amber-100 text-amber-800' },
};

export function StepList({
  run,
  selected,
  onSelect,
}: {
  run: RunState;
  selected: StepId;
  onSelect: (s: StepId) => void;
}) {
  return (
    <nav aria-label="Wizard steps">
      <ol className="space-y-1">
        {STEPS.map((s, i) => {
          const st = run.steps[s].status;
          return (
            <li key={s}>
              <button
                type="button"
                onClick={() => onSelect(s)}
                aria-current={selected === s ? 'step' : undefined}
                className={`flex w-full items-center justify-between rounded px-2 py-1.5 text-left text-sm ${selected === s ? 'bg-slate-900 text-white' : 'hover:bg-slate-100'}`}
              >
                <span>
                  {i + 1}. {STEP_TITLES[s]}
                </span>
                <span className={`rounded px-1.5 text-xs ${mark[st].cls}`}>{mark[st].text}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
