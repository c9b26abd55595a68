import "./imports.css";
import type { ScreenEntry } from "../registry";
import { ExportsScreen } from "./ExportsScreen";
import { ImportsScreen } from "./ImportsScreen";

// Imports write into the caller's organisation (staff and the admin have none to fill);
// everyone exports what they may read.
export const transferScreens: ScreenEntry[] = [
  { path: "/imports", component: ImportsScreen, roles: ["member", "org-admin"], nav: "nav.imports" },
  { path: "/exports", component: ExportsScreen, roles: ["member", "org-admin", "staff", "admin"], nav: "nav.exports" },
];
