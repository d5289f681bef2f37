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

function parse(text: string): { body: unknown; hasBody: boolean } {
  if (text.trim() === "") return { body: undefined, hasBody: false };
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
