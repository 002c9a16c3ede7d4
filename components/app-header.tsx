import Link from "next/link";
import { NavLink } from "@/components/nav-link";
import { SignOutButton } from "@/components/sign-out-button";
import type { CurrentUser } from "@/lib/auth/session";

const REP_LINKS = [{ href: "/options", label: "Options" }] as const;
const ADMIN_LINKS = [
  { href: "/admin/tokens", label: "Tokens" },
  { href: "/admin/reps", label: "Reps" },
  { href: "/admin/applications", label: "Applications" },
  { href: "/admin/audit", label: "Audit" },
  { href: "/admin/outbox", label: "Outbox" },
  { href: "/admin/settings", label: "Settings" },
] as const;

export function AppHeader({ user }: { user: CurrentUser }) {
  const links = user.role === "admin" ? [...ADMIN_LINKS, ...REP_LINKS] : REP_LINKS;
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        Tessera <span className="brand-org">{user.organizationName}</span>
      </Link>
      <nav aria-label="Main">
        <ul className="nav-list">
          {links.map((link) => (
            <li key={link.href}>
              <NavLink href={link.href}>{link.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="header-user">
        <span title={user.email}>
          {user.displayName}
          <span className="muted"> · {user.role === "admin" ? "System admin" : "Service rep"}</span>
        </span>
        <SignOutButton />
      </div>
    </header>
  );
}
