import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { OutboxList } from "@/components/outbox/outbox-list";
import { currentAdminActor } from "@/lib/actions/console-action";
import { consolePath } from "@/lib/organizations/console-path";
import { isMailDeliveryConfigured, listOutbox, outboxQuerySchema } from "@/lib/notifications/outbox";

export const metadata: Metadata = { title: "Outbox" };

type SearchParams = Record<string, string | string[] | undefined>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

type Props = { params: Promise<{ org: string }>; searchParams: Promise<SearchParams> };

export default async function OutboxPage({ params, searchParams }: Props) {
  const { org } = await params;
  const actor = await currentAdminActor(org);
  const path = consolePath(org, "/admin/outbox");
  const search = await searchParams;
  const query = outboxQuerySchema.parse({ status: first(search.status) || undefined, cursor: first(search.cursor) });
  const page = await listOutbox(actor, query);
  const filters = new URLSearchParams(query.status ? { status: query.status } : {});
  const nextPage = page.nextCursor ? `${path}?${new URLSearchParams({ ...Object.fromEntries(filters), cursor: page.nextCursor })}` : null;

  return (
    <section>
      <h1>Outbox</h1>
      <p className={isMailDeliveryConfigured() ? "muted" : "alert alert-warning"}>
        {isMailDeliveryConfigured()
          ? "Mail to your organization's reps: expiry notices and changes admins made to their tokens. Failed deliveries are retried with backoff."
          : "No mail server is configured (SMTP_URL), so mail stays here and is not sent. Read it here, or set SMTP_URL to deliver it."}
      </p>
      <Form action={path} className="filters" aria-label="Filter mail">
        <div className="field">
          <label htmlFor="outbox-status">Status</label>
          <select id="outbox-status" name="status" defaultValue={query.status ?? ""}>
            <option value="">All mail</option>
            <option value="pending">Waiting</option>
            <option value="sent">Sent</option>
            <option value="failed">Gave up</option>
          </select>
        </div>
        <button type="submit" className="button">
          Apply
        </button>
      </Form>
      <OutboxList entries={page.entries} />
      <nav className="pagination" aria-label="Pages">
        {query.cursor ? <Link href={`${path}?${filters}`}>First page</Link> : null}
        {nextPage ? <Link href={nextPage}>Next page</Link> : null}
      </nav>
    </section>
  );
}
