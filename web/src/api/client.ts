// The typed client of Relance's HTTP API: openapi-fetch over the types openapi-typescript
// generates from the daemon's own document (/api/v1/openapi.json) into schema.d.ts, so
// that a call the document does not allow, or a misread answer, fails to compile.
// schema.d.ts is not committed: it is generated from the daemon being built (README.md).
import createClient, { type Client } from "openapi-fetch";

import type { paths } from "./schema.js";

export type { paths };
export type RelanceClient = Client<paths>;

// A client of the daemon at `baseUrl` (http://127.0.0.1:8080), sending `token` (a session
// token from POST /api/v1/auth/login, or a personal token's secret) as a bearer token.
export function relanceClient(baseUrl: string, token?: string): RelanceClient {
  return createClient<paths>({
    baseUrl,
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  });
}

// What a failed call says, for an error message: the status and the problem's detail.
export function failure(response: Response, error: unknown): string {
  return `HTTP ${response.status} ${JSON.stringify(error)}`;
}
