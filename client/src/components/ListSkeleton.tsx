import { Skeleton, Stack } from "@mantine/core";
import { LoadingStatus } from "./LoadingStatus";

/** A list while it loads: grey rows for the eye, one polite status for screen readers. */
export function ListSkeleton({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <div aria-busy="true">
      <LoadingStatus label={label} />
      <Stack gap="xs" aria-hidden="true">
        {Array.from({ length: rows }, (_, row) => (
          <Skeleton key={row} height={36} />
        ))}
      </Stack>
    </div>
  );
}
