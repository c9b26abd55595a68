// What the board and the lead page share: the organisation's stages, a lead's move to
// another stage (the API's stage change, guarded by If-Match), when a lead entered its stage.
import type { paths } from "../../../src/api/schema";
import { api, problemDetail, type Lead } from "../../api/client";

export type Activity = NonNullable<Awaited<ReturnType<typeof listActivities>>>[number];

// The stages in the organisation's order (GET /api/v1/organisations/{id}).
export async function pipelineStages(orgId: number): Promise<string[]> {
  const { data } = await api.GET("/api/v1/organisations/{id}", { params: { path: { id: orgId } } });
  return data?.pipeline_stages ?? ["new", "contacted", "meeting", "proposal", "won", "lost"];
}

// The ETag the daemon gives a record of that version (core/api/outcome_response.cpp): the
// board sends back the version it shows, so a lead changed since answers 412.
export function etagOf(lead: Pick<Lead, "id" | "version">): string {
  return `"${lead.id}-${lead.version}"`;
}

export type MoveResult =
  | { kind: "moved"; lead: Lead }
  | { kind: "conflict" }
  | { kind: "failed"; detail: string };

export async function moveLead(lead: Lead, stage: string): Promise<MoveResult> {
  try {
    const { data, error, response } = await api.PATCH("/api/v1/leads/{id}", {
      params: { path: { id: lead.id }, header: { "If-Match": etagOf(lead) } },
      body: { stage },
    });
    if (data) return { kind: "moved", lead: data };
    if (response.status === 412) return { kind: "conflict" };
    return { kind: "failed", detail: problemDetail(error, response) };
  } catch {
    return { kind: "failed", detail: "offline" };
  }
}

type ActivityQuery = NonNullable<paths["/api/v1/activities"]["get"]["parameters"]["query"]>;

export async function listActivities(query: ActivityQuery) {
  const { data } = await api.GET("/api/v1/activities", { params: { query } });
  return data?.items;
}

// Whole days since the instant (the lead's last stage change, else its creation).
export function daysSince(instant: string | null | undefined, now = Date.now()): number {
  const t = instant ? Date.parse(instant) : NaN;
  return Number.isNaN(t) ? 0 : Math.max(0, Math.floor((now - t) / 86_400_000));
}
