// Every environment variable Minsheng reads, documented and validated once, at start-up.
import { isIP } from 'node:net';
import path from 'node:path';

export interface Config {
  /** PostgreSQL server URL; when empty, the embedded PGlite engine is used. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database (PGlite); ignored with DATABASE_URL. */
  dataDir: string;
  /** Address the HTTP server binds to. */
  host: string;
  /** TCP port of the HTTP server. */
  port: number;
  /** Administrative code of the city this installation serves (Jinan: 370100). */
  cityCode: string;
  /** Seed the demo directory, staff and orders when the database is empty. */
  seedDemo: boolean;
  /** Webhooks may post to loopback and private addresses (an intranet deployment, the tests); off: only public ones. */
  webhooksAllowPrivate: boolean;
  /** Session lifetime in hours. */
  sessionHours: number;
  /** How long a mobile app citizen stays signed in (APP_SESSION_DAYS). */
  appSessionDays: number;
  /** how often this process sweeps due timers (deadline warnings, overdue marks); 0 turns the sweep off */
  timerSweepSeconds: number;
  /** Failed logins in a row before an account is locked. */
  maxFailedLogins: number;
  /** Minutes an account stays locked after too many failures. */
  lockoutMinutes: number;
  /** Login attempts one client address may make per minute (a call centre's seats may share one). */
  loginLimitPerAddress: number;
  /** Login attempts per minute for one username, whoever makes them. */
  loginLimitPerUsername: number;
  /**
   * Proxies whose X-Forwarded-For is believed (addresses, CIDR ranges, or proxy-addr's names
   * loopback, linklocal, uniquelocal); empty: the client address is the connection's own.
   */
  trustProxy: string[];
  /** Requests one client address may submit through the citizen portal per hour (a café's or a company's network may share one). */
  portalLimitPerAddress: number;
  /** Requests the portal takes per hour for one contact phone number. */
  portalLimitPerPhone: number;
  /** Tracking-page lookups one client address may make per minute (a lookup code cannot be guessed at this rate). */
  portalLookupsPerMinute: number;
  /** The portal's proof of work: the largest number a browser may have to try (on average half); 0 turns it off. */
  portalProofOfWork: number;
  /** Where attachments' bytes are kept: a folder, or S3-compatible storage (then `s3` says which). */
  attachmentsStore: 'folder' | 's3';
  /** The folder of attachments (ATTACHMENTS_STORE=folder); default: `attachments` in DATA_DIR. */
  attachmentsDir: string;
  /** S3-compatible storage (ATTACHMENTS_STORE=s3). */
  s3: { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean } | null;
  /** Who sends SMS to citizens: nobody (messages wait in the outbox a day, sent if a provider is set by then, else expired), or Alibaba Cloud SMS. */
  smsProvider: 'none' | 'aliyun';
  /** Alibaba Cloud SMS (SMS_PROVIDER=aliyun): the API's address, the AccessKey, the signature and each message's template. */
  aliyunSms: { endpoint: string; accessKeyId: string; accessKeySecret: string; signName: string;
    templates: { intake: string; reply: string; survey: string;
      /** the mobile app's sign-in code (SMS_TEMPLATE_SIGN_IN); empty: the app's sign-in is off */
      sign_in_code: string;
      /** an opinion survey's invitation, variables `title` and `link` (SMS_TEMPLATE_SURVEY_INVITATION); empty: invitations are not sent */
      survey_invitation: string } } | null;
  /** The secret the SMS gateway signs its inbound callbacks with (docs/sms.md); empty: inbound SMS is refused. */
  smsCallbackSecret: string;
  /** The secret the call centre's telephony signs its call events with (docs/telephony.md); empty: they are refused. */
  telephonySecret: string;
  /** The WeChat official account (docs/wechat.md): its Token (empty: the callback refuses), AppID and EncodingAESKey (safe mode). */
  wechat: { token: string; appId: string; encodingAesKey: string };
  /** WeChat's message API, for the answer and the survey after the receipt (docs/wechat.md): null without WECHAT_APPSECRET. */
  wechatApi: { url: string; appSecret: string; replyTemplateId: string } | null;
  /** The app secret Weibo's fan service signs its pushes with (docs/weibo.md); empty: the callback refuses. */
  weiboAppSecret: string;
  /** The hotline's Weibo account (its uid): pushes to another account are refused; empty: not checked. */
  weiboUid: string;
  /** Weibo's private-message API, for the answer and the survey (docs/weibo.md): null without WEIBO_ACCESS_TOKEN. */
  weiboApi: { url: string; accessToken: string } | null;
  /** The address citizens reach the platform at (links in replies on WeChat and SMS); default: http://HOST:PORT. */
  publicUrl: string;
  /** Largest attachment, in bytes. */
  attachmentMaxBytes: number;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Pino log level (fatal, error, warn, info, debug, trace, silent). */
  logLevel: string;
  /** Seconds between heartbeats on the live event stream (each also re-checks the caller's session). */
  streamHeartbeatSeconds: number;
  /** Retrain the text classifier from closed orders every this many days (0: only when asked). */
  classifyRetrainDays: number;
  /** The newest this many closed orders train the classifier. */
  classifyMaxTrainingOrders: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUST_PROXY: a comma-separated list of addresses, CIDR ranges or proxy-addr's names. */
function proxies(raw: string | undefined, problems: string[]): string[] {
  const list = (raw ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of list) {
    const [address, bits, ...rest] = item.split('/');
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address!) === 6 ? 128 : 32));
    if (!PROXY_NAMES.includes(item) && (!isIP(address!) || !validBits || rest.length > 0)) {
      problems.push(`TRUST_PROXY must list IP addresses, CIDR ranges or ${PROXY_NAMES.join('/')}, got "${item}"`);
    }
  }
  return list;
}

