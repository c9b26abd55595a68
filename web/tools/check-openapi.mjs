// Checks an OpenAPI document against the official meta-schema of its version (3.1 for
// Relance) with @seriousme/openapi-schema-validator: exits 0 when it is valid, else prints
// every error the validator gives and exits 1.
//   node tools/check-openapi.mjs openapi.json
import { Validator } from "@seriousme/openapi-schema-validator";

const file = process.argv[2];
if (!file) {
  console.error("usage: node tools/check-openapi.mjs OPENAPI.json");
  process.exit(2);
}
const validator = new Validator();
const result = await validator.validate(file);
if (!result.valid) {
  console.error(`${file} is not a valid OpenAPI ${validator.version ?? "document"}:`);
  console.error(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
console.log(`${file}: valid OpenAPI ${validator.version}`);
