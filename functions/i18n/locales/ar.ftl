# Herald — العربية. قواعد الترجمة في أول en.ftl وفي docs/i18n.md.
# صيغ الجمع: [zero] 0 · [one] 1 · [two] 2 · [few] 3–10 · [many] 11–99 · *[other] 100، 101، 102…
# لا تكتب علامات الاتجاه بنفسك: المترجم البرمجي يعزل المتغيرات والأوامر (/latest) والمعرّفات (@jdoe).

## Shared

common-button-out-of-date-toast = هذا الزر لم يعد صالحًا. أرسل /latest لتبدأ من جديد.
common-error-toast = عذرًا، حدث خطأ ما. حاول مرة أخرى.
common-error = عذرًا، حدث خطأ ما. حاول مرة أخرى بعد قليل.
common-button-page = · { $page } ·
common-button-article = 📄 { $title }
common-button-author = 👤 { $name }

## /start, /help and unknown commands

start-welcome =
    👋 أهلًا بك يا { $name }!

    أرسل إليك ملخصات أحدث مقالاتنا، وأتيح لك متابعة كتّابك المفضلين وأنبّهك حين ينشرون جديدًا، وأساعدك على مشاركة المقالات مع أصدقائك.

    جرّب /latest أو /authors، أو /help لتعرف كل ما أستطيع فعله.
start-button-latest = 📰 أحدث المقالات
start-button-authors = ✍️ الكتّاب
start-share-link-invalid = 🤷 رابط المشاركة هذا لم يعد صالحًا. إليك الجديد بدلًا منه:
start-link-invalid = 🤷 هذا الرابط لا يقود إلى شيء أعرفه. إليك الجديد بدلًا منه:
start-unknown-command = لا أعرف هذا الأمر. أرسل /help لترى ما أستطيع فعله.
help-text =
    <b>Herald</b> يحمل مقالاتنا إليك في تيليجرام.

    /latest — أحدث المقالات
    /authors — جميع الكتّاب
    /author &lt;المعرّف&gt; — الملف التعريفي لكاتب
    /search &lt;كلمات&gt; — البحث عن مقالات بكلمات من العنوان
    /subscribe &lt;المعرّف&gt; — تنبيه عندما ينشر الكاتب
    /unsubscribe &lt;المعرّف&gt; — إيقاف هذه التنبيهات
    /subscriptions — الكتّاب الذين تتابعهم
    /settings — التنبيهات الفورية أو الموجزات، المنطقة الزمنية، ساعات الهدوء
    /tag &lt;موضوع&gt; — متابعة موضوع (أرسله مرة أخرى للإلغاء)
    /tags — المواضيع الأكثر متابعة
    /shared — ما شاركته وكم صديقًا فتحه
    /language — اختيار لغة الحديث
    /privacy — ما أحفظه عنك، و‏/forget_me لمحوه
    /cancel — التوقف عن كتابة تعليق
    /help — هذه القائمة

    يمكنك أيضًا كتابة كلمات للبحث في العناوين، أو استخدامي في أي محادثة: اكتب @ ثم اسمي ثم الكلمات.

## Command menu (setMyCommands; plain text, at most 256 characters)

commands-start-description = الترحيب وما يفعله هذا البوت
commands-help-description = قائمة الأوامر
commands-latest-description = أحدث المقالات، الأحدث أولًا
commands-authors-description = تصفّح الكتّاب
commands-author-description = الملف التعريفي لكاتب، مثل: /author jdoe
commands-search-description = البحث عن مقالات بكلمات من العنوان
commands-subscriptions-description = الكتّاب الذين تتابعهم
commands-settings-description = تنبيهات فورية أو موجزات، المنطقة الزمنية، ساعات الهدوء
commands-tag-description = متابعة موضوع، مثل: /tag المناخ
commands-tags-description = المواضيع الأكثر متابعة
commands-shared-description = ما شاركته وكم صديقًا فتحه
commands-language-description = اختيار لغة الحديث
commands-privacy-description = ما يحفظه Herald عنك وكيف تمحوه

## /language

language-prompt = اختر اللغة التي أحدّثك بها:
language-changed = تم: سأحدّثك بالعربية من الآن.
language-changed-toast = اللغة: العربية

