import type { ComponentChildren } from "preact";
import { Link, useLocation } from "wouter-preact";

import { useSession } from "../api/session";
import { useI18n } from "../i18n/i18n";
import { screensFor } from "../screens/registry";
import { LanguageSwitch } from "./LanguageSwitch";

// The frame of every signed-in screen: a skip link, the header with the navigation the
// user's role allows, who is signed in, the language switch and logging out.
export function Shell({ children }: { children: ComponentChildren }) {
  const { me, signOut } = useSession();
  const { t } = useI18n();
  const [location] = useLocation();
  const links = screensFor(me.role).filter((s) => s.nav);
  return (
    <>
      <a class="skip" href="#main">
        {t("app.skip")}
      </a>
      <header class="top">
        <span class="brand">{t("app.name")}</span>
        <nav aria-label={t("nav.label")}>
          <ul>
            {links.map((s) => (
              <li key={s.path}>
                <Link href={s.path} aria-current={location.startsWith(s.path) ? "page" : undefined}>
                  {s.nav ? t(s.nav) : ""}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            {t("nav.signed_in", { name: me.display_name || me.email || "" })}
            {me.role ? <span class="role"> · {t(`role.${me.role}`)}</span> : null}
            {me.organisation ? <span class="org"> · {me.organisation.name}</span> : null}
          </span>
          <LanguageSwitch />
          <button type="button" class="secondary" onClick={signOut}>
            {t("nav.logout")}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
