// The citizens' channels into one order: the channels as data, their counters, and the citizen portal (市长信箱).
export type { ChannelInfo } from './catalog.js';
export { listChannels } from './catalog.js';
export type { ChannelCounts, Outcome } from './counts.js';
export { OUTCOMES, countMessage, channelCounts } from './counts.js';
export { countedAs } from './counted.js';
export type { PortalSubmission, PortalReceipt, PortalProof } from './portal.js';
export { PORTAL_CHANNEL, PORTAL_REQUEST_TYPES, portalChallenge, submitToPortal, uploadForPortal, trackRequest, rateRequest, lookupCode } from './portal.js';
export type { SmsKind, SmsMessage, SendOutcome, SmsProvider } from './sms/provider.js';
export { SMS_KINDS, isMobile } from './sms/provider.js';
export { AliyunSms, rpcSignature, stringToSign, percentEncode } from './sms/aliyun.js';
export { SMS_CHANNEL, smsOutboxConsumer, sendDueMessages, settleOutbox, startSmsSender, smsOfOrder, backoffMs, MAX_ATTEMPTS } from './sms/outbox.js';
export type { InboundSms, InboundOutcome, CallbackSignature } from './sms/inbound.js';
export { receiveSms, verifyCallback, signCallback, CALLBACK_WINDOW_MS } from './sms/inbound.js';
export type { WechatAccount, CallbackQuery as WechatQuery } from './wechat/callback.js';
export { WECHAT_CHANNEL, WECHAT_WINDOW_MS, receiveWechat, verifyUrl } from './wechat/callback.js';
export { wechatSignature, aesKeyOf, decryptMessage, encryptMessage } from './wechat/crypto.js';
export { readXml } from './wechat/messages.js';