## Articles: the card, the full text, the latest list

articles-card-byline = بقلم { $author } ({ $handle }) · { $date }
articles-card-byline-reading =
    بقلم { $author } ({ $handle }) · { $date } · { $minutes ->
        [zero] قراءة سريعة
        [one] قراءة في دقيقة واحدة
        [two] قراءة في دقيقتين
        [few] قراءة في { $minutes } دقائق
        [many] قراءة في { $minutes } دقيقة
       *[other] قراءة في { $minutes } دقيقة
    }
articles-card-counters =
    👁 المشاهدات: { $views } · { $replies ->
        [0] 💬 لا تعليقات بعد
       *[other] 💬 التعليقات: { $replies }
    }
articles-button-read-full = 📖 اقرأ المقال كاملًا
articles-button-share = 📤 شاركه مع صديق
articles-button-comments =
    { $count ->
        [0] 💬 التعليقات
       *[other] 💬 التعليقات ({ $count })
    }
articles-full-page-footer = <i>الصفحة { $page } من { $pages }</i>
articles-button-back-to-card = ↩️ العودة إلى البطاقة
articles-latest-title =
    { $page ->
        [1] <b>📰 أحدث المقالات</b>
       *[other] <b>📰 أحدث المقالات</b> · الصفحة { $page }
    }
articles-latest-empty = لم يُنشر شيء بعد.
articles-list-no-more = لا مزيد من المقالات.
articles-list-item = { $n }. <b>{ $title }</b> — { $author } · { $date }
articles-list-item-no-author = { $n }. <b>{ $title }</b> · { $date }
articles-list-button = { $n }. { $title }
articles-unavailable-toast = هذا المقال لم يعد متاحًا.
articles-not-found = 🤷 لم أجد هذا المقال. إليك الجديد بدلًا منه:
articles-page-gone-toast = هذه الصفحة لم تعد موجودة، فقد تغيّر المقال.

## Authors: profile, list, an author's articles

articles-by-author-title =
    { $page ->
        [1] <b>مقالات { $author }</b>
       *[other] <b>مقالات { $author }</b> · الصفحة { $page }
    }
articles-by-author-empty = لا مقالات بعد.
authors-profile-heading = <b>{ $name }</b> ({ $handle })
authors-profile-since = عضو منذ: { $date }
authors-profile-counters = المقالات: { $articles } · المشتركون: { $subscribers }
authors-profile-site = <a href="{ $url }">{ $label }</a>
authors-profile-latest = <b>أحدث المقالات</b>
authors-profile-no-articles = <i>لا مقالات بعد.</i>
authors-button-all-articles = 📚 كل المقالات
authors-button-subscribe = 🔔 اشترك
authors-button-unsubscribe = 🔕 إلغاء الاشتراك
authors-list-title =
    { $page ->
        [1] <b>✍️ الكتّاب</b>
       *[other] <b>✍️ الكتّاب</b> · الصفحة { $page }
    }
authors-list-empty =
    <b>الكتّاب</b>

    لا يوجد كتّاب بعد.
authors-list-item =
    <b>{ $name }</b> ({ $handle }) · { $count ->
        [zero] لا مقالات
        [one] مقال واحد
        [two] مقالان
        [few] { $count } مقالات
        [many] { $count } مقالًا
       *[other] { $count } مقال
    }
authors-unavailable-toast = هذا الكاتب لم يعد متاحًا.
authors-not-found = 🤷 لا أعرف كاتبًا بالمعرّف { $handle }. إليك الكتّاب الذين أعرفهم:
authors-handle-invalid = معرّف الكاتب يبدو هكذا: @jdoe (حروف لاتينية وأرقام و_). أرسل /authors لترى الجميع.

## Search

search-results-title =
    { $page ->
        [1] <b>🔎 عناوين فيها «{ $query }»</b>
       *[other] <b>🔎 عناوين فيها «{ $query }»</b> · الصفحة { $page }
    }
