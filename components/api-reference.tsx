"use client";

import "@/lib/validation/zod-without-eval";
import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

/** Scalar's renderer for the generated OpenAPI document; loads nothing from other hosts (the CSP holds it to that). */
export function ApiReference() {
  return (
    <ApiReferenceReact
      configuration={{
        url: "/api/v1/openapi.json",
        hideClientButton: true,
        withDefaultFonts: false,
        telemetry: false,
        // Its AI agent (on by default on localhost) calls api.scalar.com; the CSP refuses that.
        agent: { disabled: true },
      }}
    />
  );
}
