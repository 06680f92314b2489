import { VisuallyHidden } from "@mantine/core";

/** Skeletons are silent for screen readers; this polite status tells them something is loading. */
export function LoadingStatus({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite">
      <VisuallyHidden>{label}</VisuallyHidden>
    </div>
  );
}
