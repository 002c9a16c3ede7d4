import Link from "next/link";
import { NavLink } from "@/components/nav-link";
import { OrganizationSelect } from "@/components/organization-select";
import { SignOutButton } from "@/components/sign-out-button";
import type { CurrentUser } from "@/lib/auth/session";
import type { WorkingMembership } from "@/lib/people/memberships";
import { consolePath } from "@/lib/organizations/console-path";

const REP_LINKS = [{ path: "/options", label: "Options" }] as const;
const ADMIN_LINKS = [
  { path: "/admin/tokens", label: "Tokens" },
  { path: "/admin/reps", label: "Reps" },
  { path: "/admin/applications", label: "Applications" },
  { path: "/admin/audit", label: "Audit" },
  { path: "/admin/webhooks", label: "Webhooks" },
  { path: "/admin/outbox", label: "Outbox" },
  { path: "/admin/settings", label: "Settings" },
] as const;

export function AppHeader({ user, organizations }: { user: CurrentUser; organizations: readonly WorkingMembership[] }) {
  const links = user.role === "admin" ? [...ADMIN_LINKS, ...REP_LINKS] : REP_LINKS;
  return (
    <header className="app-header">
      <Link href={consolePath(user.organizationSlug, "")} className="brand">
        Tessera
      </Link>
      <OrganizationSelect current={user.organizationSlug} organizations={organizations} />
      <nav aria-label="Main">
        <ul className="nav-list">
          {links.map((link) => (
            <li key={link.path}>
              <NavLink href={consolePath(user.organizationSlug, link.path)}>{link.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="header-user">
        <span title={user.email}>
          {user.displayName}
          <span className="muted"> · {user.role === "admin" ? "System admin" : "Service rep"}</span>
        </span>
        <Link href="/account">Account</Link>
        <SignOutButton />
      </div>
    </header>
  );
}
