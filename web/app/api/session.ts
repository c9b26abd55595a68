// The signed-in user: who /api/v1/me says the session cookie belongs to, logging in (the
// daemon answers the cookie) and out (it clears it).
import { createContext } from "preact";
import { useContext } from "preact/hooks";

import { api, type Me } from "./client";

export type LoginResult =
  | { ok: true; me: Me }
  | { ok: false; reason: "wrong" | "too_many" | "invalid" | "offline"; retryAfter?: number };

export async function currentUser(): Promise<Me | null> {
  const { data } = await api.GET("/api/v1/me");
  return data ?? null;
}

export async function logIn(email: string, password: string): Promise<LoginResult> {
  try {
    const { data, response } = await api.POST("/api/v1/auth/login", { body: { email, password, cookie: true } });
    if (data) {
      const me = await currentUser();
      if (me) return { ok: true, me };
      return { ok: false, reason: "offline" };
    }
    if (response.status === 429)
      return { ok: false, reason: "too_many", retryAfter: Number(response.headers.get("Retry-After") ?? "60") };
    if (response.status === 400 || response.status === 422) return { ok: false, reason: "invalid" };
    return { ok: false, reason: "wrong" };
  } catch {
    return { ok: false, reason: "offline" };
  }
}

export async function logOut(): Promise<void> {
  try {
    await api.POST("/api/v1/auth/logout");
  } catch {
    // Offline: the cookie stays until the server is reached again, but the app forgets the user.
  }
}

export interface Session {
  me: Me;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a signed-in shell");
  return session;
}
