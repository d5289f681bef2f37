import { createHash, randomBytes } from "node:crypto";
import type { Hono } from "hono";
import type { EmulatorContext } from "../../context.js";
import { badRequest, notFound } from "../../http/errors.js";
import { paginate } from "../../http/list.js";
import type { OperationHandlers, OperationRequest } from "../../http/operation.js";
import { iso, newId } from "../../ids.js";
import { benefitGrants } from "../benefit-grants/store.js";
import { benefits, type BenefitRecord } from "../benefits/store.js";
import { portalCustomer } from "../customer-portal/scope.js";
import { organizationFilterAdmits, organizationForCreate, organizationOf } from "../scope.js";
import {
  downloadables,
  fileBase,
  fileParts,
  fileRead,
  files,
  type FilePart,
  type FileRecord,
} from "./store.js";
import { checkSignature, PRESIGNED_TTL_MS, presignedUrl } from "./urls.js";

const list = (value: unknown): string[] | undefined =>
  value === undefined || value === null
    ? undefined
    : Array.isArray(value)
      ? value.map(String)
      : [String(value)];

function visibleFile(req: OperationRequest, ctx: EmulatorContext): FileRecord {
  const file = files(ctx).get(req.path.id ?? "");
  if (!file || file.deleted_at || file.organization_id !== organizationOf(req.principal))
    throw notFound();
  return file;
}

const md5 = (data: Buffer) => createHash("md5").update(data).digest();

/** The bytes of an uploaded file, its parts in order. */
function contentOf(ctx: EmulatorContext, file: FileRecord): Buffer {
  return Buffer.concat(
    file.parts.map((p) =>
      Buffer.from(fileParts(ctx).get(`${file.id}:${p.number}`)?.data ?? "", "base64"),
    ),
  );
}

const downloadablesProperties = (benefit: BenefitRecord) =>
  benefit.properties as { files?: string[]; archived?: Record<string, boolean> };

/** Files a downloadables grant hands out: the benefit's, less the archived ones. */
function onGranted(ctx: EmulatorContext, grantId: string): void {
  const grant = benefitGrants(ctx).get(grantId);
  const benefit = grant && benefits(ctx).get(grant.benefit_id);
  if (!grant || !benefit || benefit.type !== "downloadables") return;
  const { files: fileIds = [], archived = {} } = downloadablesProperties(benefit);
  const existing = downloadables(ctx)
    .findBy("customer_id", grant.customer_id)
    .filter((d) => d.benefit_id === benefit.id);
  for (const fileId of fileIds) {
    if (archived[fileId]) continue;
    const row = existing.find((d) => d.file_id === fileId);
    if (row) downloadables(ctx).put({ ...row, status: "granted" });
    else
      downloadables(ctx).insert({
        id: newId(),
        organization_id: grant.organization_id,
        customer_id: grant.customer_id,
        benefit_id: benefit.id,
        file_id: fileId,
        status: "granted",
        downloaded: 0,
        last_downloaded_at: null,
        created_at: iso(ctx.clock.now()),
      });
  }
}

function onRevoked(ctx: EmulatorContext, grantId: string, benefitKept: boolean | undefined): void {
  const grant = benefitGrants(ctx).get(grantId);
  if (!grant || benefitKept) return;
  for (const row of downloadables(ctx).findBy("customer_id", grant.customer_id)) {
    if (row.benefit_id === grant.benefit_id) downloadables(ctx).put({ ...row, status: "revoked" });
  }
}

export function registerFileListeners(ctx: EmulatorContext): void {
  ctx.bus.on("benefit_grant.granted", ({ grantId }) => onGranted(ctx, grantId));
  ctx.bus.on("benefit_grant.revoked", ({ grantId, benefitKept }) =>
    onRevoked(ctx, grantId, benefitKept),
  );
}

