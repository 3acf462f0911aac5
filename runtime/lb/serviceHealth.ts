// The health state machine of one service: `fall` consecutive failures take it down, `rise` consecutive successes bring it up.

export interface HealthSettings {
  intervalMs: number;
  timeoutMs: number;
  fall: number;
  rise: number;
}

export const DEFAULT_HEALTH: HealthSettings = { intervalMs: 2000, timeoutMs: 1000, fall: 2, rise: 2 };

export type HealthTransition = 'up' | 'down' | null;

export class ServiceHealth {
  private upState = true;
  private failures = 0;
  private successes = 0;
  lastReason = 'assumed up until a check says otherwise';

  constructor(private readonly settings: Pick<HealthSettings, 'fall' | 'rise'>) {}

  get up(): boolean {
    return this.upState;
  }

  /** A check result; returns the transition it caused, if any. */
  record(ok: boolean, reason: string): HealthTransition {
    if (ok) {
      this.failures = 0;
      this.successes++;
      if (!this.upState && this.successes >= this.settings.rise) {
        this.upState = true;
        this.lastReason = reason;
        return 'up';
      }
      return null;
    }
    this.successes = 0;
    this.failures++;
    if (this.upState && this.failures >= this.settings.fall) {
      this.upState = false;
      this.lastReason = reason;
      return 'down';
    }
    return null;
  }

  /** Passive failure (a real connection failed): down at once, it must then `rise` to return. */
  markDown(reason: string): HealthTransition {
    this.successes = 0;
    this.failures = Math.max(this.failures, this.settings.fall);
    if (!this.upState) return null;
    this.upState = false;
    this.lastReason = reason;
    return 'down';
  }
}
