import { Stack, Title } from "@mantine/core";
import { useId, type ReactNode } from "react";

interface SectionProps {
  title: string;
  children: ReactNode;
}

/** A titled region of a page; the heading names the region for screen-reader landmarks. */
export function Section({ title, children }: SectionProps) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <Stack gap="md">
        <Title order={2} id={headingId}>
          {title}
        </Title>
        {children}
      </Stack>
    </section>
  );
}
