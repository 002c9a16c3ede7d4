// Next.js answers 500 when a dynamic segment holds a percent-escape that is not UTF-8
// (`/api/v1/tokens/%FF`): it fails to decode the route parameter. Such a path names nothing,
// so the server refuses it as the client's error before Next.js sees it.

/** True when the request target's path has a percent-escape that does not decode as UTF-8. */
export function hasMalformedPath(target) {
  const path = (target ?? "/").split("?")[0];
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}
