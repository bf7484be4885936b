/**
 * The `gateway:` section of llmops.yaml, validated with zod through config/yaml-source.ts so every
 * problem names file, line and key path (prefix `gateway`). Cross references (upstream names,
 * routed tiers, weights summing to 100) are checked here too, before anything listens.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { PriceSchema, SimSettingsSchema } from '../config/schema.js';
import { DEFAULT_CONFIG_FILE, type LoadedConfig } from '../config/load.js';
import { InputError, type InputIssue } from '../errors.js';
import { dottedPath, validateYaml, type YamlSource } from '../config/yaml-source.js';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'names use letters, digits, . _ -');

export const UpstreamSchema = z.strictObject({
  /** openai: any OpenAI-compatible server; anthropic: Messages API (translated); sim: SIMULATED in-process model. */
  type: z.enum(['openai', 'anthropic', 'sim']),
  baseURL: z.url().optional(),
  apiKeyEnv: envName.optional(),
  /** Model id sent upstream (the client's `model` names the deployment, not this). */
  model: z.string().min(1),
  /** Per-attempt deadline for the whole answer (non-streamed) or for the first byte (streamed). */
  timeoutMs: z.number().int().positive().default(60_000),
  price: PriceSchema.optional(),
  /** Pooled connections kept to this upstream. */
  connections: z.number().int().positive().default(128),
  /** anthropic: max_tokens when the client sets none (Anthropic requires one). */
  maxTokens: z.number().int().positive().default(1024),
  sim: SimSettingsSchema.optional(),
});
export type UpstreamConfig = z.output<typeof UpstreamSchema>;

export const VariantSchema = z.strictObject({
  upstream: name,
  /** Percent of the deployment's traffic. */
  weight: z.number().min(0).max(100),
  /** Default: the variant named `baseline` is the baseline, any other is a candidate. */
  role: z.enum(['baseline', 'candidate']).optional(),
});

export const SplitDeploymentSchema = z.strictObject({
  kind: z.literal('split').default('split'),
  variants: z.record(name, VariantSchema),
  /** Upstreams tried, in order, when the chosen variant's upstream fails or its breaker is open. */
  fallback: z.array(name).default([]),
  /** Cache responses to temperature-0 requests for this long. */
  cache: z.strictObject({ ttlSeconds: z.number().positive() }).optional(),
  /** After a promote, the old baseline stays warm (routable by admin action) this long. */
  keepWarmHours: z.number().nonnegative().default(48),
});

export const RoutedDeploymentSchema = z.strictObject({
  kind: z.literal('routed'),
  /** Each tier is another (split) deployment. */
  tiers: z.strictObject({ fast: name, mid: name, powerful: name }),
});

/**
 * Discriminated on `kind` (absent = split), not a plain z.union: a union that no option accepts is
 * one "Invalid input" at the deployment's path, hiding which key is wrong. Here zod validates
 * against the one option `kind` names and reports its issues at their own keys.
 */
export const DeploymentSchema = z.discriminatedUnion('kind', [RoutedDeploymentSchema, SplitDeploymentSchema], {
  error: (iss) => {
    if (iss.code !== 'invalid_union') return undefined;
    const kind = (iss.input as { kind?: unknown } | undefined)?.kind;
    return `expected 'split' or 'routed', got ${typeof kind === 'string' ? `'${kind}'` : JSON.stringify(kind)}`;
  },
});
export type SplitDeploymentConfig = z.output<typeof SplitDeploymentSchema>;
export type RoutedDeploymentConfig = z.output<typeof RoutedDeploymentSchema>;
export type DeploymentConfig = z.output<typeof DeploymentSchema>;

