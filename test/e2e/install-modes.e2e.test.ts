/**
 * The same failures must read the same however the package was installed (node-contract.md:
 * "whether n8n-workflow is resolved from n8n's own install or from a second copy beside the
 * package"). Per target, two more user folders: one installed with the README's manual install
 * command exactly as written (by the npm of that target's node, 20 or 24), one linked to the
 * built repo with its own node_modules, as `npm link` gives a developer (a second n8n-workflow).
 * Each runs the error workflows: a wrong password, a self-signed certificate with Ignore SSL Issues
 * off, and Commvault's 409; and nothing secret may show in what n8n printed or stored.
 */
import { HOOK_TIMEOUT, expectRun, packedPackage } from './commvault-suite';
import { CommvaultTarget } from '../../testing/e2e/commvault-target';
import { COMMVAULT_NODE, WORKFLOW } from '../../testing/e2e/commvault-workflows';
import { nodeError, selectedTargets, type ExecuteResult, type InstallMode } from '../../testing/e2e/n8n-cli';

const tarball = packedPackage('n8n-e2e-modes-');

function expectFailed(run: ExecuteResult, message: RegExp | string): void {
	expectRun(run, () => {
		expect(run.exitCode).toBe(1);
		expect(run.error?.message).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
		expect(nodeError(run, COMMVAULT_NODE)?.message).toBe(run.error?.message);
	});
}

const MODES: InstallMode[] = ['readme', 'linked'];

describe.each(selectedTargets().flatMap((spec) => MODES.map((mode) => [spec.label, mode, spec] as const)))(
	'n8n-nodes-commvault in %s, installed by %s',
	(_label, mode, spec) => {
		const target = new CommvaultTarget(spec, mode);
		const { http, https } = target;

		beforeAll(() => target.setup(tarball()), HOOK_TIMEOUT);
		beforeEach(() => target.resetSimulators());
		afterAll(() => target.teardown());

		it('a wrong password reads as a refused login naming the user, and is tried once', async () => {
			const run = await target.execute(WORKFLOW.wrongPassword);
			expectFailed(run, /^Commvault login failed for user "admin": .*Check the User Name .* and the Password of the Commvault credential\.$/);
			expect(http.requestsTo('POST', '/Login')).toHaveLength(1);
			expect(http.requestsTo('POST', '/v4/Dynamics365')).toEqual([]);
		});

		it('a self-signed certificate with Ignore SSL Issues off reads as a certificate problem, and nothing arrives', async () => {
			const run = await target.execute(WORKFLOW.tlsIgnoreOff);
			// the TLS simulator is addressed by the name its certificate carries (localhost)
			expectFailed(
				run,
				new RegExp(
					`^Could not reach Commvault: the TLS certificate of ${new URL(https.baseUrl).host} could not be verified \\([A-Z_]+\\): .*turn on "Ignore SSL Issues \\(Insecure\\)" in the credential$`,
				),
			);
			expect(https.requests).toEqual([]);
		});

		it("Commvault's 409 reads as Commvault's own message", async () => {
			http.addApp({ name: 'Existing Tenant' });
			const run = await target.execute(WORKFLOW.conflict);
			expectFailed(run, 'An instance by this name already exists.');
		});

		it('no secret in anything n8n printed or stored', async () => {
			const { leaks } = await target.leaks();
			expect(leaks).toEqual([]);
		});
	},
);
