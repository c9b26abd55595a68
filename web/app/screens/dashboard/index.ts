import "./dashboard.css";

import type { ScreenEntry } from "../registry";
import { DashboardScreen } from "./DashboardScreen";

// The region's dashboard: staff and the admin see every start-up; a start-up's members
// their own figures and the mission's totals (the reports API decides).
export const dashboardScreens: ScreenEntry[] = [
  { path: "/dashboard", component: DashboardScreen, roles: ["staff", "admin", "member", "org-admin"], nav: "nav.dashboard" },
];