export const GatewayConfigSchema = z
  .strictObject({
    port: z.number().int().min(0).max(65_535).default(8787),
    host: z.string().default('127.0.0.1'),
    /** Env variable holding the admin bearer token. */
    adminTokenEnv: envName.default('LLMOPS_ADMIN_TOKEN'),
    /** Request bodies above this are refused with 413. */
    bodyLimitBytes: z.number().int().positive().default(1_048_576),
    /** SIGTERM: in-flight requests and streams get this long to finish. */
    shutdownGraceMs: z.number().int().nonnegative().default(10_000),
    /** No tenants: anonymous access (tenant "anonymous"). */
    tenants: z.array(z.strictObject({ id: name, apiKeyEnv: envName, rateLimit: z.strictObject({ rpm: z.number().int().positive() }).optional() })).default([]),
    upstreams: z.record(name, UpstreamSchema).default({}),
    deployments: z.record(name, DeploymentSchema).default({}),
    retry: z.strictObject({
      maxAttempts: z.number().int().min(1).max(10).default(3),
      baseDelayMs: z.number().int().nonnegative().default(100),
      maxDelayMs: z.number().int().nonnegative().default(2_000),
    }).default({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 }),
    breaker: z.strictObject({
      failureThreshold: z.number().int().positive().default(5),
      openSeconds: z.number().positive().default(30),
      halfOpenProbes: z.number().int().positive().default(1),
    }).default({ failureThreshold: 5, openSeconds: 30, halfOpenProbes: 1 }),
    requestLog: z.strictObject({
      /** SQLite file; default the --db database. */
      path: z.string().optional(),
      sampleRate: z.number().min(0).max(1).default(1),
      /** Drop request messages, response text and context from the log (metadata only). */
      redactContent: z.boolean().default(false),
    }).default({ sampleRate: 1, redactContent: false }),
    /** Sliding window of the live per-variant stats shown by the admin API. */
    statsWindowSeconds: z.number().positive().default(300),
  })
  .superRefine((g, ctx) => {
    for (const [d, dep] of Object.entries(g.deployments)) {
      if (dep.kind === 'routed') {
        for (const [tier, target] of Object.entries(dep.tiers)) {
          const t = g.deployments[target];
          if (!t) ctx.addIssue({ code: 'custom', path: ['deployments', d, 'tiers', tier], message: `unknown deployment "${target}"` });
          else if (t.kind === 'routed') ctx.addIssue({ code: 'custom', path: ['deployments', d, 'tiers', tier], message: `tier "${target}" is itself routed; tiers must be split deployments` });
        }
        continue;
      }
      const vs = Object.entries(dep.variants);
      if (vs.length === 0) ctx.addIssue({ code: 'custom', path: ['deployments', d, 'variants'], message: 'at least one variant is required' });
      for (const [v, spec] of vs) {
        if (!g.upstreams[spec.upstream]) ctx.addIssue({ code: 'custom', path: ['deployments', d, 'variants', v, 'upstream'], message: `unknown upstream "${spec.upstream}"` });
      }
      dep.fallback.forEach((u, i) => {
        if (!g.upstreams[u]) ctx.addIssue({ code: 'custom', path: ['deployments', d, 'fallback', i], message: `unknown upstream "${u}"` });
      });
      const baselines = vs.filter(([v, s]) => roleOf(v, s.role) === 'baseline');
      if (vs.length > 0 && baselines.length !== 1) ctx.addIssue({ code: 'custom', path: ['deployments', d, 'variants'], message: `exactly one baseline variant is required (a variant named "baseline" or with role: baseline); found ${baselines.length}` });
      const total = vs.reduce((s, [, spec]) => s + Math.round(spec.weight * 100), 0);
      if (vs.length > 0 && total !== 10_000) ctx.addIssue({ code: 'custom', path: ['deployments', d, 'variants'], message: `weights must sum to 100 (got ${total / 100})` });
    }
    for (const [u, up] of Object.entries(g.upstreams)) {
      if (up.type === 'openai' && !up.baseURL) ctx.addIssue({ code: 'custom', path: ['upstreams', u, 'baseURL'], message: 'openai upstreams need a baseURL (e.g. https://api.openai.com/v1)' });
    }
    const ids = new Set<string>();
    g.tenants.forEach((t, i) => {
      if (ids.has(t.id)) ctx.addIssue({ code: 'custom', path: ['tenants', i, 'id'], message: `duplicate tenant id "${t.id}"` });
      ids.add(t.id);
    });
  });
