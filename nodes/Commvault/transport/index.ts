/**
 * The only code that talks HTTP to Commvault: one CommvaultConnection per execution (session.ts),
 * one exchange per request (exchange.ts), one verdict per outcome (verdict.ts), every page of a
 * list (paging.ts), every sentence in messages.ts. The credential's sign-in lives in login.ts.
 * What a success looks like is the caller's to say (answers.ts): transport knows no operation.
 */
export { CommvaultConnection, OPERATOR_COMPANY_HEADER, type CommvaultContext, type CommvaultRequest, type CommvaultRequester } from './session';
export { type Success } from './answers';
export { requestAll, type ListRequest, type PageWindow, type Paging } from './paging';
export { normalizeBaseUrl } from './connection';
export { wasNotSent } from './verdict';
export { createdBeforeStopMessage, createdList, type CreatedKind } from './messages';
