import { ESLint } from "eslint";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";

// The layout rules of README "Layout" are lint rules, not review comments: these cases show that
// lint fails a deliberate bad import and a misformatted file (and passes the allowed direction).
// The cases are text for files that do not exist, which type-aware rules cannot read: this checks
// the layout rule alone.
const eslint = new ESLint({
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { "@typescript-eslint/no-floating-promises": "off" },
  },
});
const restrictedPaths = async (filePath: string, code: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === "import/no-restricted-paths");
};

describe("import direction (eslint import/no-restricted-paths)", () => {
  it.each([
    ["components/ imports app/", "components/x.tsx", 'export { default } from "@/app/(console)/[org]/layout";'],
    ["lib/ imports components/", "lib/tokens/x.ts", 'export { Modal } from "@/components/ui/modal";'],
    ["lib/ imports app/", "lib/x.ts", 'export { GET } from "@/app/api/health/route";'],
    ["app/ imports db/", "app/x.ts", 'export { getDb } from "@/db";'],
    ["components/ imports db/ by a relative path", "components/tokens/x.ts", 'export { getDb } from "../../db";'],
  ])("%s → error", async (_name, filePath, code) => {
    expect(await restrictedPaths(filePath, code)).toHaveLength(1);
  });

  it.each([
    ["components/ imports lib/", "components/x.tsx", 'export { isUuid } from "@/lib/shared/ids";'],
    ["lib/ imports db/", "lib/x.ts", 'export { getDb } from "@/db";'],
    [
      "app/ imports components/ and lib/",
      "app/x.ts",
      'export { Modal } from "@/components/ui/modal";\nexport { isUuid } from "@/lib/shared/ids";',
    ],
  ])("%s → allowed", async (_name, filePath, code) => {
    expect(await restrictedPaths(filePath, code)).toEqual([]);
  });
});

describe("formatting (prettier --check in npm run lint)", () => {
  it("a misformatted file fails the check; the formatted one passes", async () => {
    const options = { ...(await prettier.resolveConfig("lib/x.ts")), filepath: "lib/x.ts" };
    const messy = "export const  x = {a:1,\n b: 2}\n";
    expect(await prettier.check(messy, options)).toBe(false);
    expect(await prettier.check(await prettier.format(messy, options), options)).toBe(true);
  });
});
