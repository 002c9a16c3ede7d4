/**
 * The form field that names the organization a console action acts in (lib/actions/console-action.ts):
 * the page's own, added by components/sudo-provider.tsx, or the one a person picks on Options.
 */
export const ORGANIZATION_FIELD = "organization";
