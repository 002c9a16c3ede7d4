import Bowser from "bowser";

/** "Chrome on Linux", "Safari on iOS", or "Unknown device": how "Sessions" names the browser that signed in. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const parsed = Bowser.parse(userAgent);
  const browser = parsed.browser.name;
  const os = parsed.os.name;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? "Unknown device";
}
