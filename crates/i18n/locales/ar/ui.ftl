# صندوق بريد Fenestra بالعربية. نفس معرّفات الرسائل في locales/en/ui.ftl.

## التنقل وعناوين الصفحات
nav-inbox = صندوق الرسائل
nav-settings = الإعدادات
nav-account = حسابي
nav-logout = تسجيل الخروج
title-inbox = صندوق الرسائل
list-title = المحادثات
inbox-pick = اختر محادثة من القائمة لقراءتها والرد عليها.
notify-enable = تفعيل الإشعارات
notify-on = الإشعارات مفعّلة
notify-title = رسالة جديدة
notify-body = كتب { $name } إلى الصفحة.
flash-dismiss = إغلاق
yes = نعم
no = لا

## تسجيل الدخول
login-title = تسجيل الدخول
login-username = اسم المستخدم
login-password = كلمة المرور
login-submit = دخول
login-wrong = اسم المستخدم أو كلمة المرور غير صحيحة.
login-too-many = محاولات كثيرة من هذا العنوان: حاول مجددًا بعد { $seconds } ثانية.
login-name-too-long = اسم المستخدم طويل جدًا.

## قائمة المحادثات
filter-search = ابحث في الأسماء والرسائل
filter-assignee = المسؤول
filter-anyone = الجميع
filter-mine = محادثاتي
filter-unassigned = غير مسندة
filter-status = الحالة
filter-any-status = المفتوحة والمغلقة
filter-open = مفتوحة
filter-closed = مغلقة
filter-window = نافذة الـ24 ساعة
filter-any-window = أي نافذة
filter-window-open = النافذة مفتوحة
filter-window-closed = النافذة مغلقة
filter-label = التصنيف
filter-any-label = أي تصنيف
filter-apply = تصفية
list-empty = لا توجد محادثات مطابقة. عندما يكتب عميل إلى الصفحة تظهر محادثته هنا.
conversations-unread = { $n ->
    [zero] لا رسائل غير مقروءة
    [one] رسالة واحدة غير مقروءة
    [two] رسالتان غير مقروءتين
    [few] { $n } رسائل غير مقروءة
    [many] { $n } رسالة غير مقروءة
   *[other] { $n } رسالة غير مقروءة
}
status-closed = مغلقة
speaker-agent = أنت:
speaker-automation = تلقائي:
speaker-broadcast = بث:
speaker-api = API:
speaker-other-app = تطبيق آخر:
preview-attachment = [مرفق]

## ما يمكن إرساله الآن (شارة كل محادثة)
badge-open = رد بحرية · متبقٍ { $left }
badge-open-tip = كتب العميل خلال آخر 24 ساعة: يمكن إرسال أي رسالة حتى { $until }.
badge-human = رد الموظف فقط · متبقٍ { $left }
badge-human-tip = أُغلقت نافذة الـ24 ساعة. حتى { $until } (7 أيام بعد آخر رسالة من العميل) يمكن لشخص أن يرد بوسم الموظف البشري؛ أما الرسائل التلقائية فلا.
badge-closed = القوالب فقط
badge-closed-tip = مرّ أكثر من 7 أيام على آخر رسالة من العميل: لا يصله إلا قالب خدمي معتمد أو رمز إشعار منحه، حتى يكتب من جديد.
badge-none = لم يكتب بعد
badge-none-tip = لم يكتب هذا العميل إلى الصفحة: لا يصله إلا رمز منحه.

## المحادثة
thread-title = المحادثة
thread-back = › المحادثات
thread-customer = العميل
thread-empty = لا شيء هنا بعد.
customer-unnamed = العميل { $psid }
profile-locale = اللغة
profile-timezone = المنطقة الزمنية
profile-first-contact = أول تواصل
profile-tokens = الرموز المتاحة
profile-none = لا يوجد
profile-unknown = غير معروف
source-wrote = كتب إلى الصفحة
source-kind = { $kind }
source-kind-ref = { $kind }، المرجع { $ref }
token-one-time = لمرة واحدة: { $topic }
token-recurring = { $frequency } حتى { $until }: { $topic }
token-no-topic = بلا موضوع
token-no-end = بلا نهاية
token-recurring-any = متكرر
quick-reply = رد سريع: { $payload }
with-quick-replies = مع ردود سريعة
by-agent = { $name }
by-persona = { $name } باسم { $persona }
by-automation-instant_reply = الرد الفوري
by-automation-opt_out = تأكيد إلغاء الاشتراك
by-automation-away = رسالة الغياب
by-automation-keyword = رد حسب الكلمة
by-automation-handover = تحويل إلى موظف
by-automation-disclosure = تنبيه بالرد الآلي
by-automation-goodbye = رسالة الوداع
by-automation-rating = سؤال التقييم
by-automation = تلقائي
by-broadcast = بث
by-api = التكامل { $name }
by-other-app = { $app }
by-page-inbox = صندوق Meta Business Suite
how-response = رد
how-update = تحديث
how-human-agent = وسم الموظف البشري
how-tag = الوسم { $tag }
how-utility = قالب خدمي
how-one-time = رمز لمرة واحدة
how-recurring = رمز إشعار
how-private-reply = رد خاص
state-queued = في الانتظار
state-sending = قيد الإرسال
state-unknown = بانتظار تأكيد Meta
state-sent = أُرسلت
state-delivered = وصلت
state-read = قُرئت
state-failed = لم تُرسل: { $error }
state-failed-plain = لم تُرسل
attachment-image = صورة
attachment-video = فيديو
attachment-audio = صوت
attachment-file = ملف
attachment-location = موقع
attachment-sticker = ملصق
attachment-fallback = رابط
attachment-template = بطاقة
attachment-location-at = الموقع { $lat }، { $long }
template-sent = [قالب خدمي]
app-page-inbox = صندوق Meta Business Suite
app-lead-ads = تطبيق Meta لإعلانات العملاء المحتملين
app-unknown = تطبيق آخر
app-other = التطبيق { $id }

## لوحة الفريق
team-title = الفريق
team-assigned-to = مسندة إلى
team-nobody = لا أحد
team-assign = إسناد
team-unassigned = لا أحد يتولى هذه المحادثة.
team-take = تولَّها
team-yours = أنت تتولى هذه المحادثة.
team-let-go = تخلَّ عنها
team-theirs = { $name } يتولى هذه المحادثة.
team-close = إغلاق
team-reopen = إعادة فتح
team-mark-seen = وضع علامة "تمت المشاهدة"
team-mark-seen-count = { $n ->
    [one] وضع علامة "تمت المشاهدة" (رسالة واحدة غير مقروءة)
    [two] وضع علامة "تمت المشاهدة" (رسالتان غير مقروءتين)
    [few] وضع علامة "تمت المشاهدة" ({ $n } رسائل غير مقروءة)
   *[other] وضع علامة "تمت المشاهدة" ({ $n } رسالة غير مقروءة)
}
team-mark-seen-tip = يُظهر للعميل أن رسائله شوهدت
labels-title = التصنيفات
labels-add = إضافة
labels-add-placeholder = أضف تصنيفًا
labels-remove = إزالة التصنيف { $label }
notes-title = الملاحظات
notes-private = (يراها الفريق فقط)
notes-none = لا شيء بعد.
notes-placeholder = ملاحظة للفريق
notes-add = إضافة ملاحظة
decisions-title = القرارات
decisions-none = لا شيء بعد.
decisions-detail = القاعدة
decision-allow = مسموح
decision-deny = مرفوض

