import type { ApplicationDefinition } from "@/lib/applications/definition";

// SPEC §9's demo applications, so that choosing one in the create dialog is a real choice.

const ENTERPRISE_DOCS = "https://api.enterprise.example/docs";

const enterpriseScope = (id: string, description: string) => ({
  id,
  description,
  group: id.split(":")[0] ?? id,
  docsUrl: `${ENTERPRISE_DOCS}#${id.replace(":", "-")}`,
});

/** Today's domain permissions, each with a docs link (the constant catalog they replace). */
export const ENTERPRISE_REST_API: ApplicationDefinition = {
  slug: "enterprise-rest-api",
  name: "Enterprise REST API",
  description: "Employees, customers, orders, assignments, assessments, documents and messages.",
  audience: "https://api.enterprise.example",
  docsUrl: ENTERPRISE_DOCS,
  scopes: [
    enterpriseScope("employees:read", "View employee records"),
    enterpriseScope("employees:write", "Create and update employee records"),
    enterpriseScope("customers:read", "View customer records"),
    enterpriseScope("customers:write", "Create and update customer records"),
    enterpriseScope("orders:read", "View orders"),
    enterpriseScope("orders:write", "Create and update orders"),
    enterpriseScope("assignments:read", "View assignments"),
    enterpriseScope("assignments:write", "Create and update assignments"),
    enterpriseScope("assessments:read", "View assessments and their results"),
    enterpriseScope("assessments:write", "Create assessments and submit results"),
    enterpriseScope("documents:read", "View and download documents"),
    enterpriseScope("documents:write", "Upload and update documents"),
    enterpriseScope("messages:send", "Send messages (SMS, email) to employees and customers"),
  ],
  presets: [
    { name: "Assessments integration", scopes: ["employees:read", "assessments:read", "assessments:write"] },
    { name: "Messaging", scopes: ["employees:read", "customers:read", "messages:send"] },
    {
      name: "Read-only",
      scopes: ["employees:read", "customers:read", "orders:read", "assignments:read", "assessments:read", "documents:read"],
    },
  ],
};

const ASSESS_DOCS = "https://assess.example/docs/api";

/** A second API with a catalog of its own, and the platform dashboard's method sets as presets. */
export const ASSESS_ON_CLOUD: ApplicationDefinition = {
  slug: "assess-on-cloud",
  name: "Assess on Cloud",
  description: "Online assessments: candidates, sessions and reports.",
  audience: "https://assess.example/api",
  docsUrl: ASSESS_DOCS,
  scopes: [
    { id: "candidates:read", description: "List and view candidates", group: "candidates", docsUrl: `${ASSESS_DOCS}/candidates#list` },
    {
      id: "candidates:write",
      description: "Invite and update candidates",
      group: "candidates",
      docsUrl: `${ASSESS_DOCS}/candidates#invite`,
    },
    { id: "sessions:read", description: "View assessment sessions", group: "sessions", docsUrl: `${ASSESS_DOCS}/sessions#get` },
    { id: "sessions:write", description: "Schedule and cancel sessions", group: "sessions", docsUrl: `${ASSESS_DOCS}/sessions#schedule` },
    { id: "reports:read", description: "Download score reports", group: "reports", docsUrl: `${ASSESS_DOCS}/reports#download` },
    {
      id: "settings:admin",
      description: "Change the organization's assessment settings",
      group: "settings",
      docsUrl: `${ASSESS_DOCS}/settings`,
      adminOnly: true,
    },
  ],
  presets: [
    { name: "Extended Access", scopes: ["candidates:read", "candidates:write", "sessions:read", "sessions:write", "reports:read"] },
    { name: "IDE Plugins", scopes: ["candidates:read", "sessions:read"] },
    { name: "Marketplace", scopes: ["candidates:read", "reports:read"] },
    { name: "Maven Plugin", scopes: ["sessions:read", "reports:read"] },
  ],
};

export const DEMO_APPLICATIONS: readonly ApplicationDefinition[] = [ENTERPRISE_REST_API, ASSESS_ON_CLOUD];
