"use client";

import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";

/** Scalar's renderer for the generated OpenAPI document; loads nothing from other hosts. */
export function ApiReference() {
  return (
    <ApiReferenceReact
      configuration={{
        url: "/api/v1/openapi.json",
        hideClientButton: true,
        withDefaultFonts: false,
        telemetry: false,
      }}
    />
  );
}