export const fileHandlers: OperationHandlers = {
  "files:list": (req, ctx) => {
    const organizationId = organizationOf(req.principal);
    if (!organizationFilterAdmits(req.query.organization_id, organizationId))
      return paginate([], req.query);
    const ids = list(req.query.ids);
    const items = files(ctx)
      .byOrganization(organizationId)
      .filter((f) => !f.deleted_at && f.is_uploaded && (!ids || ids.includes(f.id)))
      .reverse();
    const page = paginate(items, req.query);
    return { ...page, items: page.items.map(fileRead) };
  },
  // Polar's generate_presigned_upload: an S3 multipart upload, one presigned URL per part.
  "files:create": (req, ctx) => {
    const body = req.body as {
      organization_id?: string | null;
      name: string;
      mime_type: string;
      size: number;
      checksum_sha256_base64?: string | null;
      upload: { parts: FilePart[] };
      service: string;
      version?: string | null;
    };
    const organizationId = organizationForCreate(req.principal, body);
    const id = newId();
    const now = ctx.clock.now();
    const file: FileRecord = files(ctx).insert({
      id,
      organization_id: organizationId,
      created_at: iso(now),
      modified_at: null,
      deleted_at: null,
      name: body.name,
      path: `${body.service}/${organizationId}/${id}/${body.name}`,
      mime_type: body.mime_type,
      size: body.size,
      service: body.service,
      version: body.version ?? null,
      is_uploaded: false,
      storage_version: null,
      checksum_etag: null,
      checksum_sha256_base64: body.checksum_sha256_base64 ?? null,
      checksum_sha256_hex: body.checksum_sha256_base64
        ? Buffer.from(body.checksum_sha256_base64, "base64").toString("hex")
        : null,
      last_modified_at: null,
      flagged_malicious_at: null,
      parts: body.upload.parts.map((p) => ({
        number: p.number,
        chunk_start: p.chunk_start,
        chunk_end: p.chunk_end,
        checksum_sha256_base64: p.checksum_sha256_base64 ?? null,
      })),
      url_secret: randomBytes(32).toString("base64url"),
    });
    const expires = now.getTime() + PRESIGNED_TTL_MS;
    return {
      ...fileBase(file),
      upload: {
        id: file.id,
        path: file.path,
        parts: file.parts.map((p) => ({
          ...p,
          url: presignedUrl(req.url.origin, file, "upload", expires, p.number),
          expires_at: iso(new Date(expires)),
          headers: {},
        })),
      },
    };
  },
  // Polar's complete_upload: S3 assembles the parts; every one must have arrived with its ETag.
  "files:uploaded": (req, ctx) => {
    const file = visibleFile(req, ctx);
    const body = req.body as {
      id: string;
      path: string;
      parts: { number: number; checksum_etag: string }[];
    };
    if (body.id !== file.id || body.path !== file.path)
      throw badRequest("The upload id and path are not this file's.");
    const digests: Buffer[] = [];
    for (const part of file.parts) {
      const stored = fileParts(ctx).get(`${file.id}:${part.number}`);
      const claimed = body.parts.find((p) => p.number === part.number);
      if (!stored || !claimed || claimed.checksum_etag.replaceAll('"', "") !== stored.etag) {
        throw badRequest(`Part ${part.number} was not uploaded, or its ETag does not match.`);
      }
      digests.push(Buffer.from(stored.etag, "hex"));
    }
    const content = contentOf(ctx, file);
    const sha256 = createHash("sha256").update(content).digest();
    return fileRead(
      files(ctx).put({
        ...file,
        is_uploaded: true,
        checksum_etag: `"${md5(Buffer.concat(digests)).toString("hex")}-${file.parts.length}"`,
        checksum_sha256_base64: sha256.toString("base64"),
        checksum_sha256_hex: sha256.toString("hex"),
        last_modified_at: iso(ctx.clock.now()),
        modified_at: iso(ctx.clock.now()),
      }),
    );
  },
  "files:update": (req, ctx) => {
    const file = visibleFile(req, ctx);
    const body = req.body as { name?: string | null; version?: string | null };
    if (!body.name && !body.version) return fileRead(file);
    return fileRead(
      files(ctx).put({
        ...file,
        ...(body.name ? { name: body.name } : {}),
        ...(body.version ? { version: body.version } : {}),
        modified_at: iso(ctx.clock.now()),
      }),
    );
  },
  "files:delete": (req, ctx) => {
    const file = visibleFile(req, ctx);
    files(ctx).put({ ...file, deleted_at: iso(ctx.clock.now()) });
    return undefined;
  },
  "benefits:files": (req, ctx) => {
    const benefit = benefits(ctx).get(req.path.id ?? "");
    if (
      !benefit ||
      benefit.is_deleted ||
      benefit.organization_id !== organizationOf(req.principal) ||
      benefit.type !== "downloadables"
    ) {
      throw notFound();
    }
    const items = (downloadablesProperties(benefit).files ?? [])
      .map((id) => files(ctx).get(id))
      .filter((f): f is FileRecord => f !== undefined && !f.deleted_at)
      .map((f) => {
        const rows = downloadables(ctx)
          .findBy("file_id", f.id)
          .filter((d) => d.benefit_id === benefit.id);
        return {
          ...fileRead(f),
          downloaders: new Set(rows.filter((d) => d.downloaded > 0).map((d) => d.customer_id)).size,
          downloads: rows.reduce((n, d) => n + d.downloaded, 0),
        };
      });
    return paginate(items, req.query);
  },
  "customer_portal:downloadables:list": (req, ctx) => {
    const customer = portalCustomer(ctx, req.principal);
    const benefitIds = list(req.query.benefit_id);
    const expires = ctx.clock.now().getTime() + PRESIGNED_TTL_MS;
    const items = downloadables(ctx)
      .findBy("customer_id", customer.id)
      .filter((d) => d.status === "granted" && (!benefitIds || benefitIds.includes(d.benefit_id)))
      .map((d) => ({ d, file: files(ctx).get(d.file_id) }))
      .filter(
        (x): x is { d: typeof x.d; file: FileRecord } =>
          x.file !== undefined && !x.file.deleted_at && x.file.is_uploaded,
      );
    const page = paginate(items, req.query);
    return {
      ...page,
      items: page.items.map(({ d, file }) => ({
        id: d.id,
        benefit_id: d.benefit_id,
        file: {
          ...fileBase(file),
          download: {
            url: `${presignedUrl(req.url.origin, file, "download", expires)}&downloadable=${d.id}`,
            headers: {},
            expires_at: iso(new Date(expires)),
          },
        },
      })),
    };
  },
};

