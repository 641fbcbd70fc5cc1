/** A time of day as the console shows it everywhere: 24-hour, with seconds. */
export const clock = (t: string | number | Date) =>
  new Date(t).toLocaleTimeString('en-GB', { hour12: false });
