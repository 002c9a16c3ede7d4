"use client";

import { useId, useState } from "react";
import type { ApplicationCatalog, ScopeDefinition } from "@/lib/applications/catalog";

type PermissionPickerProps = {
  /** The application whose scopes are offered. */
  catalog: ApplicationCatalog;
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  ownerIsAdmin: boolean;
  /** Deprecated scopes stay listed (and checked) only where the token already holds them. */
  held?: readonly string[];
  errors?: string[];
};

const CUSTOM = "custom";

/** Preset, search, "Only checked", and one checkbox per scope labelled with its id, with its docs link. */
export function PermissionPicker({ catalog, selected, onChange, ownerIsAdmin, held = [], errors }: PermissionPickerProps) {
  const id = useId();
  const [query, setQuery] = useState("");
  const [onlyChecked, setOnlyChecked] = useState(false);
  const errorId = `${id}-errors`;
  const heldSet = new Set(held);
  const scopes = catalog.scopes.filter((scope) => !scope.deprecated || heldSet.has(scope.id));
  const preset =
    catalog.presets.find((p) => p.scopes.length === selected.size && p.scopes.every((scope) => selected.has(scope)))?.id ?? CUSTOM;
  const groups = [...new Set(scopes.map((scope) => scope.group))];

  function toggle(scope: string, checked: boolean) {
    const next = new Set(selected);
    if (checked) next.add(scope);
    else next.delete(scope);
    onChange(next);
  }

  const matches = (scope: ScopeDefinition) =>
    (!onlyChecked || selected.has(scope.id)) &&
    (query === "" || `${scope.id} ${scope.description}`.toLowerCase().includes(query.toLowerCase()));

  return (
    <fieldset className="permission-picker" aria-describedby={errors?.length ? errorId : undefined}>
      <legend>Permissions</legend>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-preset`}>Preset</label>
          <select
            id={`${id}-preset`}
            name="preset"
            value={preset}
            onChange={(event) => {
              const chosen = catalog.presets.find((p) => p.id === event.target.value);
              if (chosen) onChange(new Set(chosen.scopes.filter((scope) => ownerIsAdmin || !isAdminOnly(scopes, scope))));
            }}
          >
            {catalog.presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
            <option value={CUSTOM}>Custom</option>
          </select>
        </div>
        <div className="field grow">
          <label htmlFor={`${id}-search`}>Search permissions</label>
          <input id={`${id}-search`} type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
        </div>
        <label className="checkbox-inline">
          <input type="checkbox" checked={onlyChecked} onChange={(event) => setOnlyChecked(event.target.checked)} />
          Only checked
        </label>
      </div>
      {errors?.length ? (
        <p id={errorId} className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
      {scopes.length === 0 ? <p className="muted">{catalog.name} has no scopes yet.</p> : null}
      <div className="permission-grid">
        {groups.map((group) => {
          const inGroup = scopes.filter((scope) => scope.group === group);
          const visible = inGroup.filter(matches);
          return (
            <div key={group} className="permission-group" hidden={visible.length === 0}>
              <h3>{group}</h3>
              {inGroup.map((scope) => {
                const inputId = `${id}-${scope.id}`;
                const disabled = scope.adminOnly && !ownerIsAdmin;
                return (
                  <div key={scope.id} className="permission-option" hidden={!visible.includes(scope)}>
                    <input
                      id={inputId}
                      type="checkbox"
                      name="permissions"
                      value={scope.id}
                      checked={selected.has(scope.id)}
                      disabled={disabled}
                      aria-describedby={`${inputId}-about`}
                      onChange={(event) => toggle(scope.id, event.target.checked)}
                    />
                    <label htmlFor={inputId}>{scope.id}</label>
                    <span id={`${inputId}-about`} className="permission-about">
                      {scope.description}
                      {disabled ? " (system admins only)" : ""}
                      {scope.deprecated ? " (deprecated)" : ""}
                    </span>
                    {scope.docsUrl ? (
                      <a className="permission-docs" href={scope.docsUrl} target="_blank" rel="noopener noreferrer">
                        Docs for {scope.id}
                      </a>
                    ) : null}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

const isAdminOnly = (scopes: readonly ScopeDefinition[], id: string) => scopes.some((scope) => scope.id === id && scope.adminOnly);
