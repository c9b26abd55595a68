import type { paths } from "../../../src/api/schema";

type PluginList = paths["/api/v1/plugins"]["get"]["responses"][200]["content"]["application/json"];
export type PluginFile = PluginList["items"][number];
export type Instance = PluginFile["instances"][number];

// A dead letter (GET /api/v1/plugin-instances/{id}/dead-letters, docs/api.md "Plugins").
export interface DeadLetter {
  event_id: number;
  dead_lettered_at: string;
  attempts: number;
  status: string;
  error: string;
  type?: string;
  entity?: string;
  entity_id?: number;
}
