export type { DeliveryResult, Exclusions, Notification, NotifyConfig } from './types.js';
export { NO_EXCLUSIONS } from './types.js';
export { deliver, type DeliverOptions } from './deliver.js';
export { resolveTargets, targetName, type Target } from './targets.js';
export type { Notifier, NotifierContext } from './notifier.js';
export { createPushoverNotifier } from './pushover.js';
export { createSlackNotifier } from './slack.js';
export { createConsoleNotifier } from './console.js';
