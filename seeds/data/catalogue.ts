import type { SolutionSeed, SupplierSeed } from "./types.js";

/** Fictional software integrators and editors; their web sites and e-mails use example.ma. */
export const suppliers: SupplierSeed[] = [
  {
    code: "tissage-numerique-maghreb",
    name: "Tissage Numérique Maghreb SARL",
    city: "Casablanca",
    website: "https://tissage-numerique-maghreb.example.ma",
    email: "contact@tissage-numerique-maghreb.example.ma",
    phone: "+212 522 48 31 70",
  },
  {
    code: "dabagh-logic",
    name: "Dabagh Logic SARL",
    city: "Fès",
    website: "https://dabagh-logic.example.ma",
    email: "contact@dabagh-logic.example.ma",
    phone: "+212 535 62 14 08",
  },
  {
    code: "sanad-traca-souss",
    name: "Sanad Traça Souss SARL",
    city: "Agadir",
    website: "https://sanad-traca-souss.example.ma",
    email: "contact@sanad-traca-souss.example.ma",
    phone: "+212 528 23 57 41",
  },
  {
    code: "boughaz-flux-industrie",
    name: "Boughaz Flux Industrie SARL",
    city: "Tanger",
    website: "https://boughaz-flux-industrie.example.ma",
    email: "contact@boughaz-flux-industrie.example.ma",
    phone: "+212 539 31 86 22",
  },
  {
    code: "hanout-facile",
    name: "Hanout Facile SARL",
    city: "Casablanca",
    website: "https://hanout-facile.example.ma",
    email: "contact@hanout-facile.example.ma",
    phone: "+212 522 97 40 15",
  },
  {
    code: "qalam-compta-paie",
    name: "Qalam Compta & Paie SARL",
    city: "Rabat",
    website: "https://qalam-compta-paie.example.ma",
    email: "contact@qalam-compta-paie.example.ma",
    phone: "+212 537 70 28 93",
  },
  {
    code: "atelier-web-du-souk",
    name: "L'Atelier Web du Souk SARL",
    city: "Marrakech",
    website: "https://atelier-web-du-souk.example.ma",
    email: "contact@atelier-web-du-souk.example.ma",
    phone: null,
  },
  {
    code: "wassla-relation-client",
    name: "Wassla Relation Client SARL",
    city: "Rabat",
    website: "https://wassla-relation-client.example.ma",
    email: "contact@wassla-relation-client.example.ma",
    phone: "+212 537 68 45 12",
  },
];

/**
 * Ready-to-use sector business solutions (« solutions métiers sectorielles »). Prices are reference ranges in
 * MAD excl. VAT for licence, installation and training; yearly maintenance is described in the costs text.
 */
