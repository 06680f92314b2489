import { Anchor, Button, Modal, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { cancelEnrolment, trainingKeys, type Enrolment } from "../../api/training";
import { ConfirmActionBody } from "../../components/ConfirmActionBody";
import { EnrolmentStatusBadge, sessionPagePath, usePlace, useSessionWhen } from "./shared";

function CancelBody({
  enrolment,
  onClose,
  onDone,
}: {
  enrolment: Enrolment;
  onClose: () => void;
  onDone: (enrolment: Enrolment) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => cancelEnrolment(enrolment.id),
    onSuccess: async (cancelled) => {
      onDone(cancelled);
      await queryClient.invalidateQueries({ queryKey: trainingKeys.all });
    },
  });
  return (
    <ConfirmActionBody
      text={t("training.enrolments.cancelText", { name: enrolment.holderName, title: enrolment.session.title })}
      confirmLabel={t("training.enrolments.cancelConfirm")}
      onConfirm={() => cancel.mutate()}
      onClose={onClose}
      pending={cancel.isPending}
      error={cancel.error}
    />
  );
}

function Person({ enrolment }: { enrolment: Enrolment }) {
  return (
    <Stack gap={2}>
      <span>{enrolment.holderName}</span>
      {enrolment.company ? (
        <Text component="span" fz="sm">
          {enrolment.company.name}
        </Text>
      ) : null}
    </Stack>
  );
}

/** Only a seat or a place in the queue can be given up; the server has the last word (409). */
function mayCancel(enrolment: Enrolment): boolean {
  return enrolment.permissions.cancel && (enrolment.status === "enrolled" || enrolment.status === "waitlisted");
}

interface EnrolmentsTableProps {
  enrolments: Enrolment[];
  caption: string;
  /** A prescriber's list names the person and the company of each row. */
  withPerson: boolean;
  /** The session page lists one session: its title and date would repeat on every row. */
  withSession?: boolean;
  onCancelled: (enrolment: Enrolment) => void;
}

/** Enrolments with their status in words and, while allowed, a cancel button behind a confirmation. */
export function EnrolmentsTable({
  enrolments,
  caption,
  withPerson,
  withSession = true,
  onCancelled,
}: EnrolmentsTableProps) {
  const { t } = useTranslation();
  const when = useSessionWhen();
  const place = usePlace();
  const [cancelling, setCancelling] = useState<Enrolment | null>(null);
  const [opened, setOpened] = useState(false);
  const [instance, setInstance] = useState(0);
  const anyAction = enrolments.some(mayCancel);

  return (
    <>
      <div className="table-scroll">
        <Table striped verticalSpacing="sm" className="training-enrolments-table">
          <Table.Caption className="table-caption">{caption}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {withSession ? <Table.Th scope="col">{t("training.enrolments.session")}</Table.Th> : null}
              {withSession ? <Table.Th scope="col">{t("training.enrolments.date")}</Table.Th> : null}
              {withSession ? <Table.Th scope="col">{t("training.enrolments.place")}</Table.Th> : null}
              {withPerson ? <Table.Th scope="col">{t("training.enrolments.person")}</Table.Th> : null}
              <Table.Th scope="col">{t("training.enrolments.status")}</Table.Th>
              {anyAction ? <Table.Th scope="col">{t("training.enrolments.actions")}</Table.Th> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {enrolments.map((enrolment) => {
              const sessionWhen = when(enrolment.session);
              return (
                <Table.Tr key={enrolment.id}>
                  {withSession ? (
                    <Table.Th scope="row">
                      <Anchor component={Link} to={sessionPagePath(enrolment.session.id)} fw={700}>
                        {enrolment.session.title}
                      </Anchor>
                      <Text fz="sm">{enrolment.session.city}</Text>
                    </Table.Th>
                  ) : null}
                  {withSession ? (
                    <Table.Td>
                      <Stack gap={2}>
                        <span>{sessionWhen.day}</span>
                        <Text component="span" fz="sm">
                          {sessionWhen.time}
                        </Text>
                      </Stack>
                    </Table.Td>
                  ) : null}
                  {withSession ? <Table.Td>{place(enrolment.session)}</Table.Td> : null}
                  {withPerson && withSession ? (
                    <Table.Td>
                      <Person enrolment={enrolment} />
                    </Table.Td>
                  ) : null}
                  {withPerson && !withSession ? (
                    // Without the session column, the person names the row.
                    <Table.Th scope="row" fw={400}>
                      <Person enrolment={enrolment} />
                    </Table.Th>
                  ) : null}
                  <Table.Td>
                    <Stack gap={4} align="flex-start">
                      <EnrolmentStatusBadge enrolment={enrolment} />
                      {enrolment.score !== null ? (
                        <Text component="span" fz="sm">
                          {t("training.enrolments.score", { score: enrolment.score })}
                        </Text>
                      ) : null}
                      {enrolment.certificate ? (
                        <Text component="span" fz="sm">
                          {t("training.enrolments.certificate")} <bdi dir="ltr">{enrolment.certificate.number}</bdi>
                        </Text>
                      ) : null}
                    </Stack>
                  </Table.Td>
                  {anyAction ? (
                    <Table.Td>
                      {mayCancel(enrolment) ? (
                        <Button
                          variant="outline"
                          color="red"
                          size="sm"
                          onClick={() => {
                            setCancelling(enrolment);
                            setInstance((count) => count + 1);
                            setOpened(true);
                          }}
                        >
                          {t("training.enrolments.cancel")}
                          <VisuallyHidden>
                            {" "}
                            {t("training.enrolments.cancelOf", {
                              name: enrolment.holderName,
                              title: enrolment.session.title,
                            })}
                          </VisuallyHidden>
                        </Button>
                      ) : null}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </div>
      <Modal
        centered
        lockScroll={false}
        size="lg"
        opened={opened}
        onClose={() => setOpened(false)}
        title={t("training.enrolments.cancelTitle")}
        closeButtonProps={{ "aria-label": t("common.close") }}
      >
        {cancelling ? (
          <CancelBody
            key={instance}
            enrolment={cancelling}
            onClose={() => setOpened(false)}
            onDone={(cancelled) => {
              setOpened(false);
              onCancelled({ ...cancelled, holderName: cancelling.holderName, session: cancelling.session });
            }}
          />
        ) : null}
      </Modal>
    </>
  );
}
