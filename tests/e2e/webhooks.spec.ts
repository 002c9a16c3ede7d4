import { expect, test, type Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { startWebhookReceiver, type ReceivedWebhook } from "../fixtures/webhook-receiver";
import { answerPasswordPrompts, signInAs, suffix } from "./helpers";

// SPEC §12 in the browser: the e2e server runs with WEBHOOK_ALLOW_PRIVATE=true (scripts/e2e-server.mjs),
// so an endpoint can point at a receiver this test starts on 127.0.0.1.

test.beforeEach(async ({ page }) => {
  await answerPasswordPrompts(page);
});

function verify(request: ReceivedWebhook | undefined, secret: string) {
  if (!request) throw new Error("the receiver got nothing");
  return new Webhook(secret).verify(request.body, {
    "webhook-id": String(request.headers["webhook-id"]),
    "webhook-timestamp": String(request.headers["webhook-timestamp"]),
    "webhook-signature": String(request.headers["webhook-signature"]),
  }) as { type: string };
}

/** Sends a test event and waits until the receiver holds `count` requests and the page says it was delivered. */
async function sendTestEvent(page: Page, received: readonly ReceivedWebhook[], count: number) {
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect.poll(() => received.length).toBe(count);
  await expect(page.getByRole("status").filter({ hasText: "Test event delivered (HTTP 200)." })).toBeVisible();
}

test("admin adds an endpoint, sends a test event that is delivered and verified, and rotates the secret", async ({ page }) => {
  const receiver = await startWebhookReceiver();
  try {
    await signInAs(page, "sysadmin@acme.test", "/admin/tokens");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();

    await page.getByRole("button", { name: "Add endpoint" }).click();
    const add = page.getByRole("dialog", { name: "Add endpoint" });
    for (const label of [
      "Token created",
      "Token updated",
      "Token revoked",
      "Token rotated",
      "Token expiring",
      "Token expired",
      "Token reused",
      "Token leaked",
    ]) {
      await expect(add.getByRole("checkbox", { name: label })).toBeVisible();
    }
    // Bad input: a clear error, and nothing is added.
    await add.getByLabel("URL").fill("https://user:password@hooks.example.com/");
    await add.getByRole("checkbox", { name: "Token created" }).check();
    await add.getByRole("button", { name: "Add endpoint" }).click();
    await expect(add.getByText("Must not contain a user name or password")).toBeVisible();

    await add.getByLabel("URL").fill(receiver.url);
    await add.getByLabel("Description").fill("E2E receiver");
    await add.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await add.getByTestId("webhook-secret").textContent())?.trim() ?? "";
    expect(secret).toMatch(/^whsec_/);
    await add.getByRole("button", { name: "Done" }).click();
    await expect(add).toBeHidden();
    await expect(page).toHaveURL(/\/acme\/admin\/webhooks\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { name: receiver.url, level: 1 })).toBeVisible();

    await sendTestEvent(page, receiver.received, 1);
    const row = page.getByRole("table", { name: "Deliveries" }).getByRole("row").filter({ hasText: "webhook.test" });
    await expect(row).toContainText("Delivered");
    await expect(row).toContainText("HTTP 200");
    expect(receiver.received).toHaveLength(1);
    expect(verify(receiver.received[0], secret).type).toBe("webhook.test");
    // Resend: the same webhook-id again.
    await row.getByRole("button", { name: "Resend" }).click();
    await expect(row.getByRole("status")).toHaveText("Resent: delivered (HTTP 200).");
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]?.headers["webhook-id"]).toBe(receiver.received[0]?.headers["webhook-id"]);

    // Rotate: the new secret is shown once; for 24 hours deliveries verify with either secret.
    await page.getByRole("button", { name: "Rotate secret" }).click();
    const confirm = page.getByRole("dialog", { name: "Rotate the signing secret?" });
    await confirm.getByRole("button", { name: "Rotate secret" }).click();
    const rotated = page.getByRole("dialog", { name: "New signing secret" });
    await expect(rotated).toContainText("previous secret keeps working for 24 hours");
    const newSecret = (await rotated.getByTestId("webhook-secret").textContent())?.trim() ?? "";
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    await rotated.getByRole("button", { name: "Done" }).click();
    await expect(rotated).toBeHidden();
    await expect(page.getByText(/Rotated: the previous secret also signs until/)).toBeVisible();

    await sendTestEvent(page, receiver.received, 3);
    expect(verify(receiver.received[2], newSecret).type).toBe("webhook.test");
    expect(verify(receiver.received[2], secret).type).toBe("webhook.test");

    // A token event is sent as the change commits, without waiting for the jobs pass.
    const endpointPage = page.url();
    const description = `Webhook e2e ${suffix()}`;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tokens" }).click();
    await page.getByRole("button", { name: "Create token" }).click();
    const create = page.getByRole("dialog", { name: "Create personal access token" });
    await create.getByLabel("Application", { exact: true }).selectOption({ label: "Enterprise REST API" });
    await create.getByLabel("Description").fill(description);
    await create.getByLabel("orders:read", { exact: true }).check();
    await create.getByRole("button", { name: "Create" }).click();
    const value = ((await create.getByTestId("token-value").textContent()) ?? "").trim();
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(4);
    const event = verify(receiver.received[3], newSecret) as { type: string; data: { token: { description: string } } };
    expect(event.type).toBe("token.created");
    expect(event.data.token.description).toBe(description);
    expect(receiver.received[3]?.body).not.toContain(value);
    await page.goto(endpointPage);
    await expect(page.getByRole("table", { name: "Deliveries" }).getByRole("row").filter({ hasText: "token.created" })).toContainText(
      "Delivered",
    );

    // Delete, confirmed: back to the list, which no longer has it.
    await page.getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog", { name: "Delete this endpoint?" }).getByRole("button", { name: "Delete" }).click();
    await expect(page).toHaveURL(/\/acme\/admin\/webhooks$/);
    await expect(page.getByRole("link", { name: receiver.url })).toHaveCount(0);
  } finally {
    await receiver.close();
  }
});

test("reps get 404 on the webhooks pages", async ({ page }) => {
  await signInAs(page, "susan@acme.test", "/options");
  expect((await page.goto("/acme/admin/webhooks"))?.status()).toBe(404);
  expect((await page.goto("/acme/admin/webhooks/00000000-0000-0000-0000-000000000000"))?.status()).toBe(404);
});
