import type { Metadata } from "next";
import { TokenPage, type TokenSearchParams } from "@/components/tokens/token-page";
import { currentActor, memberActor } from "@/lib/actions/console-action";
import { consolePath } from "@/lib/organizations/console-path";
import { requireUser } from "@/lib/auth/session";
import { listWorkingMemberships } from "@/lib/people/memberships";
import { ownTokenChoices } from "@/lib/tokens/form-choices";
import type { TokenFormOrganization } from "@/components/tokens/types";

/**
 * For a person in several organizations, the create dialog's "Organization" choices: each asked
 * as the person's membership there (memberActor re-checks it), so nothing reaches another organization's data.
 */
async function organizationChoices(org: string): Promise<TokenFormOrganization[] | undefined> {
  const user = await requireUser(org);
  const memberships = await listWorkingMemberships(user.personId);
  if (memberships.length < 2) return undefined;
  const choices = await Promise.all(
    memberships.map(async ({ slug, name }) => {
      const member = await memberActor(slug);
      return member ? { slug, name, ...(await ownTokenChoices(member)) } : null;
    }),
  );
  return choices.filter((choice) => choice !== null);
}

export const metadata: Metadata = { title: "Options" };

type Props = { params: Promise<{ org: string }>; searchParams: Promise<TokenSearchParams> };

export default async function OptionsPage({ params, searchParams }: Props) {
  const { org } = await params;
  const actor = await currentActor(org);
  const organizations = await organizationChoices(org);
  return (
    <section>
      <h1>Options</h1>
      <h2>Personal access tokens</h2>
      <p className="muted">Tokens let integrations call the Tessera API as you. Treat them like passwords: each value is shown once.</p>
      <TokenPage
        actor={actor}
        mode="own"
        path={consolePath(org, "/options")}
        organizations={organizations}
        searchParams={await searchParams}
      />
    </section>
  );
}
