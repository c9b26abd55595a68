import "./followups.css";

import type { ScreenEntry } from "../registry";
import { FollowupsScreen } from "./FollowupsScreen";

// A start-up's members' own follow-ups (the API's views answer the caller's).
export const followupScreens: ScreenEntry[] = [
  { path: "/followups", component: FollowupsScreen, roles: ["member", "org-admin"], nav: "nav.followups" },
];
