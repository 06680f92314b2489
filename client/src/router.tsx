import { createBrowserRouter } from "react-router";
import { Layout } from "./components/Layout";
import { CatalogPage } from "./pages/CatalogPage";
import { CrashPage } from "./pages/CrashPage";
import { HomePage } from "./pages/HomePage";
import { NotFoundPage } from "./pages/NotFoundPage";

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <CrashPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: "solutions", element: <CatalogPage /> },
      { path: "solutions/:sectorCode", element: <CatalogPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
