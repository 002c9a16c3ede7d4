import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { OutboxList } from "@/components/outbox/outbox-list";
import { currentActor } from "@/lib/actions/console-action";
import { isMailDeliveryConfigured, listOutbox, outboxQuerySchema } from "@/lib/notifications/outbox";
import { requireAdmin } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Outbox" };

type SearchParams = Record<string, string | string[] | undefined>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function OutboxPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireAdmin();
  const actor = await currentActor();
  const params = await searchParams;
  const query = outboxQuerySchema.parse({ status: first(params.status) || undefined, cursor: first(params.cursor) });
  const page = await listOutbox(actor, query);
  const filters = new URLSearchParams(query.status ? { status: query.status } : {});
  const nextPage = page.nextCursor
    ? `/admin/outbox?${new URLSearchParams({ ...Object.fromEntries(filters), cursor: page.nextCursor })}`
    : null;

  return (
    <section>
      <h1>Outbox</h1>
      <p className={isMailDeliveryConfigured() ? "muted" : "alert alert-warning"}>
        {isMailDeliveryConfigured()
          ? "Mail to your organization's reps: expiry notices and changes admins made to their tokens. Failed deliveries are retried with backoff."
          : "No mail server is configured (SMTP_URL), so mail stays here and is not sent. Read it here, or set SMTP_URL to deliver it."}
      </p>
      <Form action="/admin/outbox" className="filters" aria-label="Filter mail">
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
        {query.cursor ? <Link href={`/admin/outbox?${filters}`}>First page</Link> : null}
        {nextPage ? <Link href={nextPage}>Next page</Link> : null}
      </nav>
    </section>
  );
}