search-results-empty = لا يطابق بحثك أي عنوان. جرّب كلمات أقل أو أقصر، أو أرسل /latest.
search-usage = طريقة البحث: /search &lt;كلمات&gt;، مثل: /search دراجات المدينة. أبحث عن الكلمات التي تبدأ بها كلمات العنوان، بأي لغة.
search-too-fast = أنت تبحث بسرعة كبيرة — يُرجى الانتظار دقيقة ثم المحاولة مجددًا.
search-too-short = اكتب حرفين على الأقل من الكلمة: لا يُبحث عن الحروف والأرقام المفردة.

## Subscriptions

subscriptions-empty = لا تتابع أحدًا بعد. افتح كاتبًا من /authors واضغط 🔔 اشترك.
subscriptions-title = <b>🔔 اشتراكاتك</b>
subscriptions-item = • { $name } ({ $handle })
subscriptions-footer = يصلك تنبيه واحد كلما نشر أحدهم.
subscriptions-subscribe-usage = طريقة الاشتراك: /subscribe &lt;المعرّف&gt;، مثل: /subscribe jdoe. انظر /authors.
subscriptions-unsubscribe-usage = طريقة الإلغاء: /unsubscribe &lt;المعرّف&gt;. أرسل /subscriptions لترى من تتابع.
subscriptions-unknown-author = لا أعرف كاتبًا بالمعرّف { $handle }. انظر /authors.
subscriptions-subscribed = 🔔 اشتركت في { $name }. سيصلك تنبيه عندما ينشر جديدًا.
subscriptions-subscribed-toast = 🔔 اشتركت في { $name }. سيصلك تنبيه عندما ينشر جديدًا.
subscriptions-already = أنت تتابع { $name } بالفعل.
subscriptions-already-toast = أنت تتابع { $name } بالفعل. أرسل /subscriptions لإدارة اشتراكاتك.
subscriptions-unsubscribed = 🔕 ألغيت اشتراكك في { $name }.
subscriptions-not-subscribed = لم تكن مشتركًا في { $handle }.
subscriptions-unsubscribed-toast = 🔕 أُلغي الاشتراك.
subscriptions-not-subscribed-toast = لم تكن مشتركًا.

## Comments

comments-title = 💬 <b>التعليقات على «{ $title }»</b>
comments-none = لا توجد تعليقات على هذا المقال بعد. كن أول من يعلّق!
comments-no-more = لا مزيد من التعليقات.
comments-item-heading = <b>{ $name }</b> · { $time } UTC
comments-button-post = ✍️ أضف تعليقًا
comments-button-article = ↩️ المقال
comments-cancelled = أُلغي التعليق ولم يُنشر شيء.
comments-nothing-to-cancel = لا شيء لإلغائه.
comments-length-invalid =
    عدد الأحرف المسموح به في التعليق من 1 إلى { $max }، وتعليقك فيه { $length ->
        [zero] لا شيء
        [one] حرف واحد
        [two] حرفان
        [few] { $length } أحرف
        [many] { $length } حرفًا
       *[other] { $length } حرف
    }. أرسل تعليقًا أقصر، أو أرسل /cancel.
comments-too-fast = أنت تعلّق بسرعة كبيرة، انتظر دقيقة ثم أرسله مجددًا.
comments-article-gone = عذرًا، هذا المقال لم يعد متاحًا، لذلك لم يُنشر التعليق.
comments-banned = عذرًا، لم يعد بإمكانك نشر التعليقات هنا.
comments-button-full = 📖 { $name } — { $start }
comments-gone-toast = هذا التعليق لم يعد موجودًا.
comments-posted = ✅ نُشر تعليقك.
comments-button-see = 💬 عرض التعليقات
comments-prompt = ✍️ اكتب تعليقك على «{ $title }» (من 1 إلى { $max } حرف) ثم أرسله. أرسل /cancel للتوقف.
comments-input-placeholder = تعليقك
comments-admin-only-toast = حذف التعليقات للمشرفين فقط.

## Sharing

