import { userInfo } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { cliActor } from '../../src/admin-client/client.js';

const saved = { USER: process.env.USER, LOGNAME: process.env.LOGNAME, USERNAME: process.env.USERNAME };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('the actor the CLI sends to the audit log', () => {
  it('is cli:$USER, else LOGNAME, else the OS account (never a made-up name when one exists)', () => {
    process.env.USER = 'ana';
    expect(cliActor()).toBe('cli:ana');
    delete process.env.USER;
    process.env.LOGNAME = 'bo';
    expect(cliActor()).toBe('cli:bo');
    delete process.env.LOGNAME;
    delete process.env.USERNAME;
    expect(cliActor()).toBe(`cli:${userInfo().username}`);
  });
});
