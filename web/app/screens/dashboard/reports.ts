// The region's reports (GET /api/v1/reports/<report>, docs/api.md "Reports") as the
// dashboard reads them: their types from the daemon's OpenAPI document, the filters the
// page keeps in its state, and the address of a report's file (?format=csv|xlsx).
import type { paths } from "../../../src/api/schema";

type Json<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { "application/json": infer T } } } } }
  ? T
  : never;

export type Funnel = Json<"/api/v1/reports/funnel">;
export type Outcomes = Json<"/api/v1/reports/outcomes">;
export type Discipline = Json<"/api/v1/reports/followup-discipline">;
export type Stale = Json<"/api/v1/reports/stale">;
export type ReportName = "funnel" | "outcomes" | "followup-discipline" | "stale";

// What the page filters by: ids, a sector and dates, never personal data, so that they may
// go in a report file's address.
export interface Filters {
  event_id?: number;
  org_id?: number;
  sector?: string;
  partner_company_id?: number;
  from?: string;
  to?: string;
}

export function reportQuery(filters: Filters): Filters {
  const q: Filters = {};
  if (filters.event_id) q.event_id = filters.event_id;
  if (filters.org_id) q.org_id = filters.org_id;
  if (filters.sector?.trim()) q.sector = filters.sector.trim();
  if (filters.partner_company_id) q.partner_company_id = filters.partner_company_id;
  if (filters.from) q.from = filters.from;
  if (filters.to) q.to = filters.to;
  return q;
}

// The report as a file of the same figures, headers in the app's language.
export function reportFileUrl(report: ReportName, filters: Filters, format: "csv" | "xlsx", lang: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(reportQuery(filters))) params.set(k, String(v));
  params.set("format", format);
  params.set("lang", lang);
  return `/api/v1/reports/${report}?${params.toString()}`;
}
