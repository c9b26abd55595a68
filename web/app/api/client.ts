// The app's one door to the daemon: openapi-fetch over the types generated from the
// daemon's OpenAPI document (../../src/api/schema.d.ts), so that a call the document does
// not allow, or a misread answer, fails to type-check. Same origin, so the browser sends the
// session cookie (HttpOnly: no script here ever sees the token) and, on writes, the Origin
// the daemon checks.
import createClient from "openapi-fetch";

import type { components, paths } from "../../src/api/schema";

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });

// A 401 on any call but the login means the session ended (expired, revoked by a password
// change, logged out in another tab): the app listens and goes back to its login screen.
export const sessionEnded = new EventTarget();
api.use({
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.endsWith("/auth/login"))
      sessionEnded.dispatchEvent(new Event("ended"));
    return undefined;
  },
});

export type Me = paths["/api/v1/me"]["get"]["responses"][200]["content"]["application/json"];
export type Role = NonNullable<Me["role"]>;
export type Contact = components["schemas"]["Contact"];
export type Company = components["schemas"]["Company"];
export type Lead = components["schemas"]["Lead"];

// What a refused call says (an RFC 9457 problem's detail), for an error message.
export function problemDetail(error: unknown, response: Response): string {
  if (error && typeof error === "object" && "detail" in error && typeof error.detail === "string")
    return error.detail;
  return `HTTP ${response.status}`;
}

// Whether a thrown error is the abort of a request that a newer one replaced.
export function aborted(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}
