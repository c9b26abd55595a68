// The labels the board and the lead page show for stages and records.
import type { Translate } from "../../i18n/i18n";
import { en, type MessageKey } from "../../i18n/en";

// The default stages have words in both languages; an organisation's own stages are shown
// as it named them.
export function stageLabel(t: Translate, stage: string): string {
  const key = `pipeline.stage.${stage}`;
  return key in en ? t(key as MessageKey) : stage;
}
