// For state-changing calls a test makes through Playwright's API client (page.request): the app's own Origin,
// which the app asks of every such request (proxy.ts). A browser adds it by itself; the API client does not.
export const SAME_ORIGIN = { origin: new URL(process.env.KEYWARD_E2E_BASE_URL ?? "http://127.0.0.1").origin };
