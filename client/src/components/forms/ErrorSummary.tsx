import { List, Text, Title } from "@mantine/core";
import { useEffect, useId, useRef, type MouseEvent, type ReactNode } from "react";
import { Link } from "react-router";
import type { Feedback } from "./useFormFeedback";

export interface SummaryItem {
  /** Id of the field the message is about; without one the message is plain text. */
  fieldId?: string;
  /** Or a page where it is put right (e.g. the wizard step of a failed criterion). */
  to?: string;
  message: string;
}

interface ErrorSummaryProps {
  title: string;
  items: SummaryItem[];
  description?: ReactNode;
  /** Extra help under the messages, e.g. a "send me a new link" button. */
  children?: ReactNode;
  /** Changes at every failed submit: the summary takes the focus again, so it is read again. */
  focusKey: number;
  headingOrder?: 2 | 3;
}

/** What to bring into view: the whole radio group, else the field's label, so the question shows too. */
function blockOf(field: HTMLElement): HTMLElement {
  return (
    field.closest<HTMLElement>('[role="radiogroup"]') ??
    document.querySelector<HTMLElement>(`label[for="${CSS.escape(field.id)}"]`) ??
    field
  );
}

function focusField(event: MouseEvent<HTMLAnchorElement>, fieldId: string): void {
  const field = document.getElementById(fieldId);
  if (!field) {
    return;
  }
  event.preventDefault();
  // The label and hint must be visible too, not only the input.
  blockOf(field).scrollIntoView({ block: "center" });
  field.focus({ preventScroll: true });
}

/**
 * The list of what went wrong, at the top of the form, read out at once (role="alert") and
 * focused; each message links to its field.
 */
export function ErrorSummary({ title, items, description, children, focusKey, headingOrder = 2 }: ErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();

  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
    ref.current?.scrollIntoView({ block: "nearest" });
  }, [focusKey]);

  return (
    <div ref={ref} tabIndex={-1} role="alert" aria-labelledby={titleId} className="error-summary">
      <Title order={headingOrder} fz="h4" id={titleId} className="error-summary__title">
        {title}
      </Title>
      {description ? <Text mt="xs">{description}</Text> : null}
      {items.length > 0 ? (
        <List mt="xs" spacing={4} className="error-summary__list">
          {items.map((item, index) => (
            <List.Item key={`${item.fieldId ?? ""}-${index}`}>
              {item.fieldId ? (
                <a href={`#${item.fieldId}`} onClick={(event) => focusField(event, item.fieldId ?? "")}>
                  {item.message}
                </a>
              ) : item.to ? (
                <Link to={item.to}>{item.message}</Link>
              ) : (
                item.message
              )}
            </List.Item>
          ))}
        </List>
      ) : null}
      {children}
    </div>
  );
}

/** The summary of a form's feedback (useFormFeedback), or nothing while there is none. */
export function FeedbackSummary({ feedback, headingOrder }: { feedback: Feedback | null; headingOrder?: 2 | 3 }) {
  if (!feedback) {
    return null;
  }
  return (
    <ErrorSummary
      title={feedback.title}
      items={feedback.items}
      description={feedback.description}
      focusKey={feedback.focusKey}
      headingOrder={headingOrder}
    />
  );
}
