"use client";

import { createContext, useCallback, useContext, type ReactNode } from "react";
import { consolePath } from "@/lib/organizations/console-path";

const OrganizationContext = createContext<string | null>(null);

/** The organization of the page's URL, for the links and actions of the components below it. */
export function OrganizationProvider({ slug, children }: { slug: string; children: ReactNode }) {
  return <OrganizationContext.Provider value={slug}>{children}</OrganizationContext.Provider>;
}

/** The slug of the page's organization. */
export function useOrganizationSlug(): string {
  const slug = useContext(OrganizationContext);
  if (slug === null) throw new Error("useOrganizationSlug needs an OrganizationProvider (app/(console)/[org]/layout.tsx)");
  return slug;
}

/** Turns a console path ("/admin/tokens") into the page's organization's ("/acme/admin/tokens"). */
export function useConsolePath(): (path: `/${string}`) => string {
  const slug = useOrganizationSlug();
  return useCallback((path: `/${string}`) => consolePath(slug, path), [slug]);
}
