import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { notifications } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { runJobsPass } from "@/lib/jobs/run-pass";
import { deliverPendingNotifications, retryDelayMs } from "@/lib/notifications/delivery";
import { listOutbox, MAX_DELIVERY_ATTEMPTS } from "@/lib/notifications/outbox";
import { smtpTransport } from "@/lib/notifications/smtp";
import { addDays } from "@/lib/shared/time";
import { actorFor } from "../../fixtures/actors";
import { outboxOf, recordingTransport } from "../../fixtures/notifications";
import { createTestOrganization } from "../../fixtures/organizations";
import { startSmtpServer } from "../../fixtures/smtp";
import { createTestToken, domainErrorOf } from "../../fixtures/tokens";

const MINUTE_MS = 60_000;

async function onlyMail(organizationId: string) {
  const [mail, ...rest] = await outboxOf(organizationId);
  expect(rest).toHaveLength(0);
  if (!mail) throw new Error("expected one mail in the outbox");
  return mail;
}

describe("mail delivery", () => {
  it("retries after an SMTP failure: attempts counted, last error kept, next attempt later; a later success sets sentAt", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    await createTestToken(actorFor(admin), { userId: repOne.id });
    const transport = recordingTransport();
    transport.failing = new Error("421 mail.example.test is busy, try again later");
    const now = new Date(Date.now() + MINUTE_MS);
    const only = { organizationId: organization.id };

    expect(await deliverPendingNotifications(transport.send, now, only)).toEqual({ sent: 0, failed: 1 });
    let mail = await onlyMail(organization.id);
    expect(mail.attempts).toBe(1);
    expect(mail.sentAt).toBeNull();
    expect(mail.lastError).toContain("421 mail.example.test is busy");
    expect(mail.nextAttemptAt.getTime()).toBe(now.getTime() + retryDelayMs(1));
    expect(mail.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());

    // Not due yet: nothing is attempted.
    expect(await deliverPendingNotifications(transport.send, now, only)).toEqual({ sent: 0, failed: 0 });
    // Failing again backs off further.
    const later = new Date(mail.nextAttemptAt.getTime());
    expect(await deliverPendingNotifications(transport.send, later, only)).toEqual({ sent: 0, failed: 1 });
    mail = await onlyMail(organization.id);
    expect(mail.attempts).toBe(2);
    expect(mail.nextAttemptAt.getTime()).toBe(later.getTime() + retryDelayMs(2));
    expect(retryDelayMs(2)).toBeGreaterThan(retryDelayMs(1));

    transport.failing = null;
    expect(await deliverPendingNotifications(transport.send, mail.nextAttemptAt, only)).toEqual({ sent: 1, failed: 0 });
    mail = await onlyMail(organization.id);
    expect(mail.sentAt).not.toBeNull();
    expect(mail.attempts).toBe(3);
    expect(mail.lastError).toBeNull();
    expect(transport.sent).toEqual([{ to: repOne.email, subject: mail.subject, text: mail.body }]);
    expect(await deliverPendingNotifications(transport.send, addDays(now, 1), only)).toEqual({ sent: 0, failed: 0 });
  });

  it("gives up after the last attempt; the outbox shows it as failed with its error", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    await createTestToken(actorFor(admin), { userId: repOne.id });
    const db = await getDb();
    await db
      .update(notifications)
      .set({ attempts: MAX_DELIVERY_ATTEMPTS - 1 })
      .where(eq(notifications.organizationId, organization.id));
    const transport = recordingTransport();
    transport.failing = new Error("550 mailbox unavailable");
    const only = { organizationId: organization.id };
    expect(await deliverPendingNotifications(transport.send, new Date(Date.now() + MINUTE_MS), only)).toEqual({ sent: 0, failed: 1 });
    transport.failing = null;
    expect(await deliverPendingNotifications(transport.send, addDays(new Date(), 30), only)).toEqual({ sent: 0, failed: 0 });
    const { entries } = await listOutbox(actorFor(admin), { status: "failed" });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS, lastError: "Error: 550 mailbox unavailable" });
  });

  it("without SMTP, mail stays in the outbox, which only the organization's admins can read", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const other = await createTestOrganization();
    await createTestToken(actorFor(admin), { userId: repOne.id, description: "Stays here" });
    const result = await runJobsPass({ organizationId: organization.id, transport: null });
    expect(result.delivery).toBeNull();
    expect((await onlyMail(organization.id)).sentAt).toBeNull();
    const { entries } = await listOutbox(actorFor(admin));
    expect(entries.map((entry) => [entry.status, entry.recipient])).toEqual([["pending", repOne.email]]);
    expect((await listOutbox(actorFor(other.admin))).entries).toHaveLength(0);
    expect((await domainErrorOf(listOutbox(actorFor(repOne)))).code).toBe("forbidden");
  });

  it("delivers through a real SMTP server: recipients, subject and the copy-as-new link", async () => {
    const smtp = await startSmtpServer();
    const transport = smtpTransport(smtp.url, "Tessera <tessera@example.test>");
    try {
      const { organization, admin, repOne } = await createTestOrganization();
      const start = new Date();
      const { token } = await createTestToken(
        actorFor(admin),
        { userId: repOne.id, description: "Assessments vendor", expiresAt: addDays(start, 6) },
        start,
      );
      const result = await runJobsPass({ now: start, organizationId: organization.id, transport });
      // "Created for you", then the 7-day notice to the owner and to the admin who created it.
      expect(result).toEqual({ queued: 2, delivery: { sent: 3, failed: 0 }, webhooks: { delivered: 0, failed: 0 } });
      expect(smtp.received).toHaveLength(3);
      expect(smtp.received.every((mail) => mail.from === "tessera@example.test")).toBe(true);

      const byKind = (recipient: string, subject: RegExp) =>
        smtp.received.find((mail) => mail.to.join() === recipient && subject.test(mail.subject));
      const appUrl = getEnv().appUrl;
      const owner = byKind(repOne.email, /expires in 6 days$/);
      expect(owner?.subject).toBe("Your token “Assessments vendor” expires in 6 days");
      expect(owner?.text).toContain(`${appUrl}/${organization.slug}/options?copy=${token.id}`);
      const toAdmin = byKind(admin.email, /expires in 6 days$/);
      expect(toAdmin?.subject).toBe("Rep One's token “Assessments vendor” expires in 6 days");
      expect(toAdmin?.text).toContain(`${appUrl}/${organization.slug}/admin/tokens?copy=${token.id}`);
      expect(byKind(repOne.email, /created for you/)?.subject).toBe("A personal access token was created for you: “Assessments vendor”");
      expect((await outboxOf(organization.id)).every((mail) => mail.sentAt !== null)).toBe(true);
    } finally {
      transport.close();
      await smtp.close();
    }
  });

  it("a refused connection is recorded as the last error and retried", async () => {
    const smtp = await startSmtpServer();
    const url = smtp.url;
    await smtp.close();
    const transport = smtpTransport(url, "Tessera <tessera@example.test>");
    try {
      const { organization, admin, repOne } = await createTestOrganization();
      await createTestToken(actorFor(admin), { userId: repOne.id });
      const result = await runJobsPass({ organizationId: organization.id, transport });
      expect(result.delivery).toEqual({ sent: 0, failed: 1 });
      const mail = await onlyMail(organization.id);
      expect(mail.lastError).toMatch(/ECONNREFUSED/);
      expect(mail.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    } finally {
      transport.close();
    }
  });
});
