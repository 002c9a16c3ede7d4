import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { UsageChart } from "@/components/tokens/usage-chart";
import { formatDateTime } from "@/components/ui/dates";
import { currentActor } from "@/lib/actions/console-action";
import { consolePath } from "@/lib/organizations/console-path";
import { DomainError } from "@/lib/shared/errors";
import { getTokenDetail } from "@/lib/tokens/detail";

export const metadata: Metadata = { title: "Token" };

const STATE_NAMES = { active: "Active", inactive: "Inactive", expired: "Expired", revoked: "Revoked" } as const;
const REASONS: Record<string, string> = {
  revoked: "Revoked",
  reused: "Replaced value used after its grace",
  expired: "Expired",
  inactive: "Inactive",
  owner_inactive: "Owner inactive",
  organization_inactive: "Organization inactive",
  application_archived: "Application archived",
  not_yet_valid: "Before its valid-from time",
  ip_not_allowed: "Address not allowed",
};

// GET /<org>/tokens/<id> — one token: every field, its permissions, rotation history and usage.
// An admin sees any of the organization's tokens, a rep their own; anything else is 404.
export default async function TokenPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const actor = await currentActor(org);
  const detail = await getTokenDetail(actor, id).catch((error: unknown) => {
    if (error instanceof DomainError && (error.code === "not_found" || error.code === "forbidden")) notFound();
    throw error;
  });
  const { token, permissions, history, usage, exposure } = detail;
  const back = actor.role === "admin" ? consolePath(org, "/admin/tokens") : consolePath(org, "/options");
  return (
    <section className="stack">
      <div>
        <p className="small">
          <Link href={back}>{actor.role === "admin" ? "Tokens" : "Options"}</Link>
        </p>
        <h1>{token.description}</h1>
      </div>

      <dl className="card details-list" aria-label="Token details">
        <dt>State</dt>
        <dd>
          {STATE_NAMES[token.state]}
          {token.usableUntil ? ` — stops working ${formatDateTime(token.usableUntil)}` : ""}
          {token.revokeReason ? ` (${token.revokeReason})` : ""}
        </dd>
        {exposure ? (
          <>
            <dt>Deactivated</dt>
            <dd>
              Found on GitHub at{" "}
              {exposure.url === "" ? (
                "a place GitHub did not name"
              ) : exposure.link ? (
                <a href={exposure.url} rel="noreferrer nofollow">
                  {exposure.url}
                </a>
              ) : (
                <code>{exposure.url}</code>
              )}{" "}
              on {formatDateTime(exposure.reportedAt)}. Switch it on again only if that was a false positive.
            </dd>
          </>
        ) : null}
        <dt>Owner</dt>
        <dd>
          {token.userDisplayName} ({token.username})
        </dd>
        <dt>Application</dt>
        <dd>{token.application.name}</dd>
        <dt>Account SID</dt>
        <dd>
          <code className="sid">{token.accountSid}</code>
        </dd>
        <dt>Value</dt>
        <dd>
          <code>{token.hint}</code>
        </dd>
        <dt>Valid from</dt>
        <dd>{token.validFrom ? formatDateTime(token.validFrom) : "Its creation"}</dd>
        <dt>Expires</dt>
        <dd>{token.expiresAt ? formatDateTime(token.expiresAt) : "Never"}</dd>
        <dt>Allowed IP addresses</dt>
        <dd>
          {token.allowedCidrs ? (
            <ul className="plain-list">
              {token.allowedCidrs.map((cidr) => (
                <li key={cidr}>
                  <code>{cidr}</code>
                </li>
              ))}
            </ul>
          ) : (
            "Any"
          )}
        </dd>
        <dt>Rate limit</dt>
        <dd>{token.rateLimitPerMinute ? `${token.rateLimitPerMinute.toLocaleString("en-US")} requests per minute` : "None"}</dd>
        <dt>Created</dt>
        <dd>{formatDateTime(token.createdAt)}</dd>
        <dt>Last used</dt>
        <dd>{token.lastUsedAt ? `${formatDateTime(token.lastUsedAt)}${token.lastUsedIp ? ` from ${token.lastUsedIp}` : ""}` : "Never"}</dd>
      </dl>

      <section className="stack" aria-labelledby="permissions-heading">
        <h2 id="permissions-heading">Permissions</h2>
        {permissions.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <ul className="permission-descriptions">
            {permissions.map((permission) => (
              <li key={permission.id}>
                <code>{permission.id}</code> — {permission.description}
                {permission.effective ? null : <span className="badge badge-warning">Not in effect</span>}
                {permission.docsUrl ? (
                  <>
                    {" "}
                    <a href={permission.docsUrl} rel="noreferrer">
                      Docs
                    </a>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="stack" aria-labelledby="usage-heading">
        <h2 id="usage-heading">Usage</h2>
        <UsageChart days={usage.days} />
      </section>

      <section className="stack" aria-labelledby="addresses-heading">
        <h2 id="addresses-heading">Client addresses</h2>
        {usage.addresses.length === 0 ? (
          <p className="muted">Not used from any address yet.</p>
        ) : (
          <table className="table" aria-labelledby="addresses-heading">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">First seen</th>
                <th scope="col">Last seen</th>
                <th scope="col">Requests</th>
                <th scope="col">User agent</th>
              </tr>
            </thead>
            <tbody>
              {usage.addresses.map((address) => (
                <tr key={address.ip}>
                  <td>
                    <code>{address.ip}</code>
                  </td>
                  <td>{formatDateTime(address.firstSeenAt)}</td>
                  <td>{formatDateTime(address.lastSeenAt)}</td>
                  <td>{address.requests}</td>
                  <td className="small">{address.userAgent ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="stack" aria-labelledby="failures-heading">
        <h2 id="failures-heading">Recent failures</h2>
        {usage.failures.length === 0 ? (
          <p className="muted">No refused authentications.</p>
        ) : (
          <table className="table" aria-labelledby="failures-heading">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Reason</th>
                <th scope="col">Address</th>
                <th scope="col">Attempts</th>
              </tr>
            </thead>
            <tbody>
              {usage.failures.map((failure) => (
                <tr key={`${failure.at}-${failure.reason}-${failure.ip ?? ""}`}>
                  <td>{formatDateTime(failure.at)}</td>
                  <td>{REASONS[failure.reason] ?? failure.reason}</td>
                  <td>{failure.ip ?? "—"}</td>
                  <td>{failure.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="stack" aria-labelledby="rotation-heading">
        <h2 id="rotation-heading">Rotation history</h2>
        {history.length === 1 ? (
          <p className="muted">This value has never been rotated.</p>
        ) : (
          <table className="table" aria-labelledby="rotation-heading">
            <thead>
              <tr>
                <th scope="col">Value</th>
                <th scope="col">Created</th>
                <th scope="col">Replaced</th>
                <th scope="col">Works until</th>
                <th scope="col">Last used</th>
              </tr>
            </thead>
            <tbody>
              {history.map((step) => (
                <tr key={step.id} aria-current={step.current ? "page" : undefined}>
                  <td>
                    {step.current ? (
                      <code>{step.hint}</code>
                    ) : (
                      <Link href={consolePath(org, `/tokens/${step.id}`)}>
                        <code>{step.hint}</code>
                      </Link>
                    )}
                  </td>
                  <td>{formatDateTime(step.createdAt)}</td>
                  <td>{step.rotatedAt ? formatDateTime(step.rotatedAt) : "—"}</td>
                  <td>{step.stoppedAt ? formatDateTime(step.stoppedAt) : "—"}</td>
                  <td>{step.lastUsedAt ? formatDateTime(step.lastUsedAt) : "Never"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
