import { Stack } from "@mantine/core";
import type { ReactNode } from "react";

/** Sign-in and account forms read best in one column of comfortable width. */
export function NarrowPage({ children }: { children: ReactNode }) {
  return (
    <Stack gap="lg" maw={640} className="narrow-page">
      {children}
    </Stack>
  );
}