/**
 * What S3 would serve: `PUT /__files/upload/{id}/{part}` takes a part's bytes (answering its
 * ETag, the part's MD5, as S3), `GET /__files/download/{id}` returns the file's bytes. Both
 * need the presigned URL's signature, valid an hour on the emulator's clock (403 otherwise).
 */
export function registerFilePages(app: Hono, ctx: EmulatorContext): void {
  const denied = () =>
    new Response("Request has expired or its signature does not match.", { status: 403 });
  app.put("/__files/upload/:id/:part", async (c) => {
    const file = files(ctx).get(c.req.param("id"));
    const number = Number(c.req.param("part"));
    const part = file?.parts.find((p) => p.number === number);
    if (!file || !part || file.deleted_at) return c.notFound();
    if (!checkSignature(file, `upload${number}`, new URL(c.req.url), ctx.clock.now().getTime()))
      return denied();
    const data = Buffer.from(await c.req.arrayBuffer());
    if (
      data.length !== part.chunk_end - part.chunk_start + 1 &&
      data.length !== part.chunk_end - part.chunk_start
    ) {
      return new Response(`Part ${number} must be ${part.chunk_end - part.chunk_start} bytes.`, {
        status: 400,
      });
    }
    const etag = md5(data).toString("hex");
    const key = `${file.id}:${number}`;
    const stored = {
      id: key,
      organization_id: file.organization_id,
      data: data.toString("base64"),
      etag,
    };
    if (fileParts(ctx).get(key)) fileParts(ctx).put(stored);
    else fileParts(ctx).insert(stored);
    return new Response(null, { status: 200, headers: { ETag: `"${etag}"` } });
  });
  app.get("/__files/download/:id", (c) => {
    const file = files(ctx).get(c.req.param("id"));
    if (!file || file.deleted_at || !file.is_uploaded) return c.notFound();
    const url = new URL(c.req.url);
    if (!checkSignature(file, "download", url, ctx.clock.now().getTime())) return denied();
    const row = downloadables(ctx).get(url.searchParams.get("downloadable") ?? "");
    if (row && row.file_id === file.id && row.status === "granted") {
      downloadables(ctx).put({
        ...row,
        downloaded: row.downloaded + 1,
        last_downloaded_at: iso(ctx.clock.now()),
      });
    }
    return new Response(new Uint8Array(contentOf(ctx, file)), {
      headers: {
        "Content-Type": file.mime_type,
        "Content-Disposition": `attachment; filename="${encodeURIComponent(file.name)}"`,
        ETag: file.checksum_etag ?? "",
      },
    });
  });
}