export type GatewayConfig = z.output<typeof GatewayConfigSchema>;

export function roleOf(variant: string, role: 'baseline' | 'candidate' | undefined): 'baseline' | 'candidate' {
  return role ?? (variant === 'baseline' ? 'baseline' : 'candidate');
}

/** Validates a `gateway:` mapping coming from a parsed llmops.yaml (errors name file:line and `gateway.…`). */
export function gatewayConfigFrom(loaded: LoadedConfig): GatewayConfig {
  if (!loaded.source) {
    // loadConfig only returns no source for the default file when it does not exist.
    throw InputError.at({ file: join(loaded.dir, DEFAULT_CONFIG_FILE) }, 'config file not found (the gateway reads its settings from the gateway: section of llmops.yaml)', 'Run from the folder holding llmops.yaml, or pass --config <file> (e.g. llmops --config ./deploy/llmops.yaml gateway start).');
  }
  if (loaded.config.gateway === undefined) {
    throw InputError.at({ file: loaded.source.file, path: 'gateway' }, 'no gateway: section in the config', 'Add a gateway: section (see README "Gateway"), or pass --config <file> naming the file that has one.');
  }
  const data = (loaded.source.data as { gateway?: unknown }).gateway;
  // validateYaml prefixes key paths with 'gateway', so the whole file's locator applies as is.
  const sub: YamlSource = { file: loaded.source.file, data, locate: loaded.source.locate };
  return validateYaml(sub, GatewayConfigSchema, ['gateway']);
}

/**
 * Each tenant's API key, read from its `apiKeyEnv`. A tenant whose variable is unset or blank, or
 * whose key another tenant also has, is an error naming the tenant and the variable (with file and
 * line when `source` is the llmops.yaml the config came from): the gateway must not start rather
 * than drop the tenant, since a gateway left with no keys would serve anyone anonymously.
 * Surrounding whitespace (a stray newline from a secrets file) is trimmed.
 */
export function tenantKeysFrom(config: GatewayConfig, env: NodeJS.ProcessEnv, source?: YamlSource): Array<{ tenant: string; key: string }> {
  const issues: InputIssue[] = [];
  const keys: Array<{ tenant: string; key: string }> = [];
  const owner = new Map<string, { tenant: string; envName: string }>();
  const where = (i: number) => {
    const path = ['gateway', 'tenants', i, 'apiKeyEnv'];
    return source ? { file: source.file, ...source.locate(path), path: dottedPath(path) } : { file: 'gateway config', path: dottedPath(path) };
  };
  config.tenants.forEach((t, i) => {
    const raw = env[t.apiKeyEnv];
    const key = raw?.trim() ?? '';
    if (key === '') {
      issues.push({ ...where(i), message: `tenant "${t.id}": its API key variable ${t.apiKeyEnv} is ${raw === undefined ? 'not set' : 'empty'}; refusing to start without it (the gateway never falls back to anonymous access while tenants are configured)` });
      return;
    }
    const first = owner.get(key);
    if (first) {
      issues.push({ ...where(i), message: `tenant "${t.id}" has the same API key as tenant "${first.tenant}" (${t.apiKeyEnv}${t.apiKeyEnv === first.envName ? '' : ` and ${first.envName}`}); each tenant needs its own key` });
      return;
    }
    owner.set(key, { tenant: t.id, envName: t.apiKeyEnv });
    keys.push({ tenant: t.id, key });
  });
  if (issues.length > 0) {
    throw new InputError(issues, 'Export each tenant\'s key variable with its own key and start again; remove a tenant from gateway.tenants to stop serving it (no tenants at all = anonymous access).');
  }
  return keys;
}

/** For tests and programmatic use: a validated config from a plain object. */
export function parseGatewayConfig(data: unknown): GatewayConfig {
  return GatewayConfigSchema.parse(data);
}