## توجيه المحادثات والإيقاف المؤقت وإلغاء الاشتراك
routing-owner = يتولى { $app } هذه المحادثة. تنتظر ردود Fenestra ورسائله التلقائية حتى { $until } (بعد 24 ساعة من الخمول).
routing-owner-open = يتولى { $app } هذه المحادثة. تنتظر ردود Fenestra ورسائله التلقائية.
routing-take-over = استلام المحادثة
routing-hand-back = إعادتها إلى صندوق Meta
routing-hand-back-tip = تمرير المحادثة إلى صندوق Meta Business Suite
routing-not-default-app = Fenestra ليس التطبيق الافتراضي لهذه الصفحة: لا يكتب إلا في المحادثات التي يتحكم بها.
routing-paused-until = الرسائل التلقائية متوقفة حتى { $until } ({ $why }).
routing-paused-until-close = الرسائل التلقائية متوقفة حتى إغلاق المحادثة ({ $why }).
pause-replied-elsewhere = رد الموظفون من تطبيق آخر أو من صندوق Meta
pause-agent = أوقفها أحد الموظفين
pause-asked-for-person = طلب العميل التحدث إلى شخص
routing-resume = استئناف الرسائل التلقائية
routing-pause = إيقاف الرسائل التلقائية
routing-opted-out = ألغى الاشتراك { $when }: لا رسائل تلقائية ولا بث؛ يمكن لشخص أن يرد عندما يكتب العميل مجددًا.
routing-clear-opt-out = إلغاء حالة عدم الاشتراك
routing-set-opt-out = تعيينه كغير مشترك

## بيانات العميل (للمشرفين)
privacy-title = بيانات العميل
privacy-export = تصدير بيانات هذا العميل
privacy-erase-word = محو
privacy-erase-confirm = اكتب «محو» لمحو هذا العميل
privacy-erase = محو
privacy-erased = مُحيت البيانات الشخصية { $when }.
export-title = بيانات العميل
export-heading = كل ما يحتفظ به Fenestra عن العميل { $psid }
export-when = صُدّرت { $when }
export-json = تنزيل بصيغة JSON
export-back = العودة إلى المحادثة
export-profile = الملف الشخصي
export-name = الاسم
export-opted-out = ألغى الاشتراك
export-erased = مُحي
export-messages = { $n ->
    [zero] لا رسائل
    [one] رسالة واحدة
    [two] رسالتان
    [few] { $n } رسائل
   *[other] { $n } رسالة
}
export-everything = كل شيء بصيغة JSON
export-from-customer = العميل
export-from-page = الصفحة

## كتابة الرسالة
composer-what = ما الذي تريد إرساله
composer-mode-text = رسالة
composer-mode-template = قالب خدمي
composer-mode-token = رمز إشعار
composer-saved-reply = رد محفوظ
composer-choose = اختر…
composer-placeholder = اكتب ردًا…
composer-tag = الوسم
composer-tag-none = بلا وسم
composer-tag-human-agent = موظف بشري (7 أيام)
composer-rich = صورة، أزرار، ردود سريعة
composer-attachment = صورة أو ملف على العنوان
composer-upload = أو ملفًا من هذا الجهاز
composer-buttons = أزرار (حتى 3)
composer-buttons-hint = زر في كل سطر: احجز موعدًا = BOOK، أو متجرنا = https://…
composer-quick-replies = ردود سريعة (حتى 13)
composer-quick-replies-hint = رد في كل سطر: مقاس M = SIZE_M
composer-template = القالب
composer-token = الرمز
composer-token-placeholder = الرسالة الوحيدة التي يسمح بها هذا الرمز…
composer-send-as = إرسال باسم
composer-as-page = الصفحة
composer-send = إرسال
composer-send-refused = لا يمكن إرسال هذه الرسالة الآن: انظر السبب أدناه.

## حكم السياسة أثناء الكتابة
verdict-allowed = يمكن إرسالها
verdict-refused = لا يمكن إرسالها:
verdict-how = بصفة { $how }
verdict-sent = أُرسلت.
verdict-preview = سيقرأ العميل:
verdict-instead = بدلًا من ذلك:
verdict-promotional = محتوى ترويجي:
verdict-rule = القاعدة
verdict-not-ready = غير جاهزة
alt-tag = أرسل مع الوسم { $tag }
alt-tag-human-agent = رد بوسم الموظف البشري
alt-utility = استخدم قالبًا خدميًا معتمدًا
alt-one-time = استخدم رمز الإشعار لمرة واحدة الخاص بالعميل
alt-recurring = استخدم رمز الإشعار المتكرر الخاص بالعميل
alt-marketing = أرسل رسالة تسويقية (خدمة Meta المدفوعة)
alt-sponsored = أرسل رسالة ممولة (إعلان)
alt-take-over = استلم المحادثة من التطبيق الآخر أولًا
alt-wait = انتظر حتى يكتب العميل مجددًا

