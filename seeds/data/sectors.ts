import type { SectorSeed } from "./types.js";

/** Sectors eligible for the Moussanada TI sector business solutions. */
export const sectors: SectorSeed[] = [
  {
    code: "textile-habillement",
    nameFr: "Textile et habillement",
    nameAr: "النسيج والألبسة",
    descriptionFr:
      "Les ateliers de confection travaillent souvent à façon pour des donneurs d'ordre européens exigeants sur les " +
      "délais et la qualité. Des outils numériques de planification, de suivi des commandes et de paie à la pièce " +
      "permettent de livrer à temps et de mieux maîtriser les coûts.",
    descriptionAr:
      "تشتغل ورشات الخياطة في الغالب بالمناولة لفائدة زبائن أوروبيين يشترطون احترام الآجال والجودة. وتمكّن " +
      "الأدوات الرقمية للتخطيط وتتبع الطلبيات وحساب الأجر بالقطعة من التسليم في الوقت المحدد والتحكم في التكاليف.",
  },
  {
    code: "cuir",
    nameFr: "Cuir",
    nameAr: "الجلد",
    descriptionFr:
      "Tanneries, maroquineries et fabricants de chaussures doivent prouver l'origine de leurs peaux et maîtriser " +
      "des coûts de matière élevés. La gestion numérique des lots, des stocks et des ventes à l'export réduit les " +
      "pertes et ouvre l'accès aux marques internationales.",
    descriptionAr:
      "تحتاج المدابغ وورشات المصنوعات الجلدية ومصانع الأحذية إلى إثبات مصدر الجلود والتحكم في كلفة المادة الأولية " +
      "المرتفعة. ويقلّص التدبير الرقمي للدفعات والمخزون والمبيعات الموجهة للتصدير من الضياع، ويفتح الباب أمام " +
      "العلامات التجارية الدولية.",
  },
  {
    code: "agroalimentaire",
    nameFr: "Agroalimentaire",
    nameAr: "الصناعات الغذائية",
    descriptionFr:
      "Les entreprises agroalimentaires doivent garantir la sécurité sanitaire de leurs produits et répondre aux " +
      "contrôles de l'ONSSA. La traçabilité numérique des lots, de la matière première au client, permet de réagir " +
      "vite en cas de rappel et de rassurer les acheteurs au Maroc comme à l'étranger.",
    descriptionAr:
      "يتعين على مقاولات الصناعات الغذائية ضمان السلامة الصحية لمنتجاتها والاستجابة لمراقبة المكتب الوطني للسلامة " +
      "الصحية للمنتجات الغذائية. ويتيح التتبع الرقمي للدفعات، من المادة الأولية إلى الزبون، التدخل بسرعة عند سحب " +
      "منتوج من السوق وطمأنة المشترين داخل المغرب وخارجه.",
  },
  {
    code: "automobile",
    nameFr: "Automobile",
    nameAr: "صناعة السيارات",
    descriptionFr:
      "Les équipementiers et sous-traitants automobiles livrent les constructeurs en flux tendu et doivent respecter " +
      "la norme qualité IATF 16949. L'échange de données informatisé (EDI), le kanban et le suivi numérique de la " +
      "qualité sont souvent exigés pour être référencé comme fournisseur.",
    descriptionAr:
      "يزوّد مصنعو أجزاء السيارات والمناولون شركاتِ صناعة السيارات وفق نظام التسليم في الوقت المحدد، ويتعين عليهم " +
      "احترام معيار الجودة IATF 16949. وغالبا ما يُشترط التبادل الإلكتروني للبيانات (EDI) ونظام كانبان والتتبع " +
      "الرقمي للجودة من أجل الاعتماد كمورّد.",
  },
  {
    code: "commerce",
    nameFr: "Commerce",
    nameAr: "التجارة",
    descriptionFr:
      "Épiceries, magasins et distributeurs gagnent du temps et évitent les ruptures grâce à une caisse reliée au " +
      "stock. Une facturation conforme aux exigences de la DGI et la vente en ligne aident le commerce de proximité " +
      "à se moderniser et à toucher de nouveaux clients.",
    descriptionAr:
      "يوفّر البقالون وأصحاب المتاجر والموزعون الوقت ويتفادون نفاد السلع بفضل صندوق أداء مرتبط بالمخزون. كما " +
      "تساعد الفوترة المطابقة لمتطلبات المديرية العامة للضرائب والبيعُ عبر الإنترنت تجارةَ القرب على التحديث " +
      "والوصول إلى زبائن جدد.",
  },
];
