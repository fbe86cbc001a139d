/**
 * What one page of a sweep did: how many jobs it put back, and the id to go on after next round
 * (null when the page was the last, so the next round starts from the oldest again). Going on
 * from there keeps rows that can never be done (an event whose dispatch always fails) from
 * filling every round's page and hiding newer rows whose jobs Redis lost.
 */
export interface SweepRound {
  put: number;
  next: string | null;
}
