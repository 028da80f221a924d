/** zh-CN wording shared by the storage screen and the evidence list of a finalized record. */

export function formatBytes(n: number | null): string {
  if (n === null) return '未知';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/** What stands in for a reclaimed original: the platform holds it, and here is its fingerprint. */
export function reclaimedText(sha256: string): string {
  return `原件已清理（平台回执已覆盖，SHA-256 ${sha256.slice(0, 16)}…）`;
}
