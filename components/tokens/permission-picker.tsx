"use client";

import { useId, useState } from "react";
import {
  ADMIN_ONLY_PERMISSIONS,
  PERMISSION_DESCRIPTIONS,
  PERMISSION_GROUPS,
  PERMISSION_PRESETS,
  presetMatching,
  type Permission,
} from "@/lib/permissions/catalog";

type PermissionPickerProps = {
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  ownerIsAdmin: boolean;
  errors?: string[];
};

const adminOnly = new Set<string>(ADMIN_ONLY_PERMISSIONS);

/** Preset, search, "Only checked", and one checkbox per permission labelled with its id. */
export function PermissionPicker({ selected, onChange, ownerIsAdmin, errors }: PermissionPickerProps) {
  const id = useId();
  const [query, setQuery] = useState("");
  const [onlyChecked, setOnlyChecked] = useState(false);
  const preset = presetMatching([...selected]);
  const errorId = `${id}-errors`;

  function toggle(permission: Permission, checked: boolean) {
    const next = new Set(selected);
    if (checked) next.add(permission);
    else next.delete(permission);
    onChange(next);
  }

  const matches = (permission: Permission) =>
    (!onlyChecked || selected.has(permission)) &&
    (query === "" || `${permission} ${PERMISSION_DESCRIPTIONS[permission]}`.toLowerCase().includes(query.toLowerCase()));

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
              const chosen = PERMISSION_PRESETS.find((p) => p.id === event.target.value);
              if (chosen && chosen.id !== "custom") onChange(new Set(chosen.permissions));
            }}
          >
            {PERMISSION_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
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
      <div className="permission-grid">
        {PERMISSION_GROUPS.map((group) => {
          const visible = group.permissions.filter(matches);
          return (
            <div key={group.id} className="permission-group" hidden={visible.length === 0}>
              <h3>{group.label}</h3>
              {group.permissions.map((permission) => {
                const inputId = `${id}-${permission}`;
                const disabled = adminOnly.has(permission) && !ownerIsAdmin;
                return (
                  <div key={permission} className="permission-option" hidden={!visible.includes(permission)}>
                    <input
                      id={inputId}
                      type="checkbox"
                      name="permissions"
                      value={permission}
                      checked={selected.has(permission)}
                      disabled={disabled}
                      aria-describedby={`${inputId}-about`}
                      onChange={(event) => toggle(permission, event.target.checked)}
                    />
                    <label htmlFor={inputId}>{permission}</label>
                    <span id={`${inputId}-about`} className="permission-about">
                      {PERMISSION_DESCRIPTIONS[permission]}
                      {disabled ? " (system admins only)" : ""}
                    </span>
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
