import { useEffect, useLayoutEffect, useMemo, useState } from "preact/hooks";
import { Redirect, Route, Router, Switch } from "wouter-preact";

import { sessionEnded, type Me } from "./api/client";
import { currentUser, logOut, SessionContext, type Session } from "./api/session";
import { Message } from "./components/Message";
import { Shell } from "./components/Shell";
import { I18nContext, initialLanguage, rememberLanguage, translator, type I18n, type Language } from "./i18n/i18n";
import { LoginScreen } from "./screens/login/LoginScreen";
import { screensFor } from "./screens/registry";

type Start = { kind: "checking" } | { kind: "signed-out" } | { kind: "offline" } | { kind: "signed-in"; me: Me };

// The app: the language, then who is signed in (the session cookie, asked of /api/v1/me),
// then the login screen or the shell with the screens the user's role may open.
export function App() {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const [start, setStart] = useState<Start>({ kind: "checking" });

  const i18n = useMemo<I18n>(
    () => ({
      language,
      t: translator(language),
      setLanguage: (l) => {
        rememberLanguage(l);
        setLanguageState(l);
      },
    }),
    [language],
  );
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = i18n.t("app.name");
  }, [language]);

  useEffect(() => {
    const ended = () => setStart({ kind: "signed-out" });
    sessionEnded.addEventListener("ended", ended);
    return () => sessionEnded.removeEventListener("ended", ended);
  }, []);

  // Asked before the first paint (index.html preloads the answer).
  useLayoutEffect(() => {
    currentUser()
      .then((me) => setStart(me ? { kind: "signed-in", me } : { kind: "signed-out" }))
      .catch(() => setStart({ kind: "offline" }));
  }, []);

  const session = useMemo<Session | null>(
    () =>
      start.kind === "signed-in"
        ? {
            me: start.me,
            signOut: () => {
              void logOut().then(() => {
                setStart({ kind: "signed-out" });
                history.replaceState(null, "", "/");
              });
            },
          }
        : null,
    [start],
  );

  let content;
  if (start.kind === "checking") content = <p role="status" class="loading">{i18n.t("app.loading")}</p>;
  else if (start.kind === "offline") content = <main id="main"><Message kind="error">{i18n.t("app.offline")}</Message></main>;
  else if (start.kind === "signed-out")
    content = <LoginScreen onSignedIn={(me) => setStart({ kind: "signed-in", me })} />;
  else {
    const allowed = screensFor(start.me.role);
    // On a phone, the screen made for it (quick add at a stand); elsewhere the first link.
    const phone = window.matchMedia("(max-width: 40rem)").matches;
    const home = (phone ? allowed.find((s) => s.phoneHome) : undefined)?.path ?? allowed.find((s) => s.nav)?.path ?? "/contacts";
    content = (
      <SessionContext.Provider value={session}>
        <Router>
          <Shell>
            <Switch>
              {allowed.map((s) => (
                <Route key={s.path} path={s.path} component={s.component} />
              ))}
              <Route>
                <Redirect to={home} replace />
              </Route>
            </Switch>
          </Shell>
        </Router>
      </SessionContext.Provider>
    );
  }
  return <I18nContext.Provider value={i18n}>{content}</I18nContext.Provider>;
}
