/**
 * The only code that talks HTTP to Commvault: one CommvaultConnection per execution (session.ts),
 * one exchange per request (exchange.ts), one verdict per outcome (verdict.ts), every sentence in
 * messages.ts. The credential's sign-in lives in login.ts.
 */
export { CommvaultConnection, type CommvaultContext, type CommvaultRequest } from './session';
export { normalizeBaseUrl } from './connection';
export { fetchPlanSummaries } from './plans';
export { wasNotSent } from './verdict';
export { createdAppsList, createdBeforeStopMessage } from './messages';