/** Reads and validates the environment; throws one error listing every problem found. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw)) return true;
    if (['0', 'false', 'no'].includes(raw)) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const cityCode = env.CITY_CODE || '370100';
  if (!/^\d{6}$/.test(cityCode)) problems.push(`CITY_CODE must be a 6-digit administrative code, got "${cityCode}"`);
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const attachmentsStore = env.ATTACHMENTS_STORE || 'folder';
  if (attachmentsStore !== 'folder' && attachmentsStore !== 's3') problems.push(`ATTACHMENTS_STORE must be folder or s3, got "${attachmentsStore}"`);
  const s3 = attachmentsStore === 's3' ? {
    endpoint: env.S3_ENDPOINT ?? '', region: env.S3_REGION || 'us-east-1', bucket: env.S3_BUCKET ?? '',
    accessKeyId: env.S3_ACCESS_KEY_ID ?? '', secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? '', forcePathStyle: bool('S3_FORCE_PATH_STYLE', true),
  } : null;
  if (s3) {
    for (const [name, value] of [['S3_ENDPOINT', s3.endpoint], ['S3_BUCKET', s3.bucket], ['S3_ACCESS_KEY_ID', s3.accessKeyId],
      ['S3_SECRET_ACCESS_KEY', s3.secretAccessKey]] as const) if (!value) problems.push(`${name} is needed with ATTACHMENTS_STORE=s3`);
    if (s3.endpoint && !/^https?:\/\//.test(s3.endpoint)) problems.push(`S3_ENDPOINT must be an http(s) URL, got "${s3.endpoint}"`);
  }
  const smsProvider = env.SMS_PROVIDER || 'none';
  if (smsProvider !== 'none' && smsProvider !== 'aliyun') problems.push(`SMS_PROVIDER must be none or aliyun, got "${smsProvider}"`);
  const aliyunSms = smsProvider === 'aliyun' ? {
    endpoint: env.ALIYUN_SMS_ENDPOINT || 'https://dysmsapi.aliyuncs.com/', accessKeyId: env.ALIYUN_ACCESS_KEY_ID ?? '',
    accessKeySecret: env.ALIYUN_ACCESS_KEY_SECRET ?? '', signName: env.SMS_SIGN_NAME ?? '',
    templates: { intake: env.SMS_TEMPLATE_INTAKE ?? '', reply: env.SMS_TEMPLATE_REPLY ?? '', survey: env.SMS_TEMPLATE_SURVEY ?? '',
      sign_in_code: env.SMS_TEMPLATE_SIGN_IN ?? '', survey_invitation: env.SMS_TEMPLATE_SURVEY_INVITATION ?? '' },
  } : null;
  if (aliyunSms) {
    for (const [name, value] of [['ALIYUN_ACCESS_KEY_ID', aliyunSms.accessKeyId], ['ALIYUN_ACCESS_KEY_SECRET', aliyunSms.accessKeySecret],
      ['SMS_SIGN_NAME', aliyunSms.signName], ['SMS_TEMPLATE_INTAKE', aliyunSms.templates.intake], ['SMS_TEMPLATE_REPLY', aliyunSms.templates.reply],
      ['SMS_TEMPLATE_SURVEY', aliyunSms.templates.survey]] as const) if (!value) problems.push(`${name} is needed with SMS_PROVIDER=aliyun`);
    if (!/^https?:\/\//.test(aliyunSms.endpoint)) problems.push(`ALIYUN_SMS_ENDPOINT must be an http(s) URL, got "${aliyunSms.endpoint}"`);
  }
  const smsCallbackSecret = env.SMS_CALLBACK_SECRET ?? '';
  if (smsCallbackSecret && smsCallbackSecret.length < 16) problems.push('SMS_CALLBACK_SECRET must be at least 16 characters');
  const telephonySecret = env.TELEPHONY_SECRET ?? '';
  if (telephonySecret && telephonySecret.length < 16) problems.push('TELEPHONY_SECRET must be at least 16 characters');
  const wechat = { token: env.WECHAT_TOKEN ?? '', appId: env.WECHAT_APPID ?? '', encodingAesKey: env.WECHAT_AES_KEY ?? '' };
  // WeChat's own rules for the three values, so that a typo shows at start, not at the first message
  if (wechat.token && !/^[A-Za-z0-9]{3,32}$/.test(wechat.token)) problems.push('WECHAT_TOKEN must be 3 to 32 letters or digits');
  if (wechat.encodingAesKey && !/^[A-Za-z0-9]{43}$/.test(wechat.encodingAesKey)) problems.push('WECHAT_AES_KEY must be the 43 letters and digits of EncodingAESKey');
  if (wechat.encodingAesKey && !wechat.appId) problems.push('WECHAT_APPID is needed with WECHAT_AES_KEY (safe mode checks it)');
  if (wechat.appId && !/^wx[0-9a-f]{16}$/.test(wechat.appId)) problems.push(`WECHAT_APPID must be wx and 16 hex digits, got "${wechat.appId}"`);
  const wechatApi = env.WECHAT_APPSECRET ? { url: (env.WECHAT_API_URL || 'https://api.weixin.qq.com').replace(/\/+$/, ''),
    appSecret: env.WECHAT_APPSECRET, replyTemplateId: env.WECHAT_REPLY_TEMPLATE_ID ?? '' } : null;
  if (wechatApi && !wechat.appId) problems.push('WECHAT_APPID is needed with WECHAT_APPSECRET (the access token is the AppID\'s)');
  const weiboApi = env.WEIBO_ACCESS_TOKEN ? { url: (env.WEIBO_API_URL || 'https://m.api.weibo.com').replace(/\/+$/, ''),
    accessToken: env.WEIBO_ACCESS_TOKEN } : null;
  const weiboUid = env.WEIBO_UID ?? '';
  if (weiboUid && !/^\d{1,20}$/.test(weiboUid)) problems.push(`WEIBO_UID must be the account's numeric uid, got "${weiboUid}"`);
  const publicUrl = (env.PUBLIC_URL ?? '').replace(/\/+$/, '');
  for (const [name, url] of [['WECHAT_API_URL', wechatApi?.url], ['WEIBO_API_URL', weiboApi?.url], ['PUBLIC_URL', publicUrl]] as const) {
    if (url && !/^https?:\/\/[^\s/]+/.test(url)) problems.push(`${name} must be an http(s) address, got "${url}"`);
  }
  const dataDir = path.resolve(env.DATA_DIR || 'data');

  const config: Config = {
    databaseUrl,
    dataDir,
    host: env.HOST || '127.0.0.1',
    port: int('PORT', 3000, 0, 65535),
    cityCode,
    seedDemo: bool('SEED_DEMO', true),
    webhooksAllowPrivate: bool('WEBHOOKS_ALLOW_PRIVATE', false),
    sessionHours: int('SESSION_HOURS', 12, 1, 24 * 30),
    appSessionDays: int('APP_SESSION_DAYS', 30, 1, 365),
    timerSweepSeconds: int('TIMER_SWEEP_SECONDS', 5, 0, 3600),
    maxFailedLogins: int('MAX_FAILED_LOGINS', 5, 1, 100),
    lockoutMinutes: int('LOCKOUT_MINUTES', 15, 1, 24 * 60),
    loginLimitPerAddress: int('LOGIN_LIMIT_PER_ADDRESS', 120, 1, 100_000),
    loginLimitPerUsername: int('LOGIN_LIMIT_PER_USERNAME', 20, 1, 10_000),
    portalLimitPerAddress: int('PORTAL_LIMIT_PER_ADDRESS', 30, 1, 100_000),
    portalLimitPerPhone: int('PORTAL_LIMIT_PER_PHONE', 5, 1, 1000),
    portalLookupsPerMinute: int('PORTAL_LOOKUPS_PER_MINUTE', 30, 1, 10_000),
    portalProofOfWork: int('PORTAL_PROOF_OF_WORK', 20_000, 0, 10_000_000),
    trustProxy: proxies(env.TRUST_PROXY, problems),
    attachmentsStore: attachmentsStore === 's3' ? 's3' : 'folder',
    attachmentsDir: path.resolve(env.ATTACHMENTS_DIR || path.join(dataDir, 'attachments')),
    s3,
    smsProvider: smsProvider as Config['smsProvider'],
    aliyunSms,
    smsCallbackSecret,
    telephonySecret,
    wechat,
    wechatApi,
    weiboAppSecret: env.WEIBO_APP_SECRET ?? '',
    weiboUid,
    weiboApi,
    publicUrl: publicUrl || `http://${env.HOST || '127.0.0.1'}:${env.PORT || 3000}`,
    attachmentMaxBytes: int('ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 50 * 1024 * 1024),
    logLevel,
    streamHeartbeatSeconds: int('STREAM_HEARTBEAT_SECONDS', 15, 1, 300),
    classifyRetrainDays: int('CLASSIFY_RETRAIN_DAYS', 7, 0, 365),
    classifyMaxTrainingOrders: int('CLASSIFY_MAX_TRAINING_ORDERS', 100_000, 100, 2_000_000),
  };
  if (problems.length > 0) {
    throw new Error(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  }
  return config;
}
