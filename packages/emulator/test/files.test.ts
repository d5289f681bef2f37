import { createHash } from "node:crypto";
import { createPolar } from "@polar-sh/sdk/2026-10";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advanceClock, startEmulator, type RunningEmulator } from "../src/index.js";

let running: RunningEmulator;
beforeAll(async () => {
  running = await startEmulator({ seed: "demo", db: ":memory:" });
});
afterAll(async () => {
  await running?.close();
});

/** Polar's upload flow as its dashboard runs it: create, PUT each part, complete. */
async function upload(
  polar: ReturnType<typeof createPolar>,
  name: string,
  content: Buffer,
  partSize: number,
) {
  const parts = [];
  for (let start = 0, n = 1; start < content.length; start += partSize, n++) {
    parts.push({
      number: n,
      chunk_start: start,
      chunk_end: Math.min(start + partSize, content.length),
    });
  }
  const created = await polar.files.create({
    service: "downloadable",
    name,
    mime_type: "application/zip",
    size: content.length,
    upload: { parts },
  });
  expect(created.is_uploaded).toBe(false);
  const etags = [];
  for (const part of created.upload.parts) {
    const res = await fetch(part.url, {
      method: "PUT",
      body: new Uint8Array(content.subarray(part.chunk_start, part.chunk_end)),
    });
    expect(res.status).toBe(200);
    etags.push({
      number: part.number,
      checksum_etag: res.headers.get("etag")!,
      checksum_sha256_base64: null,
    });
  }
  return { created, etags };
}

describe("files and downloadables", () => {
  it("uploads in parts to presigned URLs, completes, grants through a downloadables benefit, and the portal download returns the bytes", async () => {
    const seed = running.seed!;
    const polar = createPolar({ accessToken: seed.accessToken, baseUrl: running.url });
    const content = Buffer.from("PK".padEnd(2500, "polar"));
    const { created, etags } = await upload(polar, "ebook.zip", content, 1000);
    expect(created.upload.parts).toHaveLength(3);
    const done = await polar.files.uploaded(created.id, {
      id: created.upload.id,
      path: created.upload.path,
      parts: etags,
    });
    expect(done).toMatchObject({
      is_uploaded: true,
      size: 2500,
      size_readable: "2.4 KB",
      checksum_sha256_hex: createHash("sha256").update(content).digest("hex"),
    });
    expect(done.checksum_etag).toMatch(/^"[0-9a-f]{32}-3"$/);

    const benefit = await polar.benefits.create({
      type: "downloadables",
      description: "The ebook",
      properties: { files: [created.id] },
    });
    const grant = await fetch(`${running.url}/__emulator/benefit-grants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ customer_id: seed.customerId, benefit_id: benefit.id }),
    });
    expect(grant.status).toBe(201);
    const session = await polar.customerSessions.create({ customer_id: seed.customerId });
    const portal = createPolar({ accessToken: session.token, baseUrl: running.url }).customerPortal;
    const listed = await portal.downloadables.list({ benefit_id: benefit.id });
    expect(listed.items).toHaveLength(1);
    const download = await fetch(listed.items[0]!.file.download.url);
    expect(download.headers.get("content-type")).toBe("application/zip");
    expect(Buffer.from(await download.arrayBuffer()).equals(content)).toBe(true);

    const files = await polar.benefits.files(benefit.id);
    expect(files.items[0]).toMatchObject({ id: created.id, downloads: 1, downloaders: 1 });

    // A tampered or expired URL is refused, as S3 refuses them.
    const tampered = new URL(listed.items[0]!.file.download.url);
    tampered.searchParams.set("signature", "x");
    expect((await fetch(tampered)).status).toBe(403);
    advanceClock(running.emulator, { hours: 2 });
    expect((await fetch(listed.items[0]!.file.download.url)).status).toBe(403);
    // The customer session expired with the clock too: a new one lists fresh URLs.
    const again = await polar.customerSessions.create({ customer_id: seed.customerId });
    const portalAgain = createPolar({
      accessToken: again.token,
      baseUrl: running.url,
    }).customerPortal;
    const fresh = await portalAgain.downloadables.list({});
    expect((await fetch(fresh.items[0]!.file.download.url)).status).toBe(200);

    // Revoking the benefit takes the download away.
    await fetch(`${running.url}/__emulator/benefit-grants/revoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ customer_id: seed.customerId, benefit_id: benefit.id }),
    });
    expect((await portalAgain.downloadables.list({})).items).toHaveLength(0);
  });

  it("refuses to complete an upload with a missing part; update and delete", async () => {
    const polar = createPolar({ accessToken: running.seed!.accessToken, baseUrl: running.url });
    const content = Buffer.alloc(300, 7);
    const { created, etags } = await upload(polar, "a.bin", content, 200);
    const missing = await fetch(`${running.url}/v1/files/${created.id}/uploaded`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${running.seed!.accessToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        id: created.upload.id,
        path: created.upload.path,
        parts: etags.slice(0, 1),
      }),
    });
    expect(missing.status).toBe(400);
    expect((await polar.files.list({ ids: created.id })).items).toHaveLength(0);
    await polar.files.uploaded(created.id, {
      id: created.upload.id,
      path: created.upload.path,
      parts: etags,
    });
    expect((await polar.files.update(created.id, { name: "b.bin", version: "2" })).name).toBe(
      "b.bin",
    );
    expect((await polar.files.list({ ids: created.id })).items).toHaveLength(1);
    await polar.files.delete(created.id);
    expect((await polar.files.list({ ids: created.id })).items).toHaveLength(0);
  });
});
