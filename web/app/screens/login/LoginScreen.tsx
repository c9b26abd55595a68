import { useRef, useState } from "preact/hooks";

import type { Me } from "../../api/client";
import { logIn } from "../../api/session";
import { LanguageSwitch } from "../../components/LanguageSwitch";
import { Message } from "../../components/Message";
import { useI18n } from "../../i18n/i18n";

// Email and password; the daemon answers a session cookie. A refusal is said in words
// (wrong credentials, too many attempts with the wait, no connection), and the focus goes
// back to the password.
export function LoginScreen({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordField = useRef<HTMLInputElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!email || !password) {
      setError(t("login.invalid"));
      return;
    }
    setBusy(true);
    setError(null);
    const result = await logIn(email, password);
    setBusy(false);
    if (result.ok) return onSignedIn(result.me);
    setError(
      result.reason === "too_many"
        ? t("login.too_many", { seconds: result.retryAfter ?? 60 })
        : result.reason === "offline"
          ? t("app.offline")
          : result.reason === "invalid"
            ? t("login.invalid")
            : t("login.wrong"),
    );
    setPassword("");
    passwordField.current?.focus();
  };

  return (
    <main id="main" class="login">
      <div class="login-lang">
        <LanguageSwitch />
      </div>
      <form class="card" method="post" onSubmit={submit} noValidate aria-labelledby="login-title">
        <p class="brand">{t("app.name")}</p>
        <h1 id="login-title">{t("login.title")}</h1>
        {error ? <Message kind="error">{error}</Message> : null}
        <label for="login-email">{t("login.email")}</label>
        <input
          id="login-email"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)}
        />
        <label for="login-password">{t("login.password")}</label>
        <input
          id="login-password"
          ref={passwordField}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? t("login.busy") : t("login.submit")}
        </button>
      </form>
    </main>
  );
}
