import type { SimSettings } from '../config/schema.js';
import { createRng, type Rng } from '../stats/prng.js';
import { abortError } from './abort.js';
import { freeAnswer, hashUniform, wrongAnswer } from './sim-answers.js';
import { ProviderError, type CompletionRequest, type CompletionResult, type Provider } from './types.js';

export interface SimProviderOptions {
  ref: string;
  /** Free label reported as the model id. */
  model: string;
  settings: SimSettings;
  /** Draws latency and transient errors; default a PRNG seeded from the settings' seed and ref. */
  rng?: Rng;
}

/** z such that P(Z ≤ z) = 0.95 for a standard normal (Φ⁻¹(0.95)). */
const Z95 = 1.6448536269514722;

const approxTokens = (chars: number) => Math.max(1, Math.ceil(chars / 4));

/**
 * A SIMULATED model, labelled synthetic everywhere. Correctness is a pure function of
 * (seed, caseId): correct iff u(seed, caseId) < accuracy, so two simulated models with one seed
 * and accuracies 0.95 and 0.92 disagree on exactly the cases with 0.92 ≤ u < 0.95. With
 * `noise` > 0, an attempt re-draws correctness from u(seed, caseId, salt) with that probability.
 * Latency is log-normal from p50/p95 (real timers), errors are transient at `errorRate`.
 */
export class SimProvider implements Provider {
  readonly ref: string;
  readonly connectionKey: string;
  readonly synthetic = true;
  private readonly s: SimSettings;
  private readonly rng: Rng;
  private readonly mu: number;
  private readonly sigma: number;
  private readonly label: string;

  constructor(private readonly opts: SimProviderOptions) {
    this.ref = opts.ref;
    this.connectionKey = `sim:${opts.ref}`;
    this.s = opts.settings;
    this.rng = opts.rng ?? createRng(`${String(opts.settings.seed)}:${opts.ref}`);
    const { p50, p95 } = opts.settings.latencyMs;
    this.mu = p50 > 0 ? Math.log(p50) : 0;
    this.sigma = p50 > 0 && p95 > p50 ? Math.log(p95 / p50) / Z95 : 0;
    this.label = `simulated ${opts.model}`;
  }

  /** Whether the simulated model answers this case correctly in this attempt. */
  isCorrect(caseId: string, salt = ''): boolean {
    const seed = String(this.s.seed);
    let u = hashUniform(seed, caseId);
    if (this.s.noise > 0 && hashUniform(seed, caseId, salt, 'noise') < this.s.noise) u = hashUniform(seed, caseId, salt);
    return u < this.s.accuracy;
  }

  /** One latency draw in ms: exp(mu + sigma·z), z standard normal (Box–Muller). */
  private drawLatency(): number {
    if (this.s.latencyMs.p50 <= 0) return 0;
    if (this.sigma === 0) return this.s.latencyMs.p50;
    const u1 = 1 - this.rng.next(); // (0, 1]: log is finite
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * this.rng.next());
    return Math.exp(this.mu + this.sigma * z);
  }

  private answer(req: CompletionRequest): string {
    const hints = req.simHints ?? {};
    const prompt = req.messages[req.messages.length - 1]?.content ?? '';
    const caseId = hints.caseId ?? `prompt:${hashUniform(...req.messages.map((m) => m.content))}`;
    const seed = String(this.s.seed);
    if (hints.expected === undefined) return freeAnswer(prompt, hashUniform(seed, caseId, 'free'), req.json === true);
    return this.isCorrect(caseId, hints.salt) ? hints.expected : wrongAnswer(hints.expected, hashUniform(seed, caseId, 'wrong'));
  }

  complete(req: CompletionRequest): Promise<CompletionResult> {
    if (req.signal?.aborted) return Promise.reject(abortError(this.label, req.signal));
    const latencyMs = this.drawLatency();
    const ttftMs = latencyMs * this.s.ttftFraction;
    const failed = this.s.errorRate > 0 && this.rng.next() < this.s.errorRate;
    let text: string | undefined;
    const emit = () => {
      text = this.answer(req);
      if (text) req.onDelta?.(text);
    };
    const settle = (): CompletionResult => {
      if (failed) throw new ProviderError('transient', `${this.label}: simulated transient error (errorRate ${this.s.errorRate})`, { status: 503 });
      if (text === undefined) emit();
      const answer = text ?? '';
      return {
        text: answer,
        inputTokens: approxTokens(req.messages.reduce((n, m) => n + m.content.length, 0)),
        outputTokens: approxTokens(answer.length),
        latencyMs,
        ttftMs,
        finishReason: 'stop',
        model: this.opts.model,
      };
    };
    // Zero latency: no timer at all, so the simulator costs next to nothing per case.
    if (latencyMs === 0) {
      try {
        return Promise.resolve(settle());
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    return new Promise<CompletionResult>((resolve, reject) => {
      const signal = req.signal;
      let timer: NodeJS.Timeout;
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(this.label, signal!));
      };
      const finish = () => {
        signal?.removeEventListener('abort', onAbort);
        try {
          resolve(settle());
        } catch (err) {
          reject(err as Error);
        }
      };
      // A streaming caller (the gateway) gets the text at the time to first token; everyone else
      // pays for one timer only.
      if (req.onDelta && !failed && ttftMs > 0 && ttftMs < latencyMs) {
        timer = setTimeout(() => {
          emit();
          timer = setTimeout(finish, latencyMs - ttftMs);
        }, ttftMs);
      } else timer = setTimeout(finish, latencyMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
