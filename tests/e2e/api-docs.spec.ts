import { expect, test } from "@playwright/test";

test("/docs/api renders the generated API reference, with the curl example", async ({ page }) => {
  await page.goto("/docs/api");
  await expect(page.getByText("Tessera API").first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("Authorization: Bearer $TESSERA_TOKEN").first()).toBeVisible();
  await expect(page.getByText("/api/v1/tokens").first()).toBeAttached();
});

test("GET /api/v1/openapi.json is public and describes the bearer scheme", async ({ request }) => {
  const response = await request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  const document = await response.json();
  expect(document.openapi).toBe("3.1.0");
  expect(document.components.securitySchemes.bearer.scheme).toBe("bearer");
});
