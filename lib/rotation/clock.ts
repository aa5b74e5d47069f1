// The one clock key rotation runs on: due dates, reminders, grace expiry and the end of a roll's overlap are
// all judged at clock(). Production passes the system clock; tests pass one they move, so a key can be
// walked through its whole life in a second without sleeping.
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock a test moves by hand. */
export function manualClock(start: Date): Clock & { advance(ms: number): void; set(at: Date): void } {
  let at = start.getTime();
  const clock = () => new Date(at);
  clock.advance = (ms: number) => void (at += ms);
  clock.set = (when: Date) => void (at = when.getTime());
  return clock;
}
