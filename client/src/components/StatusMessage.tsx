import { Alert } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * A live region that exists before its message does, so screen readers announce "saved" when it
 * appears; the coloured box only shows when there is something to say.
 */
export function StatusMessage({ children, color = "green" }: { children?: ReactNode; color?: string }) {
  return (
    <div role="status" aria-live="polite">
      {children ? (
        <Alert color={color} variant="light">
          {children}
        </Alert>
      ) : null}
    </div>
  );
}
