import "./admin.css";

import type { ScreenEntry } from "../registry";
import { AdminScreen } from "./AdminScreen";

// Organisation admins manage their users and plugin instances; the instance admin also the
// organisations.
export const adminScreens: ScreenEntry[] = [
  { path: "/admin", component: AdminScreen, roles: ["org-admin", "admin"], nav: "nav.admin" },
];
