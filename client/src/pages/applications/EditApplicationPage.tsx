import { Navigate, useParams, useSearchParams } from "react-router";
import type { Application } from "../../api/applications";
import type { User } from "../../api/types";
import { ApplicationGate } from "./ApplicationGate";
import { RequireAuth } from "../../components/RequireAuth";
import { CompanyStep } from "./wizard/CompanyStep";
import { CostsStep } from "./wizard/CostsStep";
import { DocumentsStep } from "./wizard/DocumentsStep";
import { ReviewStep } from "./wizard/ReviewStep";
import { SolutionStep } from "./wizard/SolutionStep";
import { applicationPagePath, stepFrom, type WizardStep } from "./wizard/steps";
import { SubmitStep } from "./wizard/SubmitStep";
import { WizardFrame } from "./wizard/WizardFrame";

function StepBody({ step, application }: { step: WizardStep; application: Application }) {
  switch (step) {
    case "company":
      return <CompanyStep application={application} />;
    case "solution":
      return <SolutionStep application={application} />;
    case "costs":
      return <CostsStep application={application} />;
    case "documents":
      return <DocumentsStep application={application} />;
    case "review":
      return <ReviewStep application={application} />;
    case "submit":
      return <SubmitStep application={application} />;
  }
}

function EditApplication({ application, user }: { application: Application; user: User }) {
  const [searchParams] = useSearchParams();
  const step = stepFrom(searchParams.get("etape"));
  // Submitted, withdrawn, or read-only for this person: the file is shown, not edited.
  if (!application.permissions.update) {
    return <Navigate to={applicationPagePath(application.id)} replace />;
  }
  return (
    <WizardFrame step={step} applicationId={application.id} user={user} companyName={application.company.name}>
      <StepBody key={step} step={step} application={application} />
    </WizardFrame>
  );
}

export function EditApplicationPage() {
  const { id = "" } = useParams();
  return (
    <RequireAuth>
      {(user) => (
        <ApplicationGate key={id} id={id}>
          {(application) => <EditApplication application={application} user={user} />}
        </ApplicationGate>
      )}
    </RequireAuth>
  );
}