share-heading = شارك { $name } هذا المقال معك
share-heading-anonymous = شارك صديق هذا المقال معك
share-button-open-in-bot = 📖 افتحه في Herald
share-button-read-on-site = 🌐 اقرأه على الموقع
share-inline-description = بقلم { $author }
share-message =
    📤 <b>مشاركة «{ $title }»</b>

    اختر محادثة لترسل إليها البطاقة، أو شارك الرابط عبر تيليجرام، أو انسخ هذا الرابط وأعد توجيهه:
    <a href="{ $url }">{ $link }</a>

    <i>{ $opens ->
        [0] لم يفتحه أحد بعد.
        [one] فتحه صديق واحد.
        [two] فتحه صديقان.
        [few] فتحه { $opens } أصدقاء.
        [many] فتحه { $opens } صديقًا.
       *[other] فتحه { $opens } صديق.
    } أرسل /shared لترى كل ما شاركته.</i>
share-button-send-card = 📨 أرسل البطاقة إلى محادثة
share-button-share-link = 🔗 شارك الرابط
shared-empty = لم تشارك شيئًا بعد. افتح مقالًا واضغط 📤 شاركه مع صديق.
shared-title = <b>📤 ما شاركته</b>
shared-item =
    • <b>{ $title }</b> — { $opens ->
        [0] لم يفتحه أحد بعد
        [one] فتحه صديق واحد
        [two] فتحه صديقان
        [few] فتحه { $opens } أصدقاء
        [many] فتحه { $opens } صديقًا
       *[other] فتحه { $opens } صديق
    }

## Alerts

alerts-heading = جديد { $author }

## Digests (sent by the alert sender; the digest run of a slot)

digest-heading-daily = 📰 <b>موجزك اليومي</b> · { $count ->
        [zero] لا مقالات جديدة
        [one] مقال جديد واحد
        [two] مقالان جديدان
        [few] { $count } مقالات جديدة
        [many] { $count } مقالًا جديدًا
       *[other] { $count } مقال جديد
    }
digest-heading-weekly = 📰 <b>موجزك الأسبوعي</b> · { $count ->
        [zero] لا مقالات جديدة
        [one] مقال جديد واحد
        [two] مقالان جديدان
        [few] { $count } مقالات جديدة
        [many] { $count } مقالًا جديدًا
       *[other] { $count } مقال جديد
    }
digest-heading-held = 🌙 <b>ما وصل خلال ساعات الهدوء</b> · { $count ->
        [zero] لا مقالات جديدة
        [one] مقال جديد واحد
        [two] مقالان جديدان
        [few] { $count } مقالات جديدة
        [many] { $count } مقالًا جديدًا
       *[other] { $count } مقال جديد
    }
digest-author = ✍️ <b>{ $name }</b>
digest-item = { $n }. <b>{ $title }</b>
digest-summary = <i>{ $summary }</i>
digest-button-open = { $n }. { $title }
digest-part = الجزء { $part } من { $parts }

## /settings and /tag (how news arrives)

settings-title = ⚙️ <b>كيف تصلك الأخبار</b>
settings-mode = <b>المتابعات الجديدة:</b> { $mode } — هكذا تصلك مقالات الكاتب أو الوسم الذي تتابعه لاحقًا.
settings-zone = <b>المنطقة الزمنية:</b> { $zone } — الموجزات وساعات الهدوء تتبع توقيتك المحلي.
settings-hour = <b>وقت الموجز:</b> { $hour } — موعد وصول موجزك اليومي والأسبوعي.
settings-weekday = <b>الموجز الأسبوعي:</b> { $day } — اليوم الذي يصلك فيه موجز الأسبوع.
settings-quiet = <b>ساعات الهدوء:</b> { $quiet } — التنبيهات خلالها تصل بلا صوت أو تنتظر حتى تنتهي.
settings-quiet-off = متوقفة
# Quiet hours that are on; the action is its own message (a selector on a text argument would see its isolation marks).
settings-quiet-window-silent = { $from }–{ $to }، تصل بلا صوت
settings-quiet-window-hold = { $from }–{ $to }، تُؤجَّل حتى نهايتها
settings-zone-hint = ليست منطقتك؟ أرسل /settings مع اسم مدينة أو فرق التوقيت عن UTC، مثل /settings Asia/Riyadh أو /settings +03:00.
settings-zone-invalid = لا أعرف المنطقة الزمنية «{ $zone }». اكتب مدينة بصيغة المنطقة/المدينة (Asia/Riyadh أو Africa/Cairo) أو فرقًا مثل +03:00.
settings-follows = <b>ما تتابعه</b> — اضغط على أي منها للتبديل بين ⚡ فورًا و📰 يوميًا و🗓 أسبوعيًا:
settings-saved-toast = تم الحفظ
settings-button-mode-instant = ⚡ فورًا
settings-button-mode-daily = 📰 يوميًا
settings-button-mode-weekly = 🗓 أسبوعيًا
settings-button-quiet-off = 🔔 بلا ساعات هدوء
settings-button-quiet-silent = 🔕 22–07 بلا صوت
settings-button-quiet-hold = 🌙 22–07 تأجيل
tag-usage = الاستخدام: /tag &lt;موضوع&gt; — مثل /tag المناخ. أرسله مرة أخرى لإلغاء المتابعة.
tag-followed = 🏷 أنت الآن تتابع #{ $tag }. تصلك المقالات الموسومة به: { $mode }. يمكنك تغيير ذلك من /settings.
tag-unfollowed = لم تعد تتابع #{ $tag }.

