import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.js';
import { messengersOf } from './platform.js';

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

  it('sends on each channel whose credentials are set, and names what is missing or malformed', () => {
    assert.deepEqual(messengersOf(loadConfig({})).map((m) => m.channel), []);
    const all = loadConfig({ SMS_PROVIDER: 'aliyun', ALIYUN_ACCESS_KEY_ID: 'id', ALIYUN_ACCESS_KEY_SECRET: 'secret', SMS_SIGN_NAME: '济南12345',
      SMS_TEMPLATE_INTAKE: 'SMS_1', SMS_TEMPLATE_REPLY: 'SMS_2', SMS_TEMPLATE_SURVEY: 'SMS_3', SMS_TEMPLATE_SIGN_IN: 'SMS_4',
      WECHAT_APPID: 'wx2c2769f8efd9abc2', WECHAT_APPSECRET: 'appsecret', WEIBO_ACCESS_TOKEN: '2.00token' });
    assert.deepEqual(messengersOf(all).map((m) => m.channel), ['sms', 'wechat', 'weibo']);
    assert.deepEqual([all.wechatApi?.url, all.weiboApi?.url], ['https://api.weixin.qq.com', 'https://m.api.weibo.com']);
    assert.throws(() => loadConfig({ WECHAT_APPSECRET: 'appsecret', WEIBO_ACCESS_TOKEN: 't', WEIBO_API_URL: 'ftp://weibo' }), (error: Error) => {
      for (const part of ['WECHAT_APPID is needed with WECHAT_APPSECRET', 'WEIBO_API_URL']) assert.ok(error.message.includes(part), part);
      return true;
    });
  });
});
