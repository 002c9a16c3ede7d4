/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WebAssembly packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres", "drizzle-orm", "rate-limiter-flexible"],
  poweredByHeader: false,
  // An OpenAPI document imported on /admin/applications may be up to 1 MiB (lib/applications/
  // openapi-import.ts), which a form's own encoding takes past Next's default 1 MB.
  experimental: { serverActions: { bodySizeLimit: "2mb" } },
  // `npm run typecheck` checks the whole project (tests included) as its own CI step; repeating
  // it inside every `next build` only slows the build down.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