## Delivery modes on lists, the time zone question, tags on cards and /tags

subscriptions-mode-legend = اضغط ⚡ أو 📰 أو 🗓 بجانب أي كاتب للتبديل بين التنبيه الفوري والموجز اليومي والأسبوعي.
subscriptions-latest = أحدث ما كتب { $name }:
settings-follow-mode-toast = { $target }: { $mode }
settings-zone-ask =
    🕗 تصلك الموجزات في الساعة { $hour } بتوقيتك. في أي منطقة زمنية أنت؟
    منطقتك ليست هنا؟ أرسل /settings مع اسم مدينة أو فرق التوقيت عن UTC، مثل /settings Asia/Riyadh أو /settings +03:00.
settings-zone-set = المنطقة الزمنية: { $zone }. تصلك الموجزات في { $hour } بتوقيتك المحلي، ويمكنك تغيير ذلك متى شئت من /settings.
articles-button-tags = 🏷 الوسوم
tags-article-title = 🏷 <b>مواضيع «{ $title }»</b> — اضغط على موضوع لمتابعته، ومرة أخرى لإلغائها.
tags-button-follow = ➕ #{ $tag }
tags-button-following = ✓ #{ $tag }
tag-followed-toast = تتابع الآن #{ $tag }
tag-unfollowed-toast = لم تعد تتابع #{ $tag }
tag-latest = أحدث المقالات في #{ $tag }:
tags-title = 🏷 <b>المواضيع الأكثر متابعة</b>
tags-item = #{ $tag } — { $count ->
        [zero] لا متابعين
        [one] متابع واحد
        [two] متابعان
        [few] { $count } متابعين
        [many] { $count } متابعًا
       *[other] { $count } متابع
    }
tags-footer = اضغط على موضوع لمتابعته (✓ يعني أنك تتابعه، واضغط مرة أخرى للإلغاء). لغيره: /tag &lt;موضوع&gt;.
tags-empty = لا أحد يتابع أي موضوع بعد. تابع موضوعًا من زر 🏷 الوسوم في أي مقالة أو بالأمر /tag &lt;موضوع&gt;.

## Channels: the card Herald posts in the publisher's channel (its buttons open the bot)

channels-button-read = 📖 اقرأ المقال كاملًا
channels-button-subscribe = 🔔 تابِع الكاتب
channels-button-comments = 💬 التعليقات
# A channel post whose article was deleted, once it is too old for Telegram to delete.
channels-post-removed = 🗑 <i>حذف الناشر هذا المقال.</i>

## Groups: a group (or one forum topic of it) follows authors; only the group's admins change that

