"""Human translations of the seed article (menopause muscle twitching) into es, fr, de and zh_CN.

Written for the corrected English ("muscle twitching", not the machine-translated "flesh jumping").
Keyed by the first words of each English block, so they find their entry in both the HTML and the
Markdown version of the article whatever inline markup or quote style each uses.
Used by tools/sample_translations.py; the committed PO files under locales/ are its output.
"""

from __future__ import annotations

SEED: dict[str, dict[str, str]] = {
    "Reasons for menopausal muscle twitching | Women's Health Matters": {
        "es": "Causas de los espasmos musculares en la menopausia | Women's Health Matters",
        "fr": "Causes des contractions musculaires involontaires à la ménopause | Women's Health Matters",
        "de": "Ursachen von Muskelzuckungen in den Wechseljahren | Women's Health Matters",
        "zh_CN": "更年期肌肉抽搐的原因 | Women's Health Matters",
    },
    "Reasons for menopausal muscle twitching": {
        "es": "Causas de los espasmos musculares en la menopausia",
        "fr": "Causes des contractions musculaires involontaires à la ménopause",
        "de": "Ursachen von Muskelzuckungen in den Wechseljahren",
        "zh_CN": "更年期肌肉抽搐的原因",
    },
    "Menopausal muscle twitching may be related to hormonal fluctuations, autonomic nervous system "
    "dysfunction, calcium deficiency, psychological factors and medication side effects.": {
        "es": "Los espasmos musculares de la menopausia pueden deberse a fluctuaciones hormonales, "
              "disfunción del sistema nervioso autónomo, déficit de calcio, factores psicológicos y "
              "efectos secundarios de medicamentos.",
        "fr": "Les contractions musculaires involontaires à la ménopause peuvent être liées aux "
              "fluctuations hormonales, à un dysfonctionnement du système nerveux autonome, à une "
              "carence en calcium, à des facteurs psychologiques et aux effets indésirables de "
              "médicaments.",
        "de": "Muskelzuckungen in den Wechseljahren können mit Hormonschwankungen, einer Störung des "
              "vegetativen Nervensystems, Kalziummangel, psychischen Faktoren und Nebenwirkungen von "
              "Medikamenten zusammenhängen.",
        "zh_CN": "更年期肌肉抽搐可能与激素波动、自主神经系统功能紊乱、缺钙、心理因素以及药物副作用有关。",
    },
    "Menopausal muscle twitching may be related to hormonal fluctuations, autonomic nervous system "
    "dysfunction, calcium deficiency, psychological factors, medication side effects, and other": {
        "es": "Los espasmos musculares de la menopausia pueden deberse a fluctuaciones hormonales, "
              "disfunción del sistema nervioso autónomo, déficit de calcio, factores psicológicos, "
              "efectos secundarios de medicamentos y otras causas. Las mujeres en la menopausia son "
              "propensas a sufrir contracciones musculares involuntarias porque disminuyen sus niveles "
              "de estrógenos y aumenta la excitabilidad de nervios y músculos.",
        "fr": "Les contractions musculaires involontaires à la ménopause peuvent être liées aux "
              "fluctuations hormonales, à un dysfonctionnement du système nerveux autonome, à une "
              "carence en calcium, à des facteurs psychologiques, aux effets indésirables de "
              "médicaments, entre autres. À la ménopause, la baisse du taux d’œstrogènes et "
              "l’augmentation de l’excitabilité nerveuse et musculaire favorisent les contractions "
              "musculaires involontaires.",
        "de": "Muskelzuckungen in den Wechseljahren können mit Hormonschwankungen, einer Störung des "
              "vegetativen Nervensystems, Kalziummangel, psychischen Faktoren, Nebenwirkungen von "
              "Medikamenten und anderen Faktoren zusammenhängen. Frauen in den Wechseljahren neigen "
              "zu unwillkürlichen Muskelkontraktionen, weil der Östrogenspiegel sinkt und die "
              "Erregbarkeit von Nerven und Muskeln zunimmt.",
        "zh_CN": "更年期肌肉抽搐可能与激素波动、自主神经系统功能紊乱、缺钙、心理因素、药物副作用等因素有关。"
                 "更年期女性由于雌激素水平下降、神经和肌肉兴奋性增高，容易出现不自主肌肉收缩。",
    },
    "Why muscles twitch during menopause, and what helps: hormones, the autonomic nervous system, "
    "calcium, stress and medication.": {
        "es": "Por qué se producen espasmos musculares en la menopausia y qué ayuda: hormonas, sistema "
              "nervioso autónomo, calcio, estrés y medicamentos.",
        "fr": "Pourquoi surviennent des contractions musculaires involontaires à la ménopause, et ce qui "
              "aide : hormones, système nerveux autonome, calcium, stress et médicaments.",
        "de": "Warum es in den Wechseljahren zu Muskelzucken kommt und was hilft: Hormone, vegetatives "
              "Nervensystem, Kalzium, Stress und Medikamente.",
        "zh_CN": "更年期为什么会肌肉抽搐，又该如何缓解：激素、自主神经系统、钙、压力与药物。",
    },
    "A woman in her fifties massaging her calf after a muscle twitch": {
        "es": "Una mujer de unos cincuenta años se masajea la pantorrilla tras un espasmo muscular",
        "fr": "Une femme d’une cinquantaine d’années se masse le mollet après une contraction musculaire "
              "involontaire",
        "de": "Eine Frau in den Fünfzigern massiert nach einer Muskelzuckung ihre Wade",
        "zh_CN": "一位五十多岁的女性在肌肉抽搐后按摩小腿",
    },
    "1. Fluctuations in hormone levels": {
        "es": "1. Fluctuaciones de los niveles hormonales",
        "fr": "1. Fluctuations des taux hormonaux",
        "de": "1. Schwankungen des Hormonspiegels",
        "zh_CN": "1. 激素水平波动",
    },
    "The sharp decline in estrogen levels during menopause": {
        "es": "La fuerte caída de los niveles de estrógenos durante la menopausia puede alterar el "
              "equilibrio de los neurotransmisores, lo que provoca una secreción anormal de acetilcolina "
              "y desencadena descargas espontáneas de las fibras musculares. Suele ocurrir por la noche "
              "o en reposo y se manifiesta como breves espasmos de músculos localizados, sobre todo en "
              "los párpados y las extremidades. Mantener una rutina diaria regular puede ayudar a "
              "aliviar los síntomas.",
        "fr": "La forte baisse du taux d’œstrogènes à la ménopause peut perturber l’équilibre des "
              "neurotransmetteurs, entraînant une sécrétion anormale d’acétylcholine et des décharges "
              "spontanées des fibres musculaires. Ce phénomène survient souvent la nuit ou au repos, "
              "sous forme de brèves contractions de muscles localisés, notamment au niveau des "
              "paupières et des membres. Garder un rythme de vie régulier peut aider à atténuer les "
              "symptômes.",
        "de": "Der starke Abfall des Östrogenspiegels in den Wechseljahren kann das Gleichgewicht der "
              "Neurotransmitter stören. Dadurch wird Acetylcholin abnorm ausgeschüttet, und die "
              "Muskelfasern entladen sich spontan. Das tritt oft nachts oder in Ruhe auf, als kurze "
              "Zuckungen einzelner Muskeln, häufig an den Augenlidern, an Armen und Beinen. Ein "
              "regelmäßiger Tagesablauf kann die Symptome lindern.",
        "zh_CN": "更年期雌激素水平急剧下降会影响神经递质平衡，导致乙酰胆碱分泌异常，引发肌纤维自发放电。"
                 "这种情况多在夜间或休息时出现，表现为局部肌肉短暂抽搐，常见于眼睑、四肢等部位。"
                 "保持规律作息有助于缓解症状。",
    },
    "2. Autonomic dysfunction": {
        "es": "2. Disfunción del sistema nervioso autónomo",
        "fr": "2. Dysfonctionnement du système nerveux autonome",
        "de": "2. Störung des vegetativen Nervensystems",
        "zh_CN": "2. 自主神经功能紊乱",
    },
    "Dysregulation of the autonomic nervous system during menopause": {
        "es": "La desregulación del sistema nervioso autónomo durante la menopausia puede provocar una "
              "excitación excesiva del sistema nervioso simpático y descargas anormales de las neuronas "
              "motoras. Este tipo de espasmo muscular suele acompañarse de síntomas vasomotores como "
              "sofocos y palpitaciones. Los ejercicios de respiración profunda y los baños de pies en "
              "agua tibia pueden mejorar la función del sistema nervioso autónomo.",
        "fr": "À la ménopause, le dérèglement du système nerveux autonome peut entraîner une excitation "
              "excessive du système nerveux sympathique et des décharges anormales des motoneurones. "
              "Ce type de contractions musculaires involontaires s’accompagne souvent de symptômes "
              "vasomoteurs comme "
              "les bouffées de chaleur et les palpitations. Des exercices de respiration profonde et "
              "des bains de pieds dans l’eau tiède peuvent améliorer le fonctionnement du système "
              "nerveux autonome.",
        "de": "Eine Fehlregulation des vegetativen Nervensystems in den Wechseljahren kann das "
              "sympathische Nervensystem übermäßig erregen und abnorme Entladungen der Motoneuronen "
              "auslösen. Diese Art von Muskelzuckungen geht oft mit vasomotorischen Symptomen wie "
              "Hitzewallungen und Herzklopfen einher. Tiefes Atmen und warme Fußbäder können die "
              "Funktion des vegetativen Nervensystems verbessern.",
        "zh_CN": "更年期自主神经系统调节失常可导致交感神经系统过度兴奋，引起运动神经元异常放电。"
                 "这类肌肉抽搐常伴有潮热、心悸等血管舒缩症状。深呼吸训练和温水泡脚可改善自主神经系统功能。",
    },
    "3. Calcium deficiency": {
        "es": "3. Déficit de calcio",
        "fr": "3. Carence en calcium",
        "de": "3. Kalziummangel",
        "zh_CN": "3. 缺钙",
    },
    "A decrease in estrogen will reduce the absorption rate of calcium": {
        "es": "La disminución de estrógenos reduce la absorción intestinal de calcio, y un descenso de la "
              "concentración de calcio en sangre aumenta la excitabilidad neuromuscular. Las mujeres en "
              "la menopausia deben tomar 1000 miligramos de calcio al día, que pueden obtener de "
              "lácteos, productos de soja, verduras de hoja verde oscuro y otros alimentos. Si es "
              "necesario, se deben tomar suplementos de calcio bajo supervisión médica.",
        "fr": "La baisse des œstrogènes réduit l’absorption intestinale du calcium, et une diminution de "
              "la calcémie augmente l’excitabilité neuromusculaire. À la ménopause, les femmes devraient "
              "consommer 1000 milligrammes de calcium par jour, apportés par les produits laitiers, les "
              "produits à base de soja, les légumes vert foncé et d’autres aliments. Si nécessaire, des "
              "compléments de calcium peuvent être pris sur les conseils d’un médecin.",
        "de": "Weniger Östrogen verringert die Aufnahme von Kalzium im Darm, und ein sinkender "
              "Kalziumspiegel im Blut steigert die neuromuskuläre Erregbarkeit. Frauen in den "
              "Wechseljahren sollten täglich 1000 Milligramm Kalzium aufnehmen, etwa über "
              "Milchprodukte, Sojaprodukte, dunkelgrünes Gemüse und andere Lebensmittel. Bei Bedarf "
              "sollten Kalziumpräparate nach Rücksprache mit der Ärztin oder dem Arzt eingenommen werden.",
        "zh_CN": "雌激素减少会降低肠道对钙的吸收率，血钙浓度下降会使神经肌肉兴奋性增高。"
                 "更年期女性每日钙摄入量应达到1000毫克，可通过奶制品、豆制品、深绿色蔬菜等食物补充，"
                 "必要时应在医生指导下服用钙补充剂。",
    },
    "4. Psychological factors": {
        "es": "4. Factores psicológicos",
        "fr": "4. Facteurs psychologiques",
        "de": "4. Psychische Faktoren",
        "zh_CN": "4. 心理因素",
    },
    "Emotional problems such as anxiety and depression": {
        "es": "Los problemas emocionales como la ansiedad y la depresión pueden aumentar la sensibilidad "
              "del sistema nervioso y crear un círculo vicioso de «ansiedad, espasmos musculares, más "
              "ansiedad». La meditación de atención plena y las intervenciones cognitivo-conductuales "
              "reducen eficazmente las respuestas al estrés psicológico; se recomienda practicar "
              "técnicas de relajación al menos 3 veces por semana.",
        "fr": "Les troubles émotionnels comme l’anxiété et la dépression peuvent accroître la sensibilité "
              "du système nerveux et créer un cercle vicieux « anxiété, contractions musculaires "
              "involontaires, anxiété accrue ». La méditation de pleine conscience et les approches "
              "cognitivo-comportementales réduisent efficacement les réactions au stress psychologique ; "
              "il est recommandé de pratiquer des exercices de relaxation au moins 3 fois par semaine.",
        "de": "Emotionale Probleme wie Angst und Depression können die Empfindlichkeit des Nervensystems "
              "erhöhen und einen Teufelskreis aus „Angst, Muskelzuckungen, noch mehr Angst“ auslösen. "
              "Achtsamkeitsmeditation und kognitiv-verhaltenstherapeutische Maßnahmen verringern "
              "psychische Stressreaktionen wirksam; empfohlen wird, mindestens 3-mal pro Woche ein "
              "Entspannungstraining durchzuführen.",
        "zh_CN": "焦虑、抑郁等情绪问题会提高神经系统的敏感性，形成“焦虑—肌肉抽搐—更焦虑”的恶性循环。"
                 "正念冥想和认知行为干预可有效减轻心理应激反应，建议每周至少进行3次放松训练。",
    },
    "5. Drug side effects": {
        "es": "5. Efectos secundarios de medicamentos",
        "fr": "5. Effets indésirables des médicaments",
        "de": "5. Nebenwirkungen von Medikamenten",
        "zh_CN": "5. 药物副作用",
    },
    "Some menopausal medications such as selective serotonin reuptake inhibitors": {
        "es": "Algunos medicamentos que se usan en la menopausia, como los inhibidores selectivos de la "
              "recaptación de serotonina, pueden causar reacciones adversas como temblores musculares. "
              "Si los espasmos musculares persisten, es necesario acudir pronto a una consulta de "
              "seguimiento. El médico puede ajustar la dosis o cambiar a otros fármacos con menor efecto "
              "neurológico, como la paroxetina y la venlafaxina. Las mujeres en la menopausia deben "
              "cuidar una alimentación equilibrada, con especial atención a nutrientes como la vitamina "
              "D y el magnesio. Conviene hacer 30 minutos diarios de ejercicio de intensidad moderada, "
              "como caminar a paso ligero o nadar. Evite el exceso de cafeína y alcohol, y pruebe a "
              "tomar un baño tibio o a hacer yoga suave 2 horas antes de acostarse. Si los espasmos "
              "musculares se acompañan de síntomas como debilidad o atrofia muscular, deben descartarse "
              "enfermedades neurológicas como la esclerosis lateral amiotrófica; se recomienda acudir "
              "cuanto antes al médico para realizar una electromiografía. Hágase con regularidad "
              "pruebas de densidad ósea y análisis hormonales, y siga un plan de intervención "
              "personalizado bajo supervisión médica.",
        "fr": "Certains médicaments utilisés à la ménopause, comme les inhibiteurs sélectifs de la "
              "recapture de la sérotonine, peuvent provoquer des effets indésirables tels que des "
              "tremblements musculaires. Si les contractions musculaires involontaires persistent, un "
              "suivi médical "
              "rapide s’impose. Le médecin peut ajuster la dose ou passer à d’autres médicaments ayant "
              "moins d’effets neurologiques, comme la paroxétine et la venlafaxine. À la ménopause, les "
              "femmes doivent veiller à une alimentation équilibrée, en privilégiant des nutriments "
              "comme la vitamine D et le magnésium. Elles devraient pratiquer chaque jour 30 minutes "
              "d’activité physique d’intensité modérée, comme la marche rapide ou la natation. Évitez "
              "l’excès de caféine et d’alcool, et essayez un bain tiède ou un yoga doux 2 heures avant "
              "le coucher. Si les contractions musculaires involontaires s’accompagnent de symptômes "
              "comme une "
              "faiblesse ou une atrophie musculaires, il faut écarter une maladie neurologique telle "
              "que la sclérose latérale amyotrophique ; il est recommandé de consulter au plus vite "
              "afin de réaliser une électromyographie. Faites contrôler régulièrement votre densité "
              "osseuse et vos taux hormonaux, et suivez un plan de prise en charge personnalisé sous "
              "surveillance médicale.",
        "de": "Einige Medikamente gegen Wechseljahresbeschwerden, etwa selektive "
              "Serotonin-Wiederaufnahmehemmer, können unerwünschte Wirkungen wie Muskelzittern verursachen. "
              "Halten die Muskelzuckungen an, ist eine zeitnahe Kontrolluntersuchung nötig. Der Arzt "
              "kann die Dosis anpassen oder auf andere Medikamente mit geringerer Wirkung auf das "
              "Nervensystem umstellen, etwa Paroxetin und Venlafaxin. Frauen in den Wechseljahren "
              "sollten auf eine ausgewogene Ernährung achten und besonders Nährstoffe wie Vitamin D und "
              "Magnesium zuführen. Sie sollten täglich 30 Minuten Bewegung mit mäßiger Intensität "
              "einplanen, etwa zügiges Gehen oder Schwimmen. Vermeiden Sie zu viel Koffein und Alkohol, und "
              "versuchen Sie 2 Stunden vor dem Schlafengehen ein warmes Bad oder sanftes Yoga. Gehen "
              "die Muskelzuckungen mit Symptomen wie Muskelschwäche und Muskelschwund einher, müssen "
              "neurologische Erkrankungen wie die amyotrophe Lateralsklerose ausgeschlossen werden; "
              "lassen Sie dann möglichst bald eine Elektromyografie durchführen. Lassen Sie regelmäßig "
              "die Knochendichte und die Hormonwerte bestimmen, und folgen Sie einem individuellen "
              "Behandlungsplan nach ärztlicher Anleitung.",
        "zh_CN": "部分更年期用药（如选择性血清素再摄取抑制剂）可能引起肌肉震颤等不良反应。"
                 "若肌肉抽搐持续存在，需及时复诊，医生可能调整药物剂量，或换用帕罗西汀、文拉法辛等"
                 "对神经系统影响较小的替代药物。更年期女性应注意均衡饮食，重点补充维生素D和镁等营养素；"
                 "每天进行30分钟中等强度运动，如快走、游泳；避免摄入过多咖啡因和酒精，睡前2小时可尝试"
                 "温水浴或舒缓瑜伽。若肌肉抽搐伴有肌无力、肌萎缩等症状，应排除肌萎缩侧索硬化等神经系统"
                 "疾病，建议尽早就医进行肌电图检查。定期进行骨密度检测和激素水平评估，在医生指导下制定"
                 "个体化干预方案。",
    },
}
