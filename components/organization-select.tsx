"use client";

import { useRouter } from "next/navigation";
import type { WorkingMembership } from "@/lib/people/memberships";
import { consolePath } from "@/lib/organizations/console-path";

/**
 * The header's "Organization" select: the organizations the signed-in person works in. Choosing
 * one opens it in this tab only; the organization lives in the URL, so another tab stays where it is.
 */
export function OrganizationSelect({ current, organizations }: { current: string; organizations: readonly WorkingMembership[] }) {
  const router = useRouter();
  return (
    <div className="organization-select">
      <label htmlFor="organization-select" className="visually-hidden">
        Organization
      </label>
      <select
        id="organization-select"
        value={current}
        onChange={(event) => router.push(consolePath(event.target.value, ""))}
        disabled={organizations.length < 2}
      >
        {organizations.map((organization) => (
          <option key={organization.slug} value={organization.slug}>
            {organization.name}
          </option>
        ))}
      </select>
    </div>
  );
}
