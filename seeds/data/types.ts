/** Shapes of the reference data shipped with the product; loaded idempotently by seeds/. */

export interface RegionSeed {
  code: string;
  nameFr: string;
  nameAr: string;
}

export interface SectorSeed {
  code: string;
  nameFr: string;
  nameAr: string;
  descriptionFr: string;
  descriptionAr: string;
}

export interface SupplierSeed {
  /** Stable slug, used to make seeding idempotent. */
  code: string;
  name: string;
  city: string;
  website: string | null;
  email: string | null;
  phone: string | null;
}

export interface SolutionSeed {
  /** Stable slug, used to make seeding idempotent. */
  code: string;
  sectorCode: string;
  supplierCode: string;
  nameFr: string;
  nameAr: string;
  summaryFr: string;
  summaryAr: string;
  costsFr: string;
  costsAr: string;
  benefitsFr: string;
  benefitsAr: string;
  /** Reference price range excl. VAT, decimal strings with two decimals ("45000.00"). */
  priceMin: string;
  priceMax: string;
}
