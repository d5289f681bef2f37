import { createPolar } from "@polar-sh/sdk/2026-10";
import { Polar } from "polar-sdk-strict";
import { expect } from "vitest";
import type { Conformance, ConformanceCase } from "./harness.js";
import { userAccessToken } from "./oauth2.cases.js";

type Side = (h: Conformance) => Promise<void>;
const both = (operationId: string, latest: Side, strict: Side): ConformanceCase => ({
  operationId,
  latest,
  strict,
});

let counter = 0;
const CONTENT = new Uint8Array(Buffer.from("conformance file"));

/** Created through the latest SDK, its one part PUT to the presigned URL. */
async function uploadedFile(h: Conformance, complete = true) {
  const created = await h.latest.files.create({
    service: "downloadable",
    name: `file-${++counter}.txt`,
    mime_type: "text/plain",
    size: CONTENT.length,
    upload: { parts: [{ number: 1, chunk_start: 0, chunk_end: CONTENT.length }] },
  });
  const put = await fetch(created.upload.parts[0]!.url, { method: "PUT", body: CONTENT });
  const parts = [
    { number: 1, checksum_etag: put.headers.get("etag")!, checksum_sha256_base64: null },
  ];
  if (complete)
    await h.latest.files.uploaded(created.id, {
      id: created.upload.id,
      path: created.upload.path,
      parts,
    });
  return { created, parts };
}

/** A downloadables benefit with one file, granted to a new customer; their session token. */
async function downloadable(h: Conformance) {
  const { created } = await uploadedFile(h);
  const benefit = await h.latest.benefits.create({
    type: "downloadables",
    description: "Files",
    properties: { files: [created.id] },
  });
  // A new customer: the demo customer's grants are other cases' fixtures.
  const customer = await h.latest.customers.create({
    email: `files-${++counter}-${Date.now().toString(36)}@example.com`,
  });
  await fetch(`${h.url}/__emulator/benefit-grants`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ customer_id: customer.id, benefit_id: benefit.id }),
  });
  const session = await h.latest.customerSessions.create({ customer_id: customer.id });
  return { file: created, benefit, token: session.token };
}

export const cases: ConformanceCase[] = [
  both(
    "files:create",
    async (h) => {
      const { created } = await uploadedFile(h, false);
      expect(created.upload.parts[0]!.url).toContain("/__files/upload/");
    },
    async (h) => {
      const created = await h.strict.files.create({
        service: "downloadable",
        name: "strict.txt",
        mimeType: "text/plain",
        size: 4,
        upload: { parts: [{ number: 1, chunkStart: 0, chunkEnd: 4 }] },
      });
      expect(created.isUploaded).toBe(false);
    },
  ),
  both(
    "files:uploaded",
    async (h) => {
      const { created } = await uploadedFile(h);
      expect((await h.latest.files.list({ ids: created.id })).items[0]?.is_uploaded).toBe(true);
    },
    async (h) => {
      const { created, parts } = await uploadedFile(h, false);
      const done = await h.strict.files.uploaded({
        id: created.id,
        fileUploadCompleted: {
          id: created.upload.id,
          path: created.upload.path,
          parts: parts.map((p) => ({
            number: p.number,
            checksumEtag: p.checksum_etag,
            checksumSha256Base64: null,
          })),
        },
      });
      expect(done.isUploaded).toBe(true);
    },
  ),
  both(
    "files:list",
    async (h) => {
      const { created } = await uploadedFile(h);
      expect((await h.latest.files.list({})).items.map((f) => f.id)).toContain(created.id);
    },
    async (h) => {
      const { created } = await uploadedFile(h);
      const page = await h.strict.files.list({ ids: [created.id] });
      expect(page.result.items.map((f) => f.id)).toEqual([created.id]);
    },
  ),
  both(
    "files:update",
    async (h) => {
      const { created } = await uploadedFile(h);
      expect((await h.latest.files.update(created.id, { name: "renamed.txt" })).name).toBe(
        "renamed.txt",
      );
    },
    async (h) => {
      const { created } = await uploadedFile(h);
      expect(
        (await h.strict.files.update({ id: created.id, filePatch: { version: "2.0" } })).version,
      ).toBe("2.0");
    },
  ),
  both(
    "files:delete",
    async (h) => {
      const { created } = await uploadedFile(h);
      await h.latest.files.delete(created.id);
    },
    async (h) => {
      const { created } = await uploadedFile(h);
      await h.strict.files.delete({ id: created.id });
    },
  ),
  both(
    "benefits:files",
    async (h) => {
      const { file, benefit } = await downloadable(h);
      expect((await h.latest.benefits.files(benefit.id)).items.map((f) => f.id)).toEqual([file.id]);
    },
    // @polar-sh/sdk 0.49 predates this operation: its side pages with the latest SDK.
    async (h) => {
      const { benefit } = await downloadable(h);
      expect(
        (await h.latest.benefits.files(benefit.id, { page: 1, limit: 1 })).pagination.total_count,
      ).toBe(1);
    },
  ),
  both(
    "customer_portal:downloadables:list",
    async (h) => {
      const { file, token } = await downloadable(h);
      const page = await createPolar({
        accessToken: token,
        baseUrl: h.url,
      }).customerPortal.downloadables.list({});
      const mine = page.items.find((d) => d.file.id === file.id)!;
      expect(new Uint8Array(await (await fetch(mine.file.download.url)).arrayBuffer())).toEqual(
        CONTENT,
      );
    },
    async (h) => {
      const { benefit, token } = await downloadable(h);
      const page = await h.strict.customerPortal.downloadables.list(
        { customerSession: token },
        { benefitId: benefit.id },
      );
      expect(page.result.items).toHaveLength(1);
    },
  ),
  both(
    "organizations:create",
    async (h) => {
      const token = await userAccessToken(h, "organizations:write");
      const polar = createPolar({ accessToken: token, baseUrl: h.url });
      const slug = `latest-${Date.now().toString(36)}`;
      expect((await polar.organizations.create({ name: "Latest Org", slug })).slug).toBe(slug);
    },
    async (h) => {
      const token = await userAccessToken(h, "organizations:write");
      const polar = new Polar({ accessToken: token, serverURL: h.url });
      const slug = `strict-${Date.now().toString(36)}`;
      expect((await polar.organizations.create({ name: "Strict Org", slug })).slug).toBe(slug);
    },
  ),
];
