import type { Role, User } from "../../api/types";

/** Managers file for their companies, prescribers for their clients (the server checks each company). */
export function mayCreateApplications(role: Role): boolean {
  return role === "applicant" || role === "prescriber";
}

/** Officers and admins see every file but drafts; trainers none. */
export function mayListApplications(role: Role): boolean {
  return role === "applicant" || role === "prescriber" || role === "officer" || role === "admin";
}

/** "Mes dossiers", "Dossiers de mes clients" or "Dossiers": the list's words follow who reads it. */
export function applicationsAudience(user: User): "own" | "clients" | "all" {
  if (user.role === "prescriber") return "clients";
  if (user.role === "officer" || user.role === "admin") return "all";
  return "own";
}
