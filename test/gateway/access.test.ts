import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startOpenAIServer, type WireServer } from '../support/wire/openai-server.js';
import { startGateway } from '../../src/gateway/server.js';
import { parseGatewayConfig } from '../../src/gateway/config.js';
import { closeAfterEach, splitConfig, startTestGateway } from './helpers.js';

const open = closeAfterEach();

async function upstream(): Promise<WireServer> {
  const s = await startOpenAIServer({ handler: () => ({ text: 'ok' }) });
  open.server(s);
  return s;
}

const env = { ACME_KEY: 'sk-acme', SMALL_KEY: 'sk-small', LLMOPS_ADMIN_TOKEN: 'admin-secret' };
const tenants = [{ id: 'acme', apiKeyEnv: 'ACME_KEY' }, { id: 'small', apiKeyEnv: 'SMALL_KEY', rateLimit: { rpm: 2 } }];
const ask = (url: string, apiKey: string, content = 'hi') => new OpenAI({ apiKey, baseURL: `${url}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content }] });

describe('tenant keys, body limit, rate limit', () => {
  it('401 without a valid tenant key; the right key works', async () => {
    const a = await upstream();
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }, { tenants }), { env }));
    await expect(ask(gw.url, 'wrong')).rejects.toMatchObject({ status: 401 });
    const raw = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }) });
    expect(raw.status).toBe(401);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    expect((await ask(gw.url, 'sk-acme')).choices[0]?.message.content).toBe('ok');
    expect(a.requestCount).toBe(1);
  });

  it('413 for a body over the limit, before any upstream call', async () => {
    const a = await upstream();
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }, { bodyLimitBytes: 2048 })));
    await expect(ask(gw.url, 'k', 'x'.repeat(4096))).rejects.toMatchObject({ status: 413 });
    expect(a.requestCount).toBe(0);
  });

  it('429 with Retry-After once a tenant exceeds its rpm; other tenants are unaffected', async () => {
    const a = await upstream();
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }, { tenants }), { env }));
    await ask(gw.url, 'sk-small');
    await ask(gw.url, 'sk-small');
    const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-small' }, body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }) });
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    expect((await ask(gw.url, 'sk-acme')).choices[0]?.message.content).toBe('ok');
    expect(a.requestCount).toBe(3);
  });

  it('400 for a body that is not a chat request', async () => {
    const a = await upstream();
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } })));
    const r = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat' }) });
    expect(r.status).toBe(400);
  });
});

describe('admin API access', () => {
  it('401 without or with a wrong bearer token; 200 with it', async () => {
    const a = await upstream();
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }), { env }));
    expect((await fetch(`${gw.url}/admin/deployments`)).status).toBe(401);
    expect((await fetch(`${gw.url}/admin/deployments`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const ok = await fetch(`${gw.url}/admin/deployments`, { headers: { authorization: 'Bearer admin-secret' } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { deployments: Array<{ name: string }> }).deployments.map((d) => d.name)).toEqual(['chat']);
  });

  it('an unknown admin route answers in the admin error shape; an unknown API route in OpenAI\'s', async () => {
    const a = await upstream();
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }), { env }));
    const admin = await fetch(`${gw.url}/admin/nope`, { method: 'DELETE', headers: { authorization: 'Bearer admin-secret' } });
    expect(admin.status).toBe(404);
    expect(await admin.json()).toEqual({ error: { message: 'no route DELETE /admin/nope', hint: 'GET /admin/openapi.json lists the admin routes.' } });
    const api = await fetch(`${gw.url}/v1/nope`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { message: 'no route GET /v1/nope', type: 'invalid_request_error', code: 'not_found', param: null } });
  });

  it('refuses to start on a non-loopback address without an admin token', async () => {
    const config = parseGatewayConfig(splitConfig({ a: 'http://127.0.0.1:9/v1' }, { baseline: { upstream: 'a', weight: 100 } }));
    await expect(startGateway({ config, host: '0.0.0.0', port: 0, env: {} })).rejects.toThrow(/Refusing to start.*without a token/);
  });

  it('serves an OpenAPI document describing every admin route the server registers, and nothing else', async () => {
    const a = await upstream();
    const gw = open.gateway(await startTestGateway(splitConfig({ a: a.url }, { baseline: { upstream: 'a', weight: 100 } }), { env }));
    const doc = (await (await fetch(`${gw.url}/admin/openapi.json`, { headers: { authorization: 'Bearer admin-secret' } })).json()) as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>> };
    expect(doc.openapi).toBe('3.1.0');
    // The route list comes from the fastify app itself, so a new admin route cannot go undocumented.
    const served = registeredRoutes(gw.app.printRoutes({ commonPrefix: false })).filter((r) => r.startsWith('/admin/') || r.includes(' /admin/'));
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(served.length).toBeGreaterThan(15);
    expect(documented.sort()).toEqual(served.sort());
    for (const r of ['GET /admin/deployments/{d}/canary', 'POST /admin/deployments/{d}/canary/promote', 'POST /admin/deployments/{d}/canary/rollback']) expect(documented).toContain(r);
    // Every canary action names its errors, and the ones that take a body describe it.
    for (const action of ['pause', 'resume', 'abort', 'promote', 'rollback']) {
      const op = doc.paths[`/admin/deployments/{d}/canary/${action}`]!.post!;
      expect(Object.keys(op.responses).sort()).toEqual(['200', '400', '401', '404', '409', '501']);
      if (action === 'abort' || action === 'rollback') expect(op.requestBody).toMatchObject({ content: { 'application/json': { schema: { properties: { reason: { type: 'string' } } } } } });
    }
  });
});

/**
 * `METHOD /path/{param}` for every route of fastify's `printRoutes({ commonPrefix: false })` tree
 * (HEAD, added by fastify to every GET, left out). Each line is a path segment indented under its parent.
 */
function registeredRoutes(tree: string): string[] {
  const routes: string[] = [];
  const stack: Array<{ indent: number; path: string }> = [];
  for (const line of tree.split('\n')) {
    const m = /^([│├└─\s]*)(\S.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const indent = m[1]!.length;
    while (stack.length > 0 && stack.at(-1)!.indent >= indent) stack.pop();
    const path = (stack.at(-1)?.path ?? '') + m[2]!;
    stack.push({ indent, path });
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return routes;
}
