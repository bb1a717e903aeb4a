/** Authtoken checks and `/Login` sessions. */
import { randomBytes } from 'crypto';
import type { IncomingHttpHeaders } from 'http';

import { decodeBase64Utf8 } from './encoding';
import type { SimUser } from './types';

/** Contains "canary" so leak tests can grep outputs and logs for it. */
export const DEFAULT_AUTHTOKEN = 'sim-authtoken-canary-6f1d3b9a';

/** Non-ASCII on purpose: a client that base64-encodes Latin-1 or skips encoding fails to log in. */
export const DEFAULT_USER: Readonly<SimUser> = Object.freeze({ username: 'admin', password: 'canary-Pässwörd-2c9a!' });

export interface AuthOptions {
	authtoken: string | null;
	users: SimUser[];
	tokenUses?: number;
	acceptBearer: boolean;
}

interface Session {
	token: string;
	username: string;
	uses: number;
}

export type AuthResult = { ok: true; username: string; via: 'authtoken' | 'login' } | { ok: false };

export type LoginResult = { ok: true; token: string; username: string } | { ok: false };

/** Commvault's clients send tokens with or without the `QSDK ` scheme word; compare without it. */
function bareToken(token: string): string {
	return token.trim().replace(/^QSDK\s+/i, '');
}

export class AuthState {
	/** Keyed by bare token. */
	private sessions = new Map<string, Session>();

	constructor(private readonly options: AuthOptions) {}

	/** The account used for the static authtoken (WhoAmI answers with it). */
	get staticTokenUser(): string {
		return this.options.users[0]?.username ?? 'admin';
	}

	login(username: string, base64Password: string): LoginResult {
		const password = decodeBase64Utf8(base64Password);
		// Commvault user names are case-insensitive; passwords are not.
		const user = this.options.users.find((u) => u.username.toLowerCase() === username.toLowerCase() && u.password === password);
		if (!user) return { ok: false };
		const bare = randomBytes(64).toString('hex');
		this.sessions.set(bare, { token: bare, username: user.username, uses: 0 });
		return { ok: true, token: `QSDK ${bare}`, username: user.username };
	}

	/** Checks a request's credentials and, for a login token, counts one use of it. */
	authenticate(headers: IncomingHttpHeaders): AuthResult {
		const token = this.presentedToken(headers);
		if (token === undefined) return { ok: false };
		const bare = bareToken(token);
		if (this.options.authtoken !== null && bare !== '' && bare === bareToken(this.options.authtoken)) {
			return { ok: true, username: this.staticTokenUser, via: 'authtoken' };
		}
		const session = this.sessions.get(bare);
		if (!session) return { ok: false };
		const limit = this.options.tokenUses;
		if (limit !== undefined && session.uses >= limit) {
			this.sessions.delete(bare);
			return { ok: false };
		}
		session.uses++;
		return { ok: true, username: session.username, via: 'login' };
	}

	/** Makes every login token so far answer 401, as after Commvault's 30-minute idle timeout. */
	expireLoginTokens(): void {
		this.sessions.clear();
	}

	get activeLoginTokens(): number {
		return this.sessions.size;
	}

	private presentedToken(headers: IncomingHttpHeaders): string | undefined {
		const authtoken = headers.authtoken;
		if (typeof authtoken === 'string') return authtoken;
		const authorization = headers.authorization;
		if (this.options.acceptBearer && typeof authorization === 'string' && /^Bearer\s+/i.test(authorization)) {
			return authorization.replace(/^Bearer\s+/i, '');
		}
		return undefined;
	}
}
