"""What the demo's people wrote: practice reflections, quiz essays, trainers' comments and notes.

Reflections are short and never identify a client: no names, numbers or addresses (the privacy
guard in ``lms.practice.privacy`` would refuse them). Each trainee writes in their own language;
the trainers write in Estonian.
"""

#: the activities of a piece of practice, by the client's group
ACTIVITIES = {
    "refugee-child": ("school-contact", "home-visit", "network", "health"),
    "child": ("school-contact", "network", "home-visit", "daily-life"),
    "refugee-adult": ("accompanying", "documents", "daily-life", "health"),
    "vulnerable-adult": ("accompanying", "daily-life", "documents", "health"),
    "refugee-family": ("home-visit", "documents", "network", "school-contact"),
    "family": ("home-visit", "network", "daily-life", "documents"),
}

#: the CARe core acts a kind of activity mostly shows
CORE_ACTS = {
    "accompanying": ["ensuring"],
    "documents": ["ensuring", "strengthening"],
    "home-visit": ["connecting", "understanding"],
    "school-contact": ["connecting", "ensuring"],
    "health": ["ensuring"],
    "daily-life": ["strengthening"],
    "network": ["understanding", "strengthening"],
}

REFLECTIONS = {
    "et": {
        "accompanying": (
            "Käisime koos vallavalitsuses. Klient rääkis ise, mina aitasin küsimused enne "
            "kirja panna.",
            "Saatsin kliendi töötukassasse. Teel arutasime, mida ta tahab öelda, ja kohtumisel "
            "rääkis ta ise.",
        ),
        "home-visit": (
            "Kodukülastusel vaatasime koos üle järgmise nädala plaani. Klient otsustas ise, "
            "millest alustada.",
            "Rääkisime sellest, mis talle rõõmu teeb. Isiklikku profiili tuli palju uut.",
        ),
        "documents": (
            "Täitsime koos toetuse taotlust. Jätsin aega, et ta saaks iga sammu ise teha, ja "
            "selgitasin võõraid sõnu.",
        ),
        "school-contact": (
            "Kohtusime klassijuhatajaga. Laps oli alguses vaikne, kuid rääkis lõpuks oma "
            "lemmikainest.",
            "Leppisime koolis kokku, kuidas lapse eesti keele õppimist toetada. Lapsevanem oli "
            "vestluses kaasas.",
        ),
        "health": (
            "Saatsin kliendi perearsti vastuvõtule. Ta esitas küsimused ise, mina olin toeks.",
        ),
        "daily-life": (
            "Harjutasime bussipileti ostmist ja sõiduplaani lugemist. Järgmisel korral proovib "
            "ta üksi.",
            "Koostasime koos kuu eelarve. Klient märkas ise, kus saab kokku hoida.",
        ),
        "network": (
            "Kohtumine pere ja sotsiaaltöötajaga. Leppisime kokku, kes mida järgmiseks teeb.",
            "Otsisime koos kogukonnast tegevust, mis kliendile huvi pakub. Ta läheb järgmisel "
            "nädalal kooriproovi.",
        ),
    },
    "uk": {
        "accompanying": (
            "Ходили разом до установи. Клієнтка сама пояснила свою ситуацію, я допомогла "
            "підготувати питання.",
        ),
        "home-visit": (
            "Під час візиту склали разом план на тиждень. Клієнт сам вирішив, з чого почати.",
        ),
        "documents": (
            "Допомогла із заявою на допомогу. Клієнт заповнював сам, я пояснювала незнайомі слова.",
        ),
        "school-contact": (
            "Зустрілися з класною керівницею. Домовилися, як підтримати дитину на уроках "
            "естонської мови.",
        ),
        "health": (
            "Супроводжувала до сімейного лікаря. Клієнтка сама ставила питання, я була поруч.",
        ),
        "daily-life": (
            "Вчилися купувати квиток на автобус і читати розклад. Наступного разу спробує сама.",
        ),
        "network": (
            "Зустріч з родиною та соціальною працівницею. Домовилися, хто що робить далі.",
        ),
    },
    "en": {
        "accompanying": (
            "We went to the municipality office together. She explained her situation herself; "
            "I helped her prepare the questions.",
        ),
        "home-visit": (
            "At the home visit we made a plan for the week together. He chose where to start.",
        ),
        "documents": (
            "Helped with the benefit application. She filled it in herself; I explained the "
            "words she did not know.",
        ),
        "school-contact": (
            "Met the class teacher with the mother. We agreed on a short weekly talk about "
            "homework.",
        ),
        "health": (
            "Went with the client to the family doctor. She asked her own questions; I stayed "
            "beside her.",
        ),
        "daily-life": (
            "Practised buying a bus ticket and reading the timetable. Next time she wants to try "
            "alone.",
        ),
        "network": ("Met the family and the social worker. We agreed who does what next.",),
    },
}

