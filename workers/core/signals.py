"""Words that tell two alike headlines apart: event phases, directions, outcomes, periods and dates, named places and
recurring reports.

Words are matched exactly as written (folded, with the letters that cling to them), not by the fingerprint's
stemmed 16-bit word hashes: «جدة» and «جديدة» share a skeleton, and a 16-bit hash of 400 place names would hit
common words («قال»). Each written form maps to a group; the fingerprint stores one 16-bit code per group its
headline (scope "t") or body start (scope "b") names, and two items conflict on a list when both name a group
there and they name no group in common.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from workers.core.arabic import normalize_arabic
from workers.core.words import ORDINALS, h16

# Event phases: the opening, the middle and the close of one festival, exam season or conference are three
# items («يواصل فعالياته» one day, «يختتم فعالياته» another), however much copy they share; a session named by its
# phase («الجلسة الافتتاحية», «الحفل الختامي») is that phase's.
PHASES = {
    "open": "افتتاح يفتتح تفتتح افتتح افتتحت انطلاق انطلاقة تنطلق ينطلق انطلقت انطلق بدء يبدأ تبدأ بدأت "
            "تدشين يدشن تدشن دشن مستهل الافتتاحي الافتتاحية",
    "continue": "يواصل تواصل تتواصل يتواصل تواصلت واصل واصلت متواصلة يستمر تستمر استمرار استئناف يستأنف "
                "تستأنف استأنف استأنفت",
    "close": "اختتام يختتم تختتم اختتم اختتمت ختام ختامها الختامي الختامية انتهاء ينتهي تنتهي انتهت يسدل",
}
# The direction of a figure or a move: a market «يرتفع» and «يهبط» on the same copy are two reports, and a
# rate «يرفع» / «يخفض» / «يثبت» three decisions (a central bank holds one month and cuts the next, under one
# headline but for the verb); inflation «يتسارع» or «يتباطأ» as a figure rises or falls. A headline naming two
# («يرتفع بعد تراجع») conflicts with neither. (Win/lose is left out: «الأهلي يفوز» and «الزمالك يخسر» are one match.)
DIRECTIONS = {
    "up": "ارتفاع يرتفع ترتفع ارتفع ارتفعت ارتفاعا يقفز تقفز قفز قفزت قفزة صعود يصعد تصعد صعد صعدت زيادة "
          "يزيد تزيد زاد زادت نمو ينمو تنمو نما مكاسب يرفع ترفع انتعاش ينتعش تنتعش ارتفاعات يتسارع تتسارع تسارع "
          "تسارعت",
    "down": "انخفاض ينخفض تنخفض انخفض انخفضت انخفاضا هبوط يهبط تهبط هبط هبطت تراجع يتراجع تتراجع تراجعت "
            "تراجعا يهوي تهوي هوت انكماش ينكمش يخفض تخفض خفض يتهاوى تتهاوى تهاوت انخفاضات تراجعات يتباطأ تتباطأ "
            "تباطأ تباطأت تباطؤ ينزل تنزل نزلت",
    "steady": "يبقي تبقي أبقى أبقت إبقاء الإبقاء يثبت تثبت ثبت ثبتت تثبيت التثبيت يستقر تستقر استقر استقرت",
}
# The outcome of a decision: a parliament «يقر» a bill or «يرفض» it («يسقط» a recommendation voted down), a union
# approves a strike or it is called off («إلغاء إضراب»), a suspect is arrested, a trial is adjourned («تأجيل») or ends
# in a sentence or an acquittal — two items over one copy edited, or a case's arrest and its sentence at one place,
# however alike (the police's own verb too: «شرطة الجوف تقبض على…» months before «السجن 4 سنوات لمدان بـ…»). A
# headline naming two («يرفض تأجيل الانتخابات», «السجن لمتهم بعد القبض عليه») conflicts with neither of them. («يدين»
# and «إدانة» are left out: they condemn more often than they convict, «مجلس الوزراء يجدد إدانة المملكة…»; «ضبط»
# seizes goods as often as people, but one «متلبساً», caught in the act, is arrested. A court upholding a sentence,
# «تؤيد حبس…», reports the sentence.) A suspect released («إخلاء سبيل», «الإفراج عن», «إطلاق سراح») is another outcome
# than the same suspect held or sentenced: «النيابة تأمر بإخلاء سبيل…» and «…بحبس…» are one copy edited into its
# opposite.
OUTCOMES = {
    "approve": "يقر تقر أقر أقرت إقرار يصادق تصادق صادق صادقت مصادقة يوافق توافق وافق وافقت موافقة يقبل تقبل قبلت",
    "reject": "يرفض ترفض رفض رفضت يسقط تسقط أسقط أسقطت",
    "cancel": "إلغاء يلغي تلغي ألغى ألغت تنقض ينقض نقضت",
    "postpone": "تأجيل يؤجل تؤجل أجل أجلت إرجاء يرجئ ترجئ",
    "sentence": "الإعدام إعدام السجن المؤبد الحبس حبس حبسا سجنا تؤيد يؤيد أيدت أيد تأييد",
    "arrest": "القبض يقبض تقبض قبضت توقيف اعتقال يعتقل تعتقل اعتقلت متلبسا متلبسة متلبسين متلبسون",
    "acquit": "البراءة براءة تبرئة يبرئ تبرئ برأت",
    "release": "الإفراج إفراج يفرج تفرج أفرج أفرجت سراح",
}
# A state set in place and its end: a curfew imposed and lifted, a power line stopped and restored, a fuel crisis
# worsening and easing, a fire breaking out and put out («…يفرض حظرا شاملا للتجوال في بغداد» / «رفع حظر التجوال في
# بغداد…», «أزمة الوقود تتفاقم في الخرطوم» / «انفراج أزمة الوقود في الخرطوم»): two items of one place and one story,
# however much of its vocabulary they share, as a festival's opening and its close are (read as a phase, `_TITLE_RULE`
# in dedupe.py). A headline naming both («عودة المياه بعد انقطاع دام أشهرا») conflicts with neither, and a state named
# after «بعد» or «عقب» is the one just ended, not the headline's («استئناف الإنتاج في حقل الشرارة بعد توقف دام خمسة
# أيام»: `_without_states_ended`). («تعليق» and «علق» are left out: they comment as often as they suspend; «يعود» and
# «عاد» visit the sick as often as they return; «استئناف» is a phase's, «يرفع» a direction's but before a
# restriction, «ترفع حظر التجول»: `_lifts`.)
STATES = {
    "on": "فرض يفرض تفرض فرضت توقف يتوقف تتوقف توقفت إيقاف يوقف أوقف أوقفت انقطاع ينقطع تنقطع انقطع انقطعت "
          "تفاقم يتفاقم تتفاقم تفاقمت اندلاع يندلع تندلع اندلع اندلعت",
    "off": "رفع إنهاء ينهي تنهي أنهى أنهت عودة إعادة يعيد تعيد أعاد أعادت انفراج ينفرج "
           "استعادة يستعيد تستعيد استعاد استعادت إخماد يخمد تخمد أخمد أخمدت",
}
# The instance of a court: a criminal court's sentence and the appeal or cassation court upholding, reducing or
# overturning it («الجنايات الكبرى تقضي بالأشغال 15 عاما…» / «التمييز تؤيد حكم الأشغال 15 عاما…») are two rulings
# of one case, months apart, over one case's facts (read as an outcome). («العليا» is left out: a committee's as
# often, «اللجنة العليا»; «استئناف» is a phase's, a resumption; «جنح» a wing and «تمييز» a discrimination as often.)
COURTS = {
    "first": "الجنايات جنايات الابتدائية الجزائية",
    "appeal": "الاستئناف",
    "cassation": "التمييز النقض",
}
# Periods of recurring figures: a monthly statement for May and one for June are two items. Gregorian, Levantine
# and Maghrebi names of one month are one group; Hijri months are another list (a Hijri and a Gregorian month
# may be one period). Names that are also common words (صفر zero, ربيع spring, رجب and محرم as names, آب father,
# كانون/تشرين without their ordinal) are left out.
MONTHS = {
    "1": "يناير جانفي", "2": "فبراير شباط فيفري", "3": "مارس آذار", "4": "أبريل إبريل نيسان أفريل",
    "5": "مايو أيار ماي", "6": "يونيو حزيران يونيه جوان", "7": "يوليو تموز يوليوز يوليه جويلية",
    "8": "أغسطس غشت أوت", "9": "سبتمبر أيلول شتنبر", "10": "أكتوبر", "11": "نوفمبر نونبر", "12": "ديسمبر دجنبر",
}
HIJRI_MONTHS = {"6": "جمادى", "8": "شعبان", "9": "رمضان", "10": "شوال", "11": "القعدة", "12": "الحجة"}
# Days of a recurring headline («طقس الأحد», «طقس الاثنين»). Matched as written, «الأحد» is not «أحد» (one of);
# in bodies a day counts only between copies of one text (dedupe.py): write-ups name days freely («منذ الخميس»).
WEEKDAYS = {
    "sat": "السبت", "sun": "الأحد", "mon": "الاثنين الإثنين", "tue": "الثلاثاء", "wed": "الأربعاء",
    "thu": "الخميس", "fri": "الجمعة",
}
# Recurring reports: a forecast, a market wrap or the day's prayer times comes back every day under a headline that
# names the same places in other words, over a body of the same vocabulary. Two of them are not one story because
# they say where and share words, so the place-led rewrite rule (dedupe.py) leaves a headline naming one alone.
REPORTS = {
    "weather": "طقس الطقس أرصاد الأرصاد أمطار الأمطار ممطرة رعدية الرعدية غبار الغبار الأتربة ضباب الضباب "
               "حرارة الحرارة رياح الرياح صقيع الصقيع الثلوج",
    "market": "البورصة بورصة الأسهم أسهم مؤشر المؤشر الصرف الذهب الدولار النفط العملات تداولات",
    "prayer": "مواقيت إمساكية",
}
# The place of an event in a series: «انفجار ثان يهز المدينة», «وفاة ثالثة بالفيروس» is another event than the
# first, over a headline that is otherwise the first's. Indefinite forms only: definite ordinals name kings and
# days («عبدالله الثاني», «لليوم الثاني») and are figures already (words.ORDINALS); «ثاني» is a family name
# («آل ثاني») and «رابعة» a square («اعتصام رابعة»).
SERIES = {"2": "ثان ثانية", "3": "ثالث ثالثة", "4": "رابع", "5": "خامس خامسة", "6": "سادس سادسة",
          "7": "سابع سابعة", "8": "ثامن ثامنة", "9": "تاسع تاسعة", "10": "عاشر عاشرة"}
# Named subjects of templated items: one telegram to two heads of state, one notice for two cities. A country
# and its adjective are one group («مصر», «المصري»); names that are also common words (المدينة, الخبر, صور, مالي,
# العين, البيضاء) are left out. One spelling, one group: «عمان» is Oman and Amman, «طرابلس» both Tripolis.
_COUNTRIES = """
السعودية:سعودي مصر:مصري الأردن:أردني سوريا,سورية:سوري العراق:عراقي لبنان:لبناني فلسطين:فلسطيني الكويت:كويتي
قطر:قطري البحرين:بحريني الإمارات:إماراتي عمان:عماني اليمن:يمني السودان:سوداني ليبيا:ليبي تونس:تونسي
الجزائر:جزائري المغرب:مغربي موريتانيا:موريتاني الصومال:صومالي جيبوتي إيران:إيراني تركيا:تركي
باكستان:باكستاني أفغانستان:أفغاني الهند:هندي الصين:صيني اليابان:ياباني كوريا:كوري روسيا:روسي
أوكرانيا:أوكراني أمريكا,أميركا,واشنطن:أمريكي,أميركي بريطانيا,لندن:بريطاني فرنسا,باريس:فرنسي
ألمانيا,برلين:ألماني إيطاليا,روما:إيطالي إسبانيا,مدريد:إسباني البرتغال:برتغالي هولندا:هولندي بلجيكا:بلجيكي
سويسرا:سويسري النمسا:نمساوي بولندا:بولندي السويد:سويدي النرويج:نرويجي الدنمارك:دنماركي اليونان,أثينا:يوناني
قبرص:قبرصي كندا:كندي المكسيك:مكسيكي البرازيل:برازيلي الأرجنتين:أرجنتيني تشيلي بيرو:بيروفي كولومبيا:كولومبي
فنزويلا:فنزويلي بوليفيا:بوليفي الأوروغواي,أوروغواي نيجيريا:نيجيري إثيوبيا:إثيوبي كينيا:كيني السنغال:سنغالي
النيجر تشاد:تشادي غانا:غاني الكاميرون إندونيسيا,جاكرتا:إندونيسي ماليزيا,كوالالمبور:ماليزي سنغافورة الفلبين:فلبيني
تايلاند:تايلاندي فيتنام:فيتنامي بنغلاديش:بنغالي سريلانكا نيبال أستراليا:أسترالي إسرائيل:إسرائيلي غينيا:غيني
بوركينا جامايكا كوبا:كوبي أرمينيا:أرميني أذربيجان:أذربيجاني كازاخستان أوزبكستان طاجيكستان
"""
# Countries added after records were stored (their codes are placed after every other: see _CODE_OF): the rest of
# the states a cable, a visit or a match may name («يهنئ رئيس غامبيا», «يستقبل سفير فنلندا»), so that one template
# addressed to two of them reads as two subjects. Left out where a name is a common word too: «مالي» (financial),
# «بنين» (boys), «القمر» (the moon), and the adjectives «مجري» («مجرى», a course, once folded) and «ألباني» («الباني»).
_COUNTRIES_ADDED = """
غامبيا:غامبي زامبيا:زامبي زيمبابوي تنزانيا:تنزاني أوغندا:أوغندي رواندا:رواندي بوروندي الغابون:غابوني
إريتريا:إريتري أنغولا:أنغولي موزمبيق مدغشقر ناميبيا بوتسوانا ليبيريا:ليبيري سيراليون الكونغو:كونغولي توغو
موريشيوس سيشل ملاوي فنلندا:فنلندي أيرلندا,إيرلندا:أيرلندي,إيرلندي المجر,هنغاريا رومانيا بلغاريا:بلغاري
صربيا:صربي كرواتيا:كرواتي سلوفينيا:سلوفيني سلوفاكيا:سلوفاكي التشيك:تشيكي ألبانيا البوسنة:بوسني
مقدونيا:مقدوني مالطا:مالطي لوكسمبورغ إستونيا:إستوني لاتفيا:لاتفي ليتوانيا:ليتواني آيسلندا:آيسلندي
بيلاروسيا:بيلاروسي مولدوفا:مولدوفي جورجيا:جورجي كمبوديا:كمبودي ميانمار منغوليا:منغولي قيرغيزستان تركمانستان
بروناي المالديف:مالديفي تايوان:تايواني الإكوادور:إكوادوري باراغواي بنما:بنمي كوستاريكا نيكاراغوا هندوراس
غواتيمالا السلفادور:سلفادوري الدومينيكان هايتي ترينيداد نيوزيلندا:نيوزيلندي فيجي
"""
# A state found missing after those were stored (a cable to the president of Côte d'Ivoire, «كوت ديفوار»): a tier of
# its own after every other code. («ساحل العاج» is left out: «العاج» is ivory.)
_COUNTRIES_LATEST = """
ديفوار:إيفواري
"""
# Cities under their country (a city and its country are one subject: «بكين» in one item, «الصين» in the other);
# «طرابلس» (Lebanon and Libya) under none.
_CITIES = {
    "السعودية": "الرياض جدة مكة الدمام الطائف أبها تبوك حائل القصيم نجران جازان جيزان الباحة الجوف عسير الأحساء "
                "القطيف ينبع الظهران الجبيل عرعر سكاكا بريدة عنيزة الزلفي الخرج رابغ القنفذة بيشة تيماء العلا",
    "مصر": "القاهرة الجيزة الإسكندرية بورسعيد السويس الإسماعيلية دمياط المنصورة طنطا الزقازيق أسيوط سوهاج قنا "
           "الأقصر أسوان المنيا الفيوم الغردقة",
    "الأردن": "إربد الزرقاء الكرك معان العقبة المفرق جرش عجلون مادبا الطفيلة",
    "سوريا": "دمشق حلب حمص حماة اللاذقية طرطوس إدلب درعا الرقة",
    "العراق": "بغداد البصرة الموصل أربيل النجف كربلاء الأنبار الفلوجة كركوك",
    "لبنان": "بيروت صيدا زحلة بعلبك", "فلسطين": "غزة القدس نابلس الخليل جنين",
    "الإمارات": "دبي ظبي الشارقة عجمان الفجيرة", "قطر": "الدوحة", "عمان": "مسقط صلالة", "البحرين": "المنامة المحرق",
    "اليمن": "صنعاء عدن تعز الحديدة مأرب حضرموت", "المغرب": "الرباط مراكش فاس طنجة أكادير",
    "تونس": "صفاقس سوسة القيروان", "الجزائر": "وهران قسنطينة", "موريتانيا": "نواكشوط نواذيبو",
    "ليبيا": "بنغازي مصراتة", "السودان": "الخرطوم كسلا بورتسودان دارفور", "روسيا": "موسكو",
    "تركيا": "أنقرة إسطنبول", "إيران": "طهران", "الصين": "بكين", "اليابان": "طوكيو", "الهند": "نيودلهي",
    "أفغانستان": "كابول", "أوكرانيا": "كييف", "سويسرا": "جنيف", "أمريكا": "نيويورك", "بلجيكا": "بروكسل",
    "إيطاليا": "ميلانو", "النمسا": "فيينا", "": "طرابلس",
}

# Cities added after records were stored (their codes in a tier after every other: see _LATE_TIERS): the towns and
# governorates regional news is datelined from. One word each; left out where a name is a common word too («العمارة»
# a building, «الأبيض» white, «مدني» civil, «تدمر» destroys, «حجة» an argument, «الزاوية» a corner, «العيون» eyes),
# or clings as another place («وجدة» is «و» + «جدة»), or is two countries' («رفح», «الجوف»).
_CITIES_ADDED = {
    "السعودية": "المجمعة الدوادمي القريات رفحاء شرورة صبيا محايل النماص الليث رنية الخرمة طبرجل ضباء أملج الخفجي "
                "النعيرية بقيق المذنب الرس البكيرية المجاردة بلجرشي المخواة",
    "مصر": "بنها العريش مطروح الدقهلية المنوفية القليوبية سيناء",
    "العراق": "الرمادي تكريت السليمانية ديالى بعقوبة الحلة الديوانية الناصرية سامراء الكوت دهوك",
    "سوريا": "الحسكة القامشلي منبج عفرين الغوطة", "لبنان": "النبطية عرسال", "الأردن": "السلط الرمثا",
    "اليمن": "المكلا صعدة شبوة لحج أبين الضالع", "فلسطين": "طولكرم قلقيلية أريحا خانيونس",
    "ليبيا": "سرت درنة سبها طبرق", "المغرب": "مكناس تطوان القنيطرة الناظور الحسيمة",
    "الجزائر": "عنابة سطيف البليدة تلمسان بجاية جيجل باتنة بسكرة", "تونس": "بنزرت نابل قابس قفصة المنستير جربة",
    "السودان": "نيالا الفاشر", "الكويت": "الجهراء الأحمدي الفروانية حولي", "عمان": "صحار نزوى البريمي",
}

# Points of the compass a headline places its news by: «إحباط تسلل عبر الحدود الغربية» and «…الجنوبية» are two
# borders, «شمال سيناء» and «جنوب سيناء» two governorates. Names hold them too («الضفة الغربية», «الشرق الأوسط»,
# «المنطقة الشرقية»), so they tell apart only headlines alike but for them (dedupe.py).
COMPASS = {  # (not «الغربي», «الشرقي»…: family names as often, «سلمى الغربي»)
    "north": "شمال الشمال شمالي الشمالية شمالا", "south": "جنوب الجنوب جنوبي الجنوبية جنوبا",
    "east": "شرق الشرق شرقي الشرقية شرقا", "west": "غرب الغرب غربي الغربية غربا",
}
# When a headline says its news happens, relative to its day: «الأرصاد: أمطار رعدية على القاهرة اليوم» and «…غداً» are
# two days' forecasts, «صرف الزيادة ابتداءً من الشهر المقبل» and «…الشهر الجاري» two dates, as two weekdays are. Only
# with a conjunction clinging: «لليوم الثاني على التوالي» and «باليوم الوطني» name no day. Not «أمس»: a paper's
# print edition headlines «…أمس» the event a site headlined «…اليوم» the day before.
WHEN = {"today": "اليوم الليلة", "tomorrow": "غدا الغد"}
# ... and the period it is counted in: «الشهر المقبل» and «العام المقبل» are two dates (read as one word each: the
# relative word after its unit, `_periods`; alone, «رمضان المقبل», it names no period the lists know).
_UNITS = {"week": "الأسبوع", "month": "الشهر", "year": "العام السنة", "season": "الموسم الصيف الشتاء الربيع الخريف"}
_RELATIVE = {normalize_arabic(word): group for group, words in (("next", "المقبل المقبلة القادم القادمة"),
                                                                ("current", "الجاري الحالي الحالية"))
             for word in words.split()}
_UNIT_OF = {normalize_arabic(word): unit for unit, words in _UNITS.items() for word in words.split()}
_UNIT_OF.update({normalize_arabic(day): "week" for days in WEEKDAYS.values() for day in days.split()})  # «الخميس
# المقبل» is a day of the coming week, as «الأسبوع المقبل» says
_THIS = frozenset(normalize_arabic("هذا هذه").split())  # «هذا العام» is the current year
WHEN.update({f"{rel}-{unit}": f"{rel}{unit}" for rel in ("next", "current") for unit in _UNITS})  # (as read)
# Words a hand edit swaps for their opposite in a headline otherwise kept: the highest and the lowest level («…أعلى
# مستوى لها في عام» / «…أدنى مستوى…»), a surplus and a deficit, the injured and the dead («إصابة 7…» / «وفاة 7…»), in
# part and in full («رفع حظر التجول جزئياً» / «…كلياً»), all and some («جميع رحلات…» / «بعض رحلات…»), a plan and its
# completion («تعتزم إنجاز» / «تنجز»). Two outlets' headlines of one item may name either side of these (a crash's
# injured, its dead), so they tell apart only headlines alike but for them (dedupe.py); «أعلى» is in names too («المجلس
# الأعلى»).
EDITS = {
    "high": "أعلى", "low": "أدنى", "surplus": "فائض فائضا الفائض", "deficit": "عجز عجزا العجز",
    "injured": "إصابة إصابات مصاب مصابا مصابين جرحى جريح جريحا", "dead": "وفاة وفيات مصرع مقتل قتلى قتيل قتيلا",
    "partial": "جزئيا جزئي الجزئي جزئية الجزئية", "total": "كليا كلي الكلي",  # (not «كلية», a college)
    "all": "جميع كافة", "some": "بعض",
    "plan": "تعتزم يعتزم تخطط يخطط تنوي ينوي تستعد يستعد",
    "done": "تنجز ينجز أنجزت أنجز تستكمل يستكمل استكملت تجري يجري أجرت أجرى",
    "citizens": "المواطنين المواطنون مواطنين", "foreigners": "المقيمين المقيمون مقيمين الوافدين الوافدون الأجانب",
    "gain": "تربح يربح ربحت ربح", "loss": "تخسر يخسر خسرت خسر",
    "include": "يشمل تشمل شمل شملت", "exclude": "يستثني تستثني استثنى استثنت",
    "above": "يتجاوز تتجاوز تجاوز تجاوزت يفوق تفوق يتفوق تتفوق", "below": "دون",
    "unanimous": "بالإجماع", "majority": "بالأغلبية بأغلبية أغلبية", "minority": "أقلية", "official": "رسمية",
    "private": "خاصة", "opened": "فتح يفتح تفتح", "closed": "إغلاق يغلق تغلق أغلق أغلقت",
    "widen": "اتساع يتسع تتسع", "narrow": "تقلص يتقلص تتقلص",
    "ranked-high": "nthhigh", "ranked-low": "nthlow",  # «ثاني أعلى»: not the highest (read by `_ranks`)
    "deputy": "نائب وكيل مساعد نائبا وكيلا مساعدا",  # (one side only: `deputy_added`)
    "won": "يفوز تفوز فاز فازت فوز الفوز يتغلب تتغلب تغلب تغلبت يهزم تهزم هزم هزمت يكتسح تكتسح اكتسح يسحق تسحق "
           "يقسو تقسو",
    "drew": "يتعادل تتعادل تعادل تعادلت يتعادلان تتعادلان تعادلا التعادل",
    "rescued": "إنقاذ ينقذ تنقذ أنقذ أنقذت ينجو تنجو نجا نجت",  # (not «الإنقاذ», rescue teams; nor «نجاة», a name)
}
# A deputy named before an official's title in one headline only is another person («وزير الصحة يزور…» / «وكيل وزارة
# الصحة يزور…», «نائب أمير المنطقة يفتتح…»): listed after the other edits (its code in a tier of its own).
_LATEST_EDITS = ("deputy",)
# A match won and a match drawn («الأهلي يفوز على المقاصة 2-1…» / «الأهلي يتعادل مع المقاصة 1-1…»), or drawn and lost,
# are two results, however the rest of the headline was reworded («…ويقترب من اللقب» / «…ويؤجل حسم اللقب»): no two
# outlets' headlines of one match name a draw and a result (`outcomes_differ`). Won and lost are one match told from
# either side («الأهلي يفوز» / «الزمالك يخسر»), and a draw settled on penalties names both. Listed last (a tier of
# its own).
_RESULT_EDITS = ("won", "drew")
# People rescued and people dead («مدني الرياض ينقذ طفلين من حريق منزل…» / «…وفاة طفلين في حريق منزل…») are two
# fates, however the rest of the headline was reworded: one copy edited into the other's outcome (`outcomes_differ`).
# Listed last (a tier of its own).
_FATE_EDITS = ("rescued",)
_RESULTS = frozenset(("won", "loss"))
# Which of them are opposites, and the rule that tells their headlines apart: a headline naming one of a set and the
# other another of it, none in common (`opposed`). An outcome's group may be one: the arrest and the dead («القبض على
# 5 متورطين…» / «مقتل 5 متورطين…», the men a manhunt caught or killed).
OPPOSITES: tuple[tuple[str, frozenset[str]], ...] = tuple((rule, frozenset(groups)) for rule, groups in (
    ("direction", ("high", "low", "ranked-high", "ranked-low")), ("outcome", ("surplus", "deficit")),
    ("outcome", ("injured", "dead")), ("outcome", ("partial", "total")), ("outcome", ("all", "some")),
    ("outcome", ("plan", "done")), ("outcome", ("citizens", "foreigners")), ("outcome", ("gain", "loss")),
    ("outcome", ("include", "exclude")), ("outcome", ("above", "below")), ("outcome", ("unanimous", "majority")),
    ("outcome", ("majority", "minority")), ("outcome", ("official", "private")), ("outcome", ("opened", "closed")),
    ("outcome", ("widen", "narrow")), ("outcome", ("arrest", "dead"))))
_KINDS = {"phase": PHASES, "direction": DIRECTIONS, "outcome": OUTCOMES, "month": MONTHS, "hijri": HIJRI_MONTHS,
          "weekday": WEEKDAYS, "report": REPORTS, "series": SERIES, "compass": COMPASS, "when": WHEN, "edit": EDITS,
          "state": STATES, "court": COURTS}
# The number of an installment named beside the headline, after or before it («… - اليوم الثالث»): read from a part
# set aside as a name (fingerprint.py), whose ordinal may as well be an outlet's («… - اليوم السابع»), so not a figure
# of the headline: two such parts of other numbers tell items apart, one alone says nothing.
PARTS = tuple(sorted(set(ORDINALS.values()), key=int))
# The lists a headline is read for, each telling apart two headlines naming other groups of it:
TITLE_KINDS = ("phase", "direction", "outcome", "month", "hijri", "weekday", "when", "part", "state", "court")
# A date in a body start, the day of the month beside its month («الثلاثاء 9 تموز 2024», «25 شوال»): two copies of one
# text naming other dates are a recurring statement on two days (a weekly price table unchanged but for its date).
DATE_MONTHS = ("month", "hijri")
PERIOD_KINDS = ("month", "hijri", "weekday", "date")  # in bodies only when they share their copy (see dedupe.py)
BODY_KINDS = ("place", "series", *PERIOD_KINDS)  # read in the body start too; phases, directions only in headlines
# Clinging letters: «وبالرياض», «لمصر», «فالقاهرة» are the listed words; «للرياض» is «ل» + «الرياض».
_CONJUNCTIONS, _PREPOSITIONS = ("", "و", "ف"), ("", "ب", "ل", "ك")


def _clinging(word: str) -> list[str]:
    """A listed word with the letters that cling to it in running text."""
    forms = []
    for conj in _CONJUNCTIONS:
        for prep in _PREPOSITIONS:
            forms.append(conj + ("ل" + word[1:] if prep == "ل" and word.startswith("ال") else prep + word))
    return forms


def _places() -> tuple[dict[str, list[str]], dict[str, str]]:
    """Place group -> its written names (a country with its adjectives), and city group -> country group."""
    places: dict[str, list[str]] = {}
    for entry in _COUNTRIES.split() + _COUNTRIES_ADDED.split() + _COUNTRIES_LATEST.split():
        names, _, adjectives = entry.partition(":")
        words = [normalize_arabic(n) for n in names.split(",")]
        for adjective in normalize_arabic(adjectives).split() if adjectives else []:
            for ending in ("", "ه", "ين", "ون"):  # masculine, feminine, plural
                words += [adjective + ending, "ال" + adjective + ending]
        places[words[0]] = words
    country_of: dict[str, str] = {}
    for country, cities in [*_CITIES.items(), *_CITIES_ADDED.items()]:
        for city in normalize_arabic(cities).split():
            places[city] = [city]
            if country:
                country_of[city] = normalize_arabic(country)
    return places, country_of


PLACES, COUNTRY_OF = _places()
# A name two countries' places are written with: «عمان» is Oman and Jordan's capital, «طرابلس» Lebanon's city and
# Libya's capital. Of either country, when the question is whether two items name places of one.
_EITHER = {normalize_arabic(name): frozenset(map(normalize_arabic, countries))
           for name, countries in (("عمان", ("عمان", "الأردن")), ("طرابلس", ("لبنان", "ليبيا")))}


# Regions whose name is no city's, with the listed cities in them: «أبها» is in «عسير», so two write-ups of one bombing,
# one datelined from the city and one from the region, name one place. (Not «مكة», «الرياض», «جازان», «تبوك»…: each
# is a city as well as its region, and «جدة» against «مكة» is two cities as often.)
_REGIONS = {
    "عسير": "أبها بيشة محايل النماص", "القصيم": "بريدة عنيزة الرس البكيرية المذنب", "الدقهلية": "المنصورة",
    "القليوبية": "بنها", "سيناء": "العريش", "الأنبار": "الرمادي الفلوجة", "ديالى": "بعقوبة", "حضرموت": "المكلا",
    "دارفور": "نيالا الفاشر",
}
REGION_OF = {normalize_arabic(city): normalize_arabic(region) for region, cities in _REGIONS.items()
             for city in cities.split()}


def _countries_of(place: str) -> Iterable[str]:
    """The countries a place is in: a country is its own, a city its country's, a name of two places either's."""
    return _EITHER.get(place, (COUNTRY_OF.get(place, place),))


def _countries(places: frozenset[str]) -> set[str]:
    """The countries places are in (`_countries_of` each)."""
    return {country for p in places for country in _countries_of(p)}


def _forms() -> dict[str, tuple[str, str]]:
    """Every folded written form -> (kind, group)."""
    lists: dict[str, dict[str, list[str]]] = {
        kind: {group: normalize_arabic(text).split() for group, text in groups.items()}
        for kind, groups in _KINDS.items()}
    lists["place"] = PLACES
    table: dict[str, tuple[str, str]] = {}
    for kind, groups in lists.items():
        for group, words in groups.items():
            for word in words:
                for form in (_clinging(word) if kind != "when" else [conj + word for conj in _CONJUNCTIONS]):
                    table.setdefault(form, (kind, group))
    return table


FORMS = _forms()
# States whose names are common words too («بنين» boys, «مالي» financial, «القمر» the moon) are read as places only
# after a word naming a state's office or people («رئيس جمهورية بنين», «حكومة مالي», «جزر القمر»): one cable of
# congratulation to the presidents of Benin and of Switzerland is a template's two subjects. Each is read as a token
# no text writes, listed as the place (groups of their own, their codes after every other).
_AMBIGUOUS_STATES = {normalize_arabic(name): normalize_arabic(group)
                     for name, group in (("بنين", "بنين"), ("مالي", "مالي"), ("القمر", "جزر القمر"))}
_STATE_NAMES = frozenset(_AMBIGUOUS_STATES)
_STATE_TOKEN = "{}#state"
_OF_A_STATE = frozenset(form for word in normalize_arabic("جمهورية رئيس رئيسة دولة سفير سفيرة سفارة حكومة شعب جزر")
                        .split() for form in _clinging(word))
FORMS.update({_STATE_TOKEN.format(name): ("place", group) for name, group in _AMBIGUOUS_STATES.items()})
_NOTICE = "notice#report"  # a service notice in a headline, read as a token no text writes (`_notices`)
FORMS[_NOTICE] = ("report", "notice")


def _assign_codes(names: list[tuple[str, str, str]], used: set[int] | None = None) -> dict[tuple[str, str, str], int]:
    """A 16-bit code per (scope, list, group): a hash of its name, so codes stay put when the lists change;
    the rare name whose hash is taken moves to the next free code (names placed in sorted order). Names added
    later are placed after the others (`used`): they can take no code a stored record already means otherwise."""
    codes: dict[tuple[str, str, str], int] = {}
    used = set() if used is None else used
    for name in sorted(names):
        code = h16("{}{}:{}".format(*name))
        while code in used:
            code = (code + 1) & 0xFFFF
        codes[name] = code
        used.add(code)
    return codes


_LATER_KINDS = ("outcome",)  # lists added after records were stored: their codes are placed after the others'
_LATEST_GROUPS = (("direction", "steady"), ("outcome", "arrest"))  # and groups added after those (fingerprint
# version 4), after them all


def _groups_of(countries: str) -> frozenset[str]:
    """The place groups a list of countries names (each entry's first name, folded)."""
    return frozenset(normalize_arabic(entry.partition(":")[0].split(",")[0]) for entry in countries.split())


_ADDED_PLACES = _groups_of(_COUNTRIES_ADDED)
_LATEST_PLACES = _groups_of(_COUNTRIES_LATEST)
_ADDED_CITIES = frozenset(normalize_arabic(city) for cities in _CITIES_ADDED.values() for city in cities.split())
# kinds listed after the index keys' rules were set (fingerprint.py)
LATE_KINDS = ("compass", "when", "edit", "state", "court")


def _both_scopes(groups: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    return [(scope, kind, group) for kind, group in groups for scope in ("t", "b")]


# Groups listed after those, each tier's codes placed after every earlier code: the added places, the release, the
# compass, the days relative to today, then the edits and the direction a headline leads with (its first direction
# word: `signal_codes`), read in headlines only, then the state found missing last, then the deputy, then the states
# whose names are common words too.
_LATE_TIERS = (
    _both_scopes(("place", group) for group in _ADDED_PLACES),
    _both_scopes([("outcome", "release")]),
    _both_scopes(("compass", group) for group in COMPASS),
    _both_scopes(("when", group) for group in WHEN),
    [("t", "edit", group) for group in EDITS if group not in _LATEST_EDITS + _RESULT_EDITS + _FATE_EDITS]
    + [("t", "lead", group) for group in DIRECTIONS],
    _both_scopes(("place", group) for group in _LATEST_PLACES),
    [("t", "edit", group) for group in _LATEST_EDITS],
    _both_scopes(("place", group) for group in set(_AMBIGUOUS_STATES.values())),
    [("t", "edit", group) for group in _RESULT_EDITS],
    _both_scopes([("report", "notice")]),
    _both_scopes(("place", group) for group in _ADDED_CITIES),
    [("t", "state", group) for group in STATES],
    [("t", "edit", group) for group in _FATE_EDITS],
    [("t", "court", group) for group in COURTS],
    [("b", "today", group) for group in WEEKDAYS],
)
_LATE_GROUPS = {name[1:] for tier in _LATE_TIERS for name in tier}
_NAMES = _both_scopes(group for group in set(FORMS.values()) if group not in _LATE_GROUPS)
_CODE_OF = _assign_codes([name for name in _NAMES if name[1] not in _LATER_KINDS and name[1:] not in _LATEST_GROUPS]
                         + [("t", "part", number) for number in PARTS])
_DATES = [("b", "date", f"{day}/{kind}{group}") for kind in DATE_MONTHS for group in _KINDS[kind]
          for day in range(1, 32)]
_CODE_OF.update(_assign_codes([name for name in _NAMES if name[1] in _LATER_KINDS] + _DATES, set(_CODE_OF.values())))
_CODE_OF.update(_assign_codes([name for name in _NAMES if name[1:] in _LATEST_GROUPS], set(_CODE_OF.values())))
for _tier in _LATE_TIERS:
    _CODE_OF.update(_assign_codes(_tier, set(_CODE_OF.values())))
CODES = {code: name for name, code in _CODE_OF.items()}
Groups = dict[tuple[str, str], frozenset[str]]  # (scope, list) -> the groups an item names there
_NONE: frozenset[str] = frozenset()


def signal_codes(title_words: list[str], body_words: list[str]) -> list[int]:
    """The codes of every listed group the folded headline words, and the body-start words, name, and of the dates
    the body start names."""
    title_words, title = _listed(title_words, _TITLE_REWRITES)
    codes = {_CODE_OF["t", kind, group] for kind, group in title}
    if any(kind == "direction" for kind, _ in title):  # the direction it leads with (see _LATE_TIERS)
        lead = next(FORMS[w][1] for w in title_words if FORMS.get(w, ("",))[0] == "direction")
        codes.add(_CODE_OF["t", "lead", lead])
    if _CANCEL_CODE in codes:  # «تلغي حبس…», «إلغاء حكم الإعدام»: the sentence is what is cancelled
        codes.discard(_SENTENCE_CODE)
    body_words, body = _listed(body_words, _BODY_REWRITES)
    codes.update(_CODE_OF["b", kind, group] for kind, group in body if kind in BODY_KINDS)
    if any(kind in DATE_MONTHS for kind, _ in body):
        codes.update(_CODE_OF["b", "date", date] for date in _dates(body_words))
    if any(kind == "weekday" for kind, _ in body):
        codes.update(_CODE_OF["b", "today", day] for day in _today(body_words))
    return sorted(codes)


def _listed(words: list[str], rewrites: tuple[tuple[frozenset[str], Callable[[list[str]], list[str]]], ...],
            ) -> tuple[list[str], list[tuple[str, str]]]:
    """The words, read again by each rewrite whose words they hold (custody, an agency's name, a Levantine month),
    and the (list, group) of every listed word among them. One pass finds both: most texts need no rewrite."""
    found = _READ.intersection(words)
    rewritten = False
    for trigger, rewrite in rewrites:
        if not found.isdisjoint(trigger):
            words, rewritten = rewrite(words), True
    if rewritten:
        found = _READ.intersection(words)
    return words, [FORMS[w] for w in found if w in FORMS]


# The Levantine names of four months are two words, «تشرين الأول/الثاني», «كانون الأول/الثاني», and August's, «آب», is
# also «أب» (a father) once folded: read as months before an ordinal, and «آب» after a day («2 آب», «الثاني من
# آب»), after «شهر», or before a year («آب 2025»), never with a letter clinging to it («باب» is a door).
_TWO_WORD_MONTHS = {(normalize_arabic(head), normalize_arabic(ordinal)): normalize_arabic(month)
                    for head, months in (("تشرين", ("أكتوبر", "نوفمبر")), ("كانون", ("ديسمبر", "يناير")))
                    for ordinal, month in zip(("الأول", "الثاني"), months, strict=True)}
_MONTH_HEADS = {form: head for head in map(normalize_arabic, ("تشرين", "كانون")) for form in _clinging(head)}
_AB, _AUGUST, _MONTH_WORD = normalize_arabic("آب"), normalize_arabic("أغسطس"), normalize_arabic("شهر")
_OF = normalize_arabic("من")  # «الثاني من آب»
_LEVANTINE = frozenset(_MONTH_HEADS) | {_AB}
# «انقطاع الكهرباء عن أحياء…», «انقطاع المياه عن مناطق…», «تحويلات مرورية في العاصمة…»: a utility's outage or a traffic
# diversion is a service notice, headlined alike every time over other districts, roads and days. Its word is read
# with the word after it (`_notices`): «انقطاع» alone is a pause as often («بعد انقطاع»), «تحويلات» a money transfer.
_UTILITIES = frozenset(normalize_arabic("الكهرباء التيار المياه الماء الإنترنت الانترنت الغاز").split())
_TRAFFIC = frozenset(normalize_arabic("مرورية المرورية").split())
_NOTICE_HEADS = {**dict.fromkeys(_clinging(normalize_arabic("انقطاع")), _UTILITIES),
                 **{form: _TRAFFIC for word in normalize_arabic("تحويلة تحويلات").split() for form in _clinging(word)}}
SIGNAL_WORDS = (frozenset(FORMS) | _LEVANTINE | {normalize_arabic("سبيل")} | frozenset(_RELATIVE) | _THIS
                | _STATE_NAMES | frozenset(_NOTICE_HEADS))
# (the words signal_codes reads: a text naming none has no signal; «سبيل» names a release after «إخلاء», «المقبل» a
# period after its unit, «بنين» a state after «جمهورية», «انقطاع» a notice before a utility)


def _levantine_months(words: list[str]) -> list[str]:
    """The words with the Levantine months written as one listed name each (the ordinal after one stays)."""
    out = list(words)
    for i, w in enumerate(words):
        after = words[i + 1] if i + 1 < len(words) else ""
        if w in _MONTH_HEADS:
            month = _TWO_WORD_MONTHS.get((_MONTH_HEADS[w], after))
            out[i] = month or w
        elif w == _AB and ((after.isdecimal() and len(after) == 4) or (i and (
                _day(words[i - 1]) or words[i - 1] == _MONTH_WORD
                or (words[i - 1] == _OF and i > 1 and _ordinal_day(words, i - 2))))):
            out[i] = _AUGUST
    return out


def _day(word: str) -> int:
    """A day of the month written in digits («9», «و16»), 0 if the word is none."""
    word = word[1:] if word[:1] == "و" else word
    return int(word) if len(word) <= 2 and word.isdecimal() and 1 <= int(word) <= 31 else 0


# A headline cancelling a sentence («النقض تلغي إعدام…», «إلغاء حبس…», «التمييز تنقض حكم السجن…») reports its
# overturning, not a sentence: another story than the sentence («الإعدام لقاتل…») or its upholding («النقض تؤيد
# إعدام…»), over one copy edited or not.
_CANCEL_CODE, _SENTENCE_CODE = _CODE_OF["t", "outcome", "cancel"], _CODE_OF["t", "outcome", "sentence"]


# «الحبس المؤقت», «الحبس الاحتياطي»: custody pending trial follows an arrest, it is no sentence («الحبس 7 سنوات»); so
# is custody counted in days or pending the inquiry, named anywhere after it («تأمر بحبس متهم بنشر أخبار كاذبة 15
# يوما», «حبس المتهم على ذمة التحقيق»): no court sentences in days.
_HELD = frozenset(normalize_arabic("المؤقت الاحتياطي").split())
_PENDING = frozenset(normalize_arabic("أيام يوما احتياطيا ذمة").split())
_DETAINED = frozenset(_clinging(normalize_arabic("الحبس")) + _clinging(normalize_arabic("حبس")))
_ARREST = normalize_arabic("توقيف")


def _detentions(words: list[str]) -> list[str]:
    """The headline words with custody pending trial read as the arrest it follows."""
    return [_ARREST if w in _DETAINED and ((i + 1 < len(words) and words[i + 1] in _HELD)
                                           or not _PENDING.isdisjoint(words[i + 1:])) else w
            for i, w in enumerate(words)]


# «إخلاء سبيل», «أخلت سبيل»: a suspect let go, written with a word («سبيل», a way) that alone names nothing.
_FREEING = frozenset(form for verb in normalize_arabic("إخلاء يخلي تخلي أخلى أخلت").split() for form in _clinging(verb))
_WAY, _RELEASE = normalize_arabic("سبيل"), normalize_arabic("الإفراج")


def _releases(words: list[str]) -> list[str]:
    """The headline words with a suspect let go («إخلاء سبيل») read as his release («الإفراج»)."""
    return [_RELEASE if w == _WAY and i and words[i - 1] in _FREEING else w for i, w in enumerate(words)]


# «وكالة الأنباء الألمانية», «لوكالة أنباء الإمارات», «وكالة المغرب العربي للأنباء»: a credit names an agency, not
# where the story happened, and two write-ups crediting two agencies would read as two countries' events.
_AGENCY = frozenset(_clinging(normalize_arabic("وكالة")))
_CREDIT_WORDS = 2  # a place this close after «وكالة» is the agency's name


def _without_credits(words: list[str]) -> list[str]:
    """The words but the places named in an agency's name."""
    credited = {j for i, w in enumerate(words) if w in _AGENCY
                for j in range(i + 1, min(i + 1 + _CREDIT_WORDS, len(words)))
                if FORMS.get(words[j], ("",))[0] == "place"}
    return [w for i, w in enumerate(words) if i not in credited] if credited else words


# «شارع فلسطين», «بشارع بيروت»: a street named after a country or a city is an address in the city the story happens
# in, not a place it happens at; two write-ups of one raid, one giving the street, would read as two countries' events.
_STREET = frozenset(_clinging(normalize_arabic("شارع")))


def _without_after(words: list[str], heads: frozenset[str], kind: str) -> list[str]:
    """The words but each listed word of `kind` right after one of `heads`."""
    dropped = {i + 1 for i, w in enumerate(words[:-1]) if w in heads and FORMS.get(words[i + 1], ("",))[0] == kind}
    return [w for i, w in enumerate(words) if i not in dropped] if dropped else words


def _without_streets(words: list[str]) -> list[str]:
    """The words but the places a street is named after."""
    return _without_after(words, _STREET, "place")


# «…بعد توقف دام خمسة أيام», «…عقب انقطاع»: the state a headline names after these has ended (see STATES).
_AFTER = frozenset(form for word in normalize_arabic("بعد عقب").split() for form in _clinging(word))


def _without_states_ended(words: list[str]) -> list[str]:
    """The headline words but a state named right after «بعد» or «عقب»."""
    return _without_after(words, _AFTER, "state")


# «ترفع حظر التجول», «يرفع العقوبات»: a restriction lifted, not a figure raised (the verb is a direction's otherwise).
_LIFTS = frozenset(form for word in normalize_arabic("يرفع ترفع").split() for form in _clinging(word))
_RESTRICTIONS = frozenset(form for word in normalize_arabic("حظر الحظر العقوبات عقوبات الحصار حصار القيود قيود "
                                                              "الإغلاق الإيقاف التعليق").split()
                          for form in _clinging(word))
_LIFTED = normalize_arabic("رفع")


def _lifts(words: list[str]) -> list[str]:
    """The headline words with a verb raising a restriction read as its lifting (see STATES)."""
    return [_LIFTED if w in _LIFTS and i + 1 < len(words) and words[i + 1] in _RESTRICTIONS else w
            for i, w in enumerate(words)]


def _notices(words: list[str]) -> list[str]:
    """The headline words with a service notice («انقطاع الكهرباء», «تحويلات مرورية») read as one report token."""
    return [_NOTICE if i + 1 < len(words) and words[i + 1] in _NOTICE_HEADS.get(w, ()) else w
            for i, w in enumerate(words)]


# What `_listed` reads: the listed words and those that call for a rewrite first.
_RANKS = frozenset(normalize_arabic("ثاني ثالث رابع خامس").split())
_SUPERLATIVES = {normalize_arabic("أعلى"): "nthhigh", normalize_arabic("أدنى"): "nthlow"}


def _ranks(words: list[str]) -> list[str]:
    """The headline words with a superlative after a rank read as ranked («ثاني أعلى إنتاج» is not the highest)."""
    return [_SUPERLATIVES[w] if w in _SUPERLATIVES and i and words[i - 1] in _RANKS else w for i, w in enumerate(words)]


def _periods(words: list[str]) -> list[str]:
    """The headline words with a relative word after its period's unit read as one («الشهر المقبل»: next-month), and a
    unit after «هذا» / «هذه» as the current one («هذا العام»: current-year)."""
    out = [f"{_RELATIVE[w]}{_UNIT_OF[words[i - 1]]}" if w in _RELATIVE and i and words[i - 1] in _UNIT_OF else w
           for i, w in enumerate(words)]
    return [f"current{_UNIT_OF[w]}" if w in _UNIT_OF and i and words[i - 1] in _THIS else w for i, w in enumerate(out)]


def _states(words: list[str]) -> list[str]:
    """The words with a state whose name is a common word too read as that state after a word naming its office or
    people (`_AMBIGUOUS_STATES`)."""
    return [_STATE_TOKEN.format(w) if w in _AMBIGUOUS_STATES and i and words[i - 1] in _OF_A_STATE else w
            for i, w in enumerate(words)]


_READ = SIGNAL_WORDS | _HELD | _PENDING | _AGENCY | {_WAY} | _RANKS | _STREET | _AFTER
_TITLE_REWRITES = ((_HELD | _PENDING, _detentions), (frozenset({_WAY}), _releases), (_LEVANTINE, _levantine_months),
                   (frozenset(_RELATIVE) | _THIS, _periods), (_RANKS, _ranks), (_STATE_NAMES, _states),
                   (_STREET, _without_streets), (frozenset(_NOTICE_HEADS), _notices), (_AFTER, _without_states_ended),
                   (_LIFTS, _lifts))
_BODY_REWRITES = ((_AGENCY, _without_credits), (_LEVANTINE, _levantine_months), (_STATE_NAMES, _states),
                  (_STREET, _without_streets))


# «أعلنت الوزارة اليوم الأحد…», «…فجر اليوم الاثنين»: the day a report is written on, which its lead names (see
# `_today`). Not «أمس الأربعاء», which a report of the day after names as another outlet's «اليوم الأربعاء».
_TODAY = normalize_arabic("اليوم")


def _today(words: list[str]) -> set[str]:
    """The weekdays a body start names right after «اليوم» (today): the day its report was written."""
    days: set[str] = set()
    i = -1
    while _TODAY in words[i + 1:]:  # (C-speed scans: a body start is a hundred words and more)
        i = words.index(_TODAY, i + 1)
        kind, group = FORMS.get(words[i + 1], ("", "")) if i + 1 < len(words) else ("", "")
        if kind == "weekday":
            days.add(group)
    return days


_MONTH_FORMS = frozenset(form for form, (kind, _) in FORMS.items() if kind in DATE_MONTHS)


def _dates(words: list[str]) -> set[str]:
    """«9 تموز», «25 شوال»: a day of the month (1 to 31, as digits) before a month's name, as "day/kindgroup"; and
    the day as an ordinal, «الثاني من نوفمبر», «العاشر من رمضان» (as formal copy dates what a notice gives as «2
    نوفمبر»: one date either way)."""
    found = set()
    # (only the month names are visited: a body start is a hundred words and more)
    for j in [j for j, word in enumerate(words) if j and word in _MONTH_FORMS]:
        i, day, named = j - 1, words[j - 1], FORMS[words[j]]
        number = _day(day) or (day == _OF and i and _ordinal_day(words, i - 1))  # «و16 يوليو», «الثاني من…»
        if number:
            found.add(f"{number}/{named[0]}{named[1]}")
    return found


_ELEVENTH, _TEEN = normalize_arabic("الحادي"), normalize_arabic("عشر")
_ORDINAL_TENS = {normalize_arabic(word): tens for tens, word in ((20, "العشرين"), (30, "الثلاثين"))}


def _ordinal_day(words: list[str], j: int) -> int:
    """The day of the month written as an ordinal ending at words[j] («الثاني», «الثالث عشر», «الثامن والعشرين»,
    «الثلاثين»), 0 if none."""
    def unit(k: int) -> int:  # «الحادي» (in «الحادي عشر», «الحادي والعشرين») and «الأول»…«التاسع»
        if k < 0:
            return 0
        return 1 if words[k] == _ELEVENTH else int(ORDINALS.get(words[k], 0))

    word = words[j]
    if word in ORDINALS:
        return int(ORDINALS[word])
    if word == _TEEN:
        return 10 + unit(j - 1) if 1 <= unit(j - 1) <= 9 else 0
    tens = _ORDINAL_TENS.get(word[1:] if word[:1] == "و" else word, 0)
    if not tens:
        return 0
    day = tens + (unit(j - 1) if word[:1] == "و" and unit(j - 1) <= 9 else 0)
    return day if day <= 31 else 0


def part_codes(numbers: Iterable[str]) -> list[int]:
    """The codes of installment numbers (ordinals as figures, "1"…"10") named in a part set aside beside a headline."""
    return [_CODE_OF["t", "part", n] for n in numbers]


def grouped(codes: Iterable[int]) -> Groups:
    """Stored codes read back as the groups named per scope and list (codes of unknown groups are skipped:
    a record written before a list lost a word)."""
    found: dict[tuple[str, str], set[str]] = {}
    for code in codes:
        named = CODES.get(code)
        if named:
            found.setdefault(named[:2], set()).add(named[2])
    return {key: frozenset(groups) for key, groups in found.items()}


def conflict(a: Groups, b: Groups, scope: str, kind: str) -> bool:
    """Both items name a group of one list in one scope, and no group in common."""
    ga, gb = a.get((scope, kind)), b.get((scope, kind))
    return bool(ga and gb and not ga & gb)


def headline_groups_alike(a: Groups, b: Groups) -> bool:
    """The headlines name the same listed groups, places aside (phases, directions, outcomes, periods, parts)."""
    return all(a.get(key) == b.get(key) for key in a.keys() | b.keys() if key[0] == "t" and key[1] != "place")


def _swappable(a: Groups) -> frozenset[str]:
    """The groups a headline names that an edit may swap for their opposite: the edits', and an outcome's."""
    return a.get(("t", "edit"), _NONE) | a.get(("t", "outcome"), _NONE)


def opposition(a: Groups, b: Groups, rules: Iterable[str]) -> str:
    """The rule of the first set of opposites (OPPOSITES) whose members the headlines each name, none in common ("" if
    none, or if its rule is not in `rules`)."""
    ga, gb = _swappable(a), _swappable(b)
    for rule, opposites in OPPOSITES:
        if rule in rules and ga & opposites and gb & opposites and not ga & gb & opposites:
            return rule
    return ""


# Outcomes no two headlines of one item name one each, however reworded: a draw and a result (won or lost:
# `_RESULT_EDITS`), people rescued and people dead (`_FATE_EDITS`).
_OUTCOMES_APART = ((frozenset({"drew"}), _RESULTS), (frozenset({"rescued"}), frozenset({"dead"})))


def outcomes_differ(a: Groups, b: Groups) -> bool:
    """One headline names one side of `_OUTCOMES_APART` and not the other, the other headline the reverse."""
    ga, gb = a.get(("t", "edit"), _NONE), b.get(("t", "edit"), _NONE)
    return any(x & one and not x & other and y & other and not y & one
               for one, other in _OUTCOMES_APART for x, y in ((ga, gb), (gb, ga)))


def deputy_added(a: Groups, b: Groups) -> bool:
    """One headline names a deputy (`EDITS`), the other none."""
    return ("deputy" in a.get(("t", "edit"), _NONE)) != ("deputy" in b.get(("t", "edit"), _NONE))


def periods_told_apart(a: Groups, b: Groups, kind: str) -> bool:
    """The headlines name another month or day (`conflict` in scope "t"), unless each names one the other item's body
    names too: one text giving both dates («تبدأ 16 ديسمبر… ويعود الطلبة 6 يناير», «تحري هلال شوال… 29 رمضان»)
    headlined by either. A recurring report's body names its own day, an edited copy's its own month."""
    if not conflict(a, b, "t", kind):
        return False
    return not (a[("t", kind)] <= b.get(("b", kind), _NONE) and b[("t", kind)] <= a.get(("b", kind), _NONE))


def _within(place: str, area: str) -> bool:
    """`place` is `area` or lies in it: a city in its country (either country of a name of two) or in its region."""
    return place == area or area in _countries_of(place) or REGION_OF.get(place) == area


def _mentions(places: frozenset[str], place: str) -> bool:
    """`places` name `place`, or a place in it (`_within`): a city of a country or of a region."""
    return place in places or any(_within(p, place) for p in places)


def _compatible(a: str, b: str) -> bool:
    """One place, or a city and its country or region."""
    return _within(a, b) or _within(b, a)


def _named(place: str, places: Iterable[str]) -> bool:
    """`places` name `place`, a place in it or the place it is in (`_compatible`)."""
    return any(_compatible(place, other) for other in places)


def other_subject(a: Groups, b: Groups, written_apart: bool = False) -> bool:
    """Each headline names a place the other item never mentions (headline or body start): one template
    addressed to two countries or cities, or one team against two opponents. A headline without a place
    says nothing; nor do two write-ups of their own (`written_apart`) naming places of one country, since
    one may name the region and the other its city («عسير», «أبها»), which the lists do not nest."""
    ta, tb = a.get(("t", "place"), _NONE), b.get(("t", "place"), _NONE)
    if not (ta and tb):
        return False
    if written_apart and _countries(ta) & _countries(tb):
        return False
    return _names_unmentioned(a, b) and _names_unmentioned(b, a)


def _places_of(a: Groups) -> frozenset[str]:
    """The places an item names, in its headline or body start."""
    return a.get(("t", "place"), _NONE) | a.get(("b", "place"), _NONE)


def _names_unmentioned(a: Groups, b: Groups) -> bool:
    """A's headline names a place B never mentions (headline or body start)."""
    named = _places_of(b)
    return any(not _mentions(named, place) for place in a.get(("t", "place"), _NONE))


_HEADLINE_PLACE_CODES = frozenset(code for code, name in CODES.items() if name[:2] == ("t", "place"))
_NOTICES = frozenset({"notice"})  # report groups read after the rules that leave recurring reports alone were set
_HEADLINE_REPORT_CODES = frozenset(code for code, name in CODES.items()
                                   if name[:2] == ("t", "report") and name[2] not in _NOTICES)


def keyed_places(codes: Iterable[int]) -> list[int]:
    """The codes of the places a headline names, sorted, which key the item (fingerprint.py); none for a recurring
    report's headline, which the place-rewrite rule leaves alone (`recurring_report`)."""
    named = frozenset(codes)
    return [] if named & _HEADLINE_REPORT_CODES else sorted(named & _HEADLINE_PLACE_CODES)


def recurring_report(a: Groups) -> bool:
    """The headline names a recurring report's topic (a forecast, a market wrap, prayer times)."""
    return bool(a.get(("t", "report"), _NONE) - _NOTICES)


def postponed(a: Groups) -> bool:
    """The headline names a postponement («تأجيل», «يؤجل», «إرجاء»: the outcome group)."""
    return "postpone" in a.get(("t", "outcome"), _NONE)


def stock_report(a: Groups) -> bool:
    """The headline is one a report comes back under alike every time: a recurring report's, or a service notice's
    (`_notices`: an outage, a diversion), which tells its districts and days in its body, as a forecast its regions."""
    return bool(a.get(("t", "report")))


def new_in_series(a: Groups, b: Groups, b_figures: frozenset[int]) -> bool:
    """A's headline numbers its event in a series («قائد ميداني ثان») and B never names that place in it: no such
    ordinal in its headline or body start, in words or as a figure (`b_figures`: h16 of its figures)."""
    named = b.get(("t", "series"), _NONE) | b.get(("b", "series"), _NONE)
    return any(group not in named and h16(group) not in b_figures for group in a.get(("t", "series"), _NONE))


def same_headline_place(a: Groups, b: Groups) -> bool:
    """Both headlines name one listed place (the same group: «مصر»، «المصرية»، «بمصر»)."""
    return bool(a.get(("t", "place"), _NONE) & b.get(("t", "place"), _NONE))


def headline_places_meet(a: Groups, b: Groups) -> bool:
    """The headlines name one place, or one a city and the other its country («…في اليمن» / «…في مأرب»)."""
    return any(_named(x, b.get(("t", "place"), _NONE)) for x in a.get(("t", "place"), _NONE))


def places_meet(a: Groups, b: Groups) -> bool:
    """The items name one place, or one a city and the other its country or region (headline or body start)."""
    return any(_named(x, _places_of(b)) for x in _places_of(a))


def city_unmentioned(a: Groups, b: Groups) -> bool:
    """One headline names a city (a listed place of a country, not a country) that the other item never names, nor
    its country or region: «…بين الطائف والباحة» against an item of the road from Taif to Riyadh, «…على نجران» against
    one of Jazan. A country a headline names is as often a qualifier as the event's place («الصحة الكويتية»,
    «المخزونات الأمريكية»), which a write-up of one story in its own words may leave out; a city seldom is."""
    return any(_unnamed(_cities_among(x.get(("t", "place"), _NONE)), y) for x, y in ((a, b), (b, a)))


def _cities_among(places: Iterable[str]) -> list[str]:
    """The cities (and regions) among listed places: those of a country."""
    return [p for p in places if p in COUNTRY_OF]


def _countries_among(places: Iterable[str]) -> list[str]:
    """The countries among listed places (not a name of two countries' places)."""
    return [p for p in places if p not in COUNTRY_OF and p not in _EITHER]


def _unnamed(places: Iterable[str], other: Groups) -> bool:
    """Some of `places` the other item never names, nor a place in it or the place it is in (`_named`)."""
    named = _places_of(other)
    return any(not _named(p, named) for p in places)


def countries_named_apart(a: Groups, b: Groups) -> bool:
    """One headline names a country the other item never names, and that item names (headline or body start) a
    country the first never names: over one copy, a template's two subjects («…يهنئ رئيس مدغشقر…» / «القيادة تهنئ
    واتارا» over one cable to Madagascar and to Côte d'Ivoire), where `other_subject` asks both headlines to name
    them. Countries only: a city in a body start is as often the dateline («الرياض - واس»), and a capital in a headline
    stands for its state («…بين الرياض والقاهرة»), which the other item may name otherwise."""
    for x, y in ((a, b), (b, a)):
        if _unnamed(_countries_among(x.get(("t", "place"), _NONE)), y) and _unnamed(_countries_among(_places_of(y)), x):
            return True
    return False


def counts_dead(a: Groups) -> bool:
    """The headline counts the dead («وفاة 4…», «مصرع أربعة…», «3 قتلى»: the edit group of the dead)."""
    return "dead" in a.get(("t", "edit"), _NONE)


def countries_apart(a: Groups, b: Groups) -> bool:
    """Each headline names places the other does not, of no country in common: «…إلى ألمانيا» / «…إلى اليابان», and
    «المجر تغلق حدودها مع صربيا» / «…مع كرواتيا» (the country both name set aside)."""
    ta, tb = a.get(("t", "place"), _NONE), b.get(("t", "place"), _NONE)
    only_a, only_b = ta - tb, tb - ta
    return bool(only_a) and bool(only_b) and not _countries(only_a) & _countries(only_b)


def other_countries(a: Groups, b: Groups) -> bool:
    """Neither headline names a place, and the body starts name places of no country in common («جدة» and
    «السعودية» in one, «الأنبار» and «بغداد» in the other): one headline over two countries' events (a seizure
    there, a seizure here). Write-ups of one story may name a region and its city, not two countries apart."""
    if a.get(("t", "place")) or b.get(("t", "place")):
        return False
    pa, pb = a.get(("b", "place"), _NONE), b.get(("b", "place"), _NONE)
    return bool(pa) and bool(pb) and not _countries(pa) & _countries(pb)


def other_cities(a: Groups, b: Groups, named: int = 2) -> bool:
    """Both items name cities (headline or body start), one of them `named` or more, and none in common: one stock
    headline over two places' events («وفاة وإصابة 4 في حادث مروري» on a road of Tabuk and on one of Jazan, a
    crackdown in Jeddah and in Al-Ahsa). Two write-ups of one story may each name a city of their own (the pilgrims'
    first flights at Jeddah's airport, their arrival in Makkah), so the caller asks for one city against one only
    under one headline word for word, or when a headline names its city and the other item never mentions it; the
    countries both name say nothing (a city's country is named with either)."""
    ca, cb = ({p for p in _places_of(x) if p in COUNTRY_OF} for x in (a, b))
    return min(len(ca), len(cb)) >= 1 and max(len(ca), len(cb)) >= named and not ca & cb


def unmentioned_place(a: Groups, b: Groups) -> bool:
    """A's headline names a place B never mentions (headline or body start), or B's one A never mentions."""
    return _names_unmentioned(a, b) or _names_unmentioned(b, a)


def other_places(a: Groups, b: Groups) -> bool:
    """The items name places (headline or body start), and none of one is a place of the other (the same, or a
    city and its country): two subjects of one template whose headline names none («الرئيس يتسلم أوراق اعتماد
    سفير جديد»), or one notice for two cities of one country."""
    pa, pb = _places_of(a), _places_of(b)
    return bool(pa) and bool(pb) and not pa & pb and not any(_named(x, pb) for x in pa)


# Who won: «القادسية يتغلب على الكويت» and «الكويت يفوز على القادسية» are two matches (or one report edited to swap
# them), however the headline is worded; «الكويت يخسر أمام القادسية» is the first one's match. Read where a headline
# says it plainly: the winner before a present-tense verb of winning and the loser after it («يفوز على», «يهزم»),
# the loser before a verb of losing and the winner after «أمام» / «من», or both after a noun («فوز الأهلي على
# الزمالك», «خسارة الزمالك أمام الأهلي»). A verb opening the headline, or one not followed as its kind is, names
# no side: «يفوز بجائزة» wins no match, and a side read wrong would tell one match's two reports apart. Each side
# is the two words beside the verb, as a name may be two words long («شباب بلوزداد», «الأهلي طرابلس»), without
# the words that name no team («منتخب», «نظيره»).
def _conjugated(verbs: str) -> frozenset[str]:
    return frozenset(conj + verb for verb in normalize_arabic(verbs).split() for conj in ("", "و", "ف"))


def _nouns(nouns: str) -> frozenset[str]:
    return frozenset(form for noun in normalize_arabic(nouns).split() for form in _clinging(noun))


_WIN_OVER = _conjugated("يفوز تفوز يتغلب تتغلب يقسو تقسو")  # ... «على» the loser
_WIN_DIRECT = _conjugated("يهزم تهزم يكتسح تكتسح يسحق تسحق يقصي تقصي يتخطى تتخطى")  # ... the loser
_LOSE = _conjugated("يخسر تخسر ينهزم تنهزم")  # ... «أمام» / «من» the winner
_WIN_NOUNS = _nouns("فوز الفوز انتصار الانتصار")
_LOSE_NOUNS = _nouns("خسارة الخسارة هزيمة الهزيمة")
_ON, _BEFORE = normalize_arabic("على"), frozenset(normalize_arabic("أمام من").split())
_LINKS = _BEFORE | {_ON}
_NOUN_REACH = 4  # words after a noun its «على» / «أمام» is looked for within («فوز الأهلي الكبير على…»)
_NO_TEAM = _nouns("منتخب المنتخب فريق الفريق نادي النادي نظيره نظيرته ضيفه ضيفه مضيفه")
SIDE_WORDS = _WIN_OVER | _WIN_DIRECT | _LOSE | _WIN_NOUNS | _LOSE_NOUNS


def sides(words: list[str]) -> tuple[list[int], list[int]] | None:
    """The indices of the winner's and the loser's words among the folded headline words (two each at most, the one
    beside the verb or the link first, by its first verb or noun of winning or losing that names both: see above);
    None when it names none."""
    if SIDE_WORDS.isdisjoint(words):
        return None
    last = len(words) - 1
    named: tuple[int, int, int] | None = None  # (the last word of the first side named, its order, the next side)
    for i, w in enumerate(words):
        if 0 < i < last:
            following = words[i + 1]
            if w in _WIN_OVER and following == _ON and i + 2 <= last:
                named = (i - 1, 1, i + 2)
            elif w in _WIN_DIRECT and following != _ON:
                named = (i - 1, 1, i + 1)
            elif w in _LOSE and following in _BEFORE and i + 2 <= last:
                named = (i - 1, -1, i + 2)
        if named is None and (w in _WIN_NOUNS or w in _LOSE_NOUNS) and i < last:
            k = next((k for k in range(i + 2, min(i + 2 + _NOUN_REACH, last)) if words[k] in _LINKS), -1)
            if k > 0:  # both sides after the noun: the first one ends before the link
                first = [j for j in (k - 1, k - 2) if j > i and words[j] not in _NO_TEAM]
                second = [j for j in (k + 1, k + 2) if j <= last and words[j] not in _NO_TEAM]
                return (first, second) if w in _WIN_NOUNS else (second, first)
        if named is not None:
            end, order, start = named
            before = [j for j in (end, end - 1) if j >= 0 and words[j] not in _NO_TEAM]
            after = [j for j in (start, start + 1) if j <= last and words[j] not in _NO_TEAM]
            return (before, after) if order > 0 else (after, before)
    return None