groups-admins-only = يستطيع مشرفو هذه المجموعة وحدهم تغيير الكتّاب الذين تتابعهم.
groups-subscribe-usage = الاستخدام: /subscribe@{ $bot } &lt;المعرّف&gt; أو #وسم، مثل /subscribe@{ $bot } jdoe أو /subscribe@{ $bot } #climate. بعدها تُنشر هنا مقالات هذا الكاتب الجديدة، أو المقالات الجديدة الموسومة بهذا الوسم.
groups-unsubscribe-usage = الاستخدام: /unsubscribe@{ $bot } &lt;المعرّف&gt; أو #وسم.
groups-subscribed = 🔔 صارت هذه المجموعة تتابع { $name }: ستُنشر هنا مقالاته الجديدة.
groups-subscribed-topic = 🔔 صار هذا الموضوع يتابع { $name }: ستُنشر هنا مقالاته الجديدة.
groups-subscribed-tag = 🏷 صارت هذه المجموعة تتابع #{ $tag }: ستُنشر هنا المقالات الجديدة الموسومة به.
groups-subscribed-tag-topic = 🏷 صار هذا الموضوع يتابع #{ $tag }: ستُنشر هنا المقالات الجديدة الموسومة به.
groups-unsubscribed = 🔕 لم تعد هذه المجموعة تتابع { $handle }.
groups-not-subscribed = هذه المجموعة لا تتابع { $handle }.
groups-personal-command = 🔒 الأمر { $command } شخصي: يعرض متابعاتك وإعداداتك ويغيّرها، لذلك يعمل في محادثتنا الخاصة لا هنا.
groups-button-private-chat = 💬 افتح المحادثة الخاصة

## /privacy و /forget_me

privacy-text =
    <b>🔒 بياناتك في Herald</b>

    لا يحتفظ Herald إلا بما يحتاجه ليخدمك:
    • معرّفك في تيليجرام واسمك واسم المستخدم ولغتك — لتحيتك ومخاطبتك بلغتك؛
    • إعدادات التوصيل: منطقتك الزمنية، وموعد الملخّص ويومه، وساعات الهدوء — لتصلك الأخبار حين تريدها؛
    • الكتّاب والوسوم التي تتابعها — لإرسال التنبيهات والملخّصات إليك؛
    • المقالات التي تنتظر ملخّصك القادم — حتى يُرسَل (60 يومًا على الأكثر)؛
    • تعليقاتك — لعرضها على القرّاء الآخرين؛
    • الروابط التي تشاركها ومن فتحها من أصدقائك — لميزة «أصدقاء فتحوه» (يُنسى كل فتح بعد 180 يومًا)؛
    • سجلات التنبيهات المرسلة إليك (من 30 إلى 60 يومًا) وسجلات قصيرة الأمد: عدّادات لمنع الإساءة ودورك في المجموعات.

    الأمر ‎/forget_me يمحو ذلك كله فورًا، ما عدا السجلات التي تنتهي وحدها في موعدها. تُحذف تعليقاتك، ولا تبقى بلا اسم.
privacy-policy-link = سياسة الخصوصية لدى الناشر: <a href="{ $url }">{ $label }</a>
privacy-no-policy = <i>هذا كل شيء: لم يربط الناشر سياسة خصوصية منفصلة.</i>
forget-confirm =
    <b>هل تريد محو كل ما يحفظه Herald عنك؟</b>
    ستُحذف اشتراكاتك وتعليقاتك ومشاركاتك وإعداداتك. لا يمكن التراجع عن ذلك.
forget-button-yes = 🗑 امحُ بياناتي
forget-button-no = أبقِها
forget-kept = لم يُمحَ شيء.
forget-done = ✅ تم: لم يعد Herald يحفظ أي شيء عنك. أرسل ‎/start لتستخدمه من جديد.
forget-more = ما زال المحو جاريًا — البيانات كثيرة. اضغط الزر للمتابعة.
forget-button-continue = تابع المحو

## /settings: a topic per author in this chat (Bot API 9.3 topics in private chats)
settings-topics = <b>موضوع لكل كاتب:</b> { $state } — لكل كاتب تتابعه موضوع خاص به في هذه المحادثة، تصلك فيه تنبيهاته وموجزاته.
settings-topics-on = مفعّل
settings-topics-off = متوقف
settings-topics-refused = متوقف — لم يسمح لي تيليغرام بفتح مواضيع في هذه المحادثة، لذلك تصلك الأخبار هنا. اضغط «موضوع لكل كاتب» لتجرّب مرة أخرى.
settings-button-topics-on = 🗂 موضوع لكل كاتب
settings-button-topics-off = 💬 كل شيء هنا