#: Mari corrects an entry she had signed off too short
CORRECTION = (
    "Parandus: kohtumine kestis kauem, sest käisime pärast vallavalitsust koos ka apteegis. "
    "Klient maksis ise ja küsis apteekrilt nõu."
)
#: Oksana's entry that her trainer sent back, and why
RETURNED_REFLECTION = "Допомагала родині з усім, що було потрібно."
RETURN_COMMENT = (
    "Palun kirjelda lühidalt, mida sina tegid ja mida klient ise tegi, ning millist CARe "
    "põhitegevust see näitab."
)

ESSAYS = {
    "support-role-final": {
        "et": (
            "Esmalt lepiksin Olenaga sõbralikult kokku, mis ajal ja kuidas me suhtleme, ning "
            "selgitaksin, kelle poole pöörduda muul ajal ja et hädaolukorras helistatakse "
            "hädaabinumbril. Vorme ei täidaks ma tema eest: aitaksin tal samm-sammult ise "
            "hakkama saada. Asutuses palume tõlki, Denys ei pea täiskasvanute asju tõlkima. "
            "Sellest, et noorem laps jääb näljaseks, räägiksin Olenaga ja annaksin teada "
            "juhtumikorraldajale; kui laps võib abi vajada, peab lastekaitsetöötaja teadma. "
            "Märkmed kirjutan faktidena ja Tugis kasutan ainult koodi. Oma unetuse tõttu "
            "võtaksin juhtumi supervisiooni."
        ),
        "uk": (
            "Спочатку я б домовилася з Оленою про години зв'язку і пояснила, до кого звертатися "
            "в інший час, а в надзвичайній ситуації телефонувати на номер екстреної допомоги. "
            "Я не заповнювала б форми за неї, а допомогла б їй робити це самій, крок за кроком. "
            "В установах потрібен перекладач: Денис не має перекладати для дорослих. Про те, "
            "що молодша дитина лягає спати голодною, я поговорила б з Оленою і повідомила б "
            "кейс-менеджера; якщо дитині може бути потрібна допомога, має знати служба захисту "
            "дітей. Через поганий сон я взяла б цей випадок на супервізію."
        ),
        "en": (
            "First I would agree kindly with Olena on contact hours and explain who can help at "
            "other times, and that the emergency number is for emergencies. I would not fill in "
            "the forms for her but help her do them herself, step by step. At offices we ask for "
            "an interpreter: Denys should not translate adult matters. I would talk with Olena "
            "about the younger child going to bed hungry and tell the case manager; the child "
            "protection worker must know if the child may need help. I would write factual "
            "notes, use only a code in Tugi, and take my poor sleep to supervision."
        ),
    },
    "care-methodology-final": {
        "et": (
            "Alustaksin kontakti loomisest ja kuulaksin iga pereliiget eraldi, ka Yanat ja "
            "vanaema. Küsiksin Svitlanalt tema enda soovide kohta, näiteks kas ta tahaks taas "
            "raamatupidajana töötada, ja võtaksin vanaema koduigatsust tõsiselt. Jälgiksin "
            "halba und ja seda, et Svitlana ei helista enam sõpradele; rahulikul ajal lepiksime "
            "kokku varased ohumärgid. Keskkonnast leiaks toeks Ukraina naiste grupi või "
            "keelepartneri. Esimene väike samm: Svitlana helistab sel nädalal ühele sõbrale. "
            "Arsti juurde ja panka korraldame tõlgi, et Yana ei peaks tõlkima."
        ),
        "uk": (
            "Я почала б зі знайомства і вислухала б кожного члена родини окремо, також Яну і "
            "бабусю. Запитала б Світлану про її власні бажання, наприклад, чи хоче вона знову "
            "працювати бухгалтеркою. Стежила б за поганим сном і тим, що вона перестала "
            "телефонувати друзям; у спокійний час ми домовилися б про ранні ознаки кризи. "
            "Ресурсом може бути група українських жінок або мовний партнер. Перший маленький "
            "крок: цього тижня Світлана телефонує одній подрузі. До лікаря і в банк ми "
            "запросимо перекладача, щоб Яна не перекладала."
        ),
        "en": (
            "I would start by connecting and listening to each family member on their own, "
            "Yana and the grandmother too. I would ask Svitlana about her own wishes, such as "
            "working as an accountant again, and take the grandmother's wish to go home "
            "seriously. I would watch the poor sleep and her stopping calls to friends, and in a "
            "calm period we would agree early warning signs. A Ukrainian women's group or a "
            "language partner could be a resource. A first small step: Svitlana calls one friend "
            "this week. For the doctor and the bank we arrange an interpreter so Yana does not "
            "translate."
        ),
    },
    "trainer-of-trainers-final": {
        "et": (
            "See refleksioon on 1. tasemel: see kirjeldab, mis juhtus, kuid ei ütle, miks "
            "koolitatav nii tegi ega mida ta järgmisel korral teeks. Lihtne keel ei ole probleem. "
            "Minu kommentaar: „Hea, et läksid C7-ga kaasa ja märkasid, et ametnik rääkis "
            "kiiresti. Sa täitsid vormi tema eest ja C7 jäi vaikseks. Miks see sinu arvates nii "
            "läks? Mida võiksid järgmisel korral proovida, et C7 saaks vormi ise täita?“ "
            "Sissekannet ma veel ei kinnita, vaid saadan selle kommentaariga tagasi: tütre kool, "
            "klass ja see, et ta on seal ainus Ukraina tüdruk, näitavad väikeses kohas kohe, "
            "kellega on tegu. Palun need üksikasjad eemaldada, olukorda üldisemalt kirjeldada ja "
            "lisada, mida koolitatav sellest päevast õppis."
        ),
        "uk": (
            "Цей текст на рівні 1: він описує, що сталося, але не пояснює, чому слухачка так "
            "діяла, і не робить висновку на наступний раз. Проста мова тут не проблема. Мій "
            "коментар: «Добре, що Ви пішли разом із C7 і помітили, що службовець говорив швидко. "
            "Ви заповнили форму за неї, і C7 мовчала. Як Ви думаєте, чому? Що Ви могли б "
            "спробувати наступного разу, щоб C7 заповнила форму сама?» Я ще не підтверджую "
            "запис, а повертаю його з коментарем: школа, клас і те, що донька там єдина "
            "українська дівчинка, у маленькому селі одразу вказують на сім’ю. Прошу прибрати ці "
            "деталі, описати ситуацію загальніше і дописати, чого слухачка навчилася."
        ),
        "en": (
            "This reflection is at level 1: it describes what happened, but does not say why the "
            "trainee acted so or what they would do next time. The simple language is not the "
            'problem. My comment: "Good that you went with C7 and noticed that the clerk spoke '
            "fast. You filled in the form for her, and C7 was quiet. Why do you think that was? "
            'What could you try next time so that C7 fills in the form herself?" I do not sign '
            "the entry off yet but return it with this comment: the daughter's school, her class "
            "and being the only Ukrainian girl there point to one family in a small village. "
            "I ask the trainee to remove these details, describe the situation more generally, "
            "and add what they learned from the day."
        ),
    },
}

#: a trainer's comment on an essay, by the grade given
ESSAY_COMMENTS = (
    (1.0, "Väga põhjalik vastus, kõik olulised punktid on olemas."),
    (0.9, "Hea vastus. Järgmisel korral kirjelda ka, kuidas kriisiplaani koostada."),
    (0.8, "Hea vastus; esimest sammu võiks täpsemalt kirjeldada."),
    (0.7, "Põhimõtted on olemas, kuid sammud jäävad üldiseks."),
    (
        0.0,
        "Vastus jääb liiga üldiseks: lapse ohutus ja tõlkimine on puudu. Loe uuesti teist ja "
        "viiendat õppetükki.",
    ),
)

#: a short answer that matches no short-answer or numerical question
WRONG_TEXT = "ei tea"

#: notes a trainer writes in the register
NOTES = {
    "late": ("Buss hilines.", "Tuli töölt otse.", "Hilines, teatas ette."),
    "left_early": ("Pidi lapsele lasteaeda järele minema.", "Lahkus varem tööasjus."),
    "excused": ("Lapse haigus, teatas ette.", "Haige, teatas ette.", "Töökohustused."),
    "absent": ("",),
}
