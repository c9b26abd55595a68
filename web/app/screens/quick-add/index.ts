import type { ScreenEntry } from "../registry";
import { QuickAddScreen } from "./QuickAddScreen";

// A founder and their colleagues add the people they meet; on a phone it is the first screen.
export const quickAddScreens: ScreenEntry[] = [
  { path: "/quick-add", component: QuickAddScreen, roles: ["member", "org-admin"], nav: "nav.quick_add", phoneHome: true },
];