## الأخطاء
error-title = خطأ
error-heading = حدث خطأ ({ $status })
error-back-to-inbox = العودة إلى صندوق الرسائل
error-no-conversation = لا توجد محادثة كهذه.
error-no-page = الصفحة { $id } غير معروفة لـ Fenestra.
error-no-user = لا يوجد مستخدم نشط باسم { $name }.
error-no-page-token = الصفحة { $id } بلا رمز وصول: يضيفه المشرف عبر `fenestra page add`.
error-graph = رفضت Meta: { $detail }
error-unavailable = قاعدة البيانات لا تستجيب. حاول مجددًا بعد قليل.
error-not-found = لا شيء في هذا العنوان.
error-render = تعذر عرض هذه الصفحة.
error-unknown-template = القالب { $name } ({ $language }) غير معروف لهذه الصفحة: زامن القوالب.
error-missing-parameter = القالب { $name } يحتاج إلى { $param }.
error-empty = اكتب رسالة أولًا.
error-meta-limit = سترفض Meta هذه الرسالة: { $detail }
error-upload = تعذر رفع الملف: اختر ملفًا لا يتجاوز 25 ميغابايت.
error-not-send-api = الرسائل التسويقية المدفوعة تُرسل عبر البث، لا من المحادثة.
error-refused-send = لا يمكن إرسال هذه الرسالة: { $title }. { $why }
error-unknown-page = الصفحة { $id } غير معروفة لـ Fenestra.
forbidden-assign-others = المشرف وحده يمكنه إسناد محادثة إلى شخص آخر.
forbidden-take-colleagues = المشرف وحده يمكنه أخذ محادثة زميل.
forbidden-unassign-others = المشرف وحده يمكنه سحب محادثة من شخص آخر.
forbidden-personas = المشرف وحده يمكنه إنشاء الشخصيات.
forbidden-saved-replies = المشرف وحده يمكنه تعديل الردود المحفوظة.
forbidden-export-customer = المشرف وحده يمكنه تصدير بيانات العميل.
forbidden-erase-customer = المشرف وحده يمكنه محو عميل.
forbidden-retention = المشرف وحده يمكنه تغيير مدة الاحتفاظ بالمحادثات.
forbidden-automations = المشرف وحده يمكنه تغيير الردود التلقائية.
invalid-label-empty = لا يمكن أن يكون التصنيف فارغًا.
invalid-label-too-long = التصنيف { $max } حرفًا على الأكثر.
invalid-label-comma = لا يمكن أن يحتوي التصنيف على فاصلة.
invalid-label-control = لا يمكن أن يحتوي التصنيف على محارف تحكم.
invalid-status = الحالة مفتوحة أو مغلقة، وليست { $value }.
invalid-window = مرشح النافذة مفتوحة أو مغلقة، وليس { $value }.
invalid-search-too-long = ابحث عن { $max } حرفًا على الأكثر.
invalid-search-control = لا يمكن أن يحتوي نص البحث على محارف تحكم.
invalid-note-empty = لا يمكن أن تكون الملاحظة فارغة.
invalid-persona-name = تحتاج الشخصية إلى اسم.
invalid-persona-picture = صورة الشخصية عنوان ويب يبدأ بـ https://.
invalid-reply-empty = يحتاج الرد المحفوظ إلى اسم ونص.
invalid-retention = احتفظ بالمحادثات من 1 إلى { $max } يومًا، أو اترك الحقل فارغًا للاحتفاظ بها.
invalid-erase-confirm = اكتب «{ $word }» للتأكيد: لا يمكن التراجع عن المحو.
invalid-time-zone = { $zone } ليست منطقة زمنية مثل Asia/Riyadh.
invalid-language = اختر إحدى اللغات المعروضة.
invalid-password-short = كلمة المرور { $min } أحرف على الأقل.
invalid-password-mismatch = كلمتا المرور الجديدتان مختلفتان.
invalid-password-wrong = كلمة المرور الحالية غير صحيحة.
invalid-push-subscription = تعذر اشتراك هذا الجهاز في الإشعارات.

## الإعدادات والحساب
settings-my-account = حسابي: اللغة والمنطقة الزمنية وكلمة المرور
settings-admin-only = المشرف وحده يمكنه تغيير هذه الإعدادات.
settings-replies = الردود المحفوظة
settings-replies-hint = يُستبدل {"{{first_name}}"} باسم العميل الأول.
settings-delete = حذف
settings-none-yet = لا شيء بعد.
settings-reply-name = الاسم
settings-reply-text = النص
settings-reply-save = حفظ الرد
settings-personas = الشخصيات
settings-personas-hint = تعرض الشخصية اسم الموظف وصورته على الرسائل المرسلة باسمها.
settings-page = الصفحة { $id }
settings-persona-page = الصفحة
settings-persona-name = الاسم
settings-persona-picture = عنوان الصورة
settings-persona-create = إنشاء شخصية
settings-privacy = الخصوصية
settings-privacy-hint = تُمحى المحادثة الخاملة لمدة أطول مما تحتفظ به صفحتها خلال ساعة: تُحذف الرسائل والملاحظات والرموز وتبقى الأعداد.
settings-retention = الصفحة { $id }: الاحتفاظ بالمحادثات لمدة
settings-retention-days = يومًا
settings-retention-empty = (فارغ: احتفاظ دائم)
settings-save = حفظ
account-preferences = اللغة والوقت
account-language = اللغة
account-language-browser = مثل متصفحي
account-time-zone = المنطقة الزمنية
account-time-zone-hint = تظهر الأوقات في صندوق الرسائل بهذه المنطقة؛ إن تُركت فارغة تتبع المتصفح.
account-saved = تم الحفظ.
account-password = كلمة المرور
account-password-current = كلمة المرور الحالية
account-password-new = كلمة المرور الجديدة
account-password-repeat = أعد كتابة كلمة المرور الجديدة
account-password-change = تغيير كلمة المرور
account-password-changed = تم تغيير كلمة المرور. تبقى الجلسات الأخرى مفتوحة حتى تنتهي.

## ما فعله العملاء (أحداث المحادثة)
event-postback = ضغط «{ $title }» (الحمولة { $payload })
event-postback-referral = ضغط «{ $title }» (الحمولة { $payload })، قادمًا من { $source }، المرجع { $ref }
event-referral = فتح المحادثة من { $source }، المرجع { $ref }
event-plugin-optin = اشترك عبر إضافة (المرجع { $ref })
event-one-time-optin = وافق على رسالة لاحقة واحدة بشأن «{ $topic }»
event-notifications-stopped = أوقف الإشعارات بشأن «{ $topic }»
event-notifications-subscribed = اشترك في إشعارات { $frequency } بشأن «{ $topic }»
event-reaction = تفاعل بـ { $emoji } مع رسالة
event-unreact = سحب تفاعله
event-comment = علّق على منشور: «{ $text }»
event-lead-form-complete = أكمل العميل نموذج العملاء المحتملين؛ عادت المحادثة
event-lead-form-incomplete = ترك العميل النموذج دون إكمال؛ عادت المحادثة
event-handed-over = سلّم { $app } المحادثة
event-taken-over = استلم { $app } المحادثة
frequency-daily = يومية
frequency-weekly = أسبوعية
frequency-monthly = شهرية
frequency-recurring = متكررة
event-asks-for-thread = يطلب { $app } المحادثة

