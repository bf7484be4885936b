/**
 * Circuit breaker state machine for one upstream, with the clock injected (pure, no timers).
 * closed → open after `failureThreshold` consecutive failures; open → half_open once
 * `openMs` has passed; half_open lets `halfOpenProbes` requests through: a success closes the
 * breaker, a failure opens it again for another `openMs`.
 */
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerSettings {
  failureThreshold: number;
  openMs: number;
  halfOpenProbes: number;
}

export const DEFAULT_BREAKER: BreakerSettings = { failureThreshold: 5, openMs: 30_000, halfOpenProbes: 1 };

export class CircuitBreaker {
  private stateValue: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probesInFlight = 0;

  constructor(private readonly settings: BreakerSettings = DEFAULT_BREAKER) {}

  /** The state at `now` (an open breaker whose time is up reads as half_open). */
  state(now: number): BreakerState {
    if (this.stateValue === 'open' && now - this.openedAt >= this.settings.openMs) {
      this.stateValue = 'half_open';
      this.probesInFlight = 0;
    }
    return this.stateValue;
  }

  /** Asks to send one request; in half_open this reserves a probe slot. */
  tryAcquire(now: number): boolean {
    const s = this.state(now);
    if (s === 'closed') return true;
    if (s === 'open') return false;
    if (this.probesInFlight >= this.settings.halfOpenProbes) return false;
    this.probesInFlight++;
    return true;
  }

  onSuccess(now: number): void {
    const s = this.state(now);
    this.consecutiveFailures = 0;
    if (s === 'half_open') {
      this.stateValue = 'closed';
      this.probesInFlight = 0;
    }
  }

  onFailure(now: number): void {
    const s = this.state(now);
    if (s === 'half_open') {
      this.trip(now);
      return;
    }
    if (s === 'open') return;
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= this.settings.failureThreshold) this.trip(now);
  }

  /** A request that got a slot but ended without a verdict (client gone, not the upstream's fault). */
  release(now: number): void {
    if (this.state(now) === 'half_open' && this.probesInFlight > 0) this.probesInFlight--;
  }

  private trip(now: number): void {
    this.stateValue = 'open';
    this.openedAt = now;
    this.consecutiveFailures = 0;
    this.probesInFlight = 0;
  }
}
