import "./pipeline.css";

import type { ScreenEntry } from "../registry";
import { LeadPage } from "./LeadPage";
import { PipelineScreen } from "./PipelineScreen";

// A start-up's own pipeline: its members move their leads; a lead's page is reached from
// its card.
export const pipelineScreens: ScreenEntry[] = [
  { path: "/pipeline", component: PipelineScreen, roles: ["member", "org-admin"], nav: "nav.pipeline" },
  { path: "/leads/:id", component: LeadPage, roles: ["member", "org-admin"] },
];