## التواريخ والمدد
when-yesterday = أمس { $time }
when-tomorrow = غدًا { $time }
when-weekday = { $day } { $time }
weekday-1 = الاثنين
weekday-2 = الثلاثاء
weekday-3 = الأربعاء
weekday-4 = الخميس
weekday-5 = الجمعة
weekday-6 = السبت
weekday-7 = الأحد
month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر
date-day-month = { $day } { $month }
date-full = { $day }/{ $month }/{ $year }
date-time = { $date } { $time }
duration-days-hours = { $d } يوم { $h } ساعة
duration-hours-minutes = { $h } ساعة { $m } دقيقة
duration-minutes = { $n ->
    [one] دقيقة واحدة
    [two] دقيقتان
    [few] { $n } دقائق
   *[other] { $n } دقيقة
}
ago-now = الآن
ago-minutes = { $n ->
    [one] منذ دقيقة
    [two] منذ دقيقتين
    [few] منذ { $n } دقائق
   *[other] منذ { $n } دقيقة
}
ago-hours = { $n ->
    [one] منذ ساعة
    [two] منذ ساعتين
    [few] منذ { $n } ساعات
   *[other] منذ { $n } ساعة
}
ago-days = { $n ->
    [one] منذ يوم
    [two] منذ يومين
    [few] منذ { $n } أيام
   *[other] منذ { $n } يومًا
}

# الإعدادات ← الردود التلقائية
settings-automations-hint = الرد الفوري وساعات الغياب والردود حسب الكلمات وقائمة ماسنجر لكل صفحة.
automations-title = الردود التلقائية
automations-applied = تم تطبيق الإصدار { $version }.
automations-instant-on = الرد الفوري: مفعّل.
automations-instant-off = الرد الفوري: متوقف.
automations-away-open = ساعات العمل ({ $zone }): مفتوح الآن، يرد الرد الفوري.
automations-away-closed = ساعات العمل ({ $zone }): مغلق الآن، ترد رسالة الغياب.
automations-away-off = ساعات الغياب: متوقفة.
automations-keywords = { $n ->
    [zero] لا ردود حسب الكلمات.
    [one] رد واحد حسب الكلمات.
    [two] ردّان حسب الكلمات.
    [few] { $n } ردود حسب الكلمات.
   *[other] { $n } ردًا حسب الكلمات.
}
automations-profile = ملف ماسنجر لدى Meta
automations-profile-none = لم يُضبط شيء بعد.
automations-profile-pending = قيد الإرسال إلى Meta.
automations-profile-synced = محدّث (تمت المزامنة { $ago }).
automations-profile-error = رفضته Meta { $ago }: { $error }
automations-problems = { $n ->
    [one] مشكلة واحدة: لم يتغير شيء
    [two] مشكلتان: لم يتغير شيء
    [few] { $n } مشكلات: لم يتغير شيء
   *[other] { $n } مشكلة: لم يتغير شيء
}
automations-line = السطر { $line }
automations-document = المستند
automations-document-hint = بصيغة YAML كما يطبعه الأمر `fenestra automations export`؛ يشرح docs/automations.md كل مفتاح. يُفحص المستند كاملًا عند التطبيق: إن وُجدت مشكلة لا يتغير شيء.
automations-apply = افحص وطبّق
automations-versions = السجل
automations-version = الإصدار { $version } بواسطة { $by }
automations-refused = رُفض مستند الردود التلقائية: { $problems }

# Settings → a page
settings-pages = الصفحات
page-settings-title = إعدادات الصفحة
page-settings-id = الصفحة { $id }
page-settings-token-yes = يحتفظ Fenestra برمز الوصول الخاص بها
page-settings-token-no = لا يوجد رمز وصول: أضفه بالأمر fenestra page add
page-settings-paused = الإرسال متوقف: { $why }
page-settings-human-agent = منحت Meta إذن الموظف البشري (يمكن للموظفين الرد بوسم HUMAN_AGENT خلال 7 أيام)
page-settings-utility = منحت Meta إذن الرسائل الخدمية (يمكن إرسال القوالب الخدمية المعتمدة في أي وقت)
page-settings-default-app = Fenestra هو التطبيق الافتراضي للصفحة في توجيه المحادثات
page-settings-domains = نطاقات لا تُعد روابطها ترويجية
page-settings-domains-hint = نطاق في كل سطر، مثل shop.example.com: متجرك وموقع الحجز.
forbidden-page-settings = المشرف وحده يمكنه تغيير إعدادات الصفحة.
invalid-domain = «{ $domain }» ليس اسم نطاق مثل shop.example.com.

# Settings → Users
users-title = المستخدمون
users-name = الاسم
users-role = الدور
users-state = الحالة
users-admin = مشرف
users-agent = موظف
users-active = نشط
users-disabled = معطّل
users-disable = تعطيل
users-enable = تفعيل
users-add = إضافة مستخدم
users-first-password = كلمة المرور الأولى
users-first-password-hint = سلّمها له شخصيًا؛ ويغيّرها من حسابي.
forbidden-users = المشرف وحده يمكنه إضافة المستخدمين أو تعطيلهم.
invalid-username = لا يصلح «{ $name }» اسمًا للمستخدم: من 2 إلى 32 حرفًا من a-z و0-9 والنقطة والشرطة والشرطة السفلية.
invalid-username-taken = يوجد مستخدم باسم «{ $name }» بالفعل.
invalid-disable-self = لا يمكنك تعطيل نفسك: يمكن لمشرف آخر ذلك.

# Settings → Templates
templates-title = القوالب
templates-hint = تصل القوالب الخدمية التي وافقت عليها Meta إلى العميل في أي وقت بتحديث عن طلب أو حجز (منذ أبريل 2026 بدل ثلاثة وسوم للرسائل)؛ دون ترويج.
templates-name = الاسم
templates-language = اللغة
templates-status = المراجعة
templates-body = النص
templates-body-hint = مرحبًا {"{{first_name}}"}، تم شحن طلبك {"{{order_id}}"}.
templates-sync = تحديث من Meta
templates-submit = إرسال للمراجعة
templates-approved = معتمد
templates-pending = قيد المراجعة
templates-rejected = مرفوض
templates-paused = متوقف
forbidden-templates = المشرف وحده يمكنه إرسال القوالب.
invalid-template-name = لا يصلح «{ $name }» اسمًا لقالب: أحرف صغيرة وأرقام وشرطات سفلية.
invalid-template-body = يحتاج القالب إلى نص.

# The admins' banner
alert-connection-lost = الصفحة { $page } غير متصلة: رفضت Meta اشتراك الويب هوك أو رمز الصفحة، فقد لا تصل الرسائل الجديدة.
alert-connection-what = ما العمل
page-settings-reconnect = إن رفضت Meta رمز الصفحة فأعطِ Fenestra رمزًا جديدًا (fenestra page add --id … --token …)؛ ويعيد Fenestra اشتراك الصفحة بنفسه إن ألغته Meta.

