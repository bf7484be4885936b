/** Pieces the admin API's OpenAPI document repeats (gateway, canary and experiment paths). */
export const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** The `{d}` path parameter of every per-deployment route. */
export const dParam = [{ name: 'd', in: 'path', required: true, schema: { type: 'string' }, description: 'deployment name' }];
