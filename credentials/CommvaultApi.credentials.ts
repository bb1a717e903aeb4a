import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_TIMEOUT_SECONDS, authtokenFor, normalizeBaseUrl, timeoutSecondsOf } from '../nodes/Commvault/transport/connection';
import { noteAuthentication, noteSignInFailure } from '../nodes/Commvault/transport/errors';
import { leaving } from '../nodes/Commvault/transport/halt';
import { startCommvaultSession } from '../nodes/Commvault/transport/login';
import { TEST_RULE_401, TEST_RULE_404, TIMEOUT_FIELD, TIMEOUT_SECONDS_RANGE } from '../nodes/Commvault/transport/messages';

export class CommvaultApi implements ICredentialType {
	name = 'commvaultApi';

	displayName = 'Commvault API';

	icon: Icon = { light: 'file:../icons/commvault.svg', dark: 'file:../icons/commvault.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-commvault#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://cc.example.com/commandcenter/api',
			description:
				'The Command Center API address, starting with https://. Customer-managed Command Center: https://&lt;CommandCenterHost&gt;/commandcenter/api (older installs: /webconsole/api). Commvault Cloud (SaaS): https://api.metallic.io.',
			hint: 'Own Command Center: https://&lt;host&gt;/commandcenter/api. Commvault Cloud: https://api.metallic.io. Do not add /v4.',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Access Token (Authtoken)',
					value: 'authtoken',
					description: 'A login token or an API access token created in Command Center',
				},
				{
					name: 'User Name and Password',
					value: 'password',
					description: 'Signs in with POST /Login and signs in again when the login token expires',
				},
			],
			default: 'authtoken',
		},
		{
			displayName: 'Authtoken',
			name: 'authtoken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A Commvault login token or API access token. Paste it with or without the "QSDK " prefix.',
			hint: 'Login tokens expire after 30 minutes of inactivity; for unattended workflows use an API access token or User Name and Password',
			displayOptions: { show: { authentication: ['authtoken'] } },
		},
		{
			displayName: 'User Name',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'admin or DOMAIN\\user or user@company.com',
			description: 'The Commvault user to sign in as',
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			hint: 'n8n signs in with it and signs in again whenever the login token expires',
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			// Filled by preAuthentication; n8n stores it with the credential so every execution and
			// every queue-mode worker reuses one login until Commvault answers 401. In Authtoken mode
			// it only records that the token passed its check (no secret).
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			// Which Base URL and user the stored login token was issued for (see sessionBinding).
			displayName: 'Session For',
			name: 'sessionFor',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the Command Center certificate cannot be validated (for example a self-signed certificate)',
		},
		{
			displayName: TIMEOUT_FIELD,
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: TIMEOUT_SECONDS_RANGE.min, maxValue: TIMEOUT_SECONDS_RANGE.max, numberPrecision: 0 },
			default: DEFAULT_TIMEOUT_SECONDS,
			description:
				'The longest n8n waits for the whole answer to one request (1 to 3,600 seconds): the sign-in, the token check, the Test button and every node request',
			hint: 'A create that times out may still have been carried out by Commvault: the error then says so',
		},
	];

	/*
	 * n8n calls this when the expirable field is empty, after a 401, and for every credential
	 * test. It signs in, or checks the Authtoken once, so a wrong password, token, Base URL or
	 * certificate is reported in Commvault terms: a test request's failure would only reach the
	 * user as n8n's generic "Authorization failed" or "could not be found".
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		try {
			// Without the expirable field in its answer n8n stores nothing and asks again next time.
			return { ...(await startCommvaultSession(this, credentials)) };
		} catch (error) {
			noteSignInFailure(credentials, error);
			throw error;
		}
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers = { ...requestOptions.headers };
		delete headers.Authtoken;
		// The Test button's request is relative to its baseURL; every node request has a full URL.
		const baseURL = typeof requestOptions.baseURL === 'string' && requestOptions.baseURL !== '' ? normalizeBaseUrl(requestOptions.baseURL) : '';
		const authtoken = authtokenFor(credentials, `${baseURL}${requestOptions.url}`);
		// No token is sent rather than a stale or empty one: Commvault answers 401 and n8n then
		// runs preAuthentication, which signs in with the credential as it is now.
		if (authtoken !== '') headers.Authtoken = authtoken;
		// The Test button's request is built by n8n from `test` below, which cannot carry a
		// credential's number (n8n gives it 300 s): its timeout comes from here, as every node request's does.
		const authenticated: IHttpRequestOptions = {
			...requestOptions,
			headers,
			timeout: timeoutSecondsOf(credentials) * 1000,
			disableFollowRedirect: true,
		};
		// Only the test request below uses baseURL (the node builds full URLs from
		// normalizeBaseUrl): the Test button must call exactly the address the node will.
		if (baseURL !== '') authenticated.baseURL = baseURL;
		// The node's request leaves now: its own signal ends it at its deadline or when the run halts.
		const signal = leaving(requestOptions);
		if (signal) authenticated.abortSignal = signal;
		noteAuthentication(credentials);
		return authenticated;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl }}',
			url: '/V4/PlanIds',
			method: 'GET',
			headers: { Accept: 'application/json' },
			skipSslCertificateValidation: '={{ $credentials.ignoreSslIssues }}',
			disableFollowRedirect: true,
		},
		// preAuthentication has reported every credential problem by the time this request runs;
		// these rules only matter for n8n versions that match them against the test response.
		rules: [
			{
				type: 'responseCode',
				properties: { value: 401, message: TEST_RULE_401 },
			},
			{
				type: 'responseCode',
				properties: { value: 404, message: TEST_RULE_404 },
			},
		],
	};
}