## ربط صفحة (تسجيل الدخول بفيسبوك)
connect-title = ربط صفحة
connect-again = الربط من جديد
connect-intro = يجيب Fenestra باسم صفحتك على فيسبوك عبر تطبيقك على Meta. الصق عنوان الويب هوك في لوحة تطبيقات Meta، وسجّل الدخول بفيسبوك، ثم اختر الصفحات.
connect-step-webhook = 1. في لوحة تطبيقات Meta (Webhooks → Page)، أدخل عنوان الاستدعاء ورمز التحقق هذين. يشترك Fenestra بهما أيضًا عند الربط.
connect-callback-url = عنوان الاستدعاء (Callback URL)
connect-verify-token = رمز التحقق (Verify token)
connect-step-login = 2. سجّل الدخول بفيسبوك بحساب شخص يدير الصفحة، واسمح بما يطلبه Fenestra.
connect-login-business = تسجيل الدخول بفيسبوك للأعمال، الإعداد { $id }.
connect-login-manual = تسجيل الدخول بفيسبوك، مع طلب: { $scopes }.
connect-no-marketing = الرسائل التسويقية المدفوعة تحتاج تسجيل الدخول بفيسبوك للأعمال: اضبط FENESTRA_LOGIN_CONFIG_ID.
connect-login-button = المتابعة مع فيسبوك
connect-not-configured = ربط صفحة يحتاج معرّف تطبيقك على Meta والعنوان الذي تصل منه Meta إلى Fenestra: شغّل fenestra serve مع ‎--app-id (FENESTRA_APP_ID) و‎--public-url (FENESTRA_PUBLIC_URL). وإلى ذلك الحين، أضف صفحة بالأمر fenestra page add.
connect-step-choose = 3. اختر الصفحات التي يجيب عنها Fenestra.
connect-tasks = مهامك: { $tasks }
connect-choose-button = ربط الصفحات المحددة
connection-title = الاتصال
connection-token = رمز الوصول
connection-token-valid = الرمز يعمل ولا تنتهي صلاحيته من تلقاء نفسه.
connection-token-expires = الرمز يعمل حتى { $date }.
connection-token-invalid = ترفض Meta الرمز: { $error }. اربط الصفحة من جديد.
connection-permissions = الأذونات: { $list }
connection-error = تعذّر سؤال Meta: { $error }
connection-subscription = الويب هوك
connection-complete = مشترك في كل الأحداث التي يحتاجها Fenestra، على مستوى التطبيق ومستوى الصفحة.
connection-missing = هذه الأحداث لا تصل إلى Fenestra (غير مشترك فيها على المستويين): { $fields }. اربط الصفحة من جديد.
connection-arrival-yes = الويب هوك من هذه الصفحة يصل: آخره { $ago }.
connection-arrival-waiting = لم يصل أي ويب هوك من هذه الصفحة بعد. راسل الصفحة من ماسنجر: يتحدّث هذا السطر من تلقاء نفسه.
connection-features = ما منحته Meta للصفحة
connection-human-agent = الوكيل البشري (يجيب شخص خلال 7 أيام): { $review }
connection-utility = رسائل الخدمات من قوالب معتمدة: { $review }
connection-marketing-yes = الرسائل التسويقية المدفوعة: مسموح بها لهذا الرمز.
connection-marketing-no = الرسائل التسويقية المدفوعة: غير مسموح بها لهذا الرمز (تحتاج تسجيل الدخول بفيسبوك للأعمال مع ads_management وpaid_marketing_messages).
connection-default-app-yes = توجيه المحادثات: Fenestra هو التطبيق الافتراضي للصفحة، كما تقول إعدادات الصفحة (تعرضه Meta في إعدادات الصفحة ← المراسلة المتقدمة).
connection-default-app-no = توجيه المحادثات: تطبيق آخر هو الافتراضي للصفحة، فلا يستطيع Fenestra الكتابة في محادثات لا يتحكم بها أحد. غيّره في إعدادات الصفحة لدى Meta (المراسلة المتقدمة)، ثم هنا.
connect-review-approved = معتمد
connect-review-pending = قيد المراجعة
connect-review-refused = مرفوض أو مقيّد
connect-review-unknown = لم يُطلب
invalid-no-managed-pages = حساب فيسبوك هذا لا يدير أي صفحة: سجّل الدخول بحساب شخص له دور في الصفحة.
invalid-login-refused = أُلغي تسجيل الدخول بفيسبوك أو رُفض: { $why }
invalid-login-expired = تسجيل الدخول هذا غير معروف أو مضى عليه أكثر من 15 دقيقة: ابدأ من جديد.
invalid-login-not-configured = ربط صفحة يحتاج FENESTRA_APP_ID (‎--app-id) وFENESTRA_PUBLIC_URL (‎--public-url).

## المواعيد والعملاء المحتملون
nav-bookings = المواعيد
nav-leads = العملاء المحتملون
bookings-title = المواعيد
bookings-page = الصفحة
bookings-none = لا مواعيد في الأسبوع القادم.
bookings-no-setup = لا تقبل هذه الصفحة الحجوزات بعد: أضف قسم الحجز (الخدمات والموظفون والساعات) إلى مسارات الصفحة.
bookings-time = الوقت
bookings-customer = العميل
bookings-service = الخدمة
bookings-with = مع
bookings-reminder = التذكير
bookings-reminder-none = لا يوجد
bookings-reminder-pending = بانتظار الإرسال
bookings-reminder-sent = أُرسل
bookings-reminder-template = أُرسل كقالب
bookings-reminder-dropped = أُلغي: كان الموعد قد بدأ
bookings-reminder-impossible = لم يُرسل: لا توجد طريقة متوافقة (انظر المحادثة)
bookings-cancelled = ملغى
bookings-cancel = إلغاء
bookings-move = نقل
bookings-when = متى
bookings-moved = نُقل الموعد.
bookings-full = هذا الوقت غير مناسب: خارج ساعات العمل أو محجوز بالكامل.
leads-title = العملاء المحتملون
leads-hint = ما جمعته المسارات ونماذج العملاء المحتملين من Meta من كل عميل.
leads-csv = التنزيل بصيغة CSV
leads-none = لا يوجد عملاء محتملون بعد.
leads-updated = آخر تحديث

