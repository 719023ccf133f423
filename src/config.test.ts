import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.js';

describe('configuration', () => {
  it('believes no proxy unless told, and takes addresses, ranges and proxy names', () => {
    assert.deepEqual(loadConfig({}).trustProxy, []);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,loopback,::1,fd00::/8' }).trustProxy,
      ['10.0.0.1', '192.168.0.0/16', 'loopback', '::1', 'fd00::/8']);
  });

  it('lists every problem at once, naming the variable', () => {
    assert.throws(() => loadConfig({ TRUST_PROXY: 'true,10.0.0.0/33', LOGIN_LIMIT_PER_ADDRESS: '0', PORT: 'x' }), (error: Error) => {
      for (const part of ['TRUST_PROXY', '"true"', '"10.0.0.0/33"', 'LOGIN_LIMIT_PER_ADDRESS', 'PORT']) assert.ok(error.message.includes(part), part);
      return true;
    });
  });
});
