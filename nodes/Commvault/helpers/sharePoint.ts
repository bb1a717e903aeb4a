import { editorHtml } from './text';
import { InvalidInput, requireText } from './validation';

/**
 * Commvault reaches a tenant's SharePoint through its admin center, which Microsoft serves at
 * https://<tenant>-admin.sharepoint.com (.us, .de, .cn in the national clouds). The tenant's own
 * site (https://<tenant>.sharepoint.com) is the usual mistake, so it gets its own hint.
 */
const ADMIN_SITE = /^https:\/\/[a-z0-9][a-z0-9-]*-admin\.sharepoint\.(com|us|de|cn)\/?$/i;
const TENANT_SITE = /^(?:https?:\/\/)?([a-z0-9][a-z0-9-]*?)\.sharepoint\.(com|us|de|cn)(?:\/.*)?$/i;

const ADMIN_SITE_EXAMPLE = 'https://contoso-admin.sharepoint.com';

/** The field's hint, which the editor renders as HTML (helpers/text.ts). */
export const SHAREPOINT_ADMIN_SITE_HINT = editorHtml(
	`The SharePoint admin center address: https://<tenant>-admin.sharepoint.com, e.g. ${ADMIN_SITE_EXAMPLE}`,
);

/**
 * The same fact in an error's description, which the editor renders as HTML too but an output
 * item, a log or the CLI shows as text: worded without a placeholder, so it reads right in both.
 */
const ADMIN_SITE_ADVICE = `The SharePoint admin center address is the tenant's name followed by -admin, e.g. ${ADMIN_SITE_EXAMPLE} for the tenant contoso.`;

export function requireSharePointAdminSiteUrl(field: string, value: unknown): string {
	const url = requireText(field, value).trim();
	if (ADMIN_SITE.test(url)) return url;
	const tenantSite = TENANT_SITE.exec(url);
	const hint =
		tenantSite && !tenantSite[1].toLowerCase().endsWith('-admin')
			? `That is the tenant's SharePoint site; its admin site is https://${tenantSite[1]}-admin.sharepoint.${tenantSite[2]}.`
			: ADMIN_SITE_ADVICE;
	throw new InvalidInput(field, 'is not the https:// address of a SharePoint Online admin site', hint);
}
