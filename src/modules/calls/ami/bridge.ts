// The AMI bridge as an operator runs it (`npm run cli -- ami-bridge`): connects to an Asterisk's
// Manager Interface and posts the call events it translates to Minsheng, signed with the shared
// telephony secret. It runs beside the PBX or beside Minsheng, as a process of its own: Minsheng
// does not need to reach the PBX, and two bridges on one PBX make the same event ids (deduplicated).
import { AmiConnector, postTo, type Log } from './connector.js';

export interface BridgeSettings {
  host: string;
  port: number;
  username: string;
  secret: string;
  minshengUrl: string;
  telephonySecret: string;
  pbxName: string | undefined;
  deskExtensions: string[] | undefined;
  queueExtensions: string[] | undefined;
}

const list = (value: string | undefined) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

/** The bridge's settings from the environment; every problem at once, as the server's config does. */
export function bridgeSettings(env: NodeJS.ProcessEnv): BridgeSettings {
  const problems: string[] = [];
  const need = (name: string) => {
    const value = env[name] ?? '';
    if (!value) problems.push(`${name} is needed`);
    return value;
  };
  const settings = {
    host: env.AMI_HOST || '127.0.0.1', port: Number(env.AMI_PORT || 5038), username: need('AMI_USERNAME'), secret: need('AMI_SECRET'),
    minshengUrl: need('MINSHENG_URL'), telephonySecret: need('TELEPHONY_SECRET'), pbxName: env.AMI_PBX_NAME || undefined,
    deskExtensions: list(env.AMI_DESK_EXTENSIONS), queueExtensions: list(env.AMI_QUEUE_EXTENSIONS),
  };
  if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65535) problems.push(`AMI_PORT must be a TCP port, got "${env.AMI_PORT}"`);
  if (settings.minshengUrl && !/^https?:\/\//.test(settings.minshengUrl)) problems.push('MINSHENG_URL must be an http(s) URL');
  if (settings.telephonySecret && settings.telephonySecret.length < 16) problems.push('TELEPHONY_SECRET must be at least 16 characters, as Minsheng\'s');
  if (problems.length) throw new Error(`the AMI bridge cannot start:\n  ${problems.join('\n  ')}`);
  return settings;
}

/** Starts the bridge; resolves once logged in to Asterisk (rejects when the login is refused). */
export async function startBridge(settings: BridgeSettings, log?: Log): Promise<AmiConnector> {
  const connector = new AmiConnector({
    host: settings.host, port: settings.port, username: settings.username, secret: settings.secret,
    deliver: postTo(settings.minshengUrl, settings.telephonySecret, log ? { log } : {}),
    translator: { pbxName: settings.pbxName, deskExtensions: settings.deskExtensions, queueExtensions: settings.queueExtensions },
    ...(log ? { log } : {}),
  });
  await connector.start();
  return connector;
}