## المسارات
flows-title = المسارات
flows-none = لا مسارات بعد: اكتبها أدناه، أو طبّق examples/flows/salon.yaml.
flows-trigger = يبدأ عند: { $trigger }
flows-steps = { $n ->
    [zero] لا خطوات
    [one] خطوة واحدة
    [two] خطوتان
    [few] { $n } خطوات
   *[other] { $n } خطوة
}
flows-customers = { $n ->
    [zero] لا عملاء فيه الآن
    [one] عميل واحد فيه الآن
    [two] عميلان فيه الآن
    [few] { $n } عملاء فيه الآن
   *[other] { $n } عميلًا فيه الآن
}
flows-try = جرّبه
flows-try-inputs = ما يكتبه العميل، رسالة في كل سطر
flows-try-hint = اكتب الضغطة على زر هكذا [PAYLOAD]. لا يُرسل شيء ولا يُحفظ شيء؛ ولا يُتصل بأنظمتك.
flows-try-language = لغة العميل
flows-try-run = تشغيل
flows-try-customer = العميل:
flows-try-bot = البوت:
flows-try-retry = (كلمات Fenestra: الإجابة غير مناسبة، يرجى الإجابة مجددًا)
flows-try-slots = (تُعرض الأوقات المتاحة لـ { $service })
flows-try-saved = حُفظ: { $field } = { $value }
flows-try-labels = التصنيفات: +{ $add } −{ $remove }
flows-try-handover = حُوّل إلى شخص
flows-try-unbook = أُلغيت المواعيد القادمة
flows-try-not-called = لا يُتصل بـ { $url } في التجربة: يُشغَّل مسار الخطأ
flows-try-end = نهاية المسار
flows-document-hint = المستند كاملًا كما يكتبه fenestra flows export؛ يشرح docs/flows.md كل خطوة.
flows-kind-send = إرسال
flows-kind-ask = سؤال
flows-kind-branch = تفرّع
flows-kind-labels = تصنيفات
flows-kind-wait = انتظار
flows-kind-handover = تحويل لشخص
flows-kind-book = حجز
flows-kind-unbook = إلغاء حجز
flows-kind-call = اتصال بنظام
flows-kind-unknown = ؟
flows-kind-else = وإلا
flows-kind-error = عند الخطأ
flows-decisions = آخر 30 يومًا: أُرسلت { $sent } رسالة، ورفضت السياسة { $refused }.
flows-no-step = لا توجد خطوة { $step } في مسارات هذه الصفحة.
flows-edit-step = تعديل خطوة:
flows-step-text = ما تقوله
flows-step-text-default = بأي لغة أخرى (الافتراضي)
flows-step-save = احفظ الإجابة في الحقل
flows-step-expect = يجب أن تكون الإجابة
flows-expect-text = أي نص
flows-expect-email = عنوان بريد إلكتروني
flows-expect-phone = رقم هاتف
flows-expect-number = رقمًا
flows-expect-date = تاريخًا
flows-expect-choice = أحد الخيارات
flows-step-choices = الخيارات
flows-step-choices-hint = خيار في كل سطر: القيمة: العنوان (العنوان الذي يضغطه العميل، والقيمة التي تُحفظ).
flows-step-wait = الانتظار لمدة (30m، 2h، 1d)
flows-step-labels-add = إضافة التصنيفات (مفصولة بفواصل)
flows-step-labels-remove = إزالة التصنيفات
flows-step-url = العنوان المطلوب الاتصال به
flows-step-next = ثم
flows-step-end = إنهاء المسار
flows-step-on-error = عند الفشل
flows-step-handover = التحويل إلى شخص
flows-step-kept = ما لا يعرضه هذا النموذج (الأزرار، البطاقات، الصور، فروع التفرّع، الحقول المحفوظة من الاتصال) يبقى كما هو؛ عدّله في المستند.
flows-step-text-in = بـ{ $language }

