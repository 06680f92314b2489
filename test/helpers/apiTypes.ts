/** Shapes of the API's answers, as the tests read them (the contract of SPEC.md). */

export interface ListBody<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface RegionBody {
  code: string;
  nameFr: string;
  nameAr: string;
}

export interface SectorBody extends RegionBody {
  descriptionFr: string;
  descriptionAr: string;
}

export interface SupplierBody {
  id: string;
  code: string;
  name: string;
  city: string;
  website: string | null;
  email: string | null;
  phone: string | null;
}

export interface SolutionBody {
  id: string;
  code: string;
  sectorCode: string;
  supplier: Pick<SupplierBody, "id" | "code" | "name" | "city" | "website">;
  nameFr: string;
  nameAr: string;
  summaryFr: string;
  summaryAr: string;
  costsFr: string;
  costsAr: string;
  benefitsFr: string;
  benefitsAr: string;
  priceMin: string;
  priceMax: string;
}

export interface CallBody {
  id: string;
  code: string;
  programme: { code: string; nameFr: string; nameAr: string };
  titleFr: string;
  titleAr: string;
  opensOn: string;
  closesOn: string;
  status: "upcoming" | "open" | "closed";
  rules: {
    version: number;
    rate: string;
    capPerCompany: string;
    minCompanyAgeYears: number;
    maxTurnover: string;
    sectorCodes: string[];
  };
  envelope: { total: string | null; bySector: Record<string, string> };
}
