import { Ajv2020 } from "ajv/dist/2020.js";
import formatsModule from "ajv-formats";
import type { FormatsPlugin } from "ajv-formats";

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const formats = formatsModule as unknown as FormatsPlugin & { default?: FormatsPlugin };
const addFormats: FormatsPlugin = formats.default ?? formats;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An Ajv for OpenAPI 3.1 schemas (JSON Schema 2020-12): OpenAPI keywords such as
 * `discriminator` are tolerated, Polar's own formats (`uuid4`, `ipvanyaddress`, `color`)
 * are known, and nothing is logged.
 */
export function createAjv(options: { strict?: boolean } = {}): Ajv2020 {
  const strict = options.strict === true;
  const ajv = new Ajv2020({
    strict,
    allErrors: true,
    logger: false,
    validateFormats: true,
  });
  addFormats(ajv);
  ajv.addFormat("uuid4", UUID);
  ajv.addFormat("ipvanyaddress", true);
  ajv.addFormat("color", true);
  return ajv;
}
