/**
 * An OAuth 2.0 error as authlib renders it: `{ error, error_description? }` with status 400
 * (401 for a client that authenticated with HTTP Basic), or a redirect back to the client
 * once its redirect URI is known. Not an `HttpError`: Polar's OAuth2 endpoints answer in
 * RFC 6749's shape, not Polar's `{ error, detail }`.
 */
export class OAuth2Error extends Error {
  constructor(
    readonly error: string,
    readonly description?: string,
    readonly status = 400,
    /** Where to send the browser with the error (authorization requests). */
    readonly redirect?: { uri: string; state?: string | undefined },
  ) {
    super(description ?? error);
  }

  toResponse(): Response {
    if (this.redirect) {
      const url = new URL(this.redirect.uri);
      url.searchParams.set("error", this.error);
      if (this.description) url.searchParams.set("error_description", this.description);
      if (this.redirect.state !== undefined) url.searchParams.set("state", this.redirect.state);
      return new Response(null, { status: 302, headers: { Location: url.toString() } });
    }
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      Pragma: "no-cache",
    };
    if (this.status === 401) headers["WWW-Authenticate"] = 'Basic error="invalid_client"';
    return new Response(
      JSON.stringify({
        error: this.error,
        ...(this.description ? { error_description: this.description } : {}),
      }),
      { status: this.status, headers },
    );
  }
}

/** Runs an OAuth2 endpoint, turning its `OAuth2Error`s into authlib's responses. */
export async function oauth2Response(run: () => Response | Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof OAuth2Error) return error.toResponse();
    throw error;
  }
}

/** A JSON response as authlib sends it (no caching of credentials). */
export function oauth2Json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      Pragma: "no-cache",
    },
  });
}
