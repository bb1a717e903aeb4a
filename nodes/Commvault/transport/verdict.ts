import type { IDataObject, INode, JsonObject, NodeApiError } from 'n8n-workflow';

import { apiError, operationError } from '../helpers/errors';
import { redactor } from '../helpers/secrets';
import { successOf } from './answers';
import { failureInBody, messageInBody, textAnswerOf } from './errors';
import { redirectTarget, type Outcome, type SignInFailure } from './exchange';
import {
	describeCall,
	MAY_HAVE_BEEN_DONE_ADVICE,
	RATE_LIMIT_ADVICE,
	describeLostAnswer,
	httpStatusAdvice,
	httpStatusMessage,
	mayHaveBeenDoneMessage,
	noCompleteAnswerMessage,
	notSentMessage,
	notFoundAdvice,
	notFoundMessage,
	redirectAdvice,
	redirectMessage,
	textAnswerAdvice,
	textAnswerMessage,
	unexpectedAnswerAdvice,
	unexpectedAnswerMessage,
	unreachableMessage,
	webPageAdvice,
	webPageMessage,
} from './messages';
import { rateLimitStopMessage } from './rateLimit';
import type { CommvaultRequest } from './session';

/** What the verdict on one call needs to know besides its outcome. */
export interface CallFacts<T extends IDataObject = IDataObject> {
	/** The node the errors name: n8n's getNode() copies the whole node, so only an error asks for it. */
	node: () => INode;
	request: CommvaultRequest<T>;
	baseUrl: string;
	timeoutSeconds: number;
	/** Every secret form that must not be quoted from an answer (worked out when one is quoted). */
	secrets: () => string[];
}

interface Wording {
	message: string;
	description: string;
	status?: number;
	errorCode?: number;
}

/**
 * Turns one Outcome into Commvault's success answer, or into the one error that says what
 * happened: every failure of every call is worded here, from messages.ts.
 */
export function verdictOf<T extends IDataObject>(facts: CallFacts<T>, outcome: Outcome): T {
	const { request } = facts;
	if (outcome.kind === 'signIn') throw signInError(facts.node(), outcome.failure, request.itemIndex);
	if (outcome.kind === 'failure') throw operationError(facts.node(), { message: outcome.message, itemIndex: request.itemIndex });
	if (outcome.kind === 'notSent') {
		const error = operationError(facts.node(), { message: notSentMessage(call(request), outcome.reason), itemIndex: request.itemIndex });
		Object.defineProperty(error, NOT_SENT, { value: true });
		throw error;
	}
	if (outcome.kind === 'answer' && outcome.status >= 200 && outcome.status < 300 && !failureInBody(outcome.body)) {
		const success = successOf(request.success, shown(facts, outcome.body));
		if ('ok' in success) return outcome.body as T;
		throw withFacts(facts, {
			message: unexpectedAnswerMessage(call(request), outcome.status, success.expected, success.got),
			description: withMayHaveDone(facts, unexpectedAnswerAdvice(facts.baseUrl)),
			status: outcome.status,
		});
	}
	throw withFacts(facts, wordingOf(facts, outcome));
}

/** Marks the error of a request the run's halt kept from leaving: it reports nothing Commvault did. */
const NOT_SENT = Symbol.for('n8n-nodes-commvault.notSent');

/** True for the error of a request that was never sent because the run halted (read by shape, any copy of this module). */
export function wasNotSent(error: unknown): boolean {
	return typeof error === 'object' && error !== null && (error as { [NOT_SENT]?: boolean })[NOT_SENT] === true;
}

function call(request: CommvaultRequest): string {
	return describeCall(request.method, request.path, request.operatorCompanyId);
}

/**
 * An answer as it may be quoted: a text body with every secret taken out before it is shortened
 * or its tags stripped (either could leave a piece of one that is no longer recognised); the
 * wording made of it is redacted again (withFacts).
 */
