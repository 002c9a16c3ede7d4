"use client";

import Form from "next/form";
import { useRef } from "react";
import type { ApplicationCatalog } from "@/lib/applications/catalog";
import type { PersonOption } from "@/lib/reps/view";
import type { TokenSort } from "@/lib/validation/token";
import { SEARCH_TOO_SHORT, TOKEN_LIMITS } from "@/lib/validation/token-limits";

type TokenFiltersProps = {
  path: string;
  reps: PersonOption[] | null;
  applications: Pick<ApplicationCatalog, "id" | "name">[];
  query: { userId?: string; applicationId?: string; state?: string; search?: string; outsidePolicy?: boolean; sort: TokenSort };
};

const STATES = [
  ["", "All states"],
  ["active", "Active"],
  ["inactive", "Inactive"],
  ["expired", "Expired"],
  ["revoked", "Revoked"],
] as const;

const SORTS: [TokenSort, string][] = [
  ["created_desc", "Newest first"],
  ["created_asc", "Oldest first"],
  ["description_asc", "Description A–Z"],
  ["expires_asc", "Expiring soonest"],
  ["last_used_desc", "Recently used"],
];

/** Filters live in the URL (a GET form), so every view can be bookmarked and shared. */
export function TokenFilters({ path, reps, applications, query }: TokenFiltersProps) {
  const form = useRef<HTMLFormElement>(null);
  const submit = () => form.current?.requestSubmit();
  return (
    <Form action={path} ref={form} className="filters" aria-label="Filter tokens">
      {reps ? (
        <div className="field">
          <label htmlFor="filter-rep">Service rep</label>
          <select id="filter-rep" name="rep" defaultValue={query.userId ?? ""} onChange={submit}>
            <option value="">All reps</option>
            {reps.map((rep) => (
              <option key={rep.id} value={rep.id}>
                {rep.displayName} ({rep.username}){rep.active === false ? " — inactive" : ""}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor="filter-application">Application</label>
        <select id="filter-application" name="app" defaultValue={query.applicationId ?? ""} onChange={submit}>
          <option value="">All applications</option>
          {applications.map((application) => (
            <option key={application.id} value={application.id}>
              {application.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-state">State</label>
        <select id="filter-state" name="state" defaultValue={query.state ?? ""} onChange={submit}>
          {STATES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field grow">
        <label htmlFor="filter-search">Search</label>
        <input
          id="filter-search"
          type="search"
          name="q"
          defaultValue={query.search ?? ""}
          placeholder="Description, account SID or username"
          minLength={TOKEN_LIMITS.searchMin}
          maxLength={TOKEN_LIMITS.search}
          title={SEARCH_TOO_SHORT}
        />
      </div>
      <div className="field">
        <label htmlFor="filter-sort">Sort</label>
        <select id="filter-sort" name="sort" defaultValue={query.sort} onChange={submit}>
          {SORTS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {reps ? (
        <label className="checkbox-inline" htmlFor="filter-policy">
          <input
            id="filter-policy"
            type="checkbox"
            name="policy"
            value="outside"
            defaultChecked={query.outsidePolicy ?? false}
            onChange={submit}
          />
          Outside policy only
        </label>
      ) : null}
      <button type="submit" className="button">
        Apply
      </button>
    </Form>
  );
}
