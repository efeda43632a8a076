import type { ClockState } from './types';

export const CLOCK_COLOR: Record<ClockState, string> = {
  within: 'green',
  at_risk: 'orange',
  breached: 'red',
};

/** Business minutes as people say them: "45 min", "2 h 30 min", "3 h". */
export function formatMinutes(minutes: number): { hours: number; minutes: number } {
  const total = Math.abs(Math.round(minutes));
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}
