// Webhooks: the real-time push of a unit's orders to its own systems (数据接口).
export { createSubscription, listSubscriptions, getSubscription, updateSubscription, deleteSubscription, replaySubscription, rotateSecret, listAttempts,
  checkUrl, isPrivateAddress, type Subscription } from './subscriptions.js';
export { deliverDue, startWebhookSender, signature, backoffMs, BATCH } from './deliver.js';
