import type { Metadata } from "next";
import { ApiReference } from "@/components/api-reference";

export const metadata: Metadata = { title: "API reference" };

// Public: the reference describes the API; it holds no organization's data.
export default function ApiDocsPage() {
  return (
    <main>
      <noscript>
        The interactive reference needs JavaScript; the raw description is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
      </noscript>
      <ApiReference />
    </main>
  );
}
