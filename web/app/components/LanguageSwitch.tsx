import { languages, useI18n, type Language } from "../i18n/i18n";

// A labelled select: keyboard-usable as it is, and read by screen readers with its label.
export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <label class="language">
      <span>{t("lang.label")}</span>
      <select
        value={language}
        onChange={(e) => setLanguage((e.currentTarget as HTMLSelectElement).value as Language)}
      >
        {languages.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(l === "fr" ? "lang.fr" : "lang.en")}
          </option>
        ))}
      </select>
    </label>
  );
}
