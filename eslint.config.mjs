import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypeScript from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTypeScript,
  { ignores: [".next/**", ".data/**", "node_modules/**", "db/migrations/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/ban-ts-comment": "error",
    },
  },
  {
    // A promise nobody awaits fails nowhere: its rejection is lost, or lands in the next test.
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { "@typescript-eslint/no-floating-promises": "error" },
  },
  {
    // Data flows one way: app/ → components/ → lib/ → db/ (STYLE.md). Checked on resolved paths,
    // so "@/…" aliases and relative imports are caught alike.
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./components",
              from: "./app",
              message: "components/ never imports app/: pass data as props, or import the action from lib/actions/.",
            },
            { target: "./lib", from: ["./app", "./components"], message: "lib/ is the domain: it never imports app/ or components/." },
            { target: ["./app", "./components"], from: "./db", message: "Only lib/ reads and writes the database: go through lib/." },
          ],
        },
      ],
    },
  },
];

export default config;
