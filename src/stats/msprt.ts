/**
 * Mixture sequential probability ratio test (mSPRT; Johari, Pekelis & Walsh 2017, "Always valid
 * inference"). With a normal mixing distribution N(θ0, τ²) over the true difference θ and an
 * estimate θ̂ whose variance is V, the mixture likelihood ratio is
 *   Λ = sqrt(V / (V + τ²)) · exp( τ² (θ̂ − θ0)² / (2 V (V + τ²)) ).
 * The always-valid p-value is the running minimum of min(1, 1/Λ) over every look: peeking at it
 * after each batch keeps the type-I error at α, unlike a fixed-horizon p-value.
 */
export function msprtLikelihoodRatio(estimate: number, variance: number, tau2: number, theta0 = 0): number {
  if (!(variance > 0) || !(tau2 > 0)) return 1;
  const dev = estimate - theta0;
  return Math.sqrt(variance / (variance + tau2)) * Math.exp((tau2 * dev * dev) / (2 * variance * (variance + tau2)));
}

export interface MsprtLook {
  /** Difference of means (or proportions): treatment − control. */
  diff: number;
  /** Variance of `diff`: σ²_t/n_t + σ²_c/n_c (for proportions p(1−p)/n each). */
  variance: number;
}

/** Variance of a difference of two independent proportions. */
export function proportionDiffVariance(xT: number, nT: number, xC: number, nC: number): number {
  const pT = xT / nT;
  const pC = xC / nC;
  return (pT * (1 - pT)) / nT + (pC * (1 - pC)) / nC;
}

/**
 * Always-valid p-value tracker. `tau2` is the mixing variance: roughly the square of the effect
 * size you expect to detect (e.g. (0.02)² for a 2-point change in a rate).
 */
export class MsprtMonitor {
  private p = 1;
  constructor(private readonly tau2: number, private readonly theta0 = 0) {}

  /** Records one look; returns the always-valid p-value so far. */
  update(look: MsprtLook): number {
    const lambda = msprtLikelihoodRatio(look.diff, look.variance, this.tau2, this.theta0);
    this.p = Math.min(this.p, 1 / lambda);
    return this.p;
  }

  get pValue(): number {
    return this.p;
  }
}

/** The always-valid p-value after a sequence of looks. */
export function msprtPValue(looks: Iterable<MsprtLook>, tau2: number, theta0 = 0): number {
  const m = new MsprtMonitor(tau2, theta0);
  for (const l of looks) m.update(l);
  return m.pValue;
}
