// The one loop for background samplers: a round now, then one every `ms`, and never two rounds
// of the same loop at once (a round still running when the next is due is skipped, so a hung
// node cannot pile up rounds). The timer does not keep the process alive.

export function every(ms: number, round: () => Promise<unknown> | unknown): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await round();
    } catch (err) {
      // Rounds handle their own errors; this only keeps one from becoming an unhandled rejection.
      console.error('[sipha] background round failed:', (err as { code?: string }).code ?? 'error');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), ms);
  timer.unref();
  return () => clearInterval(timer);
}
