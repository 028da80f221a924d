/** An object URL for a Blob, revoked when the Blob changes or the component unmounts. */
import { useEffect, useMemo } from 'react';

export function useObjectUrl(blob: Blob | null | undefined): string | null {
  const url = useMemo(() => (blob ? URL.createObjectURL(blob) : null), [blob]);
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  return url;
}
