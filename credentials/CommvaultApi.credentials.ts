import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { authtokenHeader } from '../nodes/Commvault/transport/connection';
import { logInToCommvault } from '../nodes/Commvault/transport/login';

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
				'The Command Center API address. Customer-managed: https://&lt;CommandCenterHost&gt;/commandcenter/api (older installs: /webconsole/api). Commvault Cloud (SaaS): https://api.metallic.io.',
			hint: 'Include /commandcenter/api for a customer-managed Command Center; do not add /v4',
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
					description: 'Logs in with POST /Login and renews the login token when it expires',
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
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			// Filled by preAuthentication; n8n stores it with the credential so every execution and
			// every queue-mode worker reuses one login until Commvault answers 401.
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
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
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.authentication !== 'password') return {};
		return { sessionToken: await logInToCommvault(this, credentials) };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token =
			credentials.authentication === 'password' ? credentials.sessionToken : credentials.authtoken;
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authtoken: authtokenHeader(token) },
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl.trim().replace(/\\/+$/, "").replace(/\\/v[24]$/i, "") }}',
			url: '/V4/PlanIds',
			method: 'GET',
			headers: { Accept: 'application/json' },
			skipSslCertificateValidation: '={{ $credentials.ignoreSslIssues }}',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Commvault refused the credentials (401): the Authtoken is wrong or expired, or the user name or password is wrong',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No Commvault API at this Base URL (404): use https://<host>/commandcenter/api (or /webconsole/api), or https://api.metallic.io for Commvault Cloud',
				},
			},
		],
	};
}
