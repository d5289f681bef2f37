import type { EmulatorContext } from "../../context.js";
import type { Collection } from "../../store/collection.js";

export interface FilePart {
  number: number;
  chunk_start: number;
  chunk_end: number;
  checksum_sha256_base64: string | null;
}

/** A file as stored (Polar's File), its bytes in `file_parts`, one document per part. */
export interface FileRecord {
  id: string;
  organization_id: string;
  created_at: string;
  modified_at: string | null;
  deleted_at: string | null;
  name: string;
  path: string;
  mime_type: string;
  size: number;
  service: string;
  version: string | null;
  is_uploaded: boolean;
  storage_version: string | null;
  checksum_etag: string | null;
  checksum_sha256_base64: string | null;
  checksum_sha256_hex: string | null;
  last_modified_at: string | null;
  flagged_malicious_at: string | null;
  parts: FilePart[];
  /** Keys the presigned upload and download URLs of this file. */
  url_secret: string;
}

export interface FilePartRecord {
  /** `<file id>:<part number>` */
  id: string;
  organization_id: string;
  data: string;
  etag: string;
}

/** A downloadables benefit's file granted to a customer (Polar's Downloadable). */
export interface DownloadableRecord {
  id: string;
  organization_id: string;
  customer_id: string;
  benefit_id: string;
  file_id: string;
  status: "granted" | "revoked";
  downloaded: number;
  last_downloaded_at: string | null;
  created_at: string;
}

export const files = (ctx: EmulatorContext): Collection<FileRecord> =>
  ctx.store.collection<FileRecord>("files");

export const fileParts = (ctx: EmulatorContext): Collection<FilePartRecord> =>
  ctx.store.collection<FilePartRecord>("file_parts");

export const downloadables = (ctx: EmulatorContext): Collection<DownloadableRecord> =>
  ctx.store.collection<DownloadableRecord>("downloadables", {
    indexes: ["customer_id", "file_id"],
  });

/** Polar's human_readable_size: `"1.5 KB"`, `"12.0 B"`. */
export function sizeReadable(size: number): string {
  let num = size;
  for (const unit of ["", "K", "M", "G", "T", "P", "E", "Z"]) {
    if (Math.abs(num) < 1024) return `${num.toFixed(1)} ${unit}B`;
    num /= 1024;
  }
  return `${num.toFixed(1)} YB`;
}

/** The fields every file schema shares. */
export function fileBase(file: FileRecord) {
  return {
    id: file.id,
    organization_id: file.organization_id,
    name: file.name,
    path: file.path,
    mime_type: file.mime_type,
    size: file.size,
    storage_version: file.storage_version,
    checksum_etag: file.checksum_etag,
    checksum_sha256_base64: file.checksum_sha256_base64,
    checksum_sha256_hex: file.checksum_sha256_hex,
    last_modified_at: file.last_modified_at,
    version: file.version,
    service: file.service,
    is_uploaded: file.is_uploaded,
    size_readable: sizeReadable(file.size),
  };
}

/** FileRead: the base plus what the service's schema adds. */
export function fileRead(file: FileRecord) {
  return {
    ...fileBase(file),
    created_at: file.created_at,
    flagged_malicious_at: file.flagged_malicious_at,
    ...(file.service === "product_media" || file.service === "organization_avatar"
      ? { public_url: `/__files/public/${file.id}` }
      : {}),
  };
}