# Broadcasts, audiences, customer lists, marketing messages
nav-broadcasts = البث
forbidden-broadcasts = المشرف وحده يمكنه إرسال البث وتغيير الجماهير واستيراد قوائم العملاء.
broadcast-unknown = البث { $id } غير موجود.
broadcast-wrong-state = هذا البث في حالة { $status }: لا يمكن فعل ذلك الآن.
broadcast-campaign-refused = رفضت Meta حملة الرسائل التسويقية المدفوعة: { $detail }
broadcast-invalid = يرجى التحقق: { $detail }
audience-name-needed = أعطِ الجمهور اسمًا (حتى 80 حرفًا).
list-unreadable = تعذّرت قراءة القائمة: { $detail }
broadcasts-title = البث
broadcasts-new = بث جديد
audiences-title = الجماهير
broadcasts-intro = يُراسَل كل عميل فقط بطريقة تسمح بها Meta له: ضمن نافذة 24 ساعة، أو قالب خدمي معتمد، أو رمز إشعار، أو رسالة تسويقية مدفوعة. ويُتخطى الآخرون مع ذكر السبب.
broadcasts-name = الاسم
broadcasts-status = الحالة
broadcasts-progress = التقدم
broadcasts-sent = أُرسلت
broadcasts-skipped = تُخطّيت
broadcasts-none = لا يوجد بث بعد.
broadcast-status-scheduled = مجدول
broadcast-status-sending = قيد الإرسال
broadcast-status-paused = متوقف مؤقتًا
broadcast-status-done = اكتمل
broadcast-status-cancelled = أُلغي
broadcast-paused-manual = أوقفه شخص
broadcast-paused-late = تأخر أكثر من ساعة (لم يكن Fenestra يعمل): أكّد لإرساله الآن
broadcast-paused-policy_enforcement = أرسلت Meta إشعار تطبيق سياسة للصفحة
broadcast-paused-page_restricted = قيّدت Meta الصفحة من الإرسال
broadcast-paused-block_rate = حظر الصفحةَ عددٌ كبير من العملاء
broadcast-paused-error_rate = فشل عدد كبير من الرسائل
broadcast-paused-budget = نفدت ميزانية التسويق؛ يُستأنف عندما تسمح Meta
broadcast-paused-marketing_setup = يجب إصلاح إعداد التسويق المدفوع (الحساب الإعلاني، الشروط، الدفع)
marketing-title = الرسائل التسويقية المدفوعة
marketing-intro = تصل واجهة Meta للرسائل التسويقية إلى المشتركين خارج نافذة 24 ساعة، بدفع عن كل رسالة مُسلّمة (فيتنام وماليزيا و18 منطقة أخرى؛ لا تصل إلى من في الاتحاد الأوروبي أو المملكة المتحدة أو اليابان أو كوريا الجنوبية أو أستراليا).
marketing-saved = حُفظ.
marketing-ad-account = الحساب الإعلاني (act_…)
marketing-business-token = رمز النشاط التجاري (فارغ: رمز الصفحة)
marketing-daily-budget = الميزانية اليومية (أصغر وحدة)
marketing-block-rate = أوقف البث فوق نسبة الحظر هذه (%)
marketing-error-rate = أوقف البث فوق نسبة الأخطاء هذه (%)
marketing-default-country = دولة أرقام الهاتف بلا رمز
marketing-save = حفظ
broadcast-text = الرسالة
broadcast-text-hint = مرحبًا {"{{"}first_name{"}}"}، …
broadcast-languages = الرسالة بلغات أخرى
broadcast-image = صورة (عنوان https)
broadcast-who = إلى من
broadcast-everyone = كل جهات اتصال الصفحة
broadcast-segment = هذه الشروط:
broadcast-utility = خارج النافذة، قالب خدمي معتمد
broadcast-utility-none = لا شيء
broadcast-utility-params = معاملات القالب (اسم=قيمة في كل سطر)
broadcast-when = متى
broadcast-now = الآن
broadcast-at = في وقت محدد
broadcast-local = في الساعة نفسها حسب منطقة كل عميل
broadcast-at-time = التاريخ والوقت
broadcast-local-hour = الساعة المحلية
broadcast-window = فقط بين 8:00 و21:00 في يوم العميل
broadcast-plan = خطّط
segment-labels-any = بأي من هذه التسميات
segment-labels-none = بدون هذه التسميات
segment-active-within = نشط خلال (أيام)
segment-inactive-for = غير نشط منذ (أيام) على الأقل
segment-languages = اللغات
segment-countries = الدول
segment-source = جاء عبر (ref أو إعلان)
segment-field = حقل مُعطى
segment-marketing = مشترك في الرسائل التسويقية
segment-booking = لديه موعد قادم
segment-any = أيًّا كان
segment-yes = نعم
segment-no = لا
plan-title = الخطة
plan-recipients = { $n ->
    [zero] لا مستلمين
    [one] مستلم واحد
    [two] مستلمان
    [few] { $n } مستلمين
    [many] { $n } مستلمًا
   *[other] { $n } مستلم
}
plan-promotional = محتوى ترويجي: خارج النافذة لا تحمله إلا الرسائل التسويقية المدفوعة
plan-path = المسار
plan-count = العملاء
plan-path-update = ضمن نافذة 24 ساعة
plan-path-utility = قالب خدمي
plan-path-notification = إشعار متكرر
plan-path-one_time = إشعار لمرة واحدة
plan-path-marketing = رسالة تسويقية مدفوعة
plan-path-skipped = تُخطّي
plan-skipped = ما تُخطّي ولماذا
plan-estimate = تقدير Meta للجزء المدفوع (التسليمات · التكلفة)
plan-samples = خمسة عملاء وأحكامهم
plan-send = أرسل كما خُطّط
broadcast-pause = إيقاف مؤقت
broadcast-resume = استئناف
broadcast-cancel = إلغاء
result-planned = بانتظار الإرسال
result-queued = في الطابور
result-sent = أُرسلت
result-delivered = سُلّمت
result-read = قُرئت
result-replied = ردّوا
result-blocked = حظروا الصفحة
result-failed = فشلت
result-refused = رُفضت عند الإرسال (تغيّرت القواعد)
result-skipped = تُخطّيت
broadcast-reasons = لماذا تُخطّي العملاء أو رُفضوا
broadcast-skipped-csv = قائمة المتخطَّين (CSV)
broadcast-results-csv = كل النتائج (CSV)
audiences-contacts = { $n ->
    [zero] لا جهات اتصال
    [one] جهة اتصال واحدة
    [two] جهتا اتصال
    [few] { $n } جهات اتصال
    [many] { $n } جهة اتصال
   *[other] { $n } جهة اتصال
}
audience-name = الاسم
audience-count = جهات الاتصال الآن
audience-delete = حذف
audiences-none = لا جمهور محفوظ بعد.
audience-new = جمهور جديد
audience-save = احفظ الجمهور
list-intro = ملف CSV فيه الهاتف و/أو البريد وعمود الموافقة. يُوسم من أعطى Fenestra الرقم أو العنوان نفسه؛ لا يُراسَل أحد برقم هاتفه. ويمكن إرسال الآخرين إلى أدوات Meta الإعلانية كملف مُجزّأ.
list-name = اسم القائمة
list-file = ملف CSV
list-import = استيراد
list-rows = { $n ->
    [zero] لا صفوف
    [one] صف واحد
    [two] صفان
    [few] { $n } صفوف
    [many] { $n } صفًا
   *[other] { $n } صف
}
list-without-consent = { $n } بلا موافقة (أُسقطت)
list-matched = { $n } مطابقة
list-unmatched = { $n } غير مطابقة
list-labelled = العملاء المطابقون يحملون التسمية { $label }.
list-invalid = صفوف تعذّرت قراءتها
list-line = السطر { $line }
list-hashed = نزّل غير المطابقين كملف مُجزّأ لأدوات Meta الإعلانية
optin-ask = اطلب الاشتراك في العروض
optin-hint = طلب الاشتراك من Meta، ضمن نافذة 24 ساعة فقط، مرة لكل عنوان أسبوعيًا. ثم يمكن للمشتركين تلقي رسائل تسويقية مدفوعة.
optin-title = العنوان
optin-title-placeholder = عروض أسبوعية
optin-send = أرسل الطلب
optin-refused = لا يمكن إرسال الطلب الآن ({ $rule }).
optin-too-soon = أُرسل طلب بعنوان «{ $title }» لهذا العميل منذ أقل من أسبوع.
optin-title-too-long = العنوان 65 حرفًا كحد أقصى.
customer-list-title = استيراد قائمة عملاء