export const solutions: SolutionSeed[] = [
  {
    code: "confection-gpao-atelier",
    sectorCode: "textile-habillement",
    supplierCode: "tissage-numerique-maghreb",
    nameFr: "GPAO Confection : suivi des commandes et paie à la pièce",
    nameAr: "نظام تسيير الإنتاج لورشات الخياطة: تتبع الطلبيات والأجر بالقطعة",
    summaryFr:
      "Un logiciel qui suit chaque commande de la coupe à l'expédition et calcule automatiquement la paie à la " +
      "pièce de chaque ouvrière. Les chefs d'atelier saisissent la production sur tablette ou en scannant les " +
      "tickets de paquets.",
    summaryAr:
      "برنامج يتتبع كل طلبية من التفصيل إلى الشحن، ويحسب تلقائيا الأجر بالقطعة لكل عاملة. ويسجّل رؤساء الورشات " +
      "الإنتاج على لوحة إلكترونية أو بمسح بطاقات الحزم.",
    costsFr:
      "Licence : 55 000 à 170 000 MAD selon le nombre de postes et de lignes de production. Installation, " +
      "paramétrage et reprise des gammes de fabrication : 20 000 à 65 000 MAD. Formation des chefs d'atelier et du " +
      "bureau des méthodes : 15 000 à 45 000 MAD. Total : 90 000 à 280 000 MAD HT. Ensuite, maintenance annuelle " +
      "d'environ 15 % de la licence, soit 8 250 à 25 500 MAD par an.",
    costsAr:
      "الرخصة: من 55.000 إلى 170.000 درهم حسب عدد المناصب وخطوط الإنتاج. التثبيت والإعداد ونقل مراحل التصنيع: من " +
      "20.000 إلى 65.000 درهم. تكوين رؤساء الورشات ومصلحة تنظيم الإنتاج: من 15.000 إلى 45.000 درهم. المجموع: من " +
      "90.000 إلى 280.000 درهم دون احتساب الرسوم. بعد ذلك، صيانة سنوية تعادل حوالي 15% من ثمن الرخصة، أي من 8.250 " +
      "إلى 25.500 درهم سنويا.",
    benefitsFr:
      "Des délais de livraison tenus grâce à une vue en temps réel de l'avancement de chaque commande. Une paie à " +
      "la pièce calculée sans erreur ni litige, et le rendement de chaque ligne mesuré chaque jour pour mieux " +
      "chiffrer les prochaines commandes.",
    benefitsAr:
      "احترام آجال التسليم بفضل رؤية آنية لتقدّم كل طلبية. وحساب الأجر بالقطعة دون أخطاء أو نزاعات، وقياس مردودية " +
      "كل خط إنتاج يوميا لتسعير الطلبيات المقبلة بدقة أكبر.",
    priceMin: "90000.00",
    priceMax: "280000.00",
  },
  {
    code: "textile-controle-qualite-export",
    sectorCode: "textile-habillement",
    supplierCode: "tissage-numerique-maghreb",
    nameFr: "Contrôle qualité et conformité export pour le textile",
    nameAr: "مراقبة الجودة والمطابقة لمتطلبات التصدير في قطاع النسيج",
    summaryFr:
      "Une application sur tablette pour les contrôleurs qualité : inspections selon les plans d'échantillonnage " +
      "AQL, photos des défauts et rapports envoyés directement aux clients donneurs d'ordre.",
    summaryAr:
      "تطبيق على اللوحة الإلكترونية لمراقبي الجودة: عمليات تفتيش وفق مخططات أخذ العينات AQL، وصور للعيوب، وتقارير " +
      "تُرسل مباشرة إلى الزبائن أصحاب الطلبيات.",
    costsFr:
      "Abonnement ou licence pour 3 à 15 contrôleurs : 35 000 à 110 000 MAD. Fourniture de tablettes renforcées et " +
      "paramétrage des fiches de contrôle : 15 000 à 45 000 MAD. Formation des contrôleurs : 10 000 à 25 000 MAD. " +
      "Total : 60 000 à 180 000 MAD HT. Ensuite, maintenance et mises à jour : 6 000 à 18 000 MAD par an.",
    costsAr:
      "الاشتراك أو الرخصة لفائدة 3 إلى 15 مراقبا: من 35.000 إلى 110.000 درهم. توفير لوحات إلكترونية متينة وإعداد " +
      "بطاقات المراقبة: من 15.000 إلى 45.000 درهم. تكوين المراقبين: من 10.000 إلى 25.000 درهم. المجموع: من 60.000 " +
      "إلى 180.000 درهم دون احتساب الرسوم. بعد ذلك، الصيانة والتحديثات: من 6.000 إلى 18.000 درهم سنويا.",
    benefitsFr:
      "Moins de retours et de pénalités grâce à la détection des défauts avant l'expédition. Des rapports de " +
      "contrôle professionnels qui rassurent les marques et facilitent l'obtention de nouvelles commandes.",
    benefitsAr:
      "تقليص المرتجعات والغرامات بفضل اكتشاف العيوب قبل الشحن. وتقارير مراقبة احترافية تطمئن العلامات التجارية " +
      "وتسهّل الحصول على طلبيات جديدة.",
    priceMin: "60000.00",
    priceMax: "180000.00",
  },
  {
    code: "textile-paie-pointage-cnss",
    sectorCode: "textile-habillement",
    supplierCode: "qalam-compta-paie",
    nameFr: "Paie et pointage pour ateliers textiles, avec déclarations CNSS",
    nameAr: "الأجور وضبط الحضور لورشات النسيج مع التصريحات لدى الضمان الاجتماعي",
    summaryFr:
      "Un logiciel de paie qui récupère les heures de la pointeuse et la production à la pièce, puis prépare les " +
      "bulletins de paie et le fichier de déclaration CNSS à déposer sur Damancom.",
    summaryAr:
      "برنامج للأجور يسترجع ساعات العمل من جهاز ضبط الحضور والإنتاج بالقطعة، ثم يُعِدّ ورقات الأداء وملف التصريح " +
      "لدى الصندوق الوطني للضمان الاجتماعي لإيداعه عبر بوابة Damancom.",
    costsFr:
      "Licence pour 50 à 400 salariés : 12 000 à 40 000 MAD. Pointeuses biométriques et installation : 8 000 à 20 " +
      "000 MAD. Paramétrage et formation du service du personnel : 5 000 à 15 000 MAD. Total : 25 000 à 75 000 MAD " +
      "HT. Ensuite, mise à jour légale annuelle (barème de l'IR, taux CNSS et AMO) : 3 000 à 9 000 MAD par an.",
    costsAr:
      "الرخصة لمقاولة تشغّل من 50 إلى 400 أجير: من 12.000 إلى 40.000 درهم. أجهزة ضبط الحضور بالبصمة وتركيبها: من " +
      "8.000 إلى 20.000 درهم. الإعداد وتكوين مصلحة المستخدمين: من 5.000 إلى 15.000 درهم. المجموع: من 25.000 إلى " +
      "75.000 درهم دون احتساب الرسوم. بعد ذلك، التحيين القانوني السنوي (جدول الضريبة على الدخل ونسب الضمان " +
      "الاجتماعي والتأمين الإجباري الأساسي عن المرض): من 3.000 إلى 9.000 درهم سنويا.",
    benefitsFr:
      "Des bulletins de paie justes et prêts en quelques heures au lieu de plusieurs jours. Des déclarations CNSS " +
      "déposées à temps, sans pénalités de retard, et moins de contestations de la part des ouvrières.",
    benefitsAr:
      "ورقات أداء دقيقة وجاهزة في ساعات بدل عدة أيام. وتصريحات لدى الضمان الاجتماعي تُودَع في آجالها دون غرامات " +
      "تأخير، مع تقليص احتجاجات العاملات.",
    priceMin: "25000.00",
    priceMax: "75000.00",
  },
  {
    code: "textile-boutique-en-ligne-marque",
    sectorCode: "textile-habillement",
    supplierCode: "atelier-web-du-souk",
    nameFr: "Boutique en ligne pour marque de prêt-à-porter",
    nameAr: "متجر إلكتروني لعلامات الملابس الجاهزة",
    summaryFr:
      "Un site de vente en ligne clé en main pour vendre ses collections partout au Maroc, avec paiement par carte " +
      "ou à la livraison et gestion des tailles et des couleurs.",
    summaryAr:
      "موقع جاهز للبيع عبر الإنترنت لتسويق المجموعات في جميع أنحاء المغرب، مع الأداء بالبطاقة البنكية أو عند " +
      "التسليم، وتدبير المقاسات والألوان.",
    costsFr:
      "Création du site et du catalogue (de 300 à 3 000 articles) : 20 000 à 70 000 MAD. Raccordement au paiement " +
      "par carte et aux sociétés de livraison : 8 000 à 25 000 MAD. Photos des produits et formation à la gestion " +
      "de la boutique : 7 000 à 25 000 MAD. Total : 35 000 à 120 000 MAD HT. Ensuite, hébergement et maintenance : " +
      "4 000 à 12 000 MAD par an, hors commissions bancaires sur les paiements.",
    costsAr:
      "إنشاء الموقع والكتالوج (من 300 إلى 3.000 منتوج): من 20.000 إلى 70.000 درهم. الربط بخدمة الأداء بالبطاقة " +
      "وبشركات التوصيل: من 8.000 إلى 25.000 درهم. تصوير المنتوجات والتكوين على تدبير المتجر: من 7.000 إلى 25.000 " +
      "درهم. المجموع: من 35.000 إلى 120.000 درهم دون احتساب الرسوم. بعد ذلك، الاستضافة والصيانة: من 4.000 إلى " +
      "12.000 درهم سنويا، دون احتساب العمولات البنكية على عمليات الأداء.",
    benefitsFr:
      "Des ventes directes aux clients, sans intermédiaire, avec une meilleure marge que la sous-traitance. Des " +
      "collections visibles dans tout le Maroc, 24 heures sur 24.",
    benefitsAr:
      "بيع مباشر للزبائن دون وسطاء وبهامش ربح أفضل من المناولة. ومجموعات معروضة في جميع أنحاء المغرب على مدار " +
      "الساعة.",
    priceMin: "35000.00",
    priceMax: "120000.00",
  },
  {
    code: "maroquinerie-production-stock-lots",
    sectorCode: "cuir",
    supplierCode: "dabagh-logic",
    nameFr: "Production et stock pour la maroquinerie, avec traçabilité des lots",
    nameAr: "تدبير الإنتاج والمخزون للمصنوعات الجلدية مع تتبع الدفعات",
    summaryFr:
      "Un logiciel qui enregistre chaque lot de peaux à l'arrivée, suit sa consommation à la coupe et relie chaque " +
      "sac ou ceinture fini à son lot d'origine.",
    summaryAr:
      "برنامج يسجّل كل دفعة من الجلود عند وصولها، ويتتبع استهلاكها أثناء التفصيل، ويربط كل حقيبة أو حزام جاهز " +
      "بالدفعة التي صُنع منها.",
    costsFr:
      "Licence : 40 000 à 130 000 MAD selon le nombre d'utilisateurs. Installation et codification des articles et " +
      "des nomenclatures : 18 000 à 55 000 MAD. Formation du magasin et des ateliers : 12 000 à 35 000 MAD. Total " +
      ": 70 000 à 220 000 MAD HT. Ensuite, maintenance annuelle : 6 000 à 19 500 MAD par an.",
    costsAr:
      "الرخصة: من 40.000 إلى 130.000 درهم حسب عدد المستعملين. التثبيت وترميز المواد وقوائم المكونات: من 18.000 إلى " +
      "55.000 درهم. تكوين مسؤولي المخزن والورشات: من 12.000 إلى 35.000 درهم. المجموع: من 70.000 إلى 220.000 درهم " +
      "دون احتساب الرسوم. بعد ذلك، صيانة سنوية: من 6.000 إلى 19.500 درهم سنويا.",
    benefitsFr:
      "Un stock de peaux connu au mètre carré près, ce qui évite les achats inutiles et les ruptures. La " +
      "traçabilité des lots demandée par les marques européennes, et un coût de revient exact pour chaque modèle.",
    benefitsAr:
      "معرفة دقيقة لمخزون الجلود بالمتر المربع، مما يجنّب المشتريات غير الضرورية ونفاد المواد. وتتبع للدفعات تطلبه " +
      "العلامات الأوروبية، وكلفة إنتاج مضبوطة لكل نموذج.",
    priceMin: "70000.00",
    priceMax: "220000.00",
  },
  {
    code: "tannerie-suivi-bains-lots",
    sectorCode: "cuir",
    supplierCode: "dabagh-logic",
    nameFr: "Suivi des lots et des bains de tannerie",
    nameAr: "تتبع الدفعات وأحواض الدباغة",
    summaryFr:
      "Un logiciel pour les tanneries qui enregistre, pour chaque lot de peaux, les recettes de bains, les " +
      "produits chimiques utilisés et les contrôles, afin de prouver la conformité aux clients et aux exigences " +
      "environnementales.",
    summaryAr:
      "برنامج خاص بالمدابغ يسجّل لكل دفعة من الجلود وصفات الأحواض والمواد الكيميائية المستعملة ونتائج المراقبة، " +
      "لإثبات المطابقة أمام الزبائن واحترام المتطلبات البيئية.",
    costsFr:
      "Licence : 45 000 à 150 000 MAD. Installation, paramétrage des recettes et raccordement des balances : 20 " +
      "000 à 70 000 MAD. Formation des chefs de bain et du laboratoire : 15 000 à 40 000 MAD. Total : 80 000 à 260 " +
      "000 MAD HT. Ensuite, maintenance annuelle : 7 000 à 22 500 MAD par an.",
    costsAr:
      "الرخصة: من 45.000 إلى 150.000 درهم. التثبيت وإعداد الوصفات وربط الموازين: من 20.000 إلى 70.000 درهم. تكوين " +
      "رؤساء الأحواض وطاقم المختبر: من 15.000 إلى 40.000 درهم. المجموع: من 80.000 إلى 260.000 درهم دون احتساب " +
      "الرسوم. بعد ذلك، صيانة سنوية: من 7.000 إلى 22.500 درهم سنويا.",
    benefitsFr:
      "Une qualité de cuir plus régulière d'un lot à l'autre et moins de peaux déclassées. Une consommation de " +
      "produits chimiques et d'eau mesurée et réduite, et des dossiers prêts pour les audits des clients.",
    benefitsAr:
      "جودة جلد أكثر انتظاما من دفعة إلى أخرى، وعدد أقل من الجلود المصنفة في درجة أدنى. واستهلاك مقيس ومخفَّض " +
      "للمواد الكيميائية والماء، وملفات جاهزة لعمليات افتحاص الزبائن.",
    priceMin: "80000.00",
    priceMax: "260000.00",
  },
  {
    code: "cuir-boutique-en-ligne-export",
    sectorCode: "cuir",
    supplierCode: "atelier-web-du-souk",
    nameFr: "Boutique en ligne multilingue pour articles en cuir",
    nameAr: "متجر إلكتروني متعدد اللغات للمصنوعات الجلدية",
    summaryFr:
      "Un site de vente en ligne en arabe, en français et en anglais pour vendre sacs, babouches et chaussures au " +
      "Maroc et à l'étranger, avec calcul automatique des frais d'expédition.",
    summaryAr:
      "موقع للبيع عبر الإنترنت باللغات العربية والفرنسية والإنجليزية لبيع الحقائب والبلاغي والأحذية داخل المغرب " +
      "وخارجه، مع حساب تلقائي لمصاريف الشحن.",
    costsFr:
      "Création du site en trois langues et du catalogue : 18 000 à 55 000 MAD. Paiement par carte internationale " +
      "et raccordement aux transporteurs : 7 000 à 22 000 MAD. Photos des produits et formation : 5 000 à 18 000 " +
      "MAD. Total : 30 000 à 95 000 MAD HT. Ensuite, hébergement et maintenance : 3 500 à 10 000 MAD par an.",
    costsAr:
      "إنشاء الموقع بثلاث لغات والكتالوج: من 18.000 إلى 55.000 درهم. الأداء بالبطاقات البنكية الدولية والربط " +
      "بشركات النقل: من 7.000 إلى 22.000 درهم. تصوير المنتوجات والتكوين: من 5.000 إلى 18.000 درهم. المجموع: من " +
      "30.000 إلى 95.000 درهم دون احتساب الرسوم. بعد ذلك، الاستضافة والصيانة: من 3.500 إلى 10.000 درهم سنويا.",
    benefitsFr:
      "De nouveaux clients à l'étranger sans ouvrir de magasin. Une meilleure marge grâce à la vente directe et " +
      "une image de marque plus professionnelle.",
    benefitsAr:
      "زبائن جدد في الخارج دون الحاجة إلى فتح متجر. وهامش ربح أفضل بفضل البيع المباشر، وصورة أكثر احترافية للعلامة " +
      "التجارية.",
    priceMin: "30000.00",
    priceMax: "95000.00",
  },
  {
    code: "cuir-crm-prospection-export",
    sectorCode: "cuir",
    supplierCode: "wassla-relation-client",
    nameFr: "CRM export pour fabricants d'articles en cuir",
    nameAr: "نظام تدبير العلاقة مع الزبائن لمصدّري المصنوعات الجلدية",
    summaryFr:
      "Un outil simple pour noter chaque contact rencontré sur un salon et suivre les échantillons envoyés, les " +
      "devis et les relances, depuis un ordinateur ou un téléphone.",
    summaryAr:
      "أداة بسيطة لتسجيل كل شخص تم لقاؤه في معرض، وتتبع العينات المرسلة وعروض الأسعار والتذكيرات، انطلاقا من " +
      "الحاسوب أو الهاتف.",
    costsFr:
      "Abonnement ou licence pour 3 à 20 utilisateurs : 10 000 à 35 000 MAD. Paramétrage et import des contacts " +
      "existants : 6 000 à 18 000 MAD. Formation de l'équipe commerciale : 4 000 à 12 000 MAD. Total : 20 000 à 65 " +
      "000 MAD HT. Ensuite, maintenance : 2 500 à 8 000 MAD par an.",
    costsAr:
      "الاشتراك أو الرخصة لفائدة 3 إلى 20 مستعملا: من 10.000 إلى 35.000 درهم. الإعداد واستيراد جهات الاتصال " +
      "الموجودة: من 6.000 إلى 18.000 درهم. تكوين الفريق التجاري: من 4.000 إلى 12.000 درهم. المجموع: من 20.000 إلى " +
      "65.000 درهم دون احتساب الرسوم. بعد ذلك، الصيانة: من 2.500 إلى 8.000 درهم سنويا.",
    benefitsFr:
      "Aucun prospect oublié après un salon et des relances faites au bon moment. Davantage d'échantillons envoyés " +
      "qui se transforment en commandes.",
    benefitsAr:
      "لا يُنسى أي زبون محتمل بعد المعرض، وتتم التذكيرات في الوقت المناسب. ويتحول عدد أكبر من العينات المرسلة إلى " +
      "طلبيات.",
    priceMin: "20000.00",
    priceMax: "65000.00",
  },
  {
    code: "agro-tracabilite-haccp-onssa",
    sectorCode: "agroalimentaire",
    supplierCode: "sanad-traca-souss",
    nameFr: "Traçabilité des lots et HACCP conformes aux exigences de l'ONSSA",
    nameAr: "تتبع الدفعات ونظام HACCP وفق متطلبات المكتب الوطني للسلامة الصحية للمنتجات الغذائية",
    summaryFr:
      "Un logiciel qui suit chaque lot de la réception des matières premières jusqu'à la livraison, et qui " +
      "remplace les cahiers HACCP en papier par des relevés sur tablette (températures, nettoyages, contrôles).",
    summaryAr:
      "برنامج يتتبع كل دفعة من استلام المواد الأولية إلى التسليم، ويعوّض سجلات HACCP الورقية بتسجيلات على اللوحة " +
      "الإلكترونية (درجات الحرارة، التنظيف، المراقبة).",
    costsFr:
      "Licence : 50 000 à 170 000 MAD selon le nombre de sites et de lignes. Installation, étiquettes à " +
      "code-barres et capteurs de température : 20 000 à 85 000 MAD. Formation du personnel qualité et production " +
      ": 15 000 à 45 000 MAD. Total : 85 000 à 300 000 MAD HT. Ensuite, maintenance annuelle : 7 500 à 25 500 MAD " +
      "par an.",
    costsAr:
      "الرخصة: من 50.000 إلى 170.000 درهم حسب عدد المواقع وخطوط الإنتاج. التثبيت وملصقات الرمز الشريطي ومجسات " +
      "الحرارة: من 20.000 إلى 85.000 درهم. تكوين مستخدمي الجودة والإنتاج: من 15.000 إلى 45.000 درهم. المجموع: من " +
      "85.000 إلى 300.000 درهم دون احتساب الرسوم. بعد ذلك، صيانة سنوية: من 7.500 إلى 25.500 درهم سنويا.",
    benefitsFr:
      "En cas de problème, les lots concernés sont retrouvés en quelques minutes et le rappel se limite au strict " +
      "nécessaire. Les inspections de l'ONSSA et les audits clients se préparent sereinement, avec des " +
      "enregistrements complets et datés.",
    benefitsAr:
      "عند حدوث مشكل، يتم العثور على الدفعات المعنية في دقائق ويقتصر السحب على الضروري فقط. ويجري التحضير لعمليات " +
      "تفتيش المكتب الوطني للسلامة الصحية للمنتجات الغذائية وافتحاصات الزبائن بسهولة، بفضل تسجيلات كاملة ومؤرخة.",
    priceMin: "85000.00",
    priceMax: "300000.00",
  },
  {
    code: "agro-erp-recettes-production",
    sectorCode: "agroalimentaire",
    supplierCode: "sanad-traca-souss",
    nameFr: "ERP agroalimentaire : recettes, production et stocks par date de péremption",
    nameAr: "نظام تخطيط موارد المقاولة للصناعات الغذائية: الوصفات والإنتاج والمخزون حسب تاريخ انتهاء الصلاحية",
    summaryFr:
      "Un logiciel de gestion complet qui relie achats, recettes, production, stocks et ventes, et qui fait sortir " +
      "en premier les produits dont la date limite est la plus proche.",
    summaryAr:
      "برنامج تدبير شامل يربط المشتريات والوصفات والإنتاج والمخزون والمبيعات، ويُخرج أولا المنتوجات الأقرب إلى " +
      "تاريخ انتهاء صلاحيتها.",
    costsFr:
      "Licence : 70 000 à 260 000 MAD selon les modules et le nombre d'utilisateurs. Installation, reprise des " +
      "données et paramétrage des recettes : 30 000 à 120 000 MAD. Formation des équipes : 20 000 à 70 000 MAD. " +
      "Total : 120 000 à 450 000 MAD HT. Ensuite, maintenance annuelle d'environ 18 % de la licence, soit 12 600 à " +
      "46 800 MAD par an.",
    costsAr:
      "الرخصة: من 70.000 إلى 260.000 درهم حسب الوحدات وعدد المستعملين. التثبيت ونقل البيانات وإعداد الوصفات: من " +
      "30.000 إلى 120.000 درهم. تكوين الفرق: من 20.000 إلى 70.000 درهم. المجموع: من 120.000 إلى 450.000 درهم دون " +
      "احتساب الرسوم. بعد ذلك، صيانة سنوية تعادل حوالي 18% من ثمن الرخصة، أي من 12.600 إلى 46.800 درهم سنويا.",
    benefitsFr:
      "Moins de produits périmés jetés et un coût de revient connu pour chaque recette. Des achats de matières " +
      "premières planifiés selon les commandes, et une seule base de données au lieu de plusieurs fichiers Excel.",
    benefitsAr:
      "كميات أقل من المنتوجات منتهية الصلاحية التي يتم إتلافها، ومعرفة كلفة الإنتاج لكل وصفة. وتخطيط مشتريات " +
      "المواد الأولية حسب الطلبيات، وقاعدة بيانات واحدة بدل عدة ملفات Excel.",
    priceMin: "120000.00",
    priceMax: "450000.00",
  },
  {
    code: "agro-vente-tournees-mobile",
    sectorCode: "agroalimentaire",
    supplierCode: "hanout-facile",
    nameFr: "Vente en tournée sur mobile pour la distribution agroalimentaire",
    nameAr: "البيع المتنقل عبر الهاتف لتوزيع المنتوجات الغذائية",
    summaryFr:
      "Les vendeurs prennent les commandes et encaissent chez les épiciers avec un téléphone et une petite " +
      "imprimante, et les données arrivent directement au bureau.",
    summaryAr:
      "يسجّل البائعون الطلبيات ويستخلصون المبالغ لدى البقالين بواسطة هاتف وطابعة صغيرة، وتصل البيانات مباشرة إلى " +
      "المكتب.",
    costsFr:
      "Licence pour 5 à 30 vendeurs : 25 000 à 90 000 MAD. Terminaux mobiles, imprimantes portables et paramétrage " +
      "des tournées : 12 000 à 45 000 MAD. Formation des vendeurs et du superviseur : 8 000 à 25 000 MAD. Total : " +
      "45 000 à 160 000 MAD HT. Ensuite, maintenance et hébergement : 5 000 à 18 000 MAD par an.",
    costsAr:
      "الرخصة لفائدة 5 إلى 30 بائعا: من 25.000 إلى 90.000 درهم. أجهزة محمولة وطابعات متنقلة وإعداد الجولات: من " +
      "12.000 إلى 45.000 درهم. تكوين البائعين والمشرف: من 8.000 إلى 25.000 درهم. المجموع: من 45.000 إلى 160.000 " +
      "درهم دون احتساب الرسوم. بعد ذلك، الصيانة والاستضافة: من 5.000 إلى 18.000 درهم سنويا.",
    benefitsFr:
      "Fini les bons de commande perdus et les erreurs de saisie. Les encaissements et les crédits des clients " +
      "sont suivis chaque jour, et les tournées sont organisées pour visiter plus de points de vente.",
    benefitsAr:
      "لا مزيد من أوراق الطلبيات الضائعة وأخطاء الإدخال. وتتبع يومي للمبالغ المستخلصة وديون الزبائن، وتنظيم " +
      "الجولات لزيارة عدد أكبر من نقاط البيع.",
    priceMin: "45000.00",
    priceMax: "160000.00",
  },
  {
    code: "agro-compta-paie-saisonniers",
    sectorCode: "agroalimentaire",
    supplierCode: "qalam-compta-paie",
    nameFr: "Comptabilité et paie avec gestion des saisonniers",
    nameAr: "المحاسبة والأجور مع تدبير العمال الموسميين",
    summaryFr:
      "Un logiciel de comptabilité et de paie adapté aux pics de saison : embauches temporaires rapides, paie à la " +
      "journée ou au rendement et déclarations CNSS via Damancom.",
    summaryAr:
      "برنامج للمحاسبة والأجور ملائم لفترات ذروة الموسم: تشغيل مؤقت سريع، وأجر باليوم أو حسب المردودية، وتصريحات " +
      "لدى الصندوق الوطني للضمان الاجتماعي عبر بوابة Damancom.",
    costsFr:
      "Licence comptabilité et paie : 15 000 à 45 000 MAD. Installation et reprise des soldes comptables : 6 000 à " +
      "20 000 MAD. Formation du service comptable : 4 000 à 15 000 MAD. Total : 25 000 à 80 000 MAD HT. Ensuite, " +
      "mise à jour légale et assistance : 3 000 à 9 000 MAD par an.",
    costsAr:
      "رخصة المحاسبة والأجور: من 15.000 إلى 45.000 درهم. التثبيت ونقل الأرصدة المحاسبية: من 6.000 إلى 20.000 درهم. " +
      "تكوين مصلحة المحاسبة: من 4.000 إلى 15.000 درهم. المجموع: من 25.000 إلى 80.000 درهم دون احتساب الرسوم. بعد " +
      "ذلك، التحيين القانوني والمساعدة: من 3.000 إلى 9.000 درهم سنويا.",
    benefitsFr:
      "Des centaines de saisonniers payés et déclarés sans retard pendant la campagne. Une comptabilité à jour, " +
      "des déclarations de TVA préparées automatiquement et moins d'heures de travail pour le comptable.",
    benefitsAr:
      "أداء أجور مئات العمال الموسميين والتصريح بهم دون تأخير خلال الموسم. ومحاسبة محيّنة، وتصريحات بالضريبة على " +
      "القيمة المضافة تُعَدّ تلقائيا، وساعات عمل أقل للمحاسب.",
    priceMin: "25000.00",
    priceMax: "80000.00",
  },
  {
    code: "auto-edi-kanban-expedition",
    sectorCode: "automobile",
    supplierCode: "boughaz-flux-industrie",
    nameFr: "EDI constructeurs, kanban et étiquettes d'expédition pour équipementiers",
    nameAr: "التبادل الإلكتروني للبيانات مع المصنعين ونظام كانبان وملصقات الشحن لمصنعي الأجزاء",
    summaryFr:
      "Une solution qui reçoit automatiquement par EDI les programmes de livraison des constructeurs, déclenche la " +
      "production par kanban et imprime les étiquettes et avis d'expédition attendus par le client.",
    summaryAr:
      "حل يستقبل تلقائيا برامج التسليم من مصنعي السيارات عبر التبادل الإلكتروني للبيانات، ويطلق الإنتاج بنظام " +
      "كانبان، ويطبع ملصقات الشحن وإشعارات الإرسال التي يطلبها الزبون.",
    costsFr:
      "Licence et connecteurs EDI : 90 000 à 330 000 MAD selon le nombre de clients et d'usines. Installation, " +
      "tests avec chaque constructeur et lecteurs de codes-barres : 40 000 à 190 000 MAD. Formation de la " +
      "logistique et de la production : 20 000 à 80 000 MAD. Total : 150 000 à 600 000 MAD HT. Ensuite, " +
      "maintenance et frais du réseau EDI : 18 000 à 66 000 MAD par an.",
    costsAr:
      "الرخصة وموصلات التبادل الإلكتروني للبيانات: من 90.000 إلى 330.000 درهم حسب عدد الزبائن والمصانع. التثبيت " +
      "والاختبارات مع كل مصنع للسيارات وقارئات الرمز الشريطي: من 40.000 إلى 190.000 درهم. تكوين مصلحتي اللوجستيك " +
      "والإنتاج: من 20.000 إلى 80.000 درهم. المجموع: من 150.000 إلى 600.000 درهم دون احتساب الرسوم. بعد ذلك، " +
      "الصيانة ومصاريف شبكة التبادل الإلكتروني للبيانات: من 18.000 إلى 66.000 درهم سنويا.",
    benefitsFr:
      "Plus aucune ressaisie des commandes et des livraisons conformes au bon moment, ce qui évite les pénalités " +
      "et les arrêts de chaîne chez le client. Des stocks d'en-cours réduits grâce au kanban.",
    benefitsAr:
      "لا حاجة لإعادة إدخال الطلبيات، وتسليمات مطابقة في الوقت المناسب، مما يجنّب الغرامات وتوقف خطوط التجميع لدى " +
      "الزبون. وتقليص المخزون قيد التصنيع بفضل نظام كانبان.",
    priceMin: "150000.00",
    priceMax: "600000.00",
  },
  {
    code: "auto-qualite-iatf-16949",
    sectorCode: "automobile",
    supplierCode: "boughaz-flux-industrie",
    nameFr: "Management de la qualité IATF 16949 : PPAP, 8D et SPC",
    nameAr: "تدبير الجودة وفق معيار IATF 16949: ملفات PPAP وطريقة 8D والضبط الإحصائي للعمليات",
    summaryFr:
      "Un logiciel qui regroupe les dossiers d'homologation des pièces (PPAP), le traitement des réclamations " +
      "clients par la méthode 8D et le contrôle statistique des procédés en atelier.",
    summaryAr:
      "برنامج يجمع في مكان واحد ملفات المصادقة على الأجزاء (PPAP)، ومعالجة شكايات الزبائن بطريقة 8D، والضبط " +
      "الإحصائي للعمليات داخل الورشة.",
    costsFr:
      "Licence : 55 000 à 190 000 MAD selon les modules choisis. Installation, reprise des documents qualité et " +
      "raccordement des postes de mesure : 20 000 à 85 000 MAD. Formation des équipes qualité : 15 000 à 45 000 " +
      "MAD. Total : 90 000 à 320 000 MAD HT. Ensuite, maintenance annuelle : 10 000 à 34 000 MAD par an.",
    costsAr:
      "الرخصة: من 55.000 إلى 190.000 درهم حسب الوحدات المختارة. التثبيت ونقل وثائق الجودة وربط مراكز القياس: من " +
      "20.000 إلى 85.000 درهم. تكوين فرق الجودة: من 15.000 إلى 45.000 درهم. المجموع: من 90.000 إلى 320.000 درهم " +
      "دون احتساب الرسوم. بعد ذلك، صيانة سنوية: من 10.000 إلى 34.000 درهم سنويا.",
    benefitsFr:
      "Des audits de certification et des audits clients mieux préparés, avec des preuves à jour. Moins de pièces " +
      "défectueuses livrées et des réclamations traitées dans les délais imposés par les constructeurs.",
    benefitsAr:
      "تحضير أفضل لافتحاصات الإشهاد وافتحاصات الزبائن بفضل أدلة محيّنة. وعدد أقل من الأجزاء المعيبة المسلَّمة، " +
      "ومعالجة الشكايات في الآجال التي يفرضها مصنعو السيارات.",
    priceMin: "90000.00",
    priceMax: "320000.00",
  },
  {
    code: "auto-gmao-maintenance-preventive",
    sectorCode: "automobile",
    supplierCode: "boughaz-flux-industrie",
    nameFr: "GMAO : maintenance préventive des presses et des machines d'injection",
    nameAr: "التدبير المعلوماتي للصيانة: الصيانة الوقائية للمكابس وآلات الحقن",
    summaryFr:
      "Un logiciel qui planifie l'entretien de chaque machine et de chaque moule, enregistre les pannes et gère le " +
      "stock de pièces de rechange, avec des alertes sur téléphone pour les techniciens.",
    summaryAr:
      "برنامج يخطط صيانة كل آلة وكل قالب، ويسجّل الأعطال، ويدبّر مخزون قطع الغيار، مع تنبيهات على الهاتف لفائدة " +
      "التقنيين.",
    costsFr:
      "Licence : 30 000 à 100 000 MAD selon le nombre d'équipements. Installation et inventaire des machines et " +
      "des pièces de rechange : 12 000 à 50 000 MAD. Formation des techniciens : 8 000 à 30 000 MAD. Total : 50 " +
      "000 à 180 000 MAD HT. Ensuite, maintenance annuelle : 5 000 à 17 000 MAD par an.",
    costsAr:
      "الرخصة: من 30.000 إلى 100.000 درهم حسب عدد التجهيزات. التثبيت وجرد الآلات وقطع الغيار: من 12.000 إلى 50.000 " +
      "درهم. تكوين التقنيين: من 8.000 إلى 30.000 درهم. المجموع: من 50.000 إلى 180.000 درهم دون احتساب الرسوم. بعد " +
      "ذلك، صيانة سنوية: من 5.000 إلى 17.000 درهم سنويا.",
    benefitsFr:
      "Moins d'arrêts de production imprévus et des machines qui durent plus longtemps. Le bon niveau de stock de " +
      "pièces de rechange, sans immobiliser trop d'argent.",
    benefitsAr: "توقفات أقل غير متوقعة للإنتاج، وآلات تدوم مدة أطول. ومخزون مناسب من قطع الغيار دون تجميد أموال كثيرة.",
    priceMin: "50000.00",
    priceMax: "180000.00",
  },
  {
    code: "auto-paie-equipes-postees",
    sectorCode: "automobile",
    supplierCode: "qalam-compta-paie",
    nameFr: "Paie et gestion des temps pour le travail en équipes (3 x 8)",
    nameAr: "الأجور وتدبير أوقات العمل بنظام التناوب (3 × 8)",
    summaryFr:
      "Un logiciel qui gère les plannings d'équipes, les heures de nuit et les heures supplémentaires à partir des " +
      "badgeuses, puis produit la paie et les déclarations CNSS via Damancom.",
    summaryAr:
      "برنامج يدبّر جداول فرق العمل والساعات الليلية والإضافية انطلاقا من أجهزة تسجيل الحضور بالشارة، ثم يُعِدّ " +
      "الأجور والتصريحات لدى الصندوق الوطني للضمان الاجتماعي عبر بوابة Damancom.",
    costsFr:
      "Licence pour 100 à 800 salariés : 18 000 à 55 000 MAD. Badgeuses et installation : 10 000 à 35 000 MAD. " +
      "Paramétrage des règles d'équipes et formation des ressources humaines : 7 000 à 20 000 MAD. Total : 35 000 " +
      "à 110 000 MAD HT. Ensuite, mise à jour légale et assistance : 4 000 à 12 000 MAD par an.",
    costsAr:
      "الرخصة لمقاولة تشغّل من 100 إلى 800 أجير: من 18.000 إلى 55.000 درهم. أجهزة تسجيل الحضور بالشارة وتركيبها: " +
      "من 10.000 إلى 35.000 درهم. إعداد قواعد التناوب وتكوين مصلحة الموارد البشرية: من 7.000 إلى 20.000 درهم. " +
      "المجموع: من 35.000 إلى 110.000 درهم دون احتساب الرسوم. بعد ذلك، التحيين القانوني والمساعدة: من 4.000 إلى " +
      "12.000 درهم سنويا.",
    benefitsFr:
      "Des heures de nuit et des heures supplémentaires payées correctement, conformément au Code du travail. Des " +
      "déclarations CNSS sans erreur et un temps de préparation de la paie divisé par trois.",
    benefitsAr:
      "أداء الساعات الليلية والإضافية بشكل صحيح وفق مدونة الشغل. وتصريحات لدى الضمان الاجتماعي دون أخطاء، وتقليص " +
      "وقت إعداد الأجور إلى الثلث.",
    priceMin: "35000.00",
    priceMax: "110000.00",
  },
  {
    code: "commerce-caisse-stock-facturation",
    sectorCode: "commerce",
    supplierCode: "hanout-facile",
    nameFr: "Caisse enregistreuse avec stock et facturation conforme à la DGI",
    nameAr: "صندوق أداء مع تدبير المخزون وفوترة مطابقة لمتطلبات المديرية العامة للضرائب",
    summaryFr:
      "Une caisse tactile qui enregistre chaque vente, met le stock à jour toute seule et édite des factures " +
      "portant l'ICE du client, prêtes pour la facturation électronique de la DGI.",
    summaryAr:
      "صندوق أداء بشاشة لمس يسجّل كل عملية بيع ويحيّن المخزون تلقائيا، ويُصدر فواتير تتضمن المعرّف الموحد للمقاولة " +
      "(ICE) الخاص بالزبون، وجاهزة للفوترة الإلكترونية للمديرية العامة للضرائب.",
    costsFr:
      "Licence du logiciel de caisse pour 1 à 5 caisses : 6 000 à 25 000 MAD. Matériel (écran tactile, imprimante " +
      "de tickets, lecteur de codes-barres) et installation : 6 000 à 25 000 MAD. Saisie des articles et formation " +
      ": 3 000 à 10 000 MAD. Total : 15 000 à 60 000 MAD HT. Ensuite, assistance et mises à jour : 1 800 à 6 000 " +
      "MAD par an.",
    costsAr:
      "رخصة برنامج الصندوق لفائدة صندوق واحد إلى 5 صناديق: من 6.000 إلى 25.000 درهم. العتاد (شاشة لمس، طابعة " +
      "التذاكر، قارئ الرمز الشريطي) والتركيب: من 6.000 إلى 25.000 درهم. إدخال المنتوجات والتكوين: من 3.000 إلى " +
      "10.000 درهم. المجموع: من 15.000 إلى 60.000 درهم دون احتساب الرسوم. بعد ذلك، المساعدة والتحديثات: من 1.800 " +
      "إلى 6.000 درهم سنويا.",
    benefitsFr:
      "Fini le cahier : le commerçant sait chaque soir ce qu'il a vendu, ce qui reste en rayon et ce qu'il doit " +
      "commander. Des factures en règle pour les clients professionnels et moins d'erreurs de caisse.",
    benefitsAr:
      "وداعا للدفتر: يعرف التاجر كل مساء ما باعه وما تبقى على الرفوف وما يجب أن يطلبه. وفواتير قانونية للزبائن " +
      "المهنيين وأخطاء أقل في الصندوق.",
    priceMin: "15000.00",
    priceMax: "60000.00",
  },
  {
    code: "commerce-boutique-en-ligne",
    sectorCode: "commerce",
    supplierCode: "atelier-web-du-souk",
    nameFr: "Boutique en ligne clé en main pour commerçants",
    nameAr: "متجر إلكتروني جاهز للتجار",
    summaryFr:
      "Un site de vente en ligne relié au stock du magasin, avec paiement par carte ou à la livraison et partage " +
      "des produits sur WhatsApp et les réseaux sociaux.",
    summaryAr:
      "موقع للبيع عبر الإنترنت مرتبط بمخزون المتجر، مع الأداء بالبطاقة البنكية أو عند التسليم، ومشاركة المنتوجات " +
      "عبر واتساب وشبكات التواصل الاجتماعي.",
    costsFr:
      "Création du site et mise en ligne de 100 à 2 000 articles : 12 000 à 50 000 MAD. Paiement en ligne, " +
      "livraison et liaison avec la caisse : 5 000 à 22 000 MAD. Formation à la gestion des commandes : 3 000 à 13 " +
      "000 MAD. Total : 20 000 à 85 000 MAD HT. Ensuite, hébergement et maintenance : 3 000 à 9 000 MAD par an, " +
      "hors commissions bancaires.",
    costsAr:
      "إنشاء الموقع ونشر ما بين 100 و2.000 منتوج: من 12.000 إلى 50.000 درهم. الأداء عبر الإنترنت والتوصيل والربط " +
      "بصندوق الأداء: من 5.000 إلى 22.000 درهم. التكوين على تدبير الطلبيات: من 3.000 إلى 13.000 درهم. المجموع: من " +
      "20.000 إلى 85.000 درهم دون احتساب الرسوم. بعد ذلك، الاستضافة والصيانة: من 3.000 إلى 9.000 درهم سنويا، دون " +
      "احتساب العمولات البنكية.",
    benefitsFr:
      "Des ventes même quand le magasin est fermé, et des clients dans d'autres villes. Un seul stock pour le " +
      "magasin et le site : on ne vend plus un article déjà épuisé.",
    benefitsAr:
      "مبيعات حتى عندما يكون المتجر مغلقا، وزبائن في مدن أخرى. ومخزون موحد للمتجر والموقع، فلا يُباع منتوج نفد من " +
      "قبل.",
    priceMin: "20000.00",
    priceMax: "85000.00",
  },
  {
    code: "commerce-crm-fidelite",
    sectorCode: "commerce",
    supplierCode: "wassla-relation-client",
    nameFr: "CRM et carte de fidélité pour commerces",
    nameAr: "نظام تدبير العلاقة مع الزبائن وبطاقة الوفاء للمتاجر",
    summaryFr:
      "Un fichier clients simple relié à la caisse, avec une carte de fidélité à points et l'envoi de promotions " +
      "par SMS ou WhatsApp aux clients qui ont donné leur accord, conformément à la loi 09-08 sur les données " +
      "personnelles.",
    summaryAr:
      "سجل بسيط للزبائن مرتبط بصندوق الأداء، مع بطاقة وفاء بالنقاط وإرسال العروض الترويجية عبر الرسائل القصيرة أو " +
      "واتساب إلى الزبائن الذين وافقوا على ذلك، طبقا للقانون 09.08 المتعلق بالمعطيات ذات الطابع الشخصي.",
    costsFr:
      "Abonnement ou licence pour 1 à 10 magasins : 8 000 à 28 000 MAD. Paramétrage, liaison avec la caisse et " +
      "impression des cartes de fidélité : 4 000 à 14 000 MAD. Formation des vendeurs : 3 000 à 8 000 MAD. Total : " +
      "15 000 à 50 000 MAD HT. Ensuite, maintenance : 2 000 à 6 000 MAD par an, plus le coût des SMS envoyés.",
    costsAr:
      "الاشتراك أو الرخصة لفائدة متجر واحد إلى 10 متاجر: من 8.000 إلى 28.000 درهم. الإعداد والربط بصندوق الأداء " +
      "وطباعة بطاقات الوفاء: من 4.000 إلى 14.000 درهم. تكوين البائعين: من 3.000 إلى 8.000 درهم. المجموع: من 15.000 " +
      "إلى 50.000 درهم دون احتساب الرسوم. بعد ذلك، الصيانة: من 2.000 إلى 6.000 درهم سنويا، إضافة إلى كلفة الرسائل " +
      "القصيرة المرسلة.",
    benefitsFr:
      "Des clients qui reviennent plus souvent et un panier moyen plus élevé. Le commerçant sait qui sont ses " +
      "meilleurs clients et quels produits leur proposer.",
    benefitsAr:
      "زبائن يعودون بوتيرة أكبر ومتوسط مشتريات أعلى. ويعرف التاجر من هم أفضل زبائنه وما المنتوجات التي يقترحها " +
      "عليهم.",
    priceMin: "15000.00",
    priceMax: "50000.00",
  },
  {
    code: "commerce-compta-facturation-paie",
    sectorCode: "commerce",
    supplierCode: "qalam-compta-paie",
    nameFr: "Comptabilité, facturation et paie pour petits commerces",
    nameAr: "المحاسبة والفوترة والأجور للمتاجر الصغيرة",
    summaryFr:
      "Un logiciel simple pour faire ses devis et ses factures, tenir sa comptabilité, préparer la déclaration de " +
      "TVA et payer ses employés, avec la déclaration CNSS sur Damancom.",
    summaryAr:
      "برنامج بسيط لإعداد عروض الأسعار والفواتير، ومسك المحاسبة، وتحضير التصريح بالضريبة على القيمة المضافة، وأداء " +
      "أجور المستخدمين مع التصريح لدى الصندوق الوطني للضمان الاجتماعي عبر بوابة Damancom.",
    costsFr:
      "Licence comptabilité, facturation et paie : 8 000 à 25 000 MAD. Installation et reprise des données : 4 000 " +
      "à 12 000 MAD. Formation : 3 000 à 8 000 MAD. Total : 15 000 à 45 000 MAD HT. Ensuite, mise à jour légale et " +
      "assistance : 1 500 à 5 000 MAD par an.",
    costsAr:
      "رخصة المحاسبة والفوترة والأجور: من 8.000 إلى 25.000 درهم. التثبيت ونقل البيانات: من 4.000 إلى 12.000 درهم. " +
      "التكوين: من 3.000 إلى 8.000 درهم. المجموع: من 15.000 إلى 45.000 درهم دون احتساب الرسوم. بعد ذلك، التحيين " +
      "القانوني والمساعدة: من 1.500 إلى 5.000 درهم سنويا.",
    benefitsFr:
      "Des factures conformes (ICE, TVA, mentions obligatoires) éditées en une minute. Des déclarations fiscales " +
      "et sociales faites à temps, sans pénalités, et des échanges plus simples avec le comptable.",
    benefitsAr:
      "فواتير مطابقة للقانون (المعرّف الموحد للمقاولة، الضريبة على القيمة المضافة، البيانات الإلزامية) تُصدر في " +
      "دقيقة واحدة. وتصريحات جبائية واجتماعية في آجالها دون غرامات، وتعامل أسهل مع المحاسب.",
    priceMin: "15000.00",
    priceMax: "45000.00",
  },
];
