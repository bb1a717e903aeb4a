/**
 * Runs the simulator by hand or for the demo:
 *   npx tsx testing/simulator/cli.ts [--port N] [--tls]
 * Prints one JSON line {"baseUrl", "authtoken", "username", "password"} and serves until SIGINT/SIGTERM.
 */
import { CommvaultSimulator } from './index';

function parseArgs(argv: string[]): { port: number; tls: boolean } {
	let port = 0;
	let tls = false;
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--tls') tls = true;
		else if (arg === '--port') port = Number(argv[++i]);
		else if (arg.startsWith('--port=')) port = Number(arg.slice('--port='.length));
		else throw new Error(`Unknown argument '${arg}'. Usage: cli.ts [--port N] [--tls]`);
	}
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port needs a number from 0 to 65535');
	return { port, tls };
}

async function main(): Promise<void> {
	const sim = new CommvaultSimulator(parseArgs(process.argv.slice(2)));
	const baseUrl = await sim.start();
	const [user] = sim.accounts;
	process.stdout.write(`${JSON.stringify({ baseUrl, authtoken: sim.authtoken, username: user?.username, password: user?.password })}\n`);
	const shutdown = (): void => {
		void sim.stop().then(() => process.exit(0));
	};
	process.once('SIGINT', shutdown);
	process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
