// Every screen of the app, in the navigation's order. A screen is a folder of screens/
// whose index.ts exports its entries (its paths, the navigation link it adds, the roles that
// see it); adding one is a folder and a line here (web/README.md, "Adding a screen").
import type { ComponentType } from "preact";

import type { Role } from "../api/client";
import type { MessageKey } from "../i18n/en";
import { adminScreens } from "./admin";
import { contactScreens } from "./contacts";
import { dashboardScreens } from "./dashboard";
import { followupScreens } from "./followups";
import { pipelineScreens } from "./pipeline";
import { quickAddScreens } from "./quick-add";
import { transferScreens } from "./transfers";

export interface ScreenEntry {
  path: string;  // a wouter pattern: "/contacts/:id"
  component: ComponentType<{ params: Record<string, string | undefined> }>;
  roles: readonly Role[];  // who may open it (and see its link)
  nav?: MessageKey;        // the label of its navigation link, if it has one
  phoneHome?: boolean;     // the first screen on a phone-sized viewport (quick add)
}

export const everyone: readonly Role[] = ["member", "org-admin", "staff", "admin"];

export const screens: readonly ScreenEntry[] = [
  ...contactScreens,
  ...quickAddScreens,
  ...pipelineScreens,
  ...followupScreens,
  ...transferScreens,
  ...dashboardScreens,
  ...adminScreens,
];

export function screensFor(role: Role | null | undefined): ScreenEntry[] {
  return role ? screens.filter((s) => s.roles.includes(role)) : [];
}