function shown(facts: CallFacts, body: unknown): unknown {
	return typeof body === 'string' ? redactor(facts.secrets())(body) : body;
}

function withMayHaveDone(facts: CallFacts, description: string): string {
	const done = facts.request.mayHaveDone;
	return done ? `Commvault may have ${done}. ${MAY_HAVE_BEEN_DONE_ADVICE} ${description}` : description;
}

function wordingOf(facts: CallFacts, outcome: Exclude<Outcome, { kind: 'signIn' | 'failure' | 'notSent' }>): Wording {
	const { request, baseUrl } = facts;
	const described = call(request);
	switch (outcome.kind) {
		case 'unreachable':
			return {
				message: unreachableMessage(outcome.networkCode, baseUrl),
				description: `The request ${described} did not reach Commvault.`,
			};
		case 'lost': {
			const lost = describeLostAnswer(outcome.reason, facts.timeoutSeconds);
			if (!request.mayHaveDone) return { message: noCompleteAnswerMessage(described, lost), description: 'Nothing was changed by this request.' };
			return { message: mayHaveBeenDoneMessage(request.mayHaveDone, described, lost), description: MAY_HAVE_BEEN_DONE_ADVICE };
		}
		case 'rateLimited': {
			const message = rateLimitStopMessage(outcome.stop, outcome.body, 'requests');
			return { message, description: `${RATE_LIMIT_ADVICE} Commvault did not carry out ${described}.`, status: 429 };
		}
		case 'answer':
			return answerWording(facts, outcome);
	}
}

function answerWording(facts: CallFacts, outcome: Extract<Outcome, { kind: 'answer' }>): Wording {
	const { request, baseUrl } = facts;
	const { status } = outcome;
	const described = call(request);
	if (status >= 300 && status < 400) {
		const target = redirectTarget(outcome.headers, `${baseUrl}${request.path}`);
		return { message: redirectMessage(status, described, target), description: redirectAdvice(baseUrl), status };
	}
	const body = shown(facts, outcome.body);
	const fromCommvault = messageInBody(body);
	const errorCode = failureInBody(body)?.errorCode ?? codeOf(body);
	const text = textAnswerOf(body);
	if (status === 404 && !fromCommvault) return { message: notFoundMessage(described), description: notFoundAdvice(baseUrl), status };
	if (!fromCommvault && text?.kind === 'web page') {
		return { message: webPageMessage(status), description: webPageAdvice(text.snippet, baseUrl, described), status };
	}
	if (!fromCommvault && text) return { message: textAnswerMessage(status), description: textAnswerAdvice(text.snippet, described), status };
	return {
		message: fromCommvault ?? httpStatusMessage(status),
		description: httpStatusAdvice(status, errorCode, described),
		status,
		errorCode,
	};
}

function codeOf(body: unknown): number | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const value = (body as IDataObject).errorCode;
	return typeof value === 'number' ? value : undefined;
}

function withFacts(facts: CallFacts, quoted: Wording): NodeApiError {
	// Commvault's own words may quote what it was sent: no secret goes into the error, its stack included.
	const redact = redactor(facts.secrets());
	const wording = { ...quoted, message: redact(quoted.message), description: redact(quoted.description) };
	const errorResponse: JsonObject = { message: wording.message, description: wording.description };
	const httpCode = wording.status === undefined ? undefined : String(wording.status);
	if (httpCode !== undefined) errorResponse.httpCode = httpCode;
	if (wording.errorCode !== undefined) errorResponse.errorCode = wording.errorCode;
	return apiError(facts.node(), { message: wording.message, description: wording.description, httpCode, itemIndex: facts.request.itemIndex }, errorResponse);
}

/** A sign-in failure, as an error of its own for each item it fails (n8n keeps each item's error). */
export function signInError(node: INode, failure: SignInFailure, itemIndex: number | undefined): NodeApiError {
	return apiError(node, { message: failure.message, description: failure.description, itemIndex });
}

