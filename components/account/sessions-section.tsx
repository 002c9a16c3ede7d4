import { SessionActionButton } from "@/components/account/session-action-button";
import { describeDevice } from "@/components/account/device";
import { formatDateTime, formatTimeAgo } from "@/components/ui/dates";
import { listSessions, type SessionRef } from "@/lib/auth/session-store";

/** "Sessions" on /account (SPEC §14): where the person is signed in, and a way to end each of those sessions. */
export async function SessionsSection({ session }: { session: SessionRef }) {
  const now = new Date();
  const sessions = await listSessions(session, now);
  const others = sessions.filter((row) => !row.current).length;
  return (
    <section className="card stack" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      <p className="muted">Browsers signed in to your account. Sign out any you do not recognize, then change your password.</p>
      <ul className="session-list" aria-labelledby="sessions-heading">
        {sessions.map((row) => {
          const device = describeDevice(row.userAgent);
          const seen = row.lastSeenAt.toISOString();
          return (
            <li key={row.id} className="session-row">
              <div className="stack-tight">
                <strong>{device}</strong>
                <span className="muted">
                  {row.ip ?? "Unknown address"} ·{" "}
                  {row.current ? (
                    "This session"
                  ) : (
                    <>
                      Last seen{" "}
                      <time dateTime={seen} title={formatDateTime(seen)}>
                        {formatTimeAgo(seen, now)}
                      </time>
                    </>
                  )}
                </span>
              </div>
              {row.current ? (
                <span className="badge">Current</span>
              ) : (
                <SessionActionButton
                  session={row.id}
                  label="Sign out"
                  accessibleLabel={`Sign out ${device}, last seen ${formatTimeAgo(seen, now)}`}
                />
              )}
            </li>
          );
        })}
      </ul>
      {others > 0 ? (
        <div className="row">
          <SessionActionButton session="others" label="Sign out everywhere else" />
        </div>
      ) : null}
    </section>
  );
}
