import type { RegionSeed } from "./types.js";

/** The 12 regions of Morocco (territorial division of 2015), in their official order. */
export const regions: RegionSeed[] = [
  { code: "tanger-tetouan-al-hoceima", nameFr: "Tanger-Tétouan-Al Hoceïma", nameAr: "طنجة تطوان الحسيمة" },
  { code: "oriental", nameFr: "L'Oriental", nameAr: "الشرق" },
  { code: "fes-meknes", nameFr: "Fès-Meknès", nameAr: "فاس مكناس" },
  { code: "rabat-sale-kenitra", nameFr: "Rabat-Salé-Kénitra", nameAr: "الرباط سلا القنيطرة" },
  { code: "beni-mellal-khenifra", nameFr: "Béni Mellal-Khénifra", nameAr: "بني ملال خنيفرة" },
  { code: "casablanca-settat", nameFr: "Casablanca-Settat", nameAr: "الدار البيضاء سطات" },
  { code: "marrakech-safi", nameFr: "Marrakech-Safi", nameAr: "مراكش آسفي" },
  { code: "draa-tafilalet", nameFr: "Drâa-Tafilalet", nameAr: "درعة تافيلالت" },
  { code: "souss-massa", nameFr: "Souss-Massa", nameAr: "سوس ماسة" },
  { code: "guelmim-oued-noun", nameFr: "Guelmim-Oued Noun", nameAr: "كلميم واد نون" },
  { code: "laayoune-sakia-el-hamra", nameFr: "Laâyoune-Sakia El Hamra", nameAr: "العيون الساقية الحمراء" },
  { code: "dakhla-oued-ed-dahab", nameFr: "Dakhla-Oued Ed-Dahab", nameAr: "الداخلة وادي الذهب" },
];
