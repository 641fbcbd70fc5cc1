'use client';

import { useEffect, useState } from 'react';

function words(s: number): string {
  if (s <= 0) return 'expired';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h} h ${m} min`;
  if (m) return `${m} min ${String(sec).padStart(2, '0')} s`;
  return `${sec} s`;
}

/** Counts down from the database's "seconds left" at read time, so browser clock skew never matters. */
export function Countdown({ seconds, readAt }: { seconds: number; readAt: number }) {
  const [now, setNow] = useState(readAt);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const left = Math.round(seconds - Math.max(0, now - readAt) / 1000);
  return (
    <span className={left <= 0 ? 'font-semibold text-red-700' : left < 60 ? 'text-amber-700' : ''}>
      {words(left)}
    </span>
  );
}
