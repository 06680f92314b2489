import { lazy, Suspense } from "react";
import { createBrowserRouter } from "react-router";
import { useTranslation } from "react-i18next";
import { Layout } from "./components/Layout";
import { LoadingStatus } from "./components/LoadingStatus";
import { AccountPage } from "./pages/account/AccountPage";
import { AdminUsersPage } from "./pages/admin/AdminUsersPage";
import { ApplicationPage } from "./pages/applications/ApplicationPage";
import { ApplicationsPage } from "./pages/applications/ApplicationsPage";
import { EditApplicationPage } from "./pages/applications/EditApplicationPage";
import { NewApplicationPage } from "./pages/applications/NewApplicationPage";
import { ForgotPasswordPage } from "./pages/auth/ForgotPasswordPage";
import { LoginPage } from "./pages/auth/LoginPage";
import { RegisterPage } from "./pages/auth/RegisterPage";
import { ResetPasswordPage } from "./pages/auth/ResetPasswordPage";
import { VerifyEmailPage } from "./pages/auth/VerifyEmailPage";
import { CatalogPage } from "./pages/CatalogPage";
import { ClaimCompanyPage } from "./pages/companies/ClaimCompanyPage";
import { CompaniesPage } from "./pages/companies/CompaniesPage";
import { CompanyPage } from "./pages/companies/CompanyPage";
import { NewCompanyPage } from "./pages/companies/NewCompanyPage";
import { CrashPage } from "./pages/CrashPage";
import { HomePage } from "./pages/HomePage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { OpenDataPage } from "./pages/openData/OpenDataPage";
import { BudgetPage } from "./pages/review/BudgetPage";
import { ConflictsPage } from "./pages/review/ConflictsPage";
import { QueuePage } from "./pages/review/QueuePage";
import { ReviewPage } from "./pages/review/ReviewPage";
import { SimulatorPage } from "./pages/simulator/SimulatorPage";
import { TrainerSessionPage } from "./pages/trainer/TrainerSessionPage";
import { TrainerSessionsPage } from "./pages/trainer/TrainerSessionsPage";
import { MyTrainingPage } from "./pages/training/MyTrainingPage";
import { SessionPage } from "./pages/training/SessionPage";
import { SessionsPage } from "./pages/training/SessionsPage";
import { VerifyPage } from "./pages/training/VerifyPage";

// The statistics carry ECharts: their own chunk, fetched when the page is first opened.
const StatisticsPage = lazy(() =>
  import("./pages/stats/StatisticsPage").then((module) => ({ default: module.StatisticsPage })),
);

function PageLoading() {
  const { t } = useTranslation();
  return <LoadingStatus label={t("common.loading")} />;
}

// French paths: they appear in the links of the e-mails the server sends (server/commands/accounts.ts).
export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <CrashPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: "solutions", element: <CatalogPage /> },
      { path: "solutions/:sectorCode", element: <CatalogPage /> },
      { path: "simulateur", element: <SimulatorPage /> },
      { path: "connexion", element: <LoginPage /> },
      { path: "inscription", element: <RegisterPage /> },
      { path: "verifier-email", element: <VerifyEmailPage /> },
      { path: "mot-de-passe-oublie", element: <ForgotPasswordPage /> },
      { path: "reinitialiser-mot-de-passe", element: <ResetPasswordPage /> },
      { path: "mon-compte", element: <AccountPage /> },
      { path: "admin/utilisateurs", element: <AdminUsersPage /> },
      { path: "entreprises", element: <CompaniesPage /> },
      { path: "entreprises/nouvelle", element: <NewCompanyPage /> },
      { path: "entreprises/:id", element: <CompanyPage /> },
      { path: "revendiquer-entreprise", element: <ClaimCompanyPage /> },
      { path: "dossiers", element: <ApplicationsPage /> },
      { path: "dossiers/nouveau", element: <NewApplicationPage /> },
      { path: "dossiers/:id", element: <ApplicationPage /> },
      { path: "dossiers/:id/modifier", element: <EditApplicationPage /> },
      { path: "instruction", element: <QueuePage /> },
      { path: "instruction/conflits", element: <ConflictsPage /> },
      { path: "instruction/:id", element: <ReviewPage /> },
      { path: "budget", element: <BudgetPage /> },
      {
        path: "statistiques",
        element: (
          <Suspense fallback={<PageLoading />}>
            <StatisticsPage />
          </Suspense>
        ),
      },
      { path: "donnees-ouvertes", element: <OpenDataPage /> },
      { path: "formateur", element: <TrainerSessionsPage /> },
      { path: "formateur/sessions/:id", element: <TrainerSessionPage /> },
      { path: "formations", element: <SessionsPage /> },
      { path: "formations/:id", element: <SessionPage /> },
      { path: "mes-formations", element: <MyTrainingPage /> },
      // The verification links of the certificates (verificationUrl) point here.
      { path: "verify", element: <VerifyPage /> },
      { path: "verify/:code", element: <VerifyPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
