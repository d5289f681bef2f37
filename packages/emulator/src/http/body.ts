import { HttpError } from "./errors.js";

/** Polar's request body cap. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Reads a JSON body: 413 above 10 MiB, 422 `json_invalid` for malformed JSON. */
export async function readJsonBody(request: Request): Promise<{ body: unknown; hasBody: boolean }> {
  const length = request.headers.get("content-length");
  const declared = Number(length ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  // With a declared length (every client but a chunked upload), read it whole: the node
  // adapter serves `text()` straight from the socket, where touching `body` would build a
  // full web Request and stream per request. Checked after too, in case the length lied.
  if (length !== null) {
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
    return parse(text);
  }
  if (!request.body) return { body: undefined, hasBody: false };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return parse(Buffer.concat(chunks).toString("utf8"));
}

/**
 * How deep a body may nest arrays and objects (pydantic-core's own recursion limit). Deeper
 * JSON parses, but every recursive step after it (validation reports, storage, rendering)
 * would overflow the stack: it is refused up front as malformed JSON.
 */
export const MAX_JSON_DEPTH = 200;

/** Index of the bracket that nests deeper than `max`, or -1; strings are skipped. */
export function tooDeepAt(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return i;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return -1;
}

/**
 * Reads an `application/x-www-form-urlencoded` body into its first value per name (as
 * authlib's payload `data`); 413 above 10 MiB. Never validated against the document: Polar
 * documents these forms but reads them without a schema.
 */
export async function readFormBody(
  request: Request,
): Promise<{ body: Record<string, string>; hasBody: boolean }> {
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw tooLarge();
  const body: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(text)) if (!(name in body)) body[name] = value;
  return { body, hasBody: text !== "" };
}

function parse(text: string): { body: unknown; hasBody: boolean } {
  if (text.trim() === "") return { body: undefined, hasBody: false };
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    throw new HttpError(422, "RequestValidationError", [
      {
        type: "json_invalid",
        loc: ["body", deep],
        msg: "JSON decode error",
        input: {},
        ctx: { error: `nested deeper than ${MAX_JSON_DEPTH} levels` },
      },
    ]);
  }
  try {
    return { body: JSON.parse(text) as unknown, hasBody: true };
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new HttpError(422, "RequestValidationError", [
      {
        type: "json_invalid",
        loc: ["body", Number(position ?? 0)],
        msg: "JSON decode error",
        input: {},
      },
    ]);
  }
}

const tooLarge = () =>
  new HttpError(
    413,
    "RequestEntityTooLarge",
    `Request body is larger than ${MAX_BODY_BYTES} bytes.`,
  );