# Comments inbox and links (entry points).
nav-comments = التعليقات
nav-links = الروابط و QR
comments-title = التعليقات على منشورات الصفحة
comments-post = المنشور
comments-all-posts = كل المنشورات
comments-unanswered = بلا رد
comments-with-private-reply = تم الرد عليها بشكل خاص
comments-filter = عرض
comments-open-post = افتح على فيسبوك
comments-by-page = الصفحة
comments-open-conversation = افتح المحادثة
comments-hidden = مخفي
comments-removed = محذوف
comments-edited = معدّل
comments-replied = تم الرد علنًا
comments-private-sent = أُرسل الرد الخاص
comments-public-placeholder = رد تحت التعليق…
comments-reply-public = رد علني
comments-private-placeholder = رسالة على ماسنجر…
comments-reply-private = أرسل ردًا خاصًا
comments-private-closed = الرد الخاص ممكن فقط خلال 7 أيام من التعليق.
comments-hide = إخفاء
comments-unhide = إظهار
comments-delete = حذف
comments-delete-confirm = حذف هذا التعليق على فيسبوك؟ لا يمكن التراجع.
comments-none = لا تعليقات بعد. تظهر هنا عندما يكتبها العملاء تحت منشورات الصفحة.
comments-done = أُرسل إلى فيسبوك.
comments-unknown-action = لا يستطيع Fenestra فعل ذلك بتعليق.
links-title = الروابط ورموز QR ومن أين يأتي العملاء
links-hint = رابط m.me مع ref يحسب كل من يصل عبره. اطبع رمز QR الخاص به للكاشير.
links-period = الفترة
links-days = { $n ->
    [zero] لا أيام
    [one] آخر يوم
    [two] آخر يومين
    [few] آخر { $n } أيام
   *[other] آخر { $n } يومًا
}
links-get-started-missing = ليس للصفحة زر «البدء»: لا تفتح Meta رابط m.me لعميل جديد إلا عبره.
links-open-automations = اضبطه في الأتمتة
links-saved = حُفظ الرابط { $ref }.
links-new = أنشئ رابطًا
links-ref = المرجع (ref)
links-ref-hint = حروف لاتينية وأرقام و - _ = فقط: تحذف Meta أي شيء آخر.
links-name = الاسم
links-prefill = نص جاهز في خانة كتابة العميل
links-label = تصنيف لمن يصل
links-kind = النوع
links-source-link = رابط m.me
links-source-ad = إعلان
links-kind-signed = روابط موقّعة (إيصالات)
links-save = حفظ
links-entry-points = روابطك
links-none = لا روابط بعد.
links-code = رمز QR
links-new-conversations = محادثات جديدة
links-arrivals = آخر الوافدين
links-leads = عملاء محتملون
links-bookings = الحجوزات
links-broadcast-replies = ردوا على بث
links-link = الرابط
links-card-language = لغة البطاقة
links-card = بطاقة
links-delete = إزالة
links-delete-confirm = إزالة هذا الرابط؟ تبقى الرموز المطبوعة صالحة، ويُحسب الوافدون كمرجع غير معروف.
links-other-sources = مصادر أخرى
links-no-sources = لا عملاء في هذه الفترة.
links-source = المصدر
links-source-comment = تعليق
links-source-get-started = زر البدء
links-source-organic = كتب من تلقاء نفسه
links-signed-title = روابط موقّعة للإيصالات
links-signed-hint = يحمل الرابط رقم طلب أو عميل موقّعًا: عندما يكتب العميل تظهره المحادثة. لا يُوثق أبدًا برابط معدّل.
links-signed-entry = يُحتسب ضمن
links-signed-subject = ما يحمله
links-signed-order = طلب
links-signed-customer = عميل
links-signed-id = الرقم
links-signed-make = أنشئ الرابط
links-unknown = لا يوجد رابط { $ref }.
links-invalid = { $field }: { $problem }
forbidden-entry-points = المشرف وحده يمكنه إنشاء الروابط ورموز QR والروابط الموقّعة أو إزالتها.

# The thread: how the customer arrived, their comments.
profile-latest-arrival = آخر وصول
profile-comments = تعليقاته

# Analytics: responsiveness.
nav-analytics = التحليلات
analytics-title = مدى سرعة الفريق وانتظامه في الرد
analytics-from = من
analytics-to = إلى
analytics-show = عرض
analytics-team = الفريق
analytics-response-rate = معدل الرد
analytics-median = الوقت الوسيط للرد
analytics-p90 = 90 % تم الرد عليها خلال
analytics-requests = تم الرد / طُلب
analytics-before = الفترة السابقة:
analytics-team-hint = تُحتسب رسالة العميل التي لم يرد عليها أحد مرة واحدة؛ وأول رد من الصفحة خلال 24 ساعة يغلقها. الردود الفورية ورسائل الغياب ليست ردودًا.
analytics-updating = لا تزال بعض المحادثات قيد الاحتساب (بعد إعادة البناء أو تدفق كبير للرسائل): ستتغير هذه الأرقام خلال بضع دقائق.
analytics-badge = شارة «سريع الاستجابة جدًا» من Meta (تقدير)
analytics-badge-met = المعايير مستوفاة.
analytics-badge-unmet = المعايير غير مستوفاة.
analytics-badge-rate = معدل رد 90 % على الأقل
analytics-badge-time = وقت الرد 15 دقيقة على الأكثر
analytics-badge-more = { $n ->
    [zero] لا حاجة لردود إضافية.
    [one] أجب عن محادثة واحدة أخرى خلال 15 دقيقة لبلوغ 90 %.
    [two] أجب عن محادثتين أخريين خلال 15 دقيقة لبلوغ 90 %.
    [few] أجب عن { $n } محادثات أخرى خلال 15 دقيقة لبلوغ 90 %.
   *[other] أجب عن { $n } محادثة أخرى خلال 15 دقيقة لبلوغ 90 %.
}
analytics-badge-faster = أجب أسرع: يجب ألا يتجاوز متوسط أسرع 90 % من الردود 15 دقيقة.
analytics-badge-uncertain = قواعد الشارة مأخوذة من مركز مساعدة Meta كما ينقلها آخرون: لا يُنشر إن كانت تنظر في 7 أو 30 يومًا ولا كيف تُستبعد المحادثات المعلَّمة كمزعجة أو منتهية. ردود روبوت Fenestra تُحتسب؛ وساعات الغياب توقف العدّاد.
analytics-by-day = يومًا بيوم
analytics-day = اليوم
analytics-none = لم يكتب أي عميل في هذه الفترة.
analytics-by-agent = حسب الموظف
analytics-agent = الموظف
analytics-answered = تم الرد
analytics-no-agents = لم يرد أي موظف في Fenestra في هذه الفترة.
analytics-median-minutes = الوسيط (دقائق)
analytics-seconds = { $n } ث
analytics-minutes = { $n } د
analytics-hours = { $n } س

# Analytics: volume, audience, compliance.
analytics-volume = الحجم
analytics-messages-in = رسائل من العملاء
analytics-messages-out = رسائل من الصفحة
analytics-new = عملاء جدد
analytics-returning = عملاء عائدون
analytics-opted-out = ألغوا الاشتراك
analytics-heat = متى يكتب العملاء
analytics-audience = من يكتب
analytics-compliance = ما قررته السياسة
analytics-allowed = مسموح
analytics-refused = رُفض قبل Meta
analytics-warned = مع تحذيرات
analytics-count = العدد
analytics-ratings = التقييمات عند الإغلاق

# Analytics: outcomes.
analytics-outcomes = ما الذي أدت إليه الرسائل
analytics-no-outcomes = لم يبدأ أي بث ولم يعمل أي مسار في هذه الفترة.
analytics-planned = مخطط
analytics-sent = أُرسل
analytics-delivered = تم التسليم
analytics-read = قُرئ
analytics-replied = ردّوا
analytics-flow = المسار
analytics-started = بدأ
analytics-finished = انتهى

# Analytics: Meta Page insights.
analytics-insights = الحظر والإبلاغ (إحصاءات Meta)
analytics-no-insights = لم يُجلب شيء من Meta بعد: يسأل Fenestra كل ساعة (يحتاج إذن read_insights).
analytics-metric = المقياس
analytics-metric-blocked-conversations-unique = محادثات محظورة
analytics-metric-reported-conversations-unique = محادثات مُبلَّغ عنها
analytics-metric-new-conversations-unique = محادثات جديدة (Meta)
analytics-metric-total-messaging-connections = الأشخاص الذين يمكن للصفحة مراسلتهم
